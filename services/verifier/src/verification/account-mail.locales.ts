/**
 * The texts of the account-lifecycle mails (password reset, new-device sign-in, notices) per
 * language; mail.locales.ts merges them into MAIL_LOCALES, so every language has both halves.
 * Plain strings only: the templates escape every line for HTML. Times arrive already formatted
 * for the language (a UTC date-time, "UTC" included).
 */
export interface AccountMailTexts {
  passwordReset: {
    subject: string;
    /** Without a nickname (none given): a greeting that names nobody. */
    greeting(nickname: string | undefined): string;
    intro: string;
    linkIntro: string;
    validity(minutes: number): string;
    warning: string;
    ignore: string;
  };
  deviceCode: {
    subject: string;
    greeting(nickname: string): string;
    /** The device as the sentence names it: its name, quoted, or the unnamed fallback. */
    device(name: string | null): string;
    intro(device: string, time: string): string;
    validity(minutes: number): string;
    warning: string;
    notMe: string;
  };
  passwordChanged: {
    subject: string;
    greeting(nickname: string): string;
    changed(time: string): string;
    sessions: string;
    notMe: string;
  };
  accountDeleted: {
    subject: string;
    greeting(nickname: string): string;
    deleted(time: string): string;
    messages: string;
    again: string;
  };
}

const en: AccountMailTexts = {
  passwordReset: {
    subject: 'Reset your AshChat password',
    greeting: (nickname) => (nickname === undefined ? 'Hello,' : `Hello ${nickname},`),
    intro: 'Someone asked to reset the password of your AshChat account. Your code is:',
    linkIntro: 'Enter it on the password reset page. You can get back to it with this link:',
    validity: (minutes) => `The code is valid for ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    warning: 'Never share this code with anyone. AshChat will never ask you for it.',
    ignore: 'If this was not you, you can ignore this email. Your password is unchanged.',
  },
  deviceCode: {
    subject: 'Confirm a sign-in to AshChat from a new device',
    greeting: (nickname) => `Hello ${nickname},`,
    device: (name) => (name === null ? 'an unnamed device' : `“${name}”`),
    intro: (device, time) => `A sign-in to your AshChat account from a new device needs this code. The device: ${device}, on ${time}.`,
    validity: (minutes) => `The code is valid for ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    warning: 'Never share this code with anyone. AshChat will never ask you for it.',
    notMe: 'If this was not you, refuse the sign-in with this link and change your password: someone knows it.',
  },
  passwordChanged: {
    subject: 'Your AshChat password was changed',
    greeting: (nickname) => `Hello ${nickname},`,
    changed: (time) => `Your AshChat password was changed on ${time}.`,
    sessions: 'All your other sessions were signed out.',
    notMe: 'If this was not you, reset your password right away:',
  },
  accountDeleted: {
    subject: 'Your AshChat account was deleted',
    greeting: (nickname) => `Hello ${nickname},`,
    deleted: (time) => `Your AshChat account and its data were deleted on ${time}.`,
    messages: 'Messages you sent now show as from a deleted user.',
    again: 'This email address may be used to register again.',
  },
};

const de: AccountMailTexts = {
  passwordReset: {
    subject: 'Setze dein AshChat-Passwort zurück',
    greeting: (nickname) => (nickname === undefined ? 'Hallo,' : `Hallo ${nickname},`),
    intro: 'jemand hat angefordert, das Passwort deines AshChat-Kontos zurückzusetzen. Dein Code lautet:',
    linkIntro: 'Gib ihn auf der Seite zum Zurücksetzen des Passworts ein. Über diesen Link gelangst du dorthin zurück:',
    validity: (minutes) => `Der Code ist ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} lang gültig.`,
    warning: 'Gib diesen Code niemals weiter. AshChat wird dich nie danach fragen.',
    ignore: 'Falls du das nicht warst, kannst du diese E-Mail ignorieren. Dein Passwort bleibt unverändert.',
  },
  deviceCode: {
    subject: 'Bestätige eine Anmeldung bei AshChat von einem neuen Gerät',
    greeting: (nickname) => `Hallo ${nickname},`,
    device: (name) => (name === null ? 'ein unbenanntes Gerät' : `„${name}“`),
    intro: (device, time) => `eine Anmeldung bei deinem AshChat-Konto von einem neuen Gerät braucht diesen Code. Das Gerät: ${device}, am ${time}.`,
    validity: (minutes) => `Der Code ist ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} lang gültig.`,
    warning: 'Gib diesen Code niemals weiter. AshChat wird dich nie danach fragen.',
    notMe: 'Falls du das nicht warst, lehne die Anmeldung mit diesem Link ab und ändere dein Passwort: Jemand kennt es.',
  },
  passwordChanged: {
    subject: 'Dein AshChat-Passwort wurde geändert',
    greeting: (nickname) => `Hallo ${nickname},`,
    changed: (time) => `dein AshChat-Passwort wurde am ${time} geändert.`,
    sessions: 'Alle deine anderen Sitzungen wurden abgemeldet.',
    notMe: 'Falls du das nicht warst, setze dein Passwort sofort zurück:',
  },
  accountDeleted: {
    subject: 'Dein AshChat-Konto wurde gelöscht',
    greeting: (nickname) => `Hallo ${nickname},`,
    deleted: (time) => `dein AshChat-Konto und seine Daten wurden am ${time} gelöscht.`,
    messages: 'Nachrichten, die du gesendet hast, erscheinen jetzt als von einem gelöschten Nutzer.',
    again: 'Mit dieser E-Mail-Adresse kann man sich wieder registrieren.',
  },
};

