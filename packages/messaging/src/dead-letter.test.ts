import t, { type Test } from 'tap';
import { Type } from '@sinclair/typebox';
import { AccountCreationRequest, DEAD_LETTER_REASON_HEADER } from '@ashchat/contracts';
import { createRecordingLogger, deferred, deleteQueues, getMessages, openConnection, uniqueName } from './amqp.test-support.js';
import { createTypedConsumer, type HandlerResult } from './consumer.js';
import { ORIGINAL_QUEUE_HEADER } from './dead-letter.js';
import { createTypedPublisher } from './publisher.js';
import { createResponder } from './responder.js';
import { deadLetterQueueFor, DELIVERY_LIMIT, workQueue } from './topology.js';

const Job = Type.Object({ n: Type.Integer() }, { additionalProperties: false });

async function setup(t: Test, label: string) {
  const logger = createRecordingLogger();
  const queue = uniqueName(label);
  const { conn } = await openConnection(label, logger);
  // Raw publisher: lets the tests send what a typed publisher refuses to send.
  const raw = conn.createPublisher({ confirm: true, queues: [workQueue(queue)] });
  const closers: Array<() => Promise<void>> = [];
  t.teardown(async () => {
    for (const close of closers.reverse()) await close();
    await raw.close();
    await deleteQueues(conn, [queue]);
    await conn.close();
  });
  return { logger, queue, conn, raw, onClose: (close: () => Promise<void>) => closers.push(close) };
}

t.test('invalid JSON and schema violations are dead-lettered with a reason; the consumer keeps going', async (t) => {
  const { queue, conn, raw, onClose } = await setup(t, 'invalid');
  const handled: number[] = [];
  const valid = deferred<number>('the valid message');
  const consumer = createTypedConsumer(conn, {
    queue,
    schema: Job,
    logger: createRecordingLogger(),
    handler: async (body) => {
      handled.push(body.n);
      if (body.n === 7) valid.resolve(body.n);
    },
  });
  onClose(() => consumer.close());
  await consumer.ready;

  const headers = { 'x-trace': 'trace-1' };
  await raw.send({ routingKey: queue, contentType: 'application/json', messageId: 'bad-json', correlationId: 'c-1', headers }, Buffer.from('{"n": 1'));
  await raw.send({ routingKey: queue, messageId: 'bad-shape', headers }, { n: 'one', extra: true });
  await raw.send({ routingKey: queue, messageId: 'good' }, { n: 7 });

  t.equal(await valid.promise, 7);
  const dead = await getMessages(conn, deadLetterQueueFor(queue), 2);
  const byId = new Map(dead.map((m) => [m.messageId, m]));

  const badJson = byId.get('bad-json');
  t.equal(badJson?.headers?.[DEAD_LETTER_REASON_HEADER], 'invalid JSON');
  t.equal(badJson?.headers?.['x-trace'], 'trace-1', 'original headers kept');
  t.equal(badJson?.headers?.[ORIGINAL_QUEUE_HEADER], queue);
  t.equal(badJson?.correlationId, 'c-1', 'original properties kept');
  t.equal(badJson?.durable, true);
  t.same(badJson?.body, Buffer.from('{"n": 1'), 'raw body kept byte for byte');

  const badShape = byId.get('bad-shape');
  t.match(badShape?.headers?.[DEAD_LETTER_REASON_HEADER], /^schema validation failed: .*\/n: Expected integer/);
  t.match(badShape?.headers?.[DEAD_LETTER_REASON_HEADER], /\/extra: Unexpected property/);
  t.same(badShape?.body, { n: 'one', extra: true });

  t.same(handled, [7], 'the handler only ever saw the valid message');
});

t.test('a contract message breaking the text rule, or not UTF-8, is dead-lettered with the reason; the handler never sees it', async (t) => {
  const { queue, conn, raw, onClose } = await setup(t, 'text-rule');
  const handled: string[] = [];
  const valid = deferred<void>('the valid message');
  const consumer = createTypedConsumer(conn, {
    queue,
    schema: AccountCreationRequest,
    logger: createRecordingLogger(),
    handler: async (body) => {
      handled.push(body.nickname);
      if (body.requestId === 'r-good') valid.resolve();
    },
  });
  onClose(() => consumer.close());
  await consumer.ready;

  const request = {
    registrationId: '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90',
    requestId: 'r1',
    email: 'ada@example.org',
    nickname: 'Ada Lovelace',
    preferredLanguage: 'en',
    accountExists: false,
    expiresAt: 1767225600000,
  };
  await raw.send({ routingKey: queue, messageId: 'invisible' }, { ...request, nickname: 'Al\u200Bice' });
  await raw.send({ routingKey: queue, messageId: 'nul' }, { ...request, email: 'nul\u0000x@example.org' });
  // Not JSON-typed, so the bytes reach the consumer as they are.
  await raw.send({ routingKey: queue, messageId: 'bytes' }, Buffer.concat([Buffer.from(JSON.stringify(request).slice(0, -1)), Buffer.from(',"x":"\xff"}', 'latin1')]));
  await raw.send({ routingKey: queue, messageId: 'good' }, { ...request, requestId: 'r-good', nickname: 'Zoë 李 مرحبا' });

  await valid.promise;
  const dead = new Map((await getMessages(conn, deadLetterQueueFor(queue), 3)).map((m) => [m.messageId, m.headers?.[DEAD_LETTER_REASON_HEADER]]));
  t.match(dead.get('invisible'), /^schema validation failed: \/nickname: .*'display-name' format/);
  t.match(dead.get('nul'), /^schema validation failed: \/email: .*'line' format/);
  t.equal(dead.get('bytes'), 'invalid UTF-8');
  t.same(handled, ['Zoë 李 مرحبا'], 'the handler only ever saw the valid message');
});

