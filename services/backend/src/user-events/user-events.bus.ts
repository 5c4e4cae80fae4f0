import type { Redis } from 'ioredis';
import { closeRedis } from '@ashchat/service-kit';

/** Anything sent to a user: a chat event, or a signal between instances (`session.revoked`). */
export interface UserEvent {
  type: string;
}

export type UserEventListener = (event: UserEvent) => void;

export interface UserEventBus {
  /** Sends one event to each user, on every instance; resolves once Redis has taken it. */
  publish(userIds: readonly string[], event: UserEvent): Promise<void>;
  /**
   * Calls `listener` with each event published to the user from now on, from any instance.
   * Resolves (with the function that stops it) once Redis has confirmed the subscription: only
   * events published after that are sure to arrive.
   */
  watch(userId: string, listener: UserEventListener): Promise<() => void>;
  /**
   * Called whenever events may have been lost: the subscriber connection dropped (Redis pub/sub
   * does not replay). Whoever keeps state derived from events must throw it away then.
   */
  onGap(listener: () => void): () => void;
  /** The subscriber connection's name in CLIENT LIST. */
  readonly connectionName: string;
  close(): Promise<void>;
}

export interface UserEventBusOptions {
  /** Publishes; shared with the rest of the app. */
  redis: Redis;
  /** Prefix of the channels (`<ns>:user:<id>`): Redis pub/sub ignores database numbers. */
  namespace: string;
  logger: { warn(obj: object, msg: string): void };
  /** Name of the subscriber connection in CLIENT LIST. */
  connectionName?: string;
}

/**
 * PUBLISHes one payload to `prefix .. user` for each user after the first two arguments. One
 * command instead of one per member: the client builds and parses one instead of N (the channels,
 * their order and what subscribers receive are those of N PUBLISHes). Keys are built inside, like
 * the presence scripts: one Redis node, not cluster-safe.
 */
const FANOUT = `
local prefix, payload = ARGV[1], ARGV[2]
for i = 3, #ARGV do redis.call('PUBLISH', prefix .. ARGV[i], payload) end
return #ARGV - 2
`;
const FANOUT_COMMAND = 'ashchatUserEventsFanout';
/** Users per script call: bounds how long one call holds Redis (a huge room takes several). */
const FANOUT_CHUNK = 500;
type FanoutRedis = Redis & { [FANOUT_COMMAND](prefix: string, payload: string, ...userIds: string[]): Promise<number> };

function fanoutOf(redis: Redis): FanoutRedis {
  if (!(FANOUT_COMMAND in redis)) redis.defineCommand(FANOUT_COMMAND, { numberOfKeys: 0, lua: FANOUT });
  return redis as FanoutRedis;
}

/**
 * Cross-instance delivery: one Redis channel per user, subscribed by an instance while something
 * there watches the user (a WebSocket, a cached inbox). Publishing to N members is one script call
 * (FANOUT). Fire-and-forget by nature, so the bus reports gaps and readers keep the database as
 * the truth (a client resumes from its last message id; caches are dropped).
 *
 * A fan-out reaches an instance as one message per watched member, back to back and with equal
 * payloads: the last payload's parsed event is reused, so listeners get one shared object per
 * event and instance (they must not change it; the gateway serialises it once for all its sockets).
 */
let busCount = 0;