const fr: AccountMailTexts = {
  passwordReset: {
    subject: 'Réinitialisation de votre mot de passe AshChat',
    greeting: (nickname) => (nickname === undefined ? 'Bonjour,' : `Bonjour ${nickname},`),
    intro: 'Quelqu’un a demandé à réinitialiser le mot de passe de votre compte AshChat. Votre code est\u00a0:',
    linkIntro: 'Saisissez-le sur la page de réinitialisation du mot de passe. Ce lien vous y ramène\u00a0:',
    validity: (minutes) => `Ce code est valable ${minutes} ${minutes < 2 ? 'minute' : 'minutes'}.`,
    warning: 'Ne communiquez ce code à personne. AshChat ne vous le demandera jamais.',
    ignore: 'Si ce n’était pas vous, vous pouvez ignorer cet e-mail. Votre mot de passe reste inchangé.',
  },
  deviceCode: {
    subject: 'Confirmez une connexion à AshChat depuis un nouvel appareil',
    greeting: (nickname) => `Bonjour ${nickname},`,
    device: (name) => (name === null ? 'un appareil sans nom' : `«\u00a0${name}\u00a0»`),
    intro: (device, time) => `Une connexion à votre compte AshChat depuis un nouvel appareil nécessite ce code. Appareil\u00a0: ${device}, le ${time}.`,
    validity: (minutes) => `Ce code est valable ${minutes} ${minutes < 2 ? 'minute' : 'minutes'}.`,
    warning: 'Ne communiquez ce code à personne. AshChat ne vous le demandera jamais.',
    notMe: 'Si ce n’était pas vous, refusez la connexion avec ce lien et changez votre mot de passe\u00a0: quelqu’un le connaît.',
  },
  passwordChanged: {
    subject: 'Votre mot de passe AshChat a été modifié',
    greeting: (nickname) => `Bonjour ${nickname},`,
    changed: (time) => `Le mot de passe de votre compte AshChat a été modifié le ${time}.`,
    sessions: 'Toutes vos autres sessions ont été fermées.',
    notMe: 'Si ce n’était pas vous, réinitialisez votre mot de passe sans attendre\u00a0:',
  },
  accountDeleted: {
    subject: 'Votre compte AshChat a été supprimé',
    greeting: (nickname) => `Bonjour ${nickname},`,
    deleted: (time) => `Votre compte AshChat et ses données ont été supprimés le ${time}.`,
    messages: 'Les messages que vous avez envoyés apparaissent désormais comme envoyés par un utilisateur supprimé.',
    again: 'Cette adresse e-mail peut de nouveau servir à créer un compte.',
  },
};

const es: AccountMailTexts = {
  passwordReset: {
    subject: 'Restablece tu contraseña de AshChat',
    greeting: (nickname) => (nickname === undefined ? 'Hola:' : `Hola, ${nickname}:`),
    intro: 'Alguien ha pedido restablecer la contraseña de tu cuenta de AshChat. Tu código es:',
    linkIntro: 'Introdúcelo en la página para restablecer la contraseña. Puedes volver a ella con este enlace:',
    validity: (minutes) => `El código es válido durante ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}.`,
    warning: 'No compartas este código con nadie. AshChat nunca te lo pedirá.',
    ignore: 'Si no has sido tú, puedes ignorar este correo. Tu contraseña sigue siendo la misma.',
  },
  deviceCode: {
    subject: 'Confirma un inicio de sesión en AshChat desde un dispositivo nuevo',
    greeting: (nickname) => `Hola, ${nickname}:`,
    device: (name) => (name === null ? 'un dispositivo sin nombre' : `«${name}»`),
    intro: (device, time) => `Para iniciar sesión en tu cuenta de AshChat desde un dispositivo nuevo hace falta este código. El dispositivo: ${device}, el ${time}.`,
    validity: (minutes) => `El código es válido durante ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}.`,
    warning: 'No compartas este código con nadie. AshChat nunca te lo pedirá.',
    notMe: 'Si no has sido tú, rechaza el inicio de sesión con este enlace y cambia tu contraseña: alguien la conoce.',
  },
  passwordChanged: {
    subject: 'Se ha cambiado tu contraseña de AshChat',
    greeting: (nickname) => `Hola, ${nickname}:`,
    changed: (time) => `La contraseña de tu cuenta de AshChat se cambió el ${time}.`,
    sessions: 'Se han cerrado todas tus demás sesiones.',
    notMe: 'Si no has sido tú, restablece tu contraseña de inmediato:',
  },
  accountDeleted: {
    subject: 'Se ha eliminado tu cuenta de AshChat',
    greeting: (nickname) => `Hola, ${nickname}:`,
    deleted: (time) => `Tu cuenta de AshChat y sus datos se eliminaron el ${time}.`,
    messages: 'Los mensajes que enviaste aparecen ahora como enviados por un usuario eliminado.',
    again: 'Esta dirección de correo puede volver a usarse para registrarse.',
  },
};

export const ACCOUNT_MAIL_TEXTS = { en, de, fr, es } as const satisfies Record<string, AccountMailTexts>;
