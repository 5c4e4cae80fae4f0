import t from 'tap';
import fc from 'fast-check';
import { ObjectId } from 'mongodb';
import { AppError } from '../errors/app-error.js';
import { scanMatchFilter, textSearchFilter, batches } from './message.search.js';
import { fold, MAX_SEARCH_WORDS, searchWords, snippetOf, wordPattern } from './search.words.js';

const matches = (word: string, text: string): boolean => new RegExp(wordPattern(word), 'u').test(text);

t.test('searchWords: folded, distinct, one-character words dropped; none left is INVALID_SEARCH_QUERY', async (t) => {
  t.same(searchWords('  Lunch  FRIDAY lunch '), ['lunch', 'friday']);
  t.same(searchWords('Café Müller a'), ['cafe', 'muller']);
  t.same(searchWords('.*( x'), ['.*(']);
  t.equal(searchWords(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')).length, MAX_SEARCH_WORDS);
  for (const q of ['a', 'a b c', '   ', 'é']) {
    t.throws(() => searchWords(q), new AppError('INVALID_SEARCH_QUERY'), q);
  }
});

t.test('wordPattern: case and accents ignored; regex metacharacters are literals', async (t) => {
  for (const text of ['CAFÉ', 'Café', 'cafe', 'cafe\u0301', 'a cafè here']) t.ok(matches('cafe', text), text);
  t.ok(matches(fold('Müller'), 'MULLER'));
  t.ok(matches(fold('ÉTÉ'), 'été'));
  t.notOk(matches('cafe', 'caff'));
  t.ok(matches('.*(', 'price a.*(b'));
  t.notOk(matches('.*(', 'anything at all'));
  t.notOk(matches('a.c', 'abc'), 'a dot is a dot');
  t.notOk(matches('[ab]', 'a'), 'brackets are brackets');
  t.ok(matches('[ab]', 'x[ab]y'));
  t.ok(matches('c++', 'I like C++'));
  t.notOk(matches('(a|b)', 'a'));
  t.ok(matches('^$\\', 'x^$\\y'));
});

t.test('wordPattern: any word gives a valid pattern that finds the word itself (fast-check)', async (t) => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 30, unit: fc.oneof(fc.constantFrom(...'.*+?^$()[]{}|\\/-"éÉüÅçñ'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }), (raw) => {
      const word = fold(raw);
      if (word.length === 0) return true;
      const re = new RegExp(wordPattern(word), 'u');
      return re.test(word) && re.test(`before ${word} after`);
    }),
    { numRuns: 150 },
  );
  t.pass('every pattern compiled and found its word');
});

t.test('snippetOf: the part around the first match, every match marked, cut on both sides when long', async (t) => {
  const short = snippetOf('Lunch on Friday at the Café?', ['friday', 'cafe']);
  t.equal(short.text, 'Lunch on Friday at the Café?');
  t.same(short.highlights.map((h) => short.text.slice(h.start, h.end)), ['Friday', 'Café']);
  const long = `${'x'.repeat(300)} needle ${'y'.repeat(300)}`;
  const cut = snippetOf(long, ['needle']);
  t.ok(cut.text.startsWith('…') && cut.text.endsWith('…'));
  t.same(cut.highlights.map((h) => cut.text.slice(h.start, h.end)), ['needle']);
  t.same(snippetOf('no match here', ['zz']), { text: 'no match here', highlights: [] });
  const overlapping = snippetOf('abcdef', ['abcd', 'cdef']);
  t.same(overlapping.highlights, [{ start: 0, end: 6 }], 'overlapping matches merge');
});

t.test('snippetOf: highlights stay inside the text and cover a word (fast-check)', async (t) => {
  fc.assert(
    fc.property(fc.string({ maxLength: 600, unit: fc.oneof(fc.constantFrom('a', 'b', ' ', 'é', 'É', '😀'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })) }), fc.constantFrom('ab', 'ba', 'ae', 'bb'), (body, word) => {
      const { text, highlights } = snippetOf(body, [word]);
      if (text.length > 400) return false;
      let previousEnd = -1;
      for (const h of highlights) {
        if (h.start <= previousEnd || h.end <= h.start || h.end > text.length) return false;
        if (!fold(text.slice(h.start, h.end)).includes(word.slice(0, 1))) return false;
        previousEnd = h.end;
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.pass('highlights in order, inside, on the word');
});

t.test('textSearchFilter (MongoDB): every word a quoted phrase, members’ conversations, no deleted, below the cursor', async (t) => {
  const ids = [new ObjectId(), new ObjectId()];
  const before = new ObjectId();
  t.same(textSearchFilter(['lunch', 'say"hi\\'], ids, before), {
    conversationId: { $in: ids },
    _id: { $lt: before },
    deletedAt: null,
    $text: { $search: '"lunch" "say hi"', $caseSensitive: false, $diacriticSensitive: false },
  });
  t.notOk('_id' in textSearchFilter(['lunch'], ids, undefined), 'the first page has no bound');
});

t.test('scanMatchFilter (FerretDB): the window [oldest, before), a case-insensitive pattern per word', async (t) => {
  const ids = [new ObjectId()];
  const before = new ObjectId();
  const oldest = new ObjectId();
  const filter = scanMatchFilter(['.*(', 'cafe'], ids, before, oldest);
  t.same(filter, {
    conversationId: { $in: ids },
    _id: { $lt: before, $gte: oldest },
    deletedAt: null,
    $and: [{ body: { $regex: '\\.\\*\\(', $options: 'i' } }, { body: { $regex: wordPattern('cafe'), $options: 'i' } }],
  });
  t.same(scanMatchFilter(['ab'], ids, undefined, undefined)._id, undefined, 'no window, no cursor: no bound');
  t.same(batches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
});
