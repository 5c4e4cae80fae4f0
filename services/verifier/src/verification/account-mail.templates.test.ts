import { challengeDenialToken } from '@ashchat/contracts';
import t from 'tap';
import { MAIL_LOCALES, type MailLanguage } from './mail.locales.js';
import { ACCOUNT_MAIL_TEXTS } from './account-mail.locales.js';
import {
  deviceDenialLink,
  formatUtcTime,
  passwordResetLink,
  renderAccountNoticeMail,
  renderDeviceCodeMail,
  renderPasswordResetMail,
} from './account-mail.templates.js';
import type { RenderedMail } from './mail.templates.js';

const resetId = '0b6f3c2e-8a51-4f0e-9a57-3f1c2d4e5f60';
const challengeId = '7d1e2f30-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const denialToken = challengeDenialToken('template-test-secret-template-test-secret', challengeId);
const at = Date.UTC(2026, 11, 5, 16, 18);
const languages = Object.keys(MAIL_LOCALES) as MailLanguage[];
const web = 'https://chat.example/';

const reset = (language: string, over: Partial<Parameters<typeof renderPasswordResetMail>[0]> = {}) =>
  renderPasswordResetMail({ preferredLanguage: language, nickname: 'Ada', code: '042917', resetId, publicWebUrl: web, validForMs: 15 * 60_000, ...over });
const device = (language: string, over: Partial<Parameters<typeof renderDeviceCodeMail>[0]> = {}) =>
  renderDeviceCodeMail({
    preferredLanguage: language,
    nickname: 'Ada',
    code: '042917',
    challengeId,
    denialToken,
    deviceName: 'Pixel 9',
    requestedAt: at,
    publicWebUrl: web,
    validForMs: 10 * 60_000,
    ...over,
  });
const notice = (language: string, kind: 'password-changed' | 'account-deleted') =>
  renderAccountNoticeMail({ kind, preferredLanguage: language, nickname: 'Ada', at, publicWebUrl: web });

/** Every string a locale section yields, functions called with sample arguments. */
function strings(section: Record<string, unknown>): string[] {
  return Object.values(section).map((v) => (typeof v === 'function' ? String((v as (...a: unknown[]) => unknown)('X', 'Y')) : String(v)));
}

t.test('every language has every account text, non-empty, and different from English where it should be', async (t) => {
  t.same(Object.keys(ACCOUNT_MAIL_TEXTS).sort(), [...languages].sort(), 'the account texts cover exactly the mail languages');
  const sections = Object.keys(ACCOUNT_MAIL_TEXTS.en) as (keyof typeof ACCOUNT_MAIL_TEXTS.en)[];
  t.same(sections.sort(), ['accountDeleted', 'deviceCode', 'passwordChanged', 'passwordReset']);
  for (const language of languages) {
    for (const section of sections) {
      const texts = MAIL_LOCALES[language][section] as unknown as Record<string, unknown>;
      t.same(Object.keys(texts).sort(), Object.keys(ACCOUNT_MAIL_TEXTS.en[section]).sort(), `${language}.${section}: same keys as English`);
      for (const s of strings(texts)) t.ok(s.trim().length > 0 && !s.includes('undefined'), `${language}.${section}: "${s}"`);
      if (language !== 'en') t.not(texts.subject, ACCOUNT_MAIL_TEXTS.en[section].subject, `${language}.${section}: translated subject`);
    }
  }
});

t.test('times: a UTC date-time written the language’s way, marked UTC', async (t) => {
  t.equal(formatUtcTime('en', at), 'December 5, 2026 at 4:18 PM UTC');
  t.equal(formatUtcTime('de', at), '5. Dezember 2026 um 16:18 UTC');
  t.match(formatUtcTime('fr', at), /^5 décembre 2026 .*16:18 UTC$/);
  t.match(formatUtcTime('es', at), /^5 de diciembre de 2026.*16:18 UTC$/);
});

const html = (m: RenderedMail, s: string): boolean => m.html.includes(s.replace(/&/g, '&amp;'));

t.test('password reset mail in every language: code, link with the reset id only, validity, "not you"', async (t) => {
  const link = `https://chat.example/password-reset?reset=${resetId}`;
  t.equal(passwordResetLink('https://chat.example//', resetId), link);
  for (const language of languages) {
    const texts = MAIL_LOCALES[language].passwordReset;
    const mail = reset(language);
    t.equal(mail.language, language);
    t.equal(mail.subject, texts.subject);
    t.notMatch(mail.subject, '042917');
    for (const part of [mail.text, mail.html]) {
      t.match(part, '042917', `${language}: the code`);
      t.match(part, link, `${language}: the link`);
    }
    t.notMatch(mail.text, /reset=[^\s]*042917/, `${language}: no code in the link`);
    t.match(mail.text, texts.greeting('Ada'));
    t.match(mail.text, texts.validity(15));
    t.match(mail.text, texts.ignore);
    t.match(reset(language, { nickname: undefined }).text, texts.greeting(undefined), `${language}: greeting without a name`);
  }
  t.match(reset('en').text, 'Hello Ada,');
  t.match(reset('en', { nickname: undefined }).text, /^Hello,$/m);
  t.match(reset('de-AT').text, '15 Minuten');
  t.same(reset('ja'), reset('en'), 'unknown language: English');
});

