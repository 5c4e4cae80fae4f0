import t from 'tap';
import { findMentions } from './mention.resolver.js';

const members = new Map([
  ['ada', 'Ada'],
  ['ada-l', 'Ada Lovelace'],
  ['bob', 'Bob'],
  ['bob-2', 'bob'],
  ['zoe', 'Zoë'],
]);

t.test('findMentions', async (t) => {
  t.same(findMentions('no mention here', members), []);
  t.same(findMentions('@Ada', members), ['ada']);
  t.same(findMentions('@Ada Lovelace, hello', members), ['ada-l'], 'the longest nickname wins');
  t.same(findMentions('@Ada Lovelaces', members), ['ada'], 'a longer word is not the longer nickname');
  t.same(findMentions('@Adam', members), [], 'a nickname must end at a word boundary');
  t.same(findMentions('@bob', members), ['bob', 'bob-2'], 'a shared nickname names all who have it');
  t.same(findMentions('@Bob @BOB @bob', members), ['bob', 'bob-2'], 'each once');
  t.same(findMentions('mail ada@example.org', members), [], 'an address is no mention');
  t.same(findMentions('(@zoë)', members), ['zoe'], 'punctuation around, any script, lower-cased');
  t.same(findMentions('＠Ａｄａ!', members), ['ada'], 'full-width forms fold (NFKC)');
  t.same(findMentions('@', members), []);
  t.same(findMentions('@Eve', members), [], 'only members');
});
