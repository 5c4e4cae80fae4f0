import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Deletes the lock only if we still own it (a lock that expired and was re-taken is not ours). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisLockOptions {
  /** Upper bound of one critical section: the lock expires by itself after it. */
  ttlMs: number;
  /** How long a caller waits for the lock. */
  waitMs: number;
  /** The error thrown when the lock was not obtained within `waitMs`. */
  onTimeout: (key: string) => Error;
}

export type WithRedisLock = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/**
 * A short mutual-exclusion section across instances: SET NX PX with a random token, released by
 * compare-and-delete. Used where the MongoDB-protocol server cannot be trusted with a conditional
 * update (FerretDB applies updateOne as an unisolated read-modify-write). Single-node Redis only.
 */
export function createRedisLock(redis: Redis, o: RedisLockOptions): WithRedisLock {
  return async function withRedisLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const token = randomBytes(12).toString('hex');
    const giveUpAt = Date.now() + o.waitMs;
    let delay = 5;
    while ((await redis.set(key, token, 'PX', o.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > giveUpAt) throw o.onTimeout(key);
      // Back-off with jitter: waiting for another holder's short critical section, not polling state.
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
