import t from 'tap';
import { SagaConflictError, SagaDefinitionError, SagaNotFoundError, SagaVersionError } from './saga.errors.js';
import { createHarness, createRecordingLogger } from './saga.test-support.js';
import { correlationIdOf } from './saga.outbox.js';

t.test('start persists the initial snapshot with projections and is idempotent', async (t) => {
  const h = await createHarness(t);
  let now = 1_000_000;
  const rt = h.runtime({ clock: () => now });
  await rt.ensureIndexes();
  const id = h.id();
  const first = await rt.start(id, { sagaId: id, text: 'hello', timeoutMs: 60_000 });
  t.equal(first.created, true);
  t.equal(first.view.state, 'waiting');
  t.equal(first.view.version, 1);
  t.equal(first.view.final, false);
  t.equal(first.view.nextDeadline, 1_060_000, 'deadline = start time + timeout');
  t.same(first.view.index, { text: 'hello' });

  const indexes = (await h.collection.indexes()).map((i) => i.name);
  t.ok(['saga_due', 'saga_outbox', 'saga_index_text'].every((n) => indexes.includes(n)), 'indexes created');
  t.equal((await h.collection.findOne({ 'index.text': 'hello' }))?._id, id, 'found by its index projection');

  const doc = await h.collection.findOne({ _id: id });
  t.ok(doc);
  t.equal(typeof doc!.snapshot, 'string', 'snapshot stored as JSON text (no nested arrays, no $ keys)');
  t.equal(doc!.machine, h.sagaName);
  t.equal(doc!.machineVersion, 1);
  t.same(doc!.status, { state: 'waiting', stamps: 0 });
  t.equal(doc!.createdAt, 1_000_000);

  now += 5;
  const again = await rt.start(id, { sagaId: id, text: 'other', timeoutMs: 1 });
  t.equal(again.created, false, 'a second start with the same id does not create');
  t.equal(again.view.version, 1);
  t.same(again.view.index, { text: 'hello' }, 'the original saga is kept');
});

t.test('send applies a transition with optimistic concurrency; ignored events write nothing', async (t) => {
  const h = await createHarness(t);
  const rt = h.runtime();
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 60_000 });

  const ignored = await rt.send(id, { type: 'STAMP' });
  t.equal(ignored.changed, false, 'STAMP is not accepted in waiting');
  t.equal((await h.collection.findOne({ _id: id }))!.version, 1, 'nothing written');

  const results = await Promise.all([rt.send(id, { type: 'APPROVE' }), rt.send(id, { type: 'APPROVE' })]);
  t.same(results.map((r) => r.changed).sort(), [false, true], 'two concurrent APPROVEs: applied exactly once');
  const doc = await h.collection.findOne({ _id: id });
  t.equal(doc!.version, 2, 'one version bump');
  t.equal(doc!.state, 'approved');

  await t.rejects(rt.send(h.id(), { type: 'APPROVE' }), SagaNotFoundError);
  t.equal(await rt.get(h.id()), null);
});

t.test('many concurrent writers on one saga all land (conflicts are retried)', async (t) => {
  const h = await createHarness(t);
  const rt = h.runtime();
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 60_000 });
  const results = await Promise.all(Array.from({ length: 6 }, () => rt.send(id, { type: 'REARM' })));
  t.ok(results.every((r) => r.changed), 'every REARM changes the timer token');
  const view = await rt.get(id);
  t.equal(view!.version, 7, 'six transitions, no lost update');
  t.equal(view!.snapshot.context.seq, 2 + 6, 'every re-arm consumed one sequence number');
});

t.test('a saga that keeps conflicting gives up with SagaConflictError', async (t) => {
  const h = await createHarness(t);
  const rt = h.runtime({ maxConflictRetries: 1 });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 60_000 });
  // Another writer bumps the version between load and update of every attempt.
  const original = h.collection.updateOne.bind(h.collection);
  h.collection.updateOne = (async (...args: Parameters<typeof original>) => {
    await original({ _id: id }, { $inc: { version: 1 } });
    return original(...args);
  }) as typeof original;
  t.teardown(() => {
    h.collection.updateOne = original;
  });
  await t.rejects(rt.send(id, { type: 'APPROVE' }), SagaConflictError);
});

