import { createRedisLock } from '@ashchat/service-kit';
import type { Redis } from 'ioredis';
import { SagaConflictError } from './saga.errors.js';

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
 * Serialises all writes to one saga document across instances (`writeLock: 'redis'`).
 *
 * For servers whose single-document updates are not atomic: FerretDB 1.x applies `updateOne` as
 * read-modify-write of the whole document without isolation, so a `{ _id, version }` filter can
 * match for several writers (verified against 1.24.2). There every saga write also holds this short
 * Redis lock (SET NX PX + compare-and-delete); OCC stays as the second line of defence if a lock
 * ever expires while held. On MongoDB OCC alone is enough (`writeLock: 'none'`).
 */
export function createSagaLock(redis: Redis, o: SagaLockOptions): WithSagaLock {
  const withLock = createRedisLock(redis, {
    ttlMs: o.ttlMs,
    waitMs: o.waitMs,
    onTimeout: (key) => new SagaConflictError(key.slice(`${o.keyPrefix}:${o.machine}:`.length), `write lock not obtained within ${o.waitMs} ms`),
  });
  return (sagaId, fn) => withLock(`${o.keyPrefix}:${o.machine}:${sagaId}`, fn);
}

/** `writeLock: 'none'`: OCC alone (servers with atomic single-document updates). */
export const noSagaLock: WithSagaLock = (_sagaId, fn) => fn();
