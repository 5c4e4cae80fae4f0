import t from 'tap';
import type { Collection } from 'mongodb';
import { correlationIdOf } from './saga.outbox.js';
import { createHarness } from './saga.test-support.js';
import { createTestSaga } from './test-machine.test-support.js';
import type { SagaDocument, SagaInlineRun, SagaView } from './saga.types.js';

type Harness = Awaited<ReturnType<typeof createHarness>>;

/** The harness's saga with the stamp effect inline (same name and queue). */
const inlineDefinition = (h: Harness) => createTestSaga(h.sagaName, h.queue, { inlineStamp: true });

/** A stamp handler that counts its runs and fails the first `failures` of them. */
function stamper(failures = 0) {
  const calls: string[] = [];
  const stamp = async (_payload: Record<string, unknown>, meta: { effectId: string }) => {
    calls.push(meta.effectId);
    if (calls.length <= failures) throw new Error('stamp store down');
    return { type: 'STAMPED', stampId: meta.effectId };
  };
  return { calls, stamp };
}

/** The collection with its `findOne` calls counted (the store's loads). */
function countingLoads(collection: Collection<SagaDocument>) {
  const counter = { loads: 0 };
  const proxy = new Proxy(collection, {
    get(target, prop, receiver) {
      if (prop === 'findOne') counter.loads += 1;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { collection: proxy, counter };
}

t.test('an inline effect is stored with the transition that asked for it: one write for both', async (t) => {
  const h = await createHarness(t);
  const { calls, stamp } = stamper();
  const rt = h.runtime({ definition: inlineDefinition(h), effects: { stamp } });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'now', timeoutMs: 60_000 });
  await rt.send(id, { type: 'APPROVE' });
  const res = await rt.send(id, { type: 'STAMP' });
  t.equal(res.changed, true);
  t.equal(res.view.state, 'stamped', 'the effect result was applied before the write');
  t.same(calls, ['e3'], 'ran once');
  const doc = await h.collection.findOne({ _id: id });
  t.equal(doc!.state, 'stamped');
  t.equal(doc!.version, 3, 'start, APPROVE, STAMP+STAMPED: no write for the intermediate state');
  t.notOk(doc!.outbox.some((raw) => raw.includes('"effect"')), 'no effect entry was ever stored');
});

t.test('a failing inline run is stored in the outbox and runs as a usual effect', async (t) => {
  const h = await createHarness(t);
  const { calls, stamp } = stamper(1);
  const rt = h.runtime({ definition: inlineDefinition(h), effects: { stamp } });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'later', timeoutMs: 60_000 });
  await rt.send(id, { type: 'APPROVE' });
  const res = await rt.send(id, { type: 'STAMP' });
  t.equal(res.view.state, 'stamping', 'stored with the effect pending');
  const doc = await h.collection.findOne({ _id: id });
  t.equal(doc!.state, 'stamped', 'the stored entry ran after the write, as any effect');
  t.equal(doc!.version, 4);
  t.equal(calls.length, 2, 'the failed inline run, then the outbox run');
});

t.test('an inline run whose write lost to another instance is handed to its compensation with the stored saga', async (t) => {
  const h = await createHarness(t);
  const { calls, stamp } = stamper();
  const undone: { run: SagaInlineRun; stored: SagaView }[] = [];
  const compensations = { stamp: async (run: SagaInlineRun, stored: SagaView) => void undone.push({ run, stored }) };
  const definition = inlineDefinition(h);
  // A long grace keeps the deferred outbox removal from dropping A's cached copy (it rides on APPROVE).
  const a = h.runtime({ definition, effects: { stamp }, compensations, relayGraceMs: 60_000 });
  // B's clock is past the deadline: its sweep times the saga out while A still caches `approved`.
  const b = h.runtime({ definition, effects: { stamp }, clock: () => Date.now() + 120_000 });
  const id = h.id();
  await a.start(id, { sagaId: id, text: 'race', timeoutMs: 60_000 });
  await a.send(id, { type: 'APPROVE' });
  t.equal(await b.sweepOnce(), 1, 'B timed it out');

  const res = await a.send(id, { type: 'STAMP' });
  t.equal(res.changed, false, 'the stored saga no longer takes STAMP');
  t.equal(res.view.state, 'timedOut');
  t.equal(calls.length, 1, 'the run on the stale cached state happened');
  t.equal(undone.length, 1, 'and was handed to its compensation');
  t.match(undone[0], { run: { name: 'stamp', result: { type: 'STAMPED' } }, stored: { id, state: 'timedOut', final: true } });
  t.equal((await h.collection.findOne({ _id: id }))!.state, 'timedOut');
});

t.test('isStale: a reply the cached state can never take again is ignored without reading the stored saga', async (t) => {
  const h = await createHarness(t);
  const plain = countingLoads(h.collection);
  const withStale = countingLoads(h.collection);
  const definition = h.definition;
  const a = h.runtime({ collection: plain.collection, relayGraceMs: 60_000 });
  const b = h.runtime({
    collection: withStale.collection,
    relayGraceMs: 60_000,
    definition: {
      ...definition,
      // r<n> issued at or before the current seq and not pending now: never pending again.
      isStale: (s, e) => e.type === 'PONG' && e.requestId !== s.context.pendingRequestId && Number(e.requestId.slice(1)) <= s.context.seq,
    },
  });
  const id1 = h.id();
  const id2 = h.id();
  const { view } = await a.start(id1, { sagaId: id1, text: 'a', timeoutMs: 60_000 });
  await b.start(id2, { sagaId: id2, text: 'b', timeoutMs: 60_000 });
  const stale = 'r1';
  t.not(view.snapshot.context.pendingRequestId, stale);
  plain.counter.loads = 0;
  withStale.counter.loads = 0;

  t.equal(await a.handleReply(correlationIdOf(id1, stale), { requestId: stale, ok: true }), 'ignored');
  t.equal(plain.counter.loads, 1, 'without isStale the stored saga is read before ignoring');
  t.equal(await b.handleReply(correlationIdOf(id2, stale), { requestId: stale, ok: true }), 'ignored');
  t.equal(withStale.counter.loads, 0, 'with isStale it is not');
  const pending = view.snapshot.context.pendingRequestId!;
  t.equal(await b.handleReply(correlationIdOf(id2, pending), { requestId: pending, ok: true }), 'applied', 'the pending reply still applies');
});
