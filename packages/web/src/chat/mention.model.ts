/** Pure logic of `@` mentions in the composer: the word being typed, the members it may name, and the text once one is chosen. */

/** The `@…` being typed at the caret: where its `@` is and what follows it; null when the caret is not in one. */
export function mentionQuery(text: string, caret: number): { at: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at === -1) return null;
  // `@` starts a mention only at the start or after a space (not in an e-mail address).
  if (at > 0 && !/\s/.test(before[at - 1] ?? '')) return null;
  const query = before.slice(at + 1);
  // Nicknames are one line of at most 32 characters (spaces inside allowed).
  if (query.length > 32 || /[\n\r]/.test(query) || /^\s/.test(query)) return null;
  return { at, query };
}

const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

/** Members (not me) whose nickname starts with the query (as the server compares them), by nickname, at most `max`. */
export function mentionCandidates(
  query: string,
  members: readonly string[],
  nicknames: Readonly<Record<string, string>>,
  me: string | null,
  max = 8,
): { id: string; nickname: string }[] {
  const q = fold(query);
  return members
    .filter((id) => id !== me)
    .flatMap((id) => {
      const nickname = nicknames[id];
      return nickname !== undefined && fold(nickname).startsWith(q) ? [{ id, nickname }] : [];
    })
    .sort((a, b) => a.nickname.localeCompare(b.nickname))
    .slice(0, max);
}

/** The text with the `@query` at `at` replaced by `@nickname ` and where the caret goes. */
export function applyMention(text: string, at: number, caret: number, nickname: string): { text: string; caret: number } {
  const inserted = `@${nickname} `;
  return { text: text.slice(0, at) + inserted + text.slice(caret), caret: at + inserted.length };
}

/** The body split into plain text and `@nickname` parts that name `nickname` (for highlighting mentions of me). */
export function splitMentions(body: string, nickname: string | undefined): { text: string; mention: boolean }[] {
  if (!nickname) return [{ text: body, mention: false }];
  const needle = `@${fold(nickname)}`;
  const folded = fold(body);
  // NFKC may change lengths: only highlight when folding kept the positions.
  if (folded.length !== body.length) return [{ text: body, mention: false }];
  const parts: { text: string; mention: boolean }[] = [];
  let from = 0;
  for (let i = folded.indexOf(needle); i !== -1; i = folded.indexOf(needle, i + needle.length)) {
    const end = i + needle.length;
    if (/[\p{L}\p{N}_]/u.test(folded[end] ?? '')) continue;
    if (i > from) parts.push({ text: body.slice(from, i), mention: false });
    parts.push({ text: body.slice(i, end), mention: true });
    from = end;
  }
  if (from < body.length) parts.push({ text: body.slice(from), mention: false });
  return parts;
}
