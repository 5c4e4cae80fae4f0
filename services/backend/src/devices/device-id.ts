import { createHash } from 'node:crypto';

/**
 * The only form in which a client's own device id is kept: sha256, base64url. The id works like a
 * credential (it skips the mailed code), so a leaked database must not hand it out.
 */
export function hashClientDeviceId(clientDeviceId: string): string {
  return createHash('sha256').update(clientDeviceId).digest('base64url');
}
