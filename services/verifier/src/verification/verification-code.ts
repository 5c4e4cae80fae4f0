import { randomBytes, randomInt } from 'node:crypto';

/** Digits in a verification code. */
export const CODE_LENGTH = 6;
const CODE_SPACE = 10 ** CODE_LENGTH;
// Largest multiple of CODE_SPACE below 2^32: values at or above it are rejected so that every
// code stays equally likely (a plain modulo would favour the low codes).
const UNBIASED_LIMIT = Math.floor(2 ** 32 / CODE_SPACE) * CODE_SPACE;

/** Source of cryptographically secure random bytes; injectable for tests. */
export type RandomBytes = (n: number) => Buffer;

/**
 * A uniformly distributed 6-digit code, zero-padded. Without `random` it uses Node's CSPRNG
 * (`crypto.randomInt`); with `random` it draws 32-bit words from it with rejection sampling.
 */
export function generateVerificationCode(random?: RandomBytes): string {
  return String(random ? uniformBelowSpace(random) : randomInt(0, CODE_SPACE)).padStart(CODE_LENGTH, '0');
}

function uniformBelowSpace(random: RandomBytes): number {
  // The loop ends with probability 1; the expected number of draws is ~1.0002.
  for (;;) {
    const word = random(4).readUInt32BE(0);
    if (word < UNBIASED_LIMIT) return word % CODE_SPACE;
  }
}

/**
 * A digest no code can produce: stored when no code was sent (the account already exists), so
 * that confirm attempts behave exactly as for a wrong code (invalid, then locked).
 */
export function unguessableDigest(random: RandomBytes = randomBytes): string {
  return random(32).toString('hex');
}
