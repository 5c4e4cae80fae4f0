import t from 'tap';
import { formatWhen, languageChoices, profileChanges } from './settings.format.js';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

t.test('formatWhen: relative within a week, in the UI language; a date beyond', async (t) => {
  t.equal(formatWhen(ago(20_000), NOW, 'en'), 'now');
  t.equal(formatWhen(ago(5 * 60_000), NOW, 'en'), '5 minutes ago');
  t.equal(formatWhen(ago(5 * 60_000), NOW, 'de'), 'vor 5 Minuten');
  t.equal(formatWhen(ago(5 * 60_000), NOW, 'es'), 'hace 5 minutos');
  t.equal(formatWhen(ago(5 * 60_000), NOW, 'fr'), 'il y a 5 minutes');
  t.equal(formatWhen(ago(86_400_000), NOW, 'es'), 'ayer');
  t.equal(formatWhen(ago(86_400_000), NOW, 'fr'), 'hier');
  t.equal(formatWhen(ago(3 * 3_600_000 + 60_000), NOW, 'en'), '3 hours ago');
  t.equal(formatWhen(ago(86_400_000), NOW, 'en'), 'yesterday');
  t.match(formatWhen(ago(30 * 86_400_000), NOW, 'en'), /2026/, 'a month ago is a date');
  t.equal(formatWhen('not a date', NOW, 'en'), 'not a date');
});

t.test('languageChoices: the translated languages, plus the account’s own other tag and what it is shown in', async (t) => {
  t.same(languageChoices(['en', 'de', 'es', 'fr'], 'de'), [
    { value: 'en', translated: true, shownIn: 'en' },
    { value: 'de', translated: true, shownIn: 'de' },
    { value: 'es', translated: true, shownIn: 'es' },
    { value: 'fr', translated: true, shownIn: 'fr' },
  ]);
  t.same(languageChoices(['en', 'de', 'es', 'fr'], 'pt-BR').at(-1), { value: 'pt-BR', translated: false, shownIn: null });
  t.same(languageChoices(['en', 'de', 'es', 'fr'], 'es-MX').at(-1), { value: 'es-MX', translated: false, shownIn: 'es' });
  t.same(languageChoices(['en', 'de', 'es', 'fr'], 'fr-CA').at(-1), { value: 'fr-CA', translated: false, shownIn: 'fr' });
  t.same(languageChoices(['en', 'de', 'es', 'fr'], 'en-GB').at(-1), { value: 'en-GB', translated: false, shownIn: 'en' });
  t.equal(languageChoices(['en', 'de', 'es', 'fr'], 'fr').length, 4, 'a translated language is not listed twice');
});

t.test('profileChanges: only the changed fields, the nickname trimmed', async (t) => {
  const me = { nickname: 'Ada', preferredLanguage: 'en' };
  t.same(profileChanges(me, { nickname: ' Ada ', preferredLanguage: 'en' }), {});
  t.same(profileChanges(me, { nickname: 'Ada L', preferredLanguage: 'en' }), { nickname: 'Ada L' });
  t.same(profileChanges(me, { nickname: 'Ada', preferredLanguage: 'de' }), { preferredLanguage: 'de' });
  t.same(profileChanges({ ...me, digestEmails: true }, { nickname: 'Ada', preferredLanguage: 'en', digestEmails: true }), {});
  t.same(profileChanges({ ...me, digestEmails: true }, { nickname: 'Ada', preferredLanguage: 'en', digestEmails: false }), { digestEmails: false });
  t.same(profileChanges({ ...me, autoTranslate: true }, { nickname: 'Ada', preferredLanguage: 'en', autoTranslate: true }), {});
  t.same(profileChanges({ ...me, autoTranslate: true }, { nickname: 'Ada', preferredLanguage: 'en', autoTranslate: false }), { autoTranslate: false });
});
