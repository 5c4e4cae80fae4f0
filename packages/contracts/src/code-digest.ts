import { createHmac } from 'node:crypto';

/**
 * The only form in which a verification code leaves the user's request: a keyed digest bound to
 * the registration, so neither the queue nor Redis holds anything a reader could brute-force
 * (a bare hash of a 6-digit code could be reversed in a second).
 */
export function codeDigest(secret: string, registrationId: string, code: string): string {
  return createHmac('sha256', secret).update(`${registrationId}:${code}`).digest('hex');
}
