import { createRedisLock } from '@ashchat/service-kit';
import type { Redis } from 'ioredis';
import type { ErrorCode } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { DatabaseCapabilities } from './database.capabilities.js';

export interface WriteLockOptions {
  /** Names the guarded resource in the key: `<keyPrefix>:<id>`. */
  keyPrefix: string;
  /** Upper bound of one critical section (read → conditional write). */
  ttlMs: number;
  /** How long a writer waits for the lock before it is refused with `busy`. */
  waitMs: number;
  /** The refusal when the lock is not obtained in time (with Retry-After: 1). */
  busy: ErrorCode;
}

export type WithWriteLock = <T>(id: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Serialises the writes to one document across instances where the server's conditional updates
 * are not atomic (`capabilities.writeLock`, decided and explained in database.capabilities.ts):
 * a Redis lock per id there, nothing at all where the conditional update is the guard.
 */
export function createWriteLock(redis: Redis, capabilities: Pick<DatabaseCapabilities, 'writeLock'>, o: WriteLockOptions): WithWriteLock {
  if (capabilities.writeLock === 'none') return (_id, fn) => fn();
  const withLock = createRedisLock(redis, { ttlMs: o.ttlMs, waitMs: o.waitMs, onTimeout: () => new AppError(o.busy, { headers: { 'retry-after': '1' } }) });
  return (id, fn) => withLock(`${o.keyPrefix}:${id}`, fn);
}