export function createUserEventBus(o: UserEventBusOptions): UserEventBus {
  const prefix = `${o.namespace || 'ashchat'}:user:`;
  // Unique per bus, so an operator (or a test) can tell one instance's subscriber from another's.
  const connectionName = o.connectionName ?? `ashchat-backend-events-${process.pid}-${(busCount += 1)}`;
  const subscriber = o.redis.duplicate({ connectionName, enableOfflineQueue: true });
  const listeners = new Map<string, Set<UserEventListener>>();
  const pending = new Map<string, Promise<unknown>>();
  const gapListeners = new Set<() => void>();
  let closed = false;

  const gap = (): void => {
    for (const listener of gapListeners) {
      try {
        listener();
      } catch (err) {
        o.logger.warn({ err }, 'event gap listener failed');
      }
    }
  };
  // Set between losing the connection and ioredis having re-subscribed: no watch can be confirmed then.
  let reconnecting = false;
  let drops = 0;
  subscriber.on('close', () => {
    if (closed) return;
    reconnecting = true;
    drops += 1;
    gap();
  });
  subscriber.on('ready', () => {
    // The first connection lost nothing; any later one (or a first one after failed attempts,
    // which also emit 'close') follows a period in which events went unheard.
    if (!reconnecting) return;
    const since = drops;
    // The PING's answer comes after those of the re-subscriptions ioredis has just sent, so
    // after it every channel is live again. Events published before then are lost: a second gap.
    subscriber
      .ping()
      .catch(() => undefined)
      .then(() => {
        // Dropped again meanwhile: the next 'ready' settles it.
        if (drops !== since) return;
        reconnecting = false;
        gap();
      });
  });
  subscriber.on('error', (err: Error) => o.logger.warn({ err: err.message }, 'event subscriber connection error'));
  let lastPayload: string | undefined;
  let lastEvent: UserEvent | undefined;
  subscriber.on('message', (channel: string, payload: string) => {
    const set = listeners.get(channel);
    if (!set) return;
    let event: UserEvent;
    if (payload === lastPayload && lastEvent) {
      event = lastEvent;
    } else {
      try {
        event = JSON.parse(payload) as UserEvent;
        if (typeof event !== 'object' || event === null || typeof event.type !== 'string') throw new Error('no type');
      } catch {
        o.logger.warn({ channel }, 'malformed user event dropped');
        return;
      }
      lastPayload = payload;
      lastEvent = event;
    }
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (err) {
        o.logger.warn({ err, type: event.type }, 'user event listener failed');
      }
    }
  });

  /** Subscribes or unsubscribes after any change already under way for the channel. */
  function chain(channel: string, step: () => Promise<unknown>): Promise<unknown> {
    const next = (pending.get(channel) ?? Promise.resolve()).catch(() => undefined).then(step);
    pending.set(channel, next);
    void next.finally(() => {
      if (pending.get(channel) === next) pending.delete(channel);
    }).catch(() => undefined);
    return next;
  }

  return {
    connectionName,
    async publish(userIds, event) {
      if (userIds.length === 0) return;
      const payload = JSON.stringify(event);
      const users = [...new Set(userIds)];
      if (users.length === 1) {
        await o.redis.publish(prefix + users[0]!, payload);
        return;
      }
      const redis = fanoutOf(o.redis);
      const calls: Promise<number>[] = [];
      for (let i = 0; i < users.length; i += FANOUT_CHUNK) calls.push(redis[FANOUT_COMMAND](prefix, payload, ...users.slice(i, i + FANOUT_CHUNK)));
      await Promise.all(calls);
    },

    async watch(userId, listener) {
      if (closed) throw new Error('user event bus closed');
      // Not confirmed while reconnecting: the caller decides (serve uncached, ask the client to retry).
      if (reconnecting) throw new Error('user event bus is reconnecting');
      const channel = prefix + userId;
      let set = listeners.get(channel);
      const first = !set;
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      try {
        // Every watcher waits for the subscription, including those joining one under way.
        await (first ? chain(channel, () => subscriber.subscribe(channel)) : (pending.get(channel) ?? Promise.resolve()));
        // Not confirmed while reconnecting: the caller decides (serve uncached, ask the client to retry).
        if (reconnecting) throw new Error('user event bus is reconnecting');
      } catch (err) {
        set.delete(listener);
        if (set.size === 0) listeners.delete(channel);
        throw err;
      }
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        const current = listeners.get(channel);
        if (!current?.delete(listener) || current.size > 0) return;
        listeners.delete(channel);
        void chain(channel, async () => {
          // Someone may have started watching again while this waited its turn.
          if (!listeners.has(channel) && !closed) await subscriber.unsubscribe(channel);
        }).catch((err: unknown) => o.logger.warn({ err: String(err) }, 'unsubscribe failed'));
      };
    },

    onGap(listener) {
      gapListeners.add(listener);
      return () => gapListeners.delete(listener);
    },

    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      gapListeners.clear();
      await closeRedis(subscriber);
    },
  };
}
