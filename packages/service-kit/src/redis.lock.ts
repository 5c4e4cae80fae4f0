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
 *
 * Callers in this process queue per key in memory first (FIFO), so only a holder in another
 * instance is waited for by polling Redis. Without it, a busy key (one conversation's positions)
 * had its own process' batches polling each other with a 5–100 ms back-off: sends in one room
 * queued for hundreds of milliseconds. The queue wait counts against `waitMs` like the polling.
 */
export function createRedisLock(redis: Redis, o: RedisLockOptions): WithRedisLock {
  const queues = new Map<string, Promise<void>>();

  async function acquireAndRun<T>(key: string, fn: () => Promise<T>, giveUpAt: number): Promise<T> {
    const token = randomBytes(12).toString('hex');
    let delay = 5;
    while ((await redis.set(key, token, 'PX', o.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > giveUpAt) throw o.onTimeout(key);
      // Back-off with jitter: waiting for another instance's short critical section, not polling state.
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 100);
    }
    try {
      return await fn();
    } finally {
      await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }

  /** Resolves when `ahead` does, or rejects with onTimeout at `giveUpAt` (a holder that hangs here is bounded like one elsewhere). */
  async function waitInQueue(key: string, ahead: Promise<void>, giveUpAt: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), Math.max(0, giveUpAt - Date.now()));
    });
    const outcome = await Promise.race([ahead.then(() => 'turn' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') throw o.onTimeout(key);
  }

  return async function withRedisLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const giveUpAt = Date.now() + o.waitMs;
    const ahead = queues.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = (ahead ?? Promise.resolve()).then(() => mine);
    queues.set(key, tail);
    try {
      if (ahead) await waitInQueue(key, ahead, giveUpAt);
      return await acquireAndRun(key, fn, giveUpAt);
    } finally {
      done();
      if (queues.get(key) === tail) queues.delete(key);
    }
  };
}
