import { ACCOUNT_MAIL_TEXTS, type AccountMailTexts } from './account-mail.locales.js';

/**
 * The texts of the verification mails per language. Plain strings only: the templates escape
 * every line for HTML, so a translation may contain any character. The account-lifecycle texts
 * live in account-mail.locales.ts and are merged in below. French puts a no-break space (\u00a0)
 * before : ; ? ! and inside « », as French typesetting does, so no line starts with that sign.
 */
interface RegistrationMailTexts {
  verification: {
    subject: string;
    greeting(nickname: string): string;
    intro: string;
    linkIntro: string;
    validity(minutes: number): string;
    warning: string;
    ignore: string;
  };
  /** Sent instead of a code when the address already has an account; names no registrant's nickname. */
  accountExists: {
    subject: string;
    greeting: string;
    intro: string;
    signIn: string;
    reset: string;
    ignore: string;
  };
}

const en: RegistrationMailTexts = {
  verification: {
    subject: 'Confirm your email address for AshChat',
    greeting: (nickname) => `Hello ${nickname},`,
    intro: 'Your AshChat verification code is:',
    linkIntro: 'Enter it on the registration page. You can get back to it with this link:',
    validity: (minutes) => `The code is valid for ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    warning: 'Never share this code with anyone. AshChat will never ask you for it.',
    ignore: 'If you did not sign up for AshChat, you can ignore this email.',
  },
  accountExists: {
    subject: 'Your AshChat account',
    greeting: 'Hello,',
    intro: 'Someone just tried to sign up for AshChat with this email address. This address already has an account, so no new account was created.',
    signIn: 'Sign in here:',
    reset: 'Forgot your password? Reset it here:',
    ignore: 'If this was not you, you can ignore this email. Your account has not been changed.',
  },
};

const de: RegistrationMailTexts = {
  verification: {
    subject: 'Bestätige deine E-Mail-Adresse für AshChat',
    greeting: (nickname) => `Hallo ${nickname},`,
    intro: 'dein AshChat-Bestätigungscode lautet:',
    linkIntro: 'Gib ihn auf der Registrierungsseite ein. Über diesen Link gelangst du dorthin zurück:',
    validity: (minutes) => `Der Code ist ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} lang gültig.`,
    warning: 'Gib diesen Code niemals weiter. AshChat wird dich nie danach fragen.',
    ignore: 'Falls du dich nicht bei AshChat registriert hast, kannst du diese E-Mail ignorieren.',
  },
  accountExists: {
    subject: 'Dein AshChat-Konto',
    greeting: 'Hallo,',
    intro: 'gerade hat jemand versucht, sich mit dieser E-Mail-Adresse bei AshChat zu registrieren. Für diese Adresse gibt es bereits ein Konto, daher wurde kein neues angelegt.',
    signIn: 'Hier kannst du dich anmelden:',
    reset: 'Passwort vergessen? Hier kannst du es zurücksetzen:',
    ignore: 'Falls du das nicht warst, kannst du diese E-Mail ignorieren. Dein Konto wurde nicht verändert.',
  },
};

const fr: RegistrationMailTexts = {
  verification: {
    subject: 'Confirmez votre adresse e-mail pour AshChat',
    greeting: (nickname) => `Bonjour ${nickname},`,
    intro: 'Votre code de vérification AshChat est\u00a0:',
    linkIntro: 'Saisissez-le sur la page d’inscription. Ce lien vous y ramène\u00a0:',
    validity: (minutes) => `Ce code est valable ${minutes} ${minutes < 2 ? 'minute' : 'minutes'}.`,
    warning: 'Ne communiquez ce code à personne. AshChat ne vous le demandera jamais.',
    ignore: 'Si vous n’avez pas demandé à créer un compte AshChat, vous pouvez ignorer cet e-mail.',
  },
  accountExists: {
    subject: 'Votre compte AshChat',
    greeting: 'Bonjour,',
    intro: 'Quelqu’un vient d’essayer de créer un compte AshChat avec cette adresse e-mail. Un compte existe déjà pour cette adresse\u00a0: aucun nouveau compte n’a été créé.',
    signIn: 'Pour vous connecter\u00a0:',
    reset: 'Mot de passe oublié\u00a0? Réinitialisez-le ici\u00a0:',
    ignore: 'Si ce n’était pas vous, vous pouvez ignorer cet e-mail. Votre compte n’a pas été modifié.',
  },
};

const es: RegistrationMailTexts = {
  verification: {
    subject: 'Confirma tu dirección de correo para AshChat',
    greeting: (nickname) => `Hola, ${nickname}:`,
    intro: 'Tu código de verificación de AshChat es:',
    linkIntro: 'Introdúcelo en la página de registro. Puedes volver a ella con este enlace:',
    validity: (minutes) => `El código es válido durante ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}.`,
    warning: 'No compartas este código con nadie. AshChat nunca te lo pedirá.',
    ignore: 'Si no te has registrado en AshChat, puedes ignorar este correo.',
  },
  accountExists: {
    subject: 'Tu cuenta de AshChat',
    greeting: 'Hola:',
    intro: 'Alguien acaba de intentar registrarse en AshChat con esta dirección de correo. Esta dirección ya tiene una cuenta, así que no se ha creado ninguna nueva.',
    signIn: 'Inicia sesión aquí:',
    reset: '¿Has olvidado tu contraseña? Restablécela aquí:',
    ignore: 'Si no has sido tú, puedes ignorar este correo. Tu cuenta no ha cambiado.',
  },
};

export type MailLocale = RegistrationMailTexts & AccountMailTexts;

export const MAIL_LOCALES = {
  en: { ...en, ...ACCOUNT_MAIL_TEXTS.en },
  de: { ...de, ...ACCOUNT_MAIL_TEXTS.de },
  fr: { ...fr, ...ACCOUNT_MAIL_TEXTS.fr },
  es: { ...es, ...ACCOUNT_MAIL_TEXTS.es },
} as const satisfies Record<string, MailLocale>;
export type MailLanguage = keyof typeof MAIL_LOCALES;
export const FALLBACK_MAIL_LANGUAGE: MailLanguage = 'en';
