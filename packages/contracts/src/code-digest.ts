import { createHmac } from 'node:crypto';

/**
 * The only form in which a verification code leaves the user's request: a keyed digest bound to
 * the registration, so neither the queue nor Redis holds anything a reader could brute-force
 * (a bare hash of a 6-digit code could be reversed in a second).
 */
export function codeDigest(secret: string, flowId: string, code: string): string {
  return createHmac('sha256', secret).update(`${flowId}:${code}`).digest('hex');
}

/**
 * The token of a device challenge's "this was not me" link (base64url, 43 characters). It can only
 * refuse the challenge it names, never grant anything: the verifier puts it in the mail, the backend
 * recomputes it, so it never travels through a queue or rests anywhere.
 */
export function challengeDenialToken(secret: string, challengeId: string): string {
  return createHmac('sha256', secret).update(`deny-device:${challengeId}`).digest('base64url');
}
