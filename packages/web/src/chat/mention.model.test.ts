import t from 'tap';
import { applyMention, mentionCandidates, mentionQuery, splitMentions } from './mention.model.js';

t.test('mentionQuery: the @word at the caret', async (t) => {
  t.same(mentionQuery('hi @bo', 6), { at: 3, query: 'bo' });
  t.same(mentionQuery('@', 1), { at: 0, query: '' });
  t.same(mentionQuery('@Ada Lo', 7), { at: 0, query: 'Ada Lo' }, 'nicknames may have spaces');
  t.equal(mentionQuery('mail ada@example', 16), null, 'not inside a word (an address)');
  t.equal(mentionQuery('hi there', 8), null);
  t.equal(mentionQuery('@bob\nnext', 9), null, 'not across lines');
  t.equal(mentionQuery('@ bob', 5), null, 'not after a space right behind the @');
});

t.test('mentionCandidates: members but me, by prefix as the server folds', async (t) => {
  const nicknames = { a: 'Ada Lovelace', b: 'Bob', c: 'bobby', me: 'Bo Me' };
  t.same(mentionCandidates('bo', ['a', 'b', 'c', 'me', 'unknown'], nicknames, 'me'), [
    { id: 'b', nickname: 'Bob' },
    { id: 'c', nickname: 'bobby' },
  ]);
  t.same(mentionCandidates('ＡＤＡ', ['a', 'b'], nicknames, 'me'), [{ id: 'a', nickname: 'Ada Lovelace' }], 'full-width and case fold');
  t.same(mentionCandidates('', ['a', 'b', 'c'], nicknames, null, 2).length, 2, 'at most max');
});

t.test('applyMention puts the nickname and a space in place of the query', async (t) => {
  t.same(applyMention('hi @bo and', 3, 6, 'Bob'), { text: 'hi @Bob  and', caret: 8 });
});

t.test('splitMentions marks @nickname of me only at a word end', async (t) => {
  t.same(splitMentions('hey @bob and @Bobby, @BOB!', 'Bob'), [
    { text: 'hey ', mention: false },
    { text: '@bob', mention: true },
    { text: ' and @Bobby, ', mention: false },
    { text: '@BOB', mention: true },
    { text: '!', mention: false },
  ]);
  t.same(splitMentions('plain', undefined), [{ text: 'plain', mention: false }]);
});
