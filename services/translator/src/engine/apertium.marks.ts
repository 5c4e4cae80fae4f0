/**
 * Apertium prefixes a word it could not inflect with `#` (`la #canal`), even with markUnknown=no:
 * an engine diagnostic, not text. Drop those marks, but keep a `#word` the writer typed (a hashtag
 * passes through Apertium unchanged, so it is in the source as it is in the output).
 */
export function withoutGenerationMarks(source: string, translated: string): string {
  if (!translated.includes('#')) return translated;
  const typed = new Set(source.match(/#[\p{L}\p{N}_-]+/gu) ?? []);
  return translated.replace(/#[\p{L}][\p{L}\p{N}_-]*/gu, (word) => (typed.has(word) ? word : word.slice(1)));
}
