import t from 'tap';
import { MAIL_LOCALES } from './mail.locales.js';
import { escapeHtml, renderAccountExistsMail, renderVerificationMail, resolveMailLanguage, verificationLink } from './mail.templates.js';

const registrationId = '0b6f3c2e-8a51-4f0e-9a57-3f1c2d4e5f60';
const base = { nickname: 'Ada', code: '042917', registrationId, publicWebUrl: 'https://chat.example/', validForMs: 10 * 60_000 };

t.test('language resolution: region stripped, case ignored, English otherwise', async (t) => {
  t.equal(resolveMailLanguage('de-CH'), 'de');
  t.equal(resolveMailLanguage('DE'), 'de');
  t.equal(resolveMailLanguage('fr'), 'fr');
  t.equal(resolveMailLanguage('es-MX'), 'es');
  t.equal(resolveMailLanguage('en-GB'), 'en');
  t.equal(resolveMailLanguage('pt-BR'), 'en');
  t.equal(resolveMailLanguage('zz'), 'en');
  t.equal(resolveMailLanguage(''), 'en');
});

t.test('the code is in the text and the HTML part, never in the subject or the link', async (t) => {
  for (const language of Object.keys(MAIL_LOCALES)) {
    const mail = renderVerificationMail({ ...base, preferredLanguage: language });
    t.equal(mail.language, language);
    t.match(mail.text, base.code, `${language}: code in text`);
    t.match(mail.html, base.code, `${language}: code in html`);
    t.notMatch(mail.subject, base.code, `${language}: code not in subject`);
    const link = `https://chat.example/verify?registration=${registrationId}`;
    t.match(mail.text, link, `${language}: link in text`);
    t.match(mail.html, `href="${link}"`, `${language}: link in html`);
    t.match(mail.html, `<html lang="${language}">`);
  }
  t.equal(verificationLink('https://chat.example//', registrationId), `https://chat.example/verify?registration=${registrationId}`);
});

t.test('subjects and texts are localised; unknown languages get English', async (t) => {
  const en = renderVerificationMail({ ...base, preferredLanguage: 'en' });
  const de = renderVerificationMail({ ...base, preferredLanguage: 'de-CH' });
  const fr = renderVerificationMail({ ...base, preferredLanguage: 'fr' });
  const unknown = renderVerificationMail({ ...base, preferredLanguage: 'ja' });
  t.equal(de.subject, MAIL_LOCALES.de.verification.subject);
  t.not(de.subject, en.subject);
  t.not(fr.subject, en.subject);
  t.match(de.text, 'Hallo Ada,');
  t.match(de.text, '10 Minuten');
  t.same(unknown, en, 'fallback is exactly the English mail');
  t.match(renderVerificationMail({ ...base, preferredLanguage: 'en', validForMs: 30_000 }).text, 'valid for 1 minute.', 'rounded up, singular');
});

t.test('the nickname is HTML-escaped in the HTML part only', async (t) => {
  const nickname = `<b onclick="x">&'`;
  const mail = renderVerificationMail({ ...base, preferredLanguage: 'en', nickname });
  t.notMatch(mail.html, '<b onclick', 'no raw markup from the nickname');
  t.match(mail.html, 'Hello &lt;b onclick=&quot;x&quot;&gt;&amp;&#39;,');
  t.match(mail.text, `Hello ${nickname},`, 'the text part shows it verbatim');
  t.equal(escapeHtml(`<>&"'`), '&lt;&gt;&amp;&quot;&#39;');
});

t.test('account-exists mail: sign-in and reset hints, no code, no registrant nickname', async (t) => {
  const mail = renderAccountExistsMail({ preferredLanguage: 'de-AT', publicWebUrl: 'https://chat.example' });
  t.equal(mail.language, 'de');
  t.equal(mail.subject, MAIL_LOCALES.de.accountExists.subject);
  for (const part of [mail.text, mail.html]) {
    t.match(part, 'https://chat.example/login');
    t.match(part, 'https://chat.example/password-reset');
    t.notMatch(part, /\d{6}/, 'nothing that looks like a code');
  }
  t.equal(renderAccountExistsMail({ preferredLanguage: 'xx', publicWebUrl: 'https://c.example' }).language, 'en');
});

t.test('Spanish and French, also for regional tags: greeting, code validity, account-exists', async (t) => {
  const es = renderVerificationMail({ ...base, preferredLanguage: 'es-MX' });
  t.equal(es.language, 'es');
  t.equal(es.subject, 'Confirma tu dirección de correo para AshChat');
  t.match(es.text, /^Hola, Ada:$/m);
  t.match(es.text, 'El código es válido durante 10 minutos.');
  t.match(es.html, '<html lang="es">');
  const fr = renderVerificationMail({ ...base, preferredLanguage: 'fr-CA' });
  t.equal(fr.language, 'fr');
  t.equal(fr.subject, 'Confirmez votre adresse e-mail pour AshChat');
  t.match(fr.text, /^Bonjour Ada,$/m);
  t.match(fr.text, 'Votre code de vérification AshChat est\u00a0:');
  t.match(renderVerificationMail({ ...base, preferredLanguage: 'fr', validForMs: 30_000 }).text, 'Ce code est valable 1 minute.');
  t.match(renderVerificationMail({ ...base, preferredLanguage: 'es', validForMs: 30_000 }).text, 'válido durante 1 minuto.');
  t.equal(renderAccountExistsMail({ preferredLanguage: 'es-AR', publicWebUrl: 'https://c.example' }).subject, 'Tu cuenta de AshChat');
  t.equal(renderAccountExistsMail({ preferredLanguage: 'fr-BE', publicWebUrl: 'https://c.example' }).subject, 'Votre compte AshChat');
});

/** Every string of a locale, its functions called with sample arguments. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') return [String((value as (...a: unknown[]) => unknown)('Ada', 'X'))];
  return Object.values(value as Record<string, unknown>).flatMap(allStrings);
}

t.test('French typesetting: a no-break space before : ; ? ! and inside « »', async (t) => {
  const texts = allStrings(MAIL_LOCALES.fr);
  t.ok(texts.length > 20, 'the registration and account texts');
  for (const text of texts) if (/ [:;?!»]|« /.test(text)) t.fail(`a breakable space at a punctuation mark: ${text}`);
});
