import t from 'tap';
import { catalogue } from './catalogue.js';
import { translate } from './i18n.js';
import { interpolate, resolveLanguage } from './i18n.language.js';

t.test('resolveLanguage: the first translated candidate by primary subtag, else English', async (t) => {
  t.equal(resolveLanguage(['de']), 'de');
  t.equal(resolveLanguage(['de-AT', 'en']), 'de');
  t.equal(resolveLanguage(['fr', 'DE_ch']), 'de', 'untranslated French is skipped; case and _ do not matter');
  t.equal(resolveLanguage([null, undefined, 'en-GB']), 'en');
  t.equal(resolveLanguage(['pt-BR']), 'en');
  t.equal(resolveLanguage([]), 'en');
});

t.test('interpolate: named placeholders; a missing one stays visible', async (t) => {
  t.equal(interpolate('{count} attempts left.', { count: 3 }), '3 attempts left.');
  t.equal(interpolate('Hi {name}', {}), 'Hi {name}');
  t.equal(interpolate('No params'), 'No params');
});

t.test('translate: the language’s text, the _one form for 1, English as fallback', async (t) => {
  t.equal(translate('de', 'auth.signIn.submit'), 'Anmelden');
  t.equal(translate('en', 'auth.signIn.submit'), 'Sign in');
  t.equal(translate('en', 'auth.flow.attemptsLeft', { count: 1 }), '1 attempt left.');
  t.equal(translate('en', 'auth.flow.attemptsLeft', { count: 4 }), '4 attempts left.');
  t.equal(translate('de', 'auth.flow.attemptsLeft', { count: 4 }), 'Noch 4 Versuche.');
});

t.test('catalogue: both languages have the same keys and no empty text', async (t) => {
  t.same(Object.keys(catalogue.de).sort(), Object.keys(catalogue.en).sort());
  for (const [language, table] of Object.entries(catalogue)) {
    for (const [key, text] of Object.entries(table)) if (!text.trim()) t.fail(`${language}: ${key} is empty`);
  }
});

t.test('the names the browser tests rely on (English)', async (t) => {
  t.equal(catalogue.en['auth.email'], 'Email');
  t.equal(catalogue.en['auth.password'], 'Password');
  t.equal(catalogue.en['auth.nickname'], 'Nickname');
  t.equal(catalogue.en['auth.code'], 'Verification code');
  t.equal(catalogue.en['auth.signUp.submit'], 'Create account');
  t.equal(catalogue.en['auth.verify.submit'], 'Verify');
  t.equal(catalogue.en['auth.signIn.submit'], 'Sign in');
});
