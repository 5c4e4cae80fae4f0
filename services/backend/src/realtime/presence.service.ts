import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PresenceEvent } from '@ashchat/contracts';
import type { UserEvent, UserEventBus } from '../user-events/user-events.bus.js';
import { APPLY, CLOSE, RESYNC, TICK, type PresenceWire } from './presence.scripts.js';

export type PresenceListener = (p: PresenceEvent) => void;

export interface PresenceService {
  /** Marks the user online for one connection until release() — or, if this instance dies, until its presence TTL lapses. */
  connect(userId: string): () => Promise<void>;
  get(userIds: readonly string[]): Promise<PresenceEvent[]>;
  /**
   * Calls listener for each online/offline change of these users, from any instance. Resolves once
   * subscribed: call get() after it for the current state, and nothing falls between the two.
   */
  watch(userIds: readonly string[], listener: PresenceListener): Promise<() => void>;
  close(): Promise<void>;
}

export interface PresenceOptions {
  /** Command connection (scripts, reads). */
  redis: Redis;
  /** Delivers what the scripts publish; its channels must be `channelPrefix + userId`. */
  bus: UserEventBus;
  channelPrefix: string;
  /** Prefix of the presence keys, e.g. `ashchat:presence:`. */
  keyPrefix: string;
  ttlMs: number;
  logger: { warn(obj: object, msg: string): void };
  instanceId?: string;
  /** Users applied per script call; the rest follow in the next one. */
  batchSize?: number;
}

type ScriptName = 'presenceApply' | 'presenceResync' | 'presenceTick' | 'presenceClose';
type Scripts = Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

function defineScripts(redis: Redis): Scripts {
  const defs: Record<ScriptName, string> = { presenceApply: APPLY, presenceResync: RESYNC, presenceTick: TICK, presenceClose: CLOSE };
  for (const [name, lua] of Object.entries(defs)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 0, lua });
  }
  return redis as unknown as Scripts;
}

/** A presence message from the channel, as the contract's event; null if it is not one. */
export function toPresenceEvent(e: UserEvent): PresenceEvent | null {
  const w = e as Partial<PresenceWire>;
  const at = Number(w.at);
  if (w.type !== 'presence' || typeof w.userId !== 'string' || (w.status !== 'online' && w.status !== 'offline') || !Number.isFinite(at)) return null;
  return { type: 'presence', userId: w.userId, status: w.status, lastSeen: new Date(at).toISOString() };
}

/**
 * Presence across instances. Locally a count of connections per user; Redis only hears when a
 * user's count on this instance goes 0↔1, batched. Liveness is per instance, not per user: one
 * heartbeat per period (TTL/3) extends this instance's deadline, whatever its number of
 * connections, and the same call reaps instances whose deadline passed, so a crashed instance's
 * users go offline within the TTL without Redis expiry events (which may be late or lost). The
 * next heartbeat is brought forward to the earliest deadline of another instance, so a dead one is
 * reaped at its deadline rather than up to a period later.
 */
