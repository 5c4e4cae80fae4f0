import t from 'tap';
import { detectMessageLanguage, hasLetters, translationLanguageOf } from './message.language.js';

t.test('a tag’s language: the primary subtag, lower case; none for what is no language code', async (t) => {
  t.equal(translationLanguageOf('pt-BR'), 'pt');
  t.equal(translationLanguageOf('EN'), 'en');
  t.equal(translationLanguageOf('es_MX'), 'es');
  t.equal(translationLanguageOf('i-klingon'), null);
  t.equal(translationLanguageOf(''), null);
  t.equal(translationLanguageOf(undefined), null);
});

t.test('letters, in any script; emoji, digits and punctuation are none', async (t) => {
  t.ok(hasLetters('ok'));
  t.ok(hasLetters('日本'));
  t.notOk(hasLetters('🎉🎉 👍 42!'));
  t.notOk(hasLetters(null));
});

t.test('the sender’s language unless the text says confidently otherwise', async (t) => {
  t.equal(detectMessageLanguage('Good morning, see you at the station tomorrow', 'es'), 'en', 'clear English from a Spanish speaker');
  t.equal(detectMessageLanguage('Buenos días, te veo mañana en la estación', 'en-GB'), 'es');
  t.equal(detectMessageLanguage('Bonjour, je te vois demain à la gare', 'en'), 'fr');
  t.equal(detectMessageLanguage('Guten Morgen, wir sehen uns morgen am Bahnhof', 'en'), 'de');
  t.equal(detectMessageLanguage('hola', 'en'), 'en', 'too short to tell: the sender’s');
  t.equal(detectMessageLanguage('🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉', 'pt-BR'), 'pt', 'nothing to detect');
  t.equal(detectMessageLanguage('ok', 'x-private'), null, 'no language at all');
  t.equal(detectMessageLanguage('Good morning, see you at the station tomorrow', 'en'), 'en');
});
