import { randomBytes } from 'node:crypto';
import { freePort } from './process.util.js';

/** `prefix` + random suffix: unique DB, queue and key names so parallel test files never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}${prefix && !/[-_.:]$/.test(prefix) ? '-' : ''}${randomBytes(6).toString('hex')}`;
}

/** A random 32-byte hex string usable as VERIFICATION_CODE_SECRET. */
export function testSecret(): string {
  return randomBytes(32).toString('hex');
}

/** A port nothing listens on (bound once, then released): the address of an unreachable dependency. */
export function closedPort(): Promise<number> {
  return freePort();
}