export function createPresenceService(o: PresenceOptions): PresenceService {
  const scripts = defineScripts(o.redis);
  const instance = o.instanceId ?? randomUUID();
  const base = (): string[] => [o.keyPrefix, o.channelPrefix, instance, String(o.ttlMs)];
  const period = Math.max(100, Math.floor(o.ttlMs / 3));
  const batchSize = o.batchSize ?? 1_000;

  const counts = new Map<string, number>();
  /** Users Redis holds under this instance, as far as the last successful script says. */
  const applied = new Set<string>();
  const changed = new Set<string>();
  let waiters: (() => void)[] = [];
  let needsResync = true;
  let flushScheduled = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  /** Every script of this instance runs in order, one at a time: applied stays a true picture. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const next = queue.then(step);
    queue = next.catch(() => undefined);
    return next;
  };

  async function resync(): Promise<void> {
    const users = [...counts.keys()];
    // Changes made while the script runs land in `changed` again and are applied after it.
    changed.clear();
    await scripts.presenceResync(...base(), ...users);
    applied.clear();
    for (const user of users) applied.add(user);
    needsResync = false;
  }

  async function flush(): Promise<void> {
    if (closed) return release();
    try {
      if (needsResync) {
        await resync();
      } else {
        const batch = [...changed].slice(0, batchSize);
        for (const user of batch) changed.delete(user);
        const joins = batch.filter((u) => counts.has(u) && !applied.has(u));
        const leaves = batch.filter((u) => !counts.has(u) && applied.has(u));
        if (joins.length + leaves.length > 0) {
          const ok = await scripts.presenceApply(...base(), joins.length, ...joins, ...leaves);
          if (ok === 1) {
            for (const user of joins) applied.add(user);
            for (const user of leaves) applied.delete(user);
          } else {
            await resync();
          }
        }
      }
      if (changed.size > 0) scheduleFlush();
      else release();
    } catch (err) {
      // Redis unreachable: the next heartbeat retries with a full resync. Waiters are not held.
      needsResync = true;
      o.logger.warn({ err: String(err) }, 'presence not written; retrying with the next heartbeat');
      release();
    }
  }

  function release(): void {
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  }

  function scheduleFlush(): void {
    if (flushScheduled || closed) return;
    flushScheduled = true;
    // Coalesces a burst of connects into one script call.
    setImmediate(() => {
      flushScheduled = false;
      void serial(flush);
    });
  }

  function markChanged(user: string): Promise<void> {
    changed.add(user);
    scheduleFlush();
    return new Promise((resolve) => waiters.push(resolve));
  }

  async function tick(): Promise<void> {
    if (closed) return;
    let delay = period;
    try {
      if (needsResync) await flush();
      const [live, nextDue, now] = (await scripts.presenceTick(...base(), batchSize)) as [number, number, number];
      if (live !== 1) {
        needsResync = true;
        await flush();
      }
      if (nextDue >= 0) delay = Math.min(period, Math.max(0, nextDue - now + 1));
    } catch (err) {
      o.logger.warn({ err: String(err) }, 'presence heartbeat failed');
    }
    if (closed) return;
    timer = setTimeout(() => void serial(tick), delay);
    timer.unref();
  }
  void serial(tick);

  /** Active watch() calls: after a gap each is told the current state of its users. */
  const watchers = new Set<{ users: string[]; listener: PresenceListener }>();
  async function refreshWatchers(): Promise<void> {
    for (const entry of [...watchers]) {
      const states = await this_.get(entry.users);
      if (!watchers.has(entry)) continue;
      for (const p of states) {
        try {
          entry.listener(p);
        } catch (err) {
          o.logger.warn({ err: String(err) }, 'presence listener failed');
        }
      }
    }
  }
  const stopGap = o.bus.onGap(() => {
    // Changes published while the subscriber was away are lost: presence is a state, so resending
    // the current one (perhaps a repeat) repairs every watcher. The 'close' edge usually fails here
    // (Redis is away); the 'ready' edge that follows succeeds.
    refreshWatchers().catch((err: unknown) => o.logger.warn({ err: String(err) }, 'presence refresh after a gap failed'));
  });

  const this_: PresenceService = {
    connect(userId) {
      if (closed) return async () => undefined;
      counts.set(userId, (counts.get(userId) ?? 0) + 1);
      if (counts.get(userId) === 1) void markChanged(userId);
      let released = false;
      return async () => {
        if (released || closed) return;
        released = true;
        const left = (counts.get(userId) ?? 1) - 1;
        if (left > 0) {
          counts.set(userId, left);
          return;
        }
        counts.delete(userId);
        await markChanged(userId);
      };
    },

    async get(userIds) {
      const unique = [...new Set(userIds)];
      if (unique.length === 0) return [];
      const pipeline = o.redis.pipeline().time();
      for (const user of unique) pipeline.scard(`${o.keyPrefix}u:${user}`).get(`${o.keyPrefix}seen:${user}`);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
      const [seconds, micros] = results[0]![1] as [string, string];
      const now = new Date(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)).toISOString();
      return unique.map((userId, i): PresenceEvent => {
        const online = (results[1 + 2 * i]![1] as number) > 0;
        const seen = results[2 + 2 * i]![1] as string | null;
        // Online: seen right now. Offline: when the last connection ended (or its instance last beat).
        const lastSeen = online ? now : seen === null ? null : new Date(Number(seen)).toISOString();
        return { type: 'presence', userId, status: online ? 'online' : 'offline', lastSeen };
      });
    },

    async watch(userIds, listener) {
      const users = [...new Set(userIds)];
      const onEvent = (e: UserEvent): void => {
        const p = toPresenceEvent(e);
        if (p) listener(p);
      };
      const settled = await Promise.allSettled(users.map((u) => o.bus.watch(u, onEvent)));
      const stops = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        for (const stop of stops) stop();
        throw failed.reason;
      }
      const entry = { users, listener };
      watchers.add(entry);
      return () => {
        watchers.delete(entry);
        for (const stop of stops.splice(0)) stop();
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      await serial(async () => {
        await scripts.presenceClose(...base());
      }).catch((err: unknown) => o.logger.warn({ err: String(err) }, 'presence not cleared on close; it lapses with the TTL'));
      release();
      stopGap();
      watchers.clear();
    },
  };
  return this_;
}