t.test('device mail in every language: device, time, code, validity, deny link with the token', async (t) => {
  const link = `https://chat.example/device-challenge?challenge=${challengeId}&deny=${denialToken}`;
  t.equal(deviceDenialLink(web, challengeId, denialToken), link);
  for (const language of languages) {
    const texts = MAIL_LOCALES[language].deviceCode;
    const mail = device(language);
    t.equal(mail.subject, texts.subject);
    t.match(mail.text, texts.intro(texts.device('Pixel 9'), formatUtcTime(language, at)), `${language}: device and time`);
    t.match(mail.text, 'Pixel 9');
    t.match(mail.text, formatUtcTime(language, at));
    t.match(mail.text, '042917');
    t.match(mail.text, link, `${language}: deny link in text`);
    t.ok(html(mail, `href="${link}"`), `${language}: deny link in html`);
    t.match(mail.text, texts.notMe);
    t.match(mail.text, texts.validity(10));
    t.notMatch(link, '042917');
    const unnamed = device(language, { deviceName: null });
    t.match(unnamed.text, texts.device(null), `${language}: the unnamed device`);
  }
  t.match(device('en', { deviceName: null }).text, 'an unnamed device');
  t.match(device('de', { deviceName: null }).text, 'ein unbenanntes Gerät');
  t.match(device('es-MX', { deviceName: null }).text, 'un dispositivo sin nombre');
  t.match(device('fr-CA', { deviceName: null }).text, 'un appareil sans nom');
  t.match(device('es').text, 'El dispositivo: «Pixel 9», el 5 de diciembre de 2026');
  t.match(device('fr').text, 'Appareil\u00a0: «\u00a0Pixel 9\u00a0», le 5 décembre 2026');
});

t.test('Spanish and French for regional tags: subjects, greetings, notices', async (t) => {
  t.equal(reset('es-419').language, 'es');
  t.equal(reset('es-419').subject, 'Restablece tu contraseña de AshChat');
  t.match(reset('es').text, /^Hola, Ada:$/m);
  t.match(reset('es', { nickname: undefined }).text, /^Hola:$/m);
  t.equal(reset('fr-CH').subject, 'Réinitialisation de votre mot de passe AshChat');
  t.match(reset('fr', { nickname: undefined }).text, /^Bonjour,$/m);
  t.match(reset('fr', { validForMs: 60_000 }).text, 'Ce code est valable 1 minute.');
  t.equal(notice('es-ES', 'password-changed').subject, 'Se ha cambiado tu contraseña de AshChat');
  t.equal(notice('fr-FR', 'account-deleted').subject, 'Votre compte AshChat a été supprimé');
  t.match(notice('fr', 'account-deleted').text, 'supprimés le 5 décembre 2026');
});

t.test('a device name is escaped in the HTML part and verbatim in the text part', async (t) => {
  const mail = device('en', { deviceName: `<img src=x onerror="y">&'` });
  t.notMatch(mail.html, '<img', 'no raw markup from the device name');
  t.match(mail.html, '&lt;img src=x onerror=&quot;y&quot;&gt;&amp;&#39;');
  t.match(mail.text, `<img src=x onerror="y">&'`);
});

t.test('notices in every language: password changed (time, sessions, reset link) and account deleted', async (t) => {
  for (const language of languages) {
    const { passwordChanged: pc, accountDeleted: ad } = MAIL_LOCALES[language];
    const changed = notice(language, 'password-changed');
    t.equal(changed.subject, pc.subject);
    t.match(changed.text, pc.changed(formatUtcTime(language, at)));
    t.match(changed.text, pc.sessions);
    t.match(changed.text, pc.notMe);
    t.match(changed.text, /^https:\/\/chat\.example\/password-reset$/m, `${language}: the reset page`);
    const deleted = notice(language, 'account-deleted');
    t.equal(deleted.subject, ad.subject);
    for (const s of [ad.deleted(formatUtcTime(language, at)), ad.messages, ad.again]) t.match(deleted.text, s);
    t.notMatch(deleted.text, /https?:/, `${language}: no link in the deletion notice`);
    for (const mail of [changed, deleted]) t.notMatch(mail.text, /(^|\D)\d{6}(\D|$)/, 'nothing that looks like a code');
  }
});
