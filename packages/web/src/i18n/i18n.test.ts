import t from 'tap';
import { catalogue } from './catalogue.js';
import { translate } from './i18n.js';
import { interpolate, resolveLanguage } from './i18n.language.js';
import { LANGUAGES } from './messages.define.js';

t.test('resolveLanguage: the first translated candidate by primary subtag, else English', async (t) => {
  t.equal(resolveLanguage(['de']), 'de');
  t.equal(resolveLanguage(['de-AT', 'en']), 'de');
  t.equal(resolveLanguage(['es']), 'es');
  t.equal(resolveLanguage(['es-MX']), 'es');
  t.equal(resolveLanguage(['es_419']), 'es');
  t.equal(resolveLanguage(['fr']), 'fr');
  t.equal(resolveLanguage(['fr-CA', 'de']), 'fr');
  t.equal(resolveLanguage(['pt', 'DE_ch']), 'de', 'untranslated Portuguese is skipped; case and _ do not matter');
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
  t.equal(translate('es', 'auth.signIn.submit'), 'Iniciar sesión');
  t.equal(translate('fr', 'auth.signIn.submit'), 'Se connecter');
  t.equal(translate('en', 'auth.flow.attemptsLeft', { count: 1 }), '1 attempt left.');
  t.equal(translate('en', 'auth.flow.attemptsLeft', { count: 4 }), '4 attempts left.');
  t.equal(translate('en', 'auth.flow.attemptsLeft', { count: 0 }), '0 attempts left.');
  t.equal(translate('de', 'auth.flow.attemptsLeft', { count: 4 }), 'Noch 4 Versuche.');
  t.equal(translate('es', 'auth.flow.attemptsLeft', { count: 1 }), 'Te queda 1 intento.');
  t.equal(translate('es', 'auth.flow.attemptsLeft', { count: 0 }), 'Te quedan 0 intentos.');
  t.equal(translate('es', 'chat.list.unread', { count: 5 }), '5 mensajes sin leer');
});

t.test('French plurals: the singular for 0 and 1, so its _one texts carry {count}', async (t) => {
  t.equal(translate('fr', 'auth.flow.attemptsLeft', { count: 1 }), 'Il vous reste 1 tentative.');
  t.equal(translate('fr', 'auth.flow.attemptsLeft', { count: 0 }), 'Il vous reste 0 tentative.');
  t.equal(translate('fr', 'auth.flow.attemptsLeft', { count: 2 }), 'Il vous reste 2 tentatives.');
  t.equal(translate('fr', 'chat.group.memberCount', { count: 1 }), '1 membre');
  t.equal(translate('fr', 'search.count', { count: 12 }), '12 messages trouvés');
  for (const [key, text] of Object.entries(catalogue.fr)) {
    if (key.endsWith('_one') && /\b1\b/.test(text)) t.fail(`fr: ${key} says "1" but also serves 0: use {count}`);
  }
});

/** The `{name}` placeholders of a text, sorted. */
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

t.test('catalogue: every language has the English keys, the same placeholders and no empty text', async (t) => {
  t.same(Object.keys(catalogue).sort(), [...LANGUAGES].sort(), 'a table per language');
  for (const language of LANGUAGES) {
    const table: Record<string, string> = catalogue[language];
    t.same(Object.keys(table).sort(), Object.keys(catalogue.en).sort(), `${language}: the English keys`);
    for (const [key, english] of Object.entries(catalogue.en)) {
      const text = table[key] ?? '';
      if (!text.trim()) t.fail(`${language}: ${key} is empty`);
      // A `_one` text may name the 1 instead of saying {count}.
      const expected = placeholders(english).filter((p) => !(key.endsWith('_one') && p === 'count'));
      const actual = placeholders(text).filter((p) => !(key.endsWith('_one') && p === 'count'));
      if (JSON.stringify(actual) !== JSON.stringify(expected)) t.fail(`${language}: ${key} has {${actual.join('},{')}}, English {${expected.join('},{')}}`);
    }
  }
});

t.test('French typesetting: a no-break space before : ; ? ! and inside « »', async (t) => {
  for (const [key, text] of Object.entries(catalogue.fr)) {
    if (/ [:;?!»]|« /.test(text)) t.fail(`fr: ${key} has a breakable space at a punctuation mark: ${text}`);
  }
  t.equal(catalogue.fr['auth.signIn.forgot'], 'Mot de passe oublié\u00a0?');
});

t.test('every language lists every UI language by its own name', async (t) => {
  const names = { en: 'English', de: 'Deutsch', es: 'Español', fr: 'Français' } as const;
  for (const language of LANGUAGES) {
    for (const named of LANGUAGES) t.equal(catalogue[language][`auth.language.${named}`], names[named], `${language}: ${named}`);
  }
});

t.test('a few texts in Spanish and French', async (t) => {
  t.equal(catalogue.es['auth.email'], 'Correo electrónico');
  t.equal(catalogue.es['chat.composer.placeholder'], 'Escribe un mensaje');
  t.equal(catalogue.es['chat.translation.showOriginal'], 'Ver original');
  t.equal(catalogue.es['settings.profile.save'], 'Guardar perfil');
  t.equal(catalogue.fr['auth.email'], 'Adresse e-mail');
  t.equal(catalogue.fr['chat.composer.placeholder'], 'Écrivez un message');
  t.equal(catalogue.fr['chat.translation.showOriginal'], 'Afficher l’original');
  t.equal(translate('fr', 'chat.list.fromOther', { name: 'Bob', text: 'Salut' }), 'Bob\u00a0: Salut');
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
