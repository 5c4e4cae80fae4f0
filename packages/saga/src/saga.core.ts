import { initialTransition, transition, type AnyStateMachine, type SnapshotFrom } from 'xstate';
import { SagaConflictError, SagaNotFoundError, SagaVersionError } from './saga.errors.js';
import { SAGA_TIMEOUT, type SagaTimers } from './saga.kit.js';
import type { ResolvedOptions } from './saga.options.js';
import { buildOutbox, decodeEntry, encodeEntry, parseCorrelationId, type OutboxContext } from './saga.outbox.js';
import { earliestDeadline, parsePersisted, persistSnapshot, readTimers, restoreSnapshot, stateToString } from './saga.snapshot.js';
import type { SagaChangeFeed } from './saga.changes.js';
import type { WithSagaLock } from './saga.lock.js';
import { createDocCache } from './saga.doc-cache.js';
import { createInlineEffects } from './saga.inline.js';
import { createRemovalTracker } from './saga.removals.js';
import type { SagaStore } from './saga.store.js';
import { syncTimers, type ExpiryNudger, type TimerKeys } from './saga.timers.js';
import type {
  OutboxEntry,
  PersistedSnapshot,
  ReplyOutcome,
  SagaDocument,
  SagaInlineRun,
  SagaEventInput,
  SagaSendResult,
  SagaStartInput,
  SagaView,
} from './saga.types.js';

/**
 * The event path shared by REST calls, replies, timer expiries, the sweep and effect results:
 * load → pure transition → one conditional update (snapshot + version + outbox) → side effects.
 */
