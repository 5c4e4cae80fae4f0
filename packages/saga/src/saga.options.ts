import type { Redis } from 'ioredis';
import type { Collection } from 'mongodb';
import type { AnyStateMachine } from 'xstate';
import type {
  OutboxPublisher,
  SagaDefinition,
  SagaDocument,
  SagaEffectCompensation,
  SagaEffectHandler,
  Logger,
  SagaView,
} from './saga.types.js';

export interface SagaRuntimeOptions<M extends AnyStateMachine, TStatus, TIndex> {
  definition: SagaDefinition<M, TStatus, TIndex>;
  /** One collection per saga kind, e.g. `db.collection<SagaDocument>('registrations')`. */
  collection: Collection<SagaDocument>;
  /** Publishes outbox messages with broker confirms (a `TypedPublisher`). */
  publisher: OutboxPublisher;
  /** Durable queue every instance consumes replies from; set as `replyTo` on each request. */
  replyQueue: string;
  /** Command connection: timer keys (SET PX / DEL) and CONFIG. Owned by the caller. */
  redis: Redis;
  /** Dedicated connection for the expired-key subscription (started by `startBackground`). Owned by the caller. */
  subscriber: Redis;
  logger: Logger;
  /** ms since epoch; every event gets `at` from it. Default `Date.now`. */
  clock?: () => number;
  /** Handlers for `saga.effect` by name. */
  effects?: Record<string, SagaEffectHandler>;
  /** For each inline effect (`SagaEffectParams.inline`), by name: undoes a run whose transition was never stored. */
  compensations?: Record<string, SagaEffectCompensation>;
  /** Sweep for overdue timers (the guarantee behind Redis expiry hints). Default 30 000. */
  sweepIntervalMs?: number;
  /** Relay for outbox entries left behind (crash, broker down). Default 5 000. */
  relayIntervalMs?: number;
  /** The relay leaves entries younger than this to the instance that wrote them. Default 2 000. */
  relayGraceMs?: number;
  /** How long one relay instance owns a saga's outbox. Default 30 000. */
  outboxLeaseMs?: number;
  /** Optimistic-concurrency retries per event. Default 10. */
  maxConflictRetries?: number;
  /** Documents per sweep/relay round. Default 100. */
  batchSize?: number;
  /**
   * The caller's choice, no default (a default would silently pick one server's guard for the other):
   * 'none' where a single-document conditional update is atomic (MongoDB), so the `{ _id, version }`
   * check (OCC) alone serialises writers; 'redis' where it is not (FerretDB 1.x, see saga.lock.ts):
   * every write also holds a short per-saga Redis lock.
   */
  writeLock: 'redis' | 'none';
  /** Lock lifetime / how long a writer waits for it. Defaults 10 000 / 10 000. */
  lockTtlMs?: number;
  lockWaitMs?: number;
  /**
   * Documents of recently active sagas kept to skip the load before the next event's write
   * (see saga.doc-cache.ts). Default 1 000; 0 turns it off.
   */
  docCacheSize?: number;
  /** Default `saga-timer`. */
  timerKeyPrefix?: string;
  /** Called after every persisted transition (e.g. push status over WebSocket). Errors are logged. */
  onTransition?: (view: SagaView<M, TStatus, TIndex>) => void | Promise<void>;
}

export type ResolvedOptions<M extends AnyStateMachine, TStatus, TIndex> = Required<
  Omit<SagaRuntimeOptions<M, TStatus, TIndex>, 'onTransition'>
> &
  Pick<SagaRuntimeOptions<M, TStatus, TIndex>, 'onTransition'>;

export function resolveOptions<M extends AnyStateMachine, TStatus, TIndex>(
  o: SagaRuntimeOptions<M, TStatus, TIndex>,
): ResolvedOptions<M, TStatus, TIndex> {
  // Explicit `undefined` (e.g. from optional config) must not erase a default.
  const given = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as typeof o;
  return {
    clock: Date.now,
    effects: {},
    compensations: {},
    sweepIntervalMs: 30_000,
    relayIntervalMs: 5_000,
    relayGraceMs: 2_000,
    outboxLeaseMs: 30_000,
    maxConflictRetries: 10,
    batchSize: 100,
    timerKeyPrefix: 'saga-timer',
    lockTtlMs: 10_000,
    lockWaitMs: 10_000,
    docCacheSize: 1_000,
    ...given,
  };
}
