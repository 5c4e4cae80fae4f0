import type { UserEvent, UserEventBus } from './user-events.bus.js';

export interface UserScopedCacheOptions<V> {
  bus: Pick<UserEventBus, 'watch' | 'onGap'>;
  /** Whether an event on the user's channel makes the user's cached values stale. */
  invalidatedBy: (event: UserEvent, userId: string) => boolean;
  /** Upper bound on a value's age, for the one case events cannot cover: a publish that failed. 0 turns the cache off. */
  ttlMs: number;
  /** Budget over all users, in the units of `sizeOf`; the least recently used users go first. */
  maxSize: number;
  /** Users watched at most (each holds a channel subscription, even while it has no value). */
  maxUsers: number;
  sizeOf?: (value: V) => number;
  now?: () => number;
}

export interface UserScopedCache<V> {
  /**
   * The cached value of (user, key), else `compute()`'s, which is kept only if nothing made the
   * user's values stale while it ran.
   */
  get(userId: string, key: string, compute: () => Promise<V>): Promise<V>;
  /** Drops the user's values here at once (a write on this instance; the bus tells the others). */
  invalidate(userId: string): void;
  readonly stats: { hits: number; misses: number; users: number; size: number };
  close(): void;
}

interface UserEntry<V> {
  values: Map<string, { value: V; expiresAt: number; size: number }>;
  /** Bumped by each invalidation: a compute that started before one must not store its result. */
  generation: number;
  watching: Promise<void> | undefined;
  unwatch: (() => void) | undefined;
  evicted: boolean;
}

/**
 * A per-instance read cache whose entries are dropped by the events that change them, from any
 * instance. It subscribes to the user's channel before computing, so an event about a write the
 * computation did not see arrives after the subscription and drops the value; an event arriving
 * while it computes stops the value from being stored at all. When the bus reports a gap
 * (subscriber reconnect), everything goes, since invalidations may have been lost.
 */
export function createUserScopedCache<V>(o: UserScopedCacheOptions<V>): UserScopedCache<V> {
  const now = o.now ?? Date.now;
  const sizeOf = o.sizeOf ?? (() => 1);
  // Map order is recency order: a hit moves the user to the end, eviction takes from the front.
  const users = new Map<string, UserEntry<V>>();
  const stats = { hits: 0, misses: 0, users: 0, size: 0 };
  let epoch = 0;

  function dropValues(entry: UserEntry<V>): void {
    for (const v of entry.values.values()) stats.size -= v.size;
    entry.values.clear();
  }
  function evict(userId: string, entry: UserEntry<V>): void {
    dropValues(entry);
    entry.evicted = true;
    entry.generation += 1;
    entry.unwatch?.();
    users.delete(userId);
    stats.users = users.size;
  }
  function invalidate(userId: string): void {
    const entry = users.get(userId);
    if (!entry) return;
    entry.generation += 1;
    dropValues(entry);
  }
  function trim(): void {
    for (const [userId, entry] of users) {
      if (stats.size <= o.maxSize && users.size <= o.maxUsers) return;
      evict(userId, entry);
    }
  }
  const stopGap = o.bus.onGap(() => {
    epoch += 1;
    for (const [userId, entry] of users) evict(userId, entry);
  });

  function watch(userId: string, entry: UserEntry<V>): Promise<void> {
    entry.watching ??= o.bus
      .watch(userId, (event) => {
        if (o.invalidatedBy(event, userId)) invalidate(userId);
      })
      .then(
        (unwatch) => {
          if (entry.evicted) unwatch();
          else entry.unwatch = unwatch;
        },
        (err: unknown) => {
          entry.watching = undefined;
          throw err;
        },
      );
    return entry.watching;
  }

  return {
    stats,
    invalidate,
    async get(userId, key, compute) {
      if (o.ttlMs <= 0) return compute();
      let entry = users.get(userId);
      if (entry) {
        users.delete(userId);
        users.set(userId, entry);
        const hit = entry.values.get(key);
        if (hit && hit.expiresAt > now()) {
          stats.hits += 1;
          return hit.value;
        }
      } else {
        entry = { values: new Map(), generation: 0, watching: undefined, unwatch: undefined, evicted: false };
        users.set(userId, entry);
        stats.users = users.size;
        trim();
      }
      stats.misses += 1;
      const generation = entry.generation;
      const startEpoch = epoch;
      // Without a confirmed subscription the value could miss its invalidation: serve it uncached.
      const subscribed = await watch(userId, entry).then(
        () => true,
        () => false,
      );
      const value = await compute();
      if (subscribed && !entry.evicted && entry.generation === generation && epoch === startEpoch) {
        const size = sizeOf(value);
        const previous = entry.values.get(key);
        if (previous) stats.size -= previous.size;
        entry.values.set(key, { value, expiresAt: now() + o.ttlMs, size });
        stats.size += size;
        trim();
      }
      return value;
    },
    close() {
      stopGap();
      for (const [userId, entry] of users) evict(userId, entry);
    },
  };
}
