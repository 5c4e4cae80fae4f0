import type { Redis } from 'ioredis';
import type { Logger } from './saga.types.js';

/** A change seen by a watcher: the new view when it was committed in this process, else only that it changed. */
export interface SagaChange<V> {
  view: V | undefined;
}

/** Watches one saga for changes; create it BEFORE reading the state you wait on, so nothing slips between. */
export interface SagaWatch<V = unknown> {
  /**
   * Resolves as soon as the saga changed since the watch began or since the last `next`, or with
   * null after `timeoutMs`. Without a `view`, re-read the saga.
   */
  next(timeoutMs: number): Promise<SagaChange<V> | null>;
  close(): void;
}

interface WatcherState {
  changed: boolean;
  /** Latest view committed here, if the latest change we know of is one of ours. */
  view: { version: number } | undefined;
  /** Highest version this watcher has been told about (to drop the Redis echo of a local commit). */
  seen: number;
  wake: (() => void) | undefined;
}

/**
 * Tells waiters that a saga changed, so a request waiting for a verdict wakes when the reply is
 * applied instead of polling the database. A transition committed here wakes local waiters at once;
 * every commit is also PUBLISHed (payload: the saga id) so waiters on other instances wake too.
 * Only a hint — pub/sub loses messages while a subscriber reconnects — so waiters still re-read
 * the stored saga on a slow fallback interval.
 */
export function createSagaChangeFeed(o: { redis: Redis; machine: string; logger: Logger }) {
  const channel = `saga-changes:${o.machine}`;
  const watchers = new Map<string, Set<WatcherState>>();
  let stopListening: (() => Promise<void>) | undefined;

  function notify(sagaId: string, version: number, view: { version: number } | undefined): void {
    for (const w of watchers.get(sagaId) ?? []) {
      if (version <= w.seen) continue;
      w.seen = version;
      w.view = view;
      w.changed = true;
      w.wake?.();
    }
  }

  return {
    channel,
    /** After a commit: wake waiters here (handing them the view) and announce it to the other instances. Never throws. */
    announce(sagaId: string, view: { version: number }): void {
      notify(sagaId, view.version, view);
      o.redis.publish(channel, `${view.version}:${sagaId}`).catch((err: unknown) => {
        o.logger.debug({ sagaId, err: String(err) }, 'saga change not announced; remote waiters fall back to polling');
      });
    },

    watch<V>(sagaId: string): SagaWatch<V> {
      const state: WatcherState = { changed: false, view: undefined, seen: 0, wake: undefined };
      let set = watchers.get(sagaId);
      if (!set) watchers.set(sagaId, (set = new Set()));
      set.add(state);
      return {
        next(timeoutMs) {
          const take = (): SagaChange<V> => {
            const change = { view: state.view as V | undefined };
            state.changed = false;
            state.view = undefined;
            return change;
          };
          if (state.changed) return Promise.resolve(take());
          return new Promise<SagaChange<V> | null>((resolve) => {
            const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
            function finish(changed: boolean): void {
              clearTimeout(timer);
              state.wake = undefined;
              resolve(changed ? take() : null);
            }
            state.wake = () => finish(true);
          });
        },
        close() {
          state.wake?.();
          set.delete(state);
          if (set.size === 0) watchers.delete(sagaId);
        },
      };
    },

    /** Subscribes on the dedicated subscriber connection (shared with the expiry listener). */
    async listen(subscriber: Redis): Promise<void> {
      const listener = (ch: string, message: string): void => {
        if (ch !== channel) return;
        const cut = message.indexOf(':');
        const version = Number(message.slice(0, cut));
        if (cut > 0 && Number.isSafeInteger(version)) notify(message.slice(cut + 1), version, undefined);
      };
      subscriber.on('message', listener);
      await subscriber.subscribe(channel);
      stopListening = async () => {
        subscriber.off('message', listener);
        await subscriber.unsubscribe(channel).catch(() => undefined);
      };
    },

    async close(): Promise<void> {
      await stopListening?.();
      stopListening = undefined;
      for (const set of watchers.values()) for (const w of set) w.wake?.();
    },
  };
}
export type SagaChangeFeed = ReturnType<typeof createSagaChangeFeed>;
