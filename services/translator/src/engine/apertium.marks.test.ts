import t from 'tap';
import { withoutGenerationMarks } from './apertium.marks.js';

t.test('a word Apertium could not inflect loses its # mark', async (t) => {
  t.equal(withoutGenerationMarks('see you at the station tomorrow', 've tú en la #canal mañana'), 've tú en la canal mañana');
});

t.test('hashtags the writer typed stay', async (t) => {
  t.equal(withoutGenerationMarks('Join us on #general tomorrow', 'Nos uno encima #general mañana'), 'Nos uno encima #general mañana');
  t.equal(withoutGenerationMarks('I have 3 #1 hits', 'Tengo 3 #1 golpes'), 'Tengo 3 #1 golpes');
});

t.test('both in one text; nothing to do without #', async (t) => {
  t.equal(withoutGenerationMarks('#news: the station', '#news: la #canal'), '#news: la canal');
  t.equal(withoutGenerationMarks('hello', 'hola'), 'hola');
});
