import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ErrorCode } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';

/** Deletes the lock only if we still own it (a lock that expired and was re-taken is not ours). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

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
 * step. Same pattern as the saga lock (SET NX PX + compare-and-delete). Also serialises profile
 * changes per user (another prefix), for the same reason.
 */
export function createFamilyLock(redis: Redis, o: FamilyLockOptions): WithFamilyLock {
  const prefix = o.keyPrefix ?? 'session-family-lock';
  return async function withFamilyLock<T>(familyId: string, fn: () => Promise<T>): Promise<T> {
    const key = `${prefix}:${familyId}`;
    const token = randomBytes(12).toString('hex');
    const giveUpAt = Date.now() + o.waitMs;
    let delay = 5;
    while ((await redis.set(key, token, 'PX', o.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > giveUpAt) throw new AppError(o.busy ?? 'SESSION_BUSY');
      // Back-off with jitter: waiting for another writer's short critical section.
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 100);
    }
    try {
      return await fn();
    } finally {
      await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  };
}
