import type { AnyStateMachine } from 'xstate';
import { SagaNotFoundError } from './saga.errors.js';
import type { SagaChangeFeed } from './saga.changes.js';
import type { SagaCore } from './saga.core.js';
import type { ResolvedOptions } from './saga.options.js';
import { decodeEntry } from './saga.outbox.js';
import { readTimers } from './saga.snapshot.js';
import type { SagaStore } from './saga.store.js';
import { ensureExpiredEvents, listenForExpiries, type TimerKeys } from './saga.timers.js';

/**
 * The three loops that make the runtime durable without live actors:
 * expired-key subscriber (fast path), overdue-timer sweep (guarantee), outbox relay (crash recovery).
 */
export function createSagaBackground<M extends AnyStateMachine, TStatus, TIndex>(
  o: ResolvedOptions<M, TStatus, TIndex>,
  store: SagaStore,
  core: SagaCore,
  keys: TimerKeys,
  feed: SagaChangeFeed,
) {
  const { logger, clock, definition: def } = o;
  const inFlight = new Set<Promise<unknown>>();
  const loops: { timer: NodeJS.Timeout | undefined; running: Promise<unknown> | undefined }[] = [];
  let stopListening: (() => Promise<void>) | undefined;
  let started = false;
  let closed = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  function onExpiredKey(key: string): void {
    const parts = keys.parse(key);
    if (!parts || closed) return;
    track(
      core.fireTimer(parts.sagaId, parts.timer, parts.token).catch((err: unknown) => {
        if (err instanceof SagaNotFoundError) return;
        logger.warn({ saga: def.name, sagaId: parts.sagaId, timer: parts.timer, err: String(err) }, 'saga timer event failed; the sweep retries');
      }),
    );
  }

  /** Fires every overdue timer of non-final sagas, earliest first. Returns the number of events applied. */
  async function sweepOnce(): Promise<number> {
    let applied = 0;
    for (const doc of await store.findDue(clock(), o.batchSize)) {
      try {
        let snapshot = core.readSnapshot(doc).snapshot;
        // A timer event may arm new timers or end the saga: re-evaluate after each one.
        for (let i = 0; i <= def.timerNames.length; i += 1) {
          const now = clock();
          const due = Object.entries(readTimers(snapshot as never))
            .filter(([, t]) => t.at <= now)
            .sort(([, a], [, b]) => a.at - b.at)[0];
          if (!due) break;
          const res = await core.fireTimer(doc._id, due[0], due[1].token);
          if (!res.changed) {
            logger.warn({ saga: def.name, sagaId: doc._id, timer: due[0], state: res.view.state }, 'overdue saga timer ignored by the machine (a machine must disarm timers it no longer handles)');
            break;
          }
          applied += 1;
          snapshot = res.view.snapshot;
        }
      } catch (err) {
        logger.warn({ saga: def.name, sagaId: doc._id, err: String(err) }, 'saga sweep failed for one saga');
      }
    }
    return applied;
  }

  /** Delivers outbox entries left behind (crash between persist and publish, broker outage). */
  async function relayOnce(): Promise<number> {
    let done = 0;
    for (const candidate of await store.findPendingOutbox(clock(), o.batchSize)) {
      const now = clock();
      if (!(await store.leaseOutbox(candidate._id, now, now + o.outboxLeaseMs))) continue;
      try {
        // Reload under the lease: entries confirmed meanwhile must not be sent again.
        const doc = await store.load(candidate._id);
        for (const raw of doc?.outbox ?? []) {
          const entry = decodeEntry(raw);
          if (entry.createdAt > clock() - o.relayGraceMs || core.isCompleted(candidate._id, raw)) continue;
          if (await core.processEntry(candidate._id, entry, raw)) done += 1;
        }
        await core.flushRemovals(candidate._id);
      } finally {
        await store.releaseOutbox(candidate._id);
      }
    }
    return done;
  }

  function loop(name: string, intervalMs: number, once: () => Promise<number>): void {
    const slot: (typeof loops)[number] = { timer: undefined, running: undefined };
    loops.push(slot);
    const tick = (): void => {
      if (closed) return;
      slot.running = track(
        once()
          .catch((err: unknown) => logger.warn({ saga: def.name, loop: name, err: String(err) }, 'saga background round failed'))
          .finally(() => {
            if (!closed) slot.timer = setTimeout(tick, intervalMs);
          }),
      );
    };
    tick();
  }

  return {
    sweepOnce,
    relayOnce,
    /** Creates indexes, enables expired events, subscribes, and starts sweep + relay (each runs once now). */
    async start(): Promise<void> {
      if (started || closed) return;
      started = true;
      await store.ensureIndexes();
      await ensureExpiredEvents(o.redis, logger);
      const db = o.redis.options.db ?? 0;
      stopListening = await listenForExpiries(o.subscriber, db, o.redis.options.keyPrefix ?? '', onExpiredKey);
      await feed.listen(o.subscriber);
      loop('sweep', o.sweepIntervalMs, sweepOnce);
      loop('relay', o.relayIntervalMs, relayOnce);
    },
    /** Stops the loops and the subscription and waits for work already started. */
    async close(): Promise<void> {
      closed = true;
      for (const slot of loops) clearTimeout(slot.timer);
      await stopListening?.();
      await feed.close();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
