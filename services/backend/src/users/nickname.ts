/**
 * The form in which nicknames are searched: compatibility-folded (NFKC, so full-width and other
 * look-alike forms match their plain letters) and lower-cased.
 */
export function normalizeNickname(nickname: string): string {
  return nickname.normalize('NFKC').toLowerCase();
}

/** `text` as a regular expression that matches it literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
