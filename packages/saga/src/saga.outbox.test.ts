import t from 'tap';
import { createHarness, waitFor } from './saga.test-support.js';
import { correlationIdOf, decodeEntry } from './saga.outbox.js';
import type { OutboxPublisher } from './saga.types.js';

t.test('the outbox entry is written with the snapshot and published after, exactly once', async (t) => {
  const h = await createHarness(t);
  const { received, drain } = await h.consume();
  // Records the document as it is at publish time: the entry must already be persisted then.
  const seenAtPublish: string[][] = [];
  const publisher: OutboxPublisher = {
    async send(queue, schema, body, props) {
      const doc = await h.collection.findOne({ _id: (body as { sagaId: string }).sagaId });
      seenAtPublish.push(doc?.outbox ?? []);
      await h.publisher.send(queue, schema, body, props);
    },
  };
  const rt = h.runtime({ publisher });
  const id = h.id();
  const { view } = await rt.start(id, { sagaId: id, text: 'hello', timeoutMs: 60_000 });
  const requestId = view.snapshot.context.pendingRequestId!;

  t.equal(seenAtPublish.length, 1);
  t.equal(seenAtPublish[0]!.length, 1, 'entry was in the document before the publish');
  t.match(decodeEntry(seenAtPublish[0]![0]!), { kind: 'message', queue: h.queue, requestId });

  await waitFor('the request', () => received.length >= 1);
  await drain();
  t.equal(received.length, 1, 'delivered once');
  t.same(received[0]!.body, { sagaId: id, requestId, text: 'hello' });
  t.equal(received[0]!.correlationId, correlationIdOf(id, requestId));
  t.equal(received[0]!.messageId, correlationIdOf(id, requestId), 'stable message id lets consumers dedupe');
  t.match(received[0]!.replyTo, /^saga-test-replies-/);

  // Removal rides on the next write or a flush after relayGraceMs / 2 (saga.removals.ts); no write follows here.
  const doc = await waitFor('the confirmed entry removed', async () => {
    const d = await h.collection.findOne({ _id: id });
    return d && d.outbox.length === 0 ? d : undefined;
  });
  t.same(doc.outbox, [], 'entry removed once confirmed');
  t.equal(doc.outboxPending, false);
  t.equal(await rt.relayOnce(), 0, 'nothing left for the relay');
});

t.test('a crash between persist and publish loses nothing: another instance relays it once', async (t) => {
  const h = await createHarness(t);
  const { received, drain } = await h.consume();
  // Instance A persists, then "dies" before the broker confirms anything.
  const crashing: OutboxPublisher = {
    send: async () => {
      throw new Error('process crashed before publishing');
    },
  };
  const a = h.runtime({ publisher: crashing });
  const id = h.id();
  const { view } = await a.start(id, { sagaId: id, text: 'survive', timeoutMs: 60_000 });
  t.equal(view.pendingOutbox, 1);
  const stuck = await h.collection.findOne({ _id: id });
  t.equal(stuck!.outbox.length, 1, 'entry still in the document');
  t.equal(stuck!.outboxPending, true);

  // Instance B's relay (started in the background like in production) delivers it.
  const b = h.runtime({ relayIntervalMs: 50 });
  await b.startBackground();
  await waitFor('relayed request', () => received.length >= 1);
  await waitFor('outbox emptied', async () => (await h.collection.findOne({ _id: id }))!.outboxPending === false);
  await drain();
  t.equal(received.length, 1, 'exactly one delivery');
  t.equal(received[0]!.body.requestId, view.snapshot.context.pendingRequestId);
  t.equal(received[0]!.correlationId, correlationIdOf(id, view.snapshot.context.pendingRequestId!));
  t.equal(await b.relayOnce(), 0, 'a further relay round sends nothing');
});

t.test('the relay leaves fresh entries to the instance that wrote them', async (t) => {
  const h = await createHarness(t);
  const failing: OutboxPublisher = { send: async () => Promise.reject(new Error('broker down')) };
  const a = h.runtime({ publisher: failing });
  const id = h.id();
  await a.start(id, { sagaId: id, text: 'x', timeoutMs: 60_000 });
  const b = h.runtime({ relayGraceMs: 3_600_000 });
  t.equal(await b.relayOnce(), 0, 'entry younger than the grace period is not touched');
  const c = h.runtime({ relayGraceMs: 0 });
  t.equal(await c.relayOnce(), 1);
});

t.test('a machine emitting a body that violates its queue schema fails before persisting', async (t) => {
  const h = await createHarness(t);
  const rt = h.runtime();
  const id = h.id();
  // An empty text is fine, but a non-string breaks the PingRequest contract.
  await t.rejects(rt.start(id, { sagaId: id, text: 42 as unknown as string, timeoutMs: 60_000 }), {
    name: 'SagaDefinitionError',
    message: /body for saga-test-.*\/text/,
  });
  t.equal(await h.collection.findOne({ _id: id }), null, 'no document written');
});
