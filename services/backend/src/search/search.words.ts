import { SEARCH_WORD_MIN_LENGTH, type SearchSnippet } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';

/**
 * The words of a search query, and how each one is matched where the server has no text index:
 * one case- and accent-insensitive regular expression per word, built only from escaped literals
 * and character classes (the same source runs on FerretDB's Go regexp, MongoDB's PCRE and in JS).
 */

/** More words add nothing a user notices, and each is one more regex per scanned message. */
export const MAX_SEARCH_WORDS = 12;

/** Lower case, accents removed (é → e, Å → a): the form words are compared in. */
export const fold = (text: string): string => text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');

/**
 * Every accented Latin letter by the letter it folds to ('e' → 'éèêëēė…' and their capitals), so a
 * word folded to plain letters still finds the accented spellings in stored text.
 */
const VARIANTS: ReadonlyMap<string, string> = (() => {
  const byBase = new Map<string, Set<string>>();
  const ranges: [number, number][] = [
    [0x00c0, 0x024f], // Latin-1 Supplement, Latin Extended-A and -B
    [0x1e00, 0x1eff], // Latin Extended Additional (Vietnamese and others)
  ];
  for (const [from, to] of ranges) {
    for (let cp = from; cp <= to; cp++) {
      const ch = String.fromCodePoint(cp);
      const base = fold(ch);
      if (!/^[a-z]$/.test(base) || ch.toLowerCase() === base) continue;
      const set = byBase.get(base) ?? new Set<string>();
      set.add(ch);
      byBase.set(base, set);
    }
  }
  return new Map([...byBase].map(([base, set]) => [base, [...set].join('')]));
})();

// Only the syntax characters: JS's unicode mode refuses escapes of anything else (`\-` outside a class).
const escapeLiteral = (ch: string): string => (/[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch);
const escapeInClass = (ch: string): string => (/[\\\]^[-]/.test(ch) ? `\\${ch}` : ch);

/** One folded character as a regex: itself, its capital and its accented forms. */
function charPattern(ch: string): string {
  const forms = new Set<string>([ch]);
  const upper = ch.toUpperCase();
  if ([...upper].length === 1) forms.add(upper);
  for (const v of VARIANTS.get(ch) ?? '') forms.add(v);
  if (forms.size === 1) return escapeLiteral(ch);
  return `[${[...forms].map(escapeInClass).join('')}]`;
}

/** A folded word as a regex source that matches it anywhere, whatever the case and accents. */
export const wordPattern = (word: string): string => [...word].map(charPattern).join('');

/**
 * The distinct folded words of a query (split at whitespace; words of one character dropped).
 * INVALID_SEARCH_QUERY when no word is left.
 */
export function searchWords(q: string): string[] {
  const words = [...new Set(fold(q).split(/\s+/u))].filter((w) => [...w].length >= SEARCH_WORD_MIN_LENGTH);
  if (words.length === 0) throw new AppError('INVALID_SEARCH_QUERY');
  return words.slice(0, MAX_SEARCH_WORDS);
}

/** Text shown around the first match, and how much of it at most. */
const BEFORE = 40;
const WINDOW = 160;

/** Moves a cut off the second half of a surrogate pair. */
function safeCut(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return index > 0 && index < text.length && code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

/**
 * A short part of `body` around the first word found, with every found word marked. Matching runs
 * on the body as stored; a match the server made some other way (a text index's word stems) gives
 * the start of the body without marks.
 */
export function snippetOf(body: string, words: readonly string[]): SearchSnippet {
  const ranges: { start: number; end: number }[] = [];
  for (const word of words) {
    for (const m of body.matchAll(new RegExp(wordPattern(word), 'gu'))) ranges.push({ start: m.index, end: m.index + m[0].length });
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const first = ranges[0]?.start ?? 0;
  const from = safeCut(body, Math.max(0, first - BEFORE));
  const to = safeCut(body, Math.min(body.length, from + WINDOW));
  const prefix = from > 0 ? '…' : '';
  const text = `${prefix}${body.slice(from, to)}${to < body.length ? '…' : ''}`;
  const highlights: { start: number; end: number }[] = [];
  for (const r of ranges) {
    const start = Math.max(r.start, from);
    const end = Math.min(r.end, to);
    if (end <= start) continue;
    const last = highlights.at(-1);
    const shifted = { start: start - from + prefix.length, end: end - from + prefix.length };
    if (last && shifted.start <= last.end) last.end = Math.max(last.end, shifted.end);
    else highlights.push(shifted);
  }
  return { text, highlights };
}
