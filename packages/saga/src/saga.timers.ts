import type { Redis } from 'ioredis';
import type { SagaTimers } from './saga.kit.js';
import type { Logger } from './saga.types.js';

export const DEFAULT_TIMER_KEY_PREFIX = 'saga-timer';

export interface TimerKeyParts {
  sagaId: string;
  timer: string;
  token: string;
}

/**
 * Shadow keys carry everything the expiry handler needs in their NAME (the expired event only
 * delivers the name): `saga-timer:<machine>:<sagaId>:<timer>:<token>`. No data is stored in them.
 */
export function createTimerKeys(prefix: string, machine: string, timerNames: readonly string[]) {
  const head = `${prefix}:${machine}:`;
  const known = new Set(timerNames);
  return {
    key: (sagaId: string, timer: string, token: string): string => `${head}${sagaId}:${timer}:${token}`,
    /** null for keys of other machines/apps or malformed ones. */
    parse(key: string): TimerKeyParts | null {
      if (!key.startsWith(head)) return null;
      const parts = key.slice(head.length).split(':');
      if (parts.length < 3) return null;
      const token = parts.pop()!;
      const timer = parts.pop()!;
      const sagaId = parts.join(':');
      if (!sagaId || !token || !known.has(timer)) return null;
      return { sagaId, timer, token };
    },
  };
}
export type TimerKeys = ReturnType<typeof createTimerKeys>;

/** setTimeout's ceiling; later deadlines are left to Redis and the sweep. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Redis removes expired keys lazily or by sampling, so with many volatile keys an expired timer key
 * can go unnoticed, and its event unsent, for tens of seconds (seen in our own test runs). The
 * instance that armed a timer reads its key just after the deadline: the read makes Redis expire the
 * key then and publish the event to every instance. Only a hint: if this instance is gone, Redis' own
 * expiry or the sweep still fire the timer.
 */
export function createExpiryNudger(redis: Redis, clock: () => number, maxPending = 100_000) {
  const pending = new Map<string, NodeJS.Timeout>();
  return {
    schedule(key: string, at: number): void {
      const delay = Math.max(0, at - clock()) + 5;
      if (pending.size >= maxPending || pending.has(key) || delay > MAX_TIMEOUT_MS) return;
      const handle = setTimeout(() => {
        pending.delete(key);
        redis.exists(key).catch(() => undefined);
      }, delay);
      handle.unref();
      pending.set(key, handle);
    },
    cancel(key: string): void {
      clearTimeout(pending.get(key));
      pending.delete(key);
    },
    close(): void {
      for (const handle of pending.values()) clearTimeout(handle);
      pending.clear();
    },
  };
}
export type ExpiryNudger = ReturnType<typeof createExpiryNudger>;

/**
 * Mirrors the machine's timers into Redis after a transition was persisted: new or re-armed timers
 * get a fresh key with `PX`, disarmed or replaced ones are deleted (best effort — a leftover key
 * only produces a stale event the machine ignores). Never throws: the sweep is the guarantee.
 */
export async function syncTimers(
  redis: Redis,
  keys: TimerKeys,
  sagaId: string,
  prev: SagaTimers,
  next: SagaTimers,
  now: number,
  logger: Logger,
  nudger?: ExpiryNudger,
): Promise<void> {
  const pipeline = redis.pipeline();
  let ops = 0;
  for (const [name, t] of Object.entries(next)) {
    if (prev[name]?.token === t.token) continue;
    const key = keys.key(sagaId, name, t.token);
    pipeline.set(key, '1', 'PX', Math.max(1, Math.ceil(t.at - now)));
    nudger?.schedule(key, t.at);
    ops += 1;
  }
  for (const [name, t] of Object.entries(prev)) {
    if (next[name]?.token === t.token) continue;
    const key = keys.key(sagaId, name, t.token);
    pipeline.del(key);
    nudger?.cancel(key);
    ops += 1;
  }
  if (ops === 0) return;
  try {
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) logger.warn({ sagaId, err: String(failed[0]) }, 'saga timer key not written; the sweep will fire it');
  } catch (err) {
    logger.warn({ sagaId, err: String(err) }, 'saga timer keys not written; the sweep will fire them');
  }
}

/**
 * Expired events are off by default. Adds `E` and `x` to whatever flags are already set (other
 * components may rely on theirs). Managed Redis often forbids CONFIG: warn, the sweep still works.
 */
export async function ensureExpiredEvents(redis: Redis, logger: Logger): Promise<boolean> {
  try {
    const reply = (await redis.config('GET', 'notify-keyspace-events')) as string[];
    const flags = reply[1] ?? '';
    const hasExpired = flags.includes('x') || flags.includes('A');
    if (flags.includes('E') && hasExpired) return true;
    const merged = [...new Set(`${flags}E${hasExpired ? '' : 'x'}`.split(''))].join('');
    await redis.config('SET', 'notify-keyspace-events', merged);
    logger.info({ flags: merged }, 'enabled Redis expired-key events for saga timers');
    return true;
  } catch (err) {
    logger.warn(
      { err: String(err) },
      'could not enable notify-keyspace-events Ex; saga timers fire only through the sweep (set it in redis.conf)',
    );
    return false;
  }
}

/**
 * Listens for expired keys on a DEDICATED subscriber connection (a subscribed ioredis client cannot
 * run other commands). Events are hints: lost while disconnected, seen by every instance.
 */
export async function listenForExpiries(
  subscriber: Redis,
  db: number,
  keyPrefix: string,
  onKey: (key: string) => void,
): Promise<() => Promise<void>> {
  const channel = `__keyevent@${db}__:expired`;
  const listener = (ch: string, key: string): void => {
    if (ch !== channel) return;
    onKey(key.startsWith(keyPrefix) ? key.slice(keyPrefix.length) : key);
  };
  subscriber.on('message', listener);
  await subscriber.subscribe(channel);
  return async () => {
    subscriber.off('message', listener);
    await subscriber.unsubscribe(channel).catch(() => undefined);
  };
}
