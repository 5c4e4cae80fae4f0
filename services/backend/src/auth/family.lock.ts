import { createRedisLock } from '@ashchat/service-kit';
import type { Redis } from 'ioredis';
import type { ErrorCode } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';

export interface FamilyLockOptions {
  /** Upper bound of one critical section (read token → write tokens). */
  ttlMs: number;
  /** How long a writer waits for the lock before answering SESSION_BUSY. */
  waitMs: number;
  keyPrefix?: string;
  /** The refusal when the lock is not obtained in time. Default SESSION_BUSY. */
  busy?: ErrorCode;
}

export type WithFamilyLock = <T>(familyId: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Serialises every write to one session family across instances. FerretDB applies updateOne as an
 * unisolated read-modify-write, so a conditional update (`{ _id, status: 'active' }`) can match for
 * two concurrent refreshes of the same token; the lock makes "read the token, then rotate it" one
 * step (service-kit's Redis lock, as the saga uses). Also serialises profile
 * changes per user (another prefix), for the same reason.
 */
export function createFamilyLock(redis: Redis, o: FamilyLockOptions): WithFamilyLock {
  const prefix = o.keyPrefix ?? 'session-family-lock';
  const withLock = createRedisLock(redis, { ttlMs: o.ttlMs, waitMs: o.waitMs, onTimeout: () => new AppError(o.busy ?? 'SESSION_BUSY', { headers: { 'retry-after': '1' } }) });
  return (familyId, fn) => withLock(`${prefix}:${familyId}`, fn);
}
