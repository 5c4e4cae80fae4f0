import t from 'tap';
import { createHarness, waitFor } from './saga.test-support.js';
import { decodeEntry } from './saga.outbox.js';

// A long grace period puts the deferred flush (half of it) out of reach of these tests: whatever
// removes an entry here is the saga's own next write.
const LONG_GRACE = 120_000;

t.test('a published request leaves the outbox in the next transition’s write, not in a write of its own', async (t) => {
  const h = await createHarness(t);
  const { received } = await h.consume();
  const rt = h.runtime({ relayGraceMs: LONG_GRACE });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'fold', timeoutMs: 60_000 });
  await waitFor('the request', () => received.length >= 1);

  const before = await h.collection.findOne({ _id: id });
  t.equal(before!.outbox.length, 1, 'published, but not yet removed (no extra write)');
  t.match(decodeEntry(before!.outbox[0]!), { kind: 'message' });

  const { view } = await rt.send(id, { type: 'APPROVE' });
  t.equal(view.version, 2);
  const after = await h.collection.findOne({ _id: id });
  t.equal(after!.version, 2, 'one write');
  t.same(after!.outbox, [], 'the transition dropped the completed entry');
  t.equal(after!.outboxPending, false);
});

t.test('an effect’s entry goes in the same write that applies its result', async (t) => {
  const h = await createHarness(t);
  let runs = 0;
  const rt = h.runtime({
    relayGraceMs: LONG_GRACE,
    effects: {
      stamp: async () => {
        runs += 1;
        // While the effect runs, its entry is still stored: a crash now makes the relay run it again.
        t.equal((await h.collection.findOne({ _id: id }))!.outbox.filter((r) => decodeEntry(r).kind === 'effect').length, 1);
        return { type: 'STAMPED', stampId: 's1' };
      },
    },
  });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'stamp', timeoutMs: 60_000 });
  await rt.send(id, { type: 'APPROVE' });
  await rt.send(id, { type: 'STAMP' });
  const doc = await h.collection.findOne({ _id: id });
  t.equal(runs, 1);
  t.equal(doc!.state, 'stamped');
  t.same(doc!.outbox.map((r) => decodeEntry(r).kind), [], 'effect entry removed with the STAMPED transition');
});

t.test('without a following transition, completed entries are flushed after half the grace period', async (t) => {
  const h = await createHarness(t);
  const { received } = await h.consume();
  const rt = h.runtime({ relayGraceMs: 400 });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'idle', timeoutMs: 60_000 });
  await waitFor('the request', () => received.length >= 1);
  const doc = await waitFor('outbox flushed', async () => {
    const d = await h.collection.findOne({ _id: id });
    return d && d.outbox.length === 0 ? d : undefined;
  }, 5_000);
  t.equal(doc.outboxPending, false, 'and no longer flagged for the relay');
  t.equal(doc.version, 1, 'a flush is not a transition');
});

t.test('the relay does not send again what this instance completed but has not removed yet', async (t) => {
  const h = await createHarness(t);
  const { received, drain } = await h.consume();
  let now = Date.now();
  const rt = h.runtime({ relayGraceMs: LONG_GRACE, clock: () => now });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'once', timeoutMs: 600_000 });
  await waitFor('the request', () => received.length >= 1);
  now += 2 * LONG_GRACE; // the entry is now "old" for the relay, while the real flush timer has not run
  t.equal((await h.collection.findOne({ _id: id }))!.outbox.length, 1, 'still stored');
  t.equal(await rt.relayOnce(), 0, 'relay skips it');
  t.same((await h.collection.findOne({ _id: id }))!.outbox, [], 'and removes it before releasing its lease');
  await drain();
  t.equal(received.length, 1, 'delivered exactly once');
});

t.test('close() removes what is still pending', async (t) => {
  const h = await createHarness(t);
  const { received } = await h.consume();
  const rt = h.runtime({ relayGraceMs: LONG_GRACE });
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'bye', timeoutMs: 60_000 });
  await waitFor('the request', () => received.length >= 1);
  await rt.close();
  t.same((await h.collection.findOne({ _id: id }))!.outbox, [], 'flushed on close');
});
