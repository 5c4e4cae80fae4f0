import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { SagaConflictError } from './saga.errors.js';

/** Deletes the lock only if we still own it (a lock that expired and was re-taken is not ours). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface SagaLockOptions {
  keyPrefix: string;
  machine: string;
  /** Upper bound for one critical section (load → transition → update). */
  ttlMs: number;
  /** How long a writer waits for the lock before giving up with SagaConflictError. */
  waitMs: number;
}

export type WithSagaLock = <T>(sagaId: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Serialises all writes to one saga document across instances.
 *
 * Why: FerretDB 1.x on SQLite applies `updateOne` as read-modify-write of the whole document without
 * isolation — concurrent updates overwrite each other and a `{ _id, version }` filter can match for
 * several writers (verified against 1.24.2). OCC alone is only sufficient on real MongoDB, so every
 * saga write also holds this short Redis lock (SET NX PX + compare-and-delete). OCC stays as the
 * second line of defence if a lock ever expires while held.
 */
export function createSagaLock(redis: Redis, o: SagaLockOptions): WithSagaLock {
  return async function withSagaLock<T>(sagaId: string, fn: () => Promise<T>): Promise<T> {
    const key = `${o.keyPrefix}:${o.machine}:${sagaId}`;
    const token = randomBytes(12).toString('hex');
    const giveUpAt = Date.now() + o.waitMs;
    let delay = 5;
    while ((await redis.set(key, token, 'PX', o.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > giveUpAt) throw new SagaConflictError(sagaId, `write lock not obtained within ${o.waitMs} ms`);
      // Back-off with jitter: waiting for another writer's short critical section, not polling state.
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

/** For deployments on real MongoDB that rely on OCC alone. */
export const noSagaLock: WithSagaLock = (_sagaId, fn) => fn();
