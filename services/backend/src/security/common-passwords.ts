import { readFileSync } from 'node:fs';

/**
 * The list shipped in services/backend/data/common-passwords.txt (where it comes from is said in
 * its header). The path is relative to this module, the same from src/ (tests, tsx) and dist/.
 */
export const COMMON_PASSWORDS_FILE = new URL('../../data/common-passwords.txt', import.meta.url);

/** Parses the list: one password a line, `#` comment lines and blank lines skipped, lower-case NFC. */
export function parseCommonPasswords(text: string): Set<string> {
  const passwords = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const entry = line.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    passwords.add(entry.normalize('NFC').toLowerCase());
  }
  return passwords;
}

let shipped: ReadonlySet<string> | undefined;

/** The shipped list, read once (synchronously, at start-up: about 13 kB). */
export function commonPasswords(): ReadonlySet<string> {
  return (shipped ??= parseCommonPasswords(readFileSync(COMMON_PASSWORDS_FILE, 'utf8')));
}
