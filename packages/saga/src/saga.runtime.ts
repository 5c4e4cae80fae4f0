import type { AnyStateMachine } from 'xstate';
import { createSagaBackground } from './saga.background.js';
import { createSagaChangeFeed, type SagaWatch } from './saga.changes.js';
import { createSagaCore, type SagaCore } from './saga.core.js';
import { createSagaLock, noSagaLock } from './saga.lock.js';
import { resolveOptions, type SagaRuntimeOptions } from './saga.options.js';
import { createSagaStore } from './saga.store.js';
import { createExpiryNudger, createTimerKeys } from './saga.timers.js';
import type { ReplyOutcome, SagaEventInput, SagaSendResult, SagaStartInput, SagaView } from './saga.types.js';

export interface SagaRuntime<M extends AnyStateMachine, TStatus, TIndex> {
  /** Creates the saga (id chosen by the caller). Idempotent: an existing id returns it with `created: false`. */
  start(sagaId: string, input: SagaStartInput<M>): Promise<{ view: SagaView<M, TStatus, TIndex>; created: boolean }>;
  /** Applies one event (`at` is stamped here). Throws SagaNotFoundError for an unknown id. */
  send(sagaId: string, event: SagaEventInput<M>): Promise<SagaSendResult<M, TStatus, TIndex>>;
  get(sagaId: string): Promise<SagaView<M, TStatus, TIndex> | null>;
  /**
   * The view of the document this instance last wrote for the saga, or a load when it has none:
   * possibly stale (another instance may have moved it since). Only for deciding whether to send
   * an event, whose version-guarded write then checks the guess; never for showing the state.
   */
  peek(sagaId: string): Promise<SagaView<M, TStatus, TIndex> | null>;
  /**
   * For the consumer of the durable reply queue. Resolves to what happened; every outcome means
   * "ack". Throws only when the store is unreachable (the consumer should requeue then).
   */
  handleReply(correlationId: string | undefined, body: unknown): Promise<ReplyOutcome>;
  /**
   * Wakes when the saga changes, on this instance at once (with the new view) or on another through
   * Redis pub/sub (after `startBackground`; re-read the saga then). A hint only: bound every wait.
   */
  watch(sagaId: string): SagaWatch<SagaView<M, TStatus, TIndex>>;
  /** Creates indexes, subscribes to expiries, starts the sweep and the relay loops. */
  startBackground(): Promise<void>;
  /** One sweep round (also run by the loop); returns the number of timer events applied. */
  sweepOnce(): Promise<number>;
  /** One relay round (also run by the loop); returns the number of entries completed. */
  relayOnce(): Promise<number>;
  /** Creates the indexes (also done by startBackground). */
  ensureIndexes(): Promise<void>;
  /** Stops background work and waits for it. Connections passed in stay open (the caller owns them). */
  close(): Promise<void>;
}

export function createSagaRuntime<M extends AnyStateMachine, TStatus, TIndex>(
  options: SagaRuntimeOptions<M, TStatus, TIndex>,
): SagaRuntime<M, TStatus, TIndex> {
  const o = resolveOptions(options);
  const withLock =
    o.writeLock === 'none'
      ? noSagaLock
      : createSagaLock(o.redis, { keyPrefix: 'saga-lock', machine: o.definition.name, ttlMs: o.lockTtlMs, waitMs: o.lockWaitMs });
  const store = createSagaStore(o.collection, o.definition.name, withLock, o.definition.indexedFields);
  const keys = createTimerKeys(o.timerKeyPrefix, o.definition.name, o.definition.timerNames);
  const nudger = createExpiryNudger(o.redis, o.clock);
  const feed = createSagaChangeFeed({ redis: o.redis, machine: o.definition.name, logger: o.logger });
  const core = createSagaCore(o, store, keys, withLock, feed, nudger);
  const background = createSagaBackground(o, store, core as unknown as SagaCore, keys, feed);
  return {
    start: core.start,
    send: core.send,
    get: core.get,
    peek: core.peek,
    handleReply: core.handleReply,
    watch: (sagaId) => feed.watch<SagaView<M, TStatus, TIndex>>(sagaId),
    startBackground: background.start,
    sweepOnce: background.sweepOnce,
    relayOnce: background.relayOnce,
    ensureIndexes: store.ensureIndexes,
    async close() {
      nudger.close();
      await background.close();
      await core.close();
      await feed.close();
    },
  };
}