t.test('a throwing handler is dead-lettered once with the error as reason, without redelivery', async (t) => {
  const { queue, conn, onClose, logger } = await setup(t, 'throws');
  const calls = new Map<number, number>();
  const marker = deferred<void>('the message after the failing one');
  const consumer = createTypedConsumer(conn, {
    queue,
    schema: Job,
    logger,
    // One at a time: a redelivered failing message would be handled before the marker.
    prefetch: 1,
    handler: async (body) => {
      calls.set(body.n, (calls.get(body.n) ?? 0) + 1);
      if (body.n === 1) throw new Error('boom: database unavailable');
      marker.resolve();
    },
  });
  const publisher = createTypedPublisher(conn, { logger, queues: [queue] });
  onClose(() => consumer.close());
  onClose(() => publisher.close());
  await consumer.ready;

  await publisher.send(queue, Job, { n: 1 }, { messageId: 'failing' });
  await publisher.send(queue, Job, { n: 2 });
  await marker.promise;

  const [dead] = await getMessages(conn, deadLetterQueueFor(queue), 1);
  t.equal(dead?.messageId, 'failing');
  t.equal(dead?.headers?.[DEAD_LETTER_REASON_HEADER], 'handler failed: Error: boom: database unavailable');
  t.equal(calls.get(1), 1, 'the failing message was handled exactly once');
  t.ok(logger.entries.some((e) => e.level === 'error' && e.msg === 'message handler failed'), 'the failure was logged');
  const { messageCount } = await conn.queueDeclare({ ...workQueue(queue), passive: true });
  t.equal(messageCount, 0, 'nothing left to redeliver');
});

t.test("'requeue' is bounded by the delivery limit and ends in the dead-letter queue; 'drop' goes there too", async (t) => {
  const { queue, conn, onClose, logger } = await setup(t, 'requeue');
  let requeued = 0;
  const consumer = createTypedConsumer(conn, {
    queue,
    schema: Job,
    logger,
    handler: async (body): Promise<HandlerResult> => {
      if (body.n === 1) {
        requeued += 1;
        return 'requeue';
      }
      return 'drop';
    },
  });
  const publisher = createTypedPublisher(conn, { logger, queues: [queue] });
  onClose(() => consumer.close());
  onClose(() => publisher.close());
  await consumer.ready;

  await publisher.send(queue, Job, { n: 1 }, { messageId: 'loops' });
  await publisher.send(queue, Job, { n: 2 }, { messageId: 'dropped' });
  const dead = await getMessages(conn, deadLetterQueueFor(queue), 2);
  t.same(dead.map((m) => m.messageId).sort(), ['dropped', 'loops']);
  t.ok(requeued > 1 && requeued <= DELIVERY_LIMIT + 1, `requeued ${requeued} times, bounded by the delivery limit`);
  for (const m of dead) t.ok(Array.isArray(m.headers?.['x-death']), 'dead-lettered by the broker (x-death)');
});

t.test('the responder dead-letters requests without replyTo/correlationId or whose reply queue is gone', async (t) => {
  const { queue, conn, raw, onClose, logger } = await setup(t, 'no-reply-to');
  let called = 0;
  const responder = createResponder(conn, {
    queue,
    requestSchema: Job,
    replySchema: Job,
    logger,
    handler: async (body) => {
      called += 1;
      return body;
    },
  });
  onClose(() => responder.close());
  await responder.ready;
  await raw.send({ routingKey: queue, messageId: 'no-reply-to', correlationId: 'c-1' }, { n: 1 });
  await raw.send({ routingKey: queue, messageId: 'no-correlation', replyTo: 'somewhere' }, { n: 2 });
  const missing = uniqueName('missing-reply-queue');
  await raw.send({ routingKey: queue, messageId: 'reply-queue-gone', replyTo: missing, correlationId: 'c-3' }, { n: 3 });
  const dead = await getMessages(conn, deadLetterQueueFor(queue), 3);
  const reasons = Object.fromEntries(dead.map((m) => [m.messageId, m.headers?.[DEAD_LETTER_REASON_HEADER]]));
  t.same(reasons, {
    'no-reply-to': 'request without replyTo',
    'no-correlation': 'request without correlationId',
    'reply-queue-gone': `reply queue "${missing}" does not exist; the reply was not delivered`,
  });
  t.equal(called, 1, 'the handler ran only for the request that had a reply address');
});
