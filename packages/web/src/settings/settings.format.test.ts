import t from 'tap';
import { formatWhen, languageChoices, profileChanges } from './settings.format.js';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

t.test('formatWhen: relative within a week, in the UI language; a date beyond', async (t) => {
  t.equal(formatWhen(ago(20_000), NOW, 'en'), 'now');
  t.equal(formatWhen(ago(5 * 60_000), NOW, 'en'), '5 minutes ago');
  t.equal(formatWhen(ago(5 * 60_000), NOW, 'de'), 'vor 5 Minuten');
  t.equal(formatWhen(ago(3 * 3_600_000 + 60_000), NOW, 'en'), '3 hours ago');
  t.equal(formatWhen(ago(86_400_000), NOW, 'en'), 'yesterday');
  t.match(formatWhen(ago(30 * 86_400_000), NOW, 'en'), /2026/, 'a month ago is a date');
  t.equal(formatWhen('not a date', NOW, 'en'), 'not a date');
});

t.test('languageChoices: the translated languages, plus the account’s own other tag', async (t) => {
  t.same(languageChoices(['en', 'de'], 'de'), [
    { value: 'en', translated: true },
    { value: 'de', translated: true },
  ]);
  t.same(languageChoices(['en', 'de'], 'pt-BR').at(-1), { value: 'pt-BR', translated: false });
});

t.test('profileChanges: only the changed fields, the nickname trimmed', async (t) => {
  const me = { nickname: 'Ada', preferredLanguage: 'en' };
  t.same(profileChanges(me, { nickname: ' Ada ', preferredLanguage: 'en' }), {});
  t.same(profileChanges(me, { nickname: 'Ada L', preferredLanguage: 'en' }), { nickname: 'Ada L' });
  t.same(profileChanges(me, { nickname: 'Ada', preferredLanguage: 'de' }), { preferredLanguage: 'de' });
  t.same(profileChanges({ ...me, digestEmails: true }, { nickname: 'Ada', preferredLanguage: 'en', digestEmails: true }), {});
  t.same(profileChanges({ ...me, digestEmails: true }, { nickname: 'Ada', preferredLanguage: 'en', digestEmails: false }), { digestEmails: false });
});
