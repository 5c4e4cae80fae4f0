import { normalizePassword } from './password.hasher.js';

/**
 * Which rule refused a password (the `details.reason` of a 400 WEAK_PASSWORD):
 * - `whitespace`: nothing but white space;
 * - `one-character`: one character repeated (`aaaaaaaaaa`, by code point or by grapheme, so a
 *   repeated emoji or accented letter counts as one);
 * - `email`: the account's e-mail address, or its local part (before the `@`);
 * - `common`: on the list of the most common passwords.
 */
export type WeakPasswordReason = 'whitespace' | 'one-character' | 'email' | 'common';

export type PasswordVerdict = { ok: true } | { ok: false; reason: WeakPasswordReason };

/**
 * The rule every path that sets a password applies (registration now; a password change or reset
 * later). Only obviously weak passwords are refused: the length bounds stay the contract's, and
 * sign-in never applies it, so an old weak password still signs in and reveals nothing.
 */
export interface PasswordPolicy {
  check(password: string, email: string): PasswordVerdict;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function isOneCharacterRepeated(password: string): boolean {
  if (new Set(password).size <= 1) return true;
  const clusters = new Set<string>();
  for (const { segment } of graphemes.segment(password)) {
    clusters.add(segment);
    if (clusters.size > 1) return false;
  }
  return true;
}

/**
 * The form compared with the e-mail address and the list: NFC (as hashed), without surrounding
 * white space, lower-case — `QwertyUIOP ` is as guessable as `qwertyuiop`.
 */
const folded = (password: string): string => password.trim().toLowerCase();

/** `commonPasswords`: lower-case NFC entries (see common-passwords.ts). Pure: no I/O, no clock. */
export function createPasswordPolicy(commonPasswords: ReadonlySet<string>): PasswordPolicy {
  return {
    check(password, email) {
      const normalized = normalizePassword(password);
      if (/^\s*$/u.test(normalized)) return { ok: false, reason: 'whitespace' };
      if (isOneCharacterRepeated(normalized)) return { ok: false, reason: 'one-character' };
      const candidate = folded(normalized);
      // The local part is refused whatever its length: it is the first guess of anyone who knows the
      // address, and a password shorter than the contract's minimum never gets this far anyway.
      const address = email.normalize('NFC').trim().toLowerCase();
      const at = address.lastIndexOf('@');
      const localPart = at > 0 ? address.slice(0, at) : address;
      if (candidate === address || candidate === localPart) return { ok: false, reason: 'email' };
      if (commonPasswords.has(candidate)) return { ok: false, reason: 'common' };
      return { ok: true };
    },
  };
}
