// saga reaches contracts' Logger through messaging, which it already depends on.
import type { Logger } from '@ashchat/messaging';
import type { TSchema } from '@sinclair/typebox';
import type { AnyStateMachine, EventFromLogic, InputFrom, SnapshotFrom } from 'xstate';

/** The one logger type (@ashchat/contracts), re-exported for the saga API's users. */
export type { Logger };

/** Send options understood by the publisher (same shape as @ashchat/messaging's SendProps). */
export interface OutboxSendProps {
  correlationId?: string;
  replyTo?: string;
  messageId?: string;
  headers?: Record<string, unknown>;
}

/**
 * The one thing the runtime needs from messaging. `TypedPublisher` from @ashchat/messaging satisfies
 * it; it must resolve only once the broker confirmed the message.
 */
export interface OutboxPublisher {
  send(queue: string, schema: TSchema, body: unknown, props?: OutboxSendProps): Promise<void>;
}

/** Removes `K` from each member of a union (plain Omit would collapse the union). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Events as callers hand them to the runtime: the runtime stamps `at` from its clock. */
export type SagaEventInput<M extends AnyStateMachine> = DistributiveOmit<EventFromLogic<M>, 'at'>;
/** Machine input without `at` (stamped by `start`). */
export type SagaStartInput<M extends AnyStateMachine> = Omit<NonNullable<InputFrom<M>>, 'at'>;

/** Definition of one kind of saga; build it with `defineSaga()`. */
export interface SagaDefinition<M extends AnyStateMachine = AnyStateMachine, TStatus = unknown, TIndex = unknown> {
  /** Stable name, `[a-z0-9-]+`: stored in every document and part of timer keys. */
  name: string;
  /** Bump when a change makes old snapshots unreadable; documents with another version need `migrate`. */
  version: number;
  machine: M;
  /** Projection stored as `status` (queried by the REST layer). Must be plain JSON without arrays of arrays. */
  status(snapshot: SnapshotFrom<M>): TStatus;
  /** Projection stored as `index` (e.g. a normalised email) for lookups. */
  index?(snapshot: SnapshotFrom<M>): TIndex;
  /** Fields of the `index` projection to create MongoDB indexes on (`index.<field>`), e.g. ['emailNormalized']. */
  indexedFields?: readonly string[];
  /** Schema of every queue the machine may `saga.send` to; bodies are checked before anything is persisted. */
  messages: Record<string, TSchema>;
  /**
   * Maps a reply from the durable reply queue to a machine event (without `at`), or null when the
   * body is not a reply this saga understands. `requestId` comes from the correlation id.
   */
  replyToEvent(body: unknown, meta: { requestId: string }): SagaEventInput<M> | null;
  /** Timer names the machine arms; used to reject foreign or corrupt timer keys. */
  timerNames: readonly string[];
  /**
   * True when the event changes neither `snapshot` nor any snapshot that can follow it (e.g. a reply
   * to a request the saga has moved past). Must be conservative. Lets the runtime ignore such an
   * event on this instance's cached document without reading the stored one: the cache may be
   * behind, but no newer document could take the event either.
   */
  isStale?(snapshot: SnapshotFrom<M>, event: SagaEventInput<M>): boolean;
  /** Upgrades a persisted snapshot written by an older machine version (else loading it fails). */
  migrate?(persisted: PersistedSnapshot, fromVersion: number): PersistedSnapshot;
}

export type AnySagaDefinition = SagaDefinition<AnyStateMachine, unknown, unknown>;

/** xstate's persisted snapshot as JSON (we only rely on value/context/status). */
export interface PersistedSnapshot {
  status: string;
  value: unknown;
  context: Record<string, unknown>;
  [key: string]: unknown;
}

/** One pending effect of a transition, stored JSON-encoded inside the saga document. */
export type OutboxEntry =
  | {
      kind: 'message';
      id: string;
      queue: string;
      requestId: string;
      body: Record<string, unknown>;
      correlationId: string;
      /** Absent on one-way messages (`oneWay`). */
      replyTo?: string;
      messageId: string;
      createdAt: number;
    }
  | {
      kind: 'effect';
      id: string;
      name: string;
      effectId: string;
      payload: Record<string, unknown>;
      createdAt: number;
      /** Asked to run before the write (`SagaEffectParams.inline`); stored only when that run failed. */
      inline?: boolean;
    };

/** The MongoDB document of one saga instance. */
export interface SagaDocument {
  _id: string;
  machine: string;
  machineVersion: number;
  /** Optimistic-concurrency counter: every transition is `updateOne({ _id, version }, …version+1)`. */
  version: number;
  createdAt: number;
  updatedAt: number;
  /** Dotted state value, e.g. `awaitingCode` (for humans and queries). */
  state: string;
  status: unknown;
  final: boolean;
  /** Earliest armed timer (ms) or null; the sweep looks for `nextDeadline <= now`. */
  nextDeadline: number | null;
  /** xstate persisted snapshot as a JSON string: FerretDB forbids nested arrays and `$` keys. */
  snapshot: string;
  /** JSON-encoded OutboxEntry values (strings: compared by exact value, and FerretDB forbids nested arrays). */
  outbox: string[];
  outboxPending: boolean;
  /** A relay instance owns the outbox until then (ms); 0 when free. */
  outboxLeaseUntil: number;
  index: unknown;
}

export interface SagaView<M extends AnyStateMachine = AnyStateMachine, TStatus = unknown, TIndex = unknown> {
  id: string;
  machine: string;
  machineVersion: number;
  version: number;
  state: string;
  status: TStatus;
  index: TIndex;
  final: boolean;
  nextDeadline: number | null;
  createdAt: number;
  updatedAt: number;
  /** The restored xstate snapshot (`value`, `context`, `status`). */
  snapshot: SnapshotFrom<M>;
  /** Outbox entries not yet confirmed. */
  pendingOutbox: number;
}

/** Result of an event sent to a saga. `changed: false` = the machine ignored it; nothing was written. */
export interface SagaSendResult<M extends AnyStateMachine = AnyStateMachine, TStatus = unknown, TIndex = unknown> {
  view: SagaView<M, TStatus, TIndex>;
  changed: boolean;
}

export type ReplyOutcome = 'applied' | 'ignored' | 'unknown-saga' | 'malformed';

/**
 * Executes one `saga.effect`. Must be idempotent (it may run again after a crash, keyed by
 * `effectId`) and turn expected failures into events; throwing means "retry later" (the relay does).
 */
export type SagaEffectResult = { type: string; [key: string]: unknown };

/** One run of an inline effect: what it was asked to do and the event it returned. */
export interface SagaInlineRun {
  name: string;
  effectId: string;
  payload: Record<string, unknown>;
  result: SagaEffectResult | null;
}

/**
 * Undoes an inline effect's run whose transition was never stored: the saga had changed meanwhile
 * and, reloaded, did not run the effect again. `stored` is the saga as it is stored now; the
 * compensation decides from it (and from the run's result) whether the work must go.
 */
export type SagaEffectCompensation = (run: SagaInlineRun, stored: SagaView) => Promise<void>;

export type SagaEffectHandler = (
  payload: Record<string, unknown>,
  meta: { sagaId: string; effectId: string },
) => Promise<SagaEffectResult | null>;
