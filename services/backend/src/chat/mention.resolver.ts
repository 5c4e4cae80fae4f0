import { normalizeNickname } from '../users/nickname.js';

/*
 * `@nickname` → the members it names. Nicknames may contain spaces ("Ada Lovelace") and need not be
 * unique, so the body is not split into words: at each `@` that starts a word, the longest member
 * nickname that follows it (compared as nicknames are searched: NFKC, lower case) and ends at a word
 * boundary names every member with that nickname. Only the conversation's members can be named.
 */

const WORD_BEFORE = /[\p{L}\p{N}\p{M}_]$/u;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}_]/u;

/** The ids of the members named in `body`, each once, in order of first mention. */
export function findMentions(body: string, nicknames: ReadonlyMap<string, string>): string[] {
  if (!body.includes('@') && !body.includes('＠')) return [];
  const byNickname = new Map<string, string[]>();
  for (const [id, nickname] of nicknames) {
    const key = normalizeNickname(nickname);
    byNickname.set(key, [...(byNickname.get(key) ?? []), id]);
  }
  const candidates = [...byNickname.keys()].sort((a, b) => b.length - a.length);
  const text = normalizeNickname(body);
  const found = new Set<string>();
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    // `ada@example.org` is an address, not a mention.
    if (WORD_BEFORE.test(text.slice(Math.max(0, at - 2), at))) continue;
    const name = candidates.find((n) => text.startsWith(n, at + 1) && !WORD_CHAR.test(text.slice(at + 1 + n.length, at + 3 + n.length)));
    if (name !== undefined) for (const id of byNickname.get(name) ?? []) found.add(id);
  }
  return [...found];
}