export function createSagaCore<M extends AnyStateMachine, TStatus, TIndex>(
  o: ResolvedOptions<M, TStatus, TIndex>,
  store: SagaStore,
  keys: TimerKeys,
  withLock: WithSagaLock,
  feed: SagaChangeFeed,
  nudger?: ExpiryNudger,
) {
  const { definition: def, logger, clock } = o;
  const machine = def.machine;
  const effectNames = new Set(Object.keys(o.effects));
  const removals = createRemovalTracker({
    // Well inside the relay's grace period, so the relay never re-sends an entry only waiting for this.
    delayMs: Math.max(1, Math.floor(o.relayGraceMs / 2)),
    flush: flushRemovals,
  });
  const docs = createDocCache(o.docCacheSize);
  const inline = createInlineEffects({ machine, definition: def, effects: o.effects, compensations: o.compensations, logger });
  type View = SagaView<M, TStatus, TIndex>;
  type Result = SagaSendResult<M, TStatus, TIndex>;

  function readSnapshot(doc: SagaDocument): { persisted: PersistedSnapshot; json: string; snapshot: SnapshotFrom<M> } {
    if (doc.machine !== def.name || doc.machineVersion !== def.version) {
      if (doc.machine !== def.name || !def.migrate || doc.machineVersion > def.version) {
        throw new SagaVersionError(doc._id, `${doc.machine}@${doc.machineVersion}`, `${def.name}@${def.version}`);
      }
      const persisted = def.migrate(parsePersisted(doc.snapshot), doc.machineVersion);
      return { persisted, json: JSON.stringify(persisted), snapshot: restoreSnapshot(machine, persisted) };
    }
    const persisted = parsePersisted(doc.snapshot);
    return { persisted, json: doc.snapshot, snapshot: restoreSnapshot(machine, persisted) };
  }

  function toView(doc: SagaDocument, snapshot: SnapshotFrom<M>): View {
    return {
      id: doc._id,
      machine: doc.machine,
      machineVersion: doc.machineVersion,
      version: doc.version,
      state: doc.state,
      status: doc.status as TStatus,
      index: doc.index as TIndex,
      final: doc.final,
      nextDeadline: doc.nextDeadline,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
      snapshot,
      pendingOutbox: doc.outbox.length,
    };
  }

  /** Fields derived from a snapshot, written with it. */
  function project(snapshot: SnapshotFrom<M>, json: string) {
    const snap = snapshot as unknown as { status: string; value: unknown; context: unknown };
    const done = snap.status !== 'active';
    return {
      machineVersion: def.version,
      state: stateToString(snap.value),
      status: def.status(snapshot) as unknown,
      index: (def.index?.(snapshot) ?? null) as unknown,
      final: done,
      nextDeadline: done ? null : earliestDeadline(readTimers(snap)),
      snapshot: json,
    };
  }

  async function get(sagaId: string): Promise<View | null> {
    const doc = await store.load(sagaId);
    return doc ? toView(doc, readSnapshot(doc).snapshot) : null;
  }

  /** The last document this instance wrote (saga.doc-cache.ts), else a load: a guess, for a caller whose next write checks it. */
  async function peek(sagaId: string): Promise<View | null> {
    const doc = docs.get(sagaId);
    return doc ? toView(doc, readSnapshot(doc).snapshot) : get(sagaId);
  }

  async function start(sagaId: string, input: SagaStartInput<M>): Promise<{ view: View; created: boolean }> {
    const now = clock();
    const [snapshot, actions] = (initialTransition as (m: M, i: unknown) => [SnapshotFrom<M>, { type: string; params?: unknown }[]])(
      machine,
      { ...input, at: now },
    );
    const { json } = persistSnapshot(machine, snapshot);
    const entries = buildOutbox(actions, { sagaId, version: 1, now, replyQueue: o.replyQueue, definition: def, effectNames });
    const encoded = entries.map(encodeEntry);
    const doc: SagaDocument = {
      _id: sagaId,
      machine: def.name,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...project(snapshot, json),
      outbox: encoded,
      outboxPending: encoded.length > 0,
      outboxLeaseUntil: 0,
    };
    if (!(await store.insert(doc))) {
      docs.delete(sagaId);
      logger.debug({ sagaId, saga: def.name }, 'saga already exists; start is idempotent');
      const existing = await get(sagaId);
      if (!existing) throw new SagaNotFoundError(sagaId);
      return { view: existing, created: false };
    }
    docs.set(doc);
    const view = toView(doc, snapshot);
    await afterPersist(view, {}, entries, encoded);
    return { view, created: true };
  }

  type Commit = { kind: 'ignored'; result: Result } | { kind: 'conflict' } | {
    kind: 'committed';
    view: View;
    prevTimers: SagaTimers;
    entries: OutboxEntry[];
    encoded: string[];
    /** The inline effect runs whose transitions this write stored. */
    inlined: SagaInlineRun[];
  };

  /**
   * load → pure transition → conditional update, under the saga's write lock. The update also drops
   * the outbox entries completed since the last write (`removals`, plus `completed`: the effect
   * whose result this event is), so finishing an entry costs no write of its own. Inline effect
   * runs are added to `runs`, stored or not.
   */
  async function commit(sagaId: string, event: SagaEventInput<M>, attempt: number, runs: SagaInlineRun[], completed?: string): Promise<Commit> {
    const cached = docs.get(sagaId);
    const doc = cached ?? (await store.load(sagaId));
    if (!doc) throw new SagaNotFoundError(sagaId);
    const prev = readSnapshot(doc);
    const now = clock();
    const stamped = { ...event, at: now } as never;
    const [afterEvent, actions] = transition(machine, prev.snapshot as never, stamped) as [
      SnapshotFrom<M>,
      { type: string; params?: unknown }[],
    ];
    const version = doc.version + 1;
    const ctx: OutboxContext = { sagaId, version, now, replyQueue: o.replyQueue, definition: def, effectNames };
    const inlined: SagaInlineRun[] = [];
    const { next, entries } = await inline.run(sagaId, afterEvent, buildOutbox(actions, ctx), ctx, inlined);
    runs.push(...inlined);
    const { json } = persistSnapshot(machine, next);
    if (json === prev.json && entries.length === 0 && inlined.length === 0) {
      if (cached && !def.isStale?.(prev.snapshot, event)) {
        // Ignored by a state that may be stale: decide on the stored one.
        docs.delete(sagaId);
        return { kind: 'conflict' };
      }
      logger.debug({ sagaId, saga: def.name, event: event.type, state: doc.state }, 'saga event ignored (stale, duplicate or not accepted here)');
      return { kind: 'ignored', result: { view: toView(doc, prev.snapshot), changed: false } };
    }
    const encoded = entries.map(encodeEntry);
    const patch = { ...project(next, json), version, updatedAt: now };
    const drop = removals.snapshot(sagaId, completed);
    const kept = drop.size > 0 ? doc.outbox.filter((raw) => !drop.has(raw)) : doc.outbox;
    const outbox = kept.length !== doc.outbox.length || encoded.length > 0 ? [...kept, ...encoded] : null;
    if (!(await store.update(sagaId, doc, patch, outbox))) {
      docs.delete(sagaId);
      logger.debug({ sagaId, saga: def.name, attempt, cached: Boolean(cached) }, 'saga version conflict; reloading');
      return { kind: 'conflict' };
    }
    removals.forget(sagaId, drop);
    const written: SagaDocument = { ...doc, ...patch, outbox: outbox ?? doc.outbox, outboxPending: outbox ? outbox.length > 0 : doc.outboxPending };
    docs.set(written);
    const view = toView(written, next);
    logger.debug({ sagaId, saga: def.name, event: event.type, from: doc.state, to: view.state, version }, 'saga transition');
    return { kind: 'committed', view, prevTimers: readTimers(prev.snapshot as never), entries, encoded, inlined };
  }

  async function send(sagaId: string, event: SagaEventInput<M>, completed?: string): Promise<Result> {
    const runs: SagaInlineRun[] = [];
    for (let attempt = 1; attempt <= o.maxConflictRetries; attempt += 1) {
      const c = await withLock(sagaId, () => commit(sagaId, event, attempt, runs, completed));
      if (c.kind === 'ignored') {
        await inline.compensate(sagaId, runs, [], c.result.view as SagaView);
        return c.result;
      }
      if (c.kind === 'conflict') continue;
      await inline.compensate(sagaId, runs, c.inlined, c.view as SagaView);
      // Outside the lock: publishing may be slow and effects send further events to this saga.
      await afterPersist(c.view, c.prevTimers, c.entries, c.encoded);
      return { view: c.view, changed: true };
    }
    // Inline runs stay as they are: the caller's retry (a redelivered reply) runs them again.
    throw new SagaConflictError(sagaId, `version conflict persisted after ${o.maxConflictRetries} attempts`);
  }

  /** Everything after the commit point. Failures here are logged, never thrown: the state change stands. */
  async function afterPersist(view: View, prevTimers: SagaTimers, entries: OutboxEntry[], encoded: string[]): Promise<void> {
    feed.announce(view.id, view);
    await syncTimers(o.redis, keys, view.id, prevTimers, readTimers(view.snapshot as never), clock(), logger, nudger);
    const order = entries.map((entry, i) => ({ entry, raw: encoded[i]! }));
    // Messages first: an effect's result event may itself emit more messages (handled recursively).
    for (const { entry, raw } of order.filter((x) => x.entry.kind === 'message')) await processEntry(view.id, entry, raw);
    if (o.onTransition) {
      try {
        await o.onTransition(view);
      } catch (err) {
        logger.warn({ sagaId: view.id, err: String(err) }, 'saga onTransition hook failed');
      }
    }
    for (const { entry, raw } of order.filter((x) => x.entry.kind === 'effect')) await processEntry(view.id, entry, raw);
  }

  /**
   * Publishes or executes one outbox entry; its removal rides on the saga's next write (see
   * `removals`). An effect's entry goes in the same update that applies its result event: a crash
   * in between leaves the entry, and the relay runs the (idempotent) effect again. false = left for
   * the relay.
   */
  async function processEntry(sagaId: string, entry: OutboxEntry, raw: string): Promise<boolean> {
    try {
      if (entry.kind === 'message') {
        await o.publisher.send(entry.queue, def.messages[entry.queue]!, entry.body, {
          correlationId: entry.correlationId,
          ...(entry.replyTo !== undefined ? { replyTo: entry.replyTo } : {}),
          messageId: entry.messageId,
        });
        removals.add(sagaId, raw);
      } else {
        const handler = o.effects[entry.name];
        if (!handler) throw new Error(`no handler for effect ${entry.name}`);
        const result = await handler(entry.payload, { sagaId, effectId: entry.effectId });
        const applied = result ? (await send(sagaId, result as unknown as SagaEventInput<M>, raw)).changed : false;
        if (!applied) removals.add(sagaId, raw);
      }
      return true;
    } catch (err) {
      logger.warn(
        { sagaId, saga: def.name, kind: entry.kind, entry: entry.id, err: String(err) },
        'saga outbox entry not completed; the relay retries it',
      );
      return false;
    }
  }

  async function handleReply(correlationId: string | undefined, body: unknown): Promise<ReplyOutcome> {
    const ids = parseCorrelationId(correlationId);
    const event = ids ? def.replyToEvent(body, { requestId: ids.requestId }) : null;
    if (!ids || !event) {
      logger.warn({ saga: def.name, correlationId }, 'saga reply not understood; ignored');
      return 'malformed';
    }
    try {
      const { changed } = await send(ids.sagaId, event);
      if (!changed) logger.info({ sagaId: ids.sagaId, requestId: ids.requestId }, 'saga reply ignored (duplicate or stale)');
      return changed ? 'applied' : 'ignored';
    } catch (err) {
      if (!(err instanceof SagaNotFoundError)) throw err;
      logger.warn({ sagaId: ids.sagaId, requestId: ids.requestId }, 'reply for unknown saga; ignored');
      return 'unknown-saga';
    }
  }

  /** Removes completed entries when no transition came to take them along. Caller-independent: takes the lock. */
  async function flushRemovals(sagaId: string, drop: ReadonlySet<string>): Promise<void> {
    try {
      await withLock(sagaId, async () => {
        for (let attempt = 1; attempt <= o.maxConflictRetries; attempt += 1) {
          const doc = await store.load(sagaId);
          const kept = doc ? doc.outbox.filter((raw) => !drop.has(raw)) : [];
          docs.delete(sagaId);
          if (!doc || kept.length === doc.outbox.length || (await store.setOutbox(sagaId, doc.outbox, kept))) {
            removals.forget(sagaId, drop);
            return;
          }
        }
      });
    } catch (err) {
      logger.warn({ sagaId, saga: def.name, err: String(err) }, 'completed saga outbox entries not removed yet; retrying');
    }
  }

  /** Sends the timeout event of one timer (from a Redis expiry or the sweep). */
  function fireTimer(sagaId: string, timer: string, token: string): Promise<Result> {
    return send(sagaId, { type: SAGA_TIMEOUT, timer, token } as unknown as SagaEventInput<M>);
  }

  return {
    get,
    peek,
    start,
    send: (sagaId: string, event: SagaEventInput<M>) => send(sagaId, event),
    handleReply,
    fireTimer,
    processEntry,
    readSnapshot,
    decodeEntry,
    /** The relay calls this before giving up its lease on a saga's outbox. */
    flushRemovals: (sagaId: string) => removals.flushNow(sagaId),
    /** Completed here, removal pending: the relay must not send it again. */
    isCompleted: (sagaId: string, raw: string) => removals.has(sagaId, raw),
    close: () => removals.close(),
  };
}

export type SagaCore = ReturnType<typeof createSagaCore<AnyStateMachine, unknown, unknown>>;