t.test('replies: applied once, duplicates and stale ones ignored, unknown correlation ignored', async (t) => {
  const h = await createHarness(t);
  const logger = createRecordingLogger();
  const rt = h.runtime({ logger });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 60_000 });
  const requestId = (await rt.get(id))!.snapshot.context.pendingRequestId!;

  t.equal(await rt.handleReply(correlationIdOf(id, 'r999'), { requestId: 'r999', ok: true }), 'ignored', 'stale request id');
  t.equal(await rt.handleReply(correlationIdOf(id, requestId), { requestId, ok: true }), 'applied');
  const after = await h.collection.findOne({ _id: id });
  t.equal(await rt.handleReply(correlationIdOf(id, requestId), { requestId, ok: true }), 'ignored', 'duplicate reply');
  t.equal((await h.collection.findOne({ _id: id }))!.version, after!.version, 'duplicate wrote nothing');
  t.equal(after!.state, 'ponged');
  t.equal(after!.final, true);
  t.equal(after!.nextDeadline, null, 'final sagas have no deadline');

  t.equal(await rt.handleReply(correlationIdOf(h.id(), 'r1'), { requestId: 'r1', ok: true }), 'unknown-saga');
  t.ok(logger.entries.some((e) => e.level === 'warn' && e.msg === 'reply for unknown saga; ignored'), 'logged');
  t.equal(await rt.handleReply(undefined, { requestId: 'r1', ok: true }), 'malformed');
  t.equal(await rt.handleReply('no-colon', {}), 'malformed');
  t.equal(await rt.handleReply(correlationIdOf(id, requestId), { nonsense: true }), 'malformed');
});

t.test('effects run after the commit and feed their result back as an event', async (t) => {
  const h = await createHarness(t);
  const calls: { payload: unknown; effectId: string }[] = [];
  const rt = h.runtime({
    effects: {
      stamp: async (payload, { effectId }) => {
        calls.push({ payload, effectId });
        return { type: 'STAMPED', stampId: effectId };
      },
    },
  });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'stamp me', timeoutMs: 60_000 });
  await rt.send(id, { type: 'APPROVE' });
  await rt.send(id, { type: 'STAMP' });
  t.same(calls, [{ payload: { text: 'stamp me' }, effectId: 'e3' }], 'handler ran once with the machine payload');
  const doc = await h.collection.findOne({ _id: id });
  t.equal(doc!.state, 'stamped');
  t.same(doc!.outbox, [], 'effect entry removed once its result was applied');
  t.equal(doc!.outboxPending, false);
});

t.test('a failing effect stays in the outbox and the relay completes it', async (t) => {
  const h = await createHarness(t);
  let fail = true;
  const stamp = async () => {
    if (fail) throw new Error('database briefly down');
    return { type: 'STAMPED', stampId: 'x' };
  };
  const rt = h.runtime({ effects: { stamp } });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 60_000 });
  await rt.send(id, { type: 'APPROVE' });
  await rt.send(id, { type: 'STAMP' });
  t.equal((await rt.get(id))!.state, 'stamping');
  t.equal((await rt.get(id))!.pendingOutbox, 1);
  fail = false;
  t.equal(await rt.relayOnce(), 1);
  t.equal((await rt.get(id))!.state, 'stamped');
});

t.test('machine bugs and foreign documents fail clearly', async (t) => {
  const h = await createHarness(t);
  const rt = h.runtime();
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 60_000 });
  await rt.send(id, { type: 'APPROVE' });
  await t.rejects(rt.send(id, { type: 'STAMP' }), SagaDefinitionError, 'effect without a handler is rejected before persisting');
  t.equal((await rt.get(id))!.state, 'approved', 'nothing persisted');

  await h.collection.updateOne({ _id: id }, { $set: { machineVersion: 99 } });
  // Another instance (a fresh process after a deploy has no cached copy) reads the foreign document.
  const other = h.runtime();
  await t.rejects(other.send(id, { type: 'STAMP' }), SagaVersionError);
  await t.rejects(rt.get(id), SagaVersionError);
});
