import t from 'tap';
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { createRecordingLogger, deferred, deleteQueues, eventually, openConnection, uniqueName } from './amqp.test-support.js';
import { createTypedConsumer } from './consumer.js';
import { createTypedPublisher, UnroutableError } from './publisher.js';
import { createRequestClient, RequestClientClosedError, RequestTimeoutError } from './request-client.js';
import { createResponder } from './responder.js';
import { workQueue } from './topology.js';

const Ping = Type.Object({ n: Type.Integer() }, { additionalProperties: false });
const Pong = Type.Object({ doubled: Type.Integer(), by: Type.String() }, { additionalProperties: false });

t.test('request/reply round trip through RabbitMQ with the in-memory request client', async (t) => {
  const logger = createRecordingLogger();
  const queue = uniqueName('rpc');
  const server = await openConnection('rpc-server', logger);
  const client = await openConnection('rpc-client', logger);
  const responder = createResponder(server.conn, {
    queue,
    requestSchema: Ping,
    replySchema: Pong,
    logger,
    handler: async (body) => ({ doubled: body.n * 2, by: 'responder' }),
  });
  const requests = createRequestClient(client.conn, { logger, timeoutMs: 10_000 });
  t.teardown(async () => {
    await requests.close();
    await responder.close();
    await deleteQueues(server.conn, [queue]);
    await client.conn.close();
    await server.conn.close();
  });
  await responder.ready;

  const replies = await Promise.all([1, 2, 3].map((n) => requests.request(queue, Ping, { n }, Pong)));
  t.same(replies, [2, 4, 6].map((doubled) => ({ doubled, by: 'responder' })));
  // Close is idempotent.
  await requests.close();
  await requests.close();
  await t.rejects(requests.request(queue, Ping, { n: 1 }, Pong), RequestClientClosedError);
});

t.test('request client: timeout, unroutable, close with pending requests', async (t) => {
  const logger = createRecordingLogger();
  const queue = uniqueName('rpc-silent');
  const { conn } = await openConnection('rpc-silent', logger);
  // A queue that exists but that nobody answers.
  await conn.queueDeclare(workQueue(queue));
  const requests = createRequestClient(conn, { logger });
  t.teardown(async () => {
    await requests.close();
    await deleteQueues(conn, [queue]);
    await conn.close();
  });

  const timedOut = requests.request(queue, Ping, { n: 1 }, Pong, { timeoutMs: 300 });
  await t.rejects(timedOut, RequestTimeoutError);
  await t.rejects(timedOut, { message: new RegExp(`no reply from "${queue}" within 300 ms`) });

  await t.rejects(requests.request(uniqueName('no-such-queue'), Ping, { n: 1 }, Pong), UnroutableError);

  const pending = requests.request(queue, Ping, { n: 2 }, Pong, { timeoutMs: 60_000 });
  const closed = requests.close();
  await t.rejects(pending, RequestClientClosedError);
  await closed;
});

t.test('durable named reply queue: any consumer on it (another connection) takes the reply', async (t) => {
  const logger = createRecordingLogger();
  const requestQueue = uniqueName('saga-request');
  const replyQueue = uniqueName('saga-reply');
  const worker = await openConnection('worker', logger);
  const sender = await openConnection('sender', logger);
  const other = await openConnection('other-instance', logger);

  const responder = createResponder(worker.conn, {
    queue: requestQueue,
    requestSchema: Ping,
    replySchema: Pong,
    logger,
    handler: async (body) => ({ doubled: body.n * 2, by: 'worker' }),
  });
  const publisher = createTypedPublisher(sender.conn, { logger, queues: [requestQueue] });
  const received = deferred<{ body: unknown; correlationId: string | undefined }>('the reply on the durable queue');
  const replies = createTypedConsumer(other.conn, {
    queue: replyQueue,
    schema: Pong,
    logger,
    handler: async (body, msg) => received.resolve({ body, correlationId: msg.correlationId }),
  });
  t.teardown(async () => {
    await replies.close();
    await publisher.close();
    await responder.close();
    await deleteQueues(worker.conn, [requestQueue, replyQueue]);
    for (const c of [other, sender, worker]) await c.conn.close();
  });
  await Promise.all([responder.ready, replies.ready]);

  const correlationId = randomUUID();
  await publisher.send(requestQueue, Ping, { n: 21 }, { replyTo: replyQueue, correlationId });
  const reply = await received.promise;
  t.same(reply, { body: { doubled: 42, by: 'worker' }, correlationId });
});

t.test('request client: a late reply is logged and dropped; an invalid reply rejects clearly', async (t) => {
  const logger = createRecordingLogger();
  const slowQueue = uniqueName('rpc-slow');
  const badQueue = uniqueName('rpc-bad');
  const { conn } = await openConnection('rpc-late', logger);
  const release = deferred<void>('the test to release the slow handler');
  const slow = createResponder(conn, {
    queue: slowQueue,
    requestSchema: Ping,
    replySchema: Pong,
    logger,
    handler: async (body) => {
      await release.promise;
      return { doubled: body.n * 2, by: 'slow' };
    },
  });
  // A misbehaving responder written without this package: its reply breaks the Pong contract.
  const rawReplies = conn.createPublisher({ confirm: true });
  const bad = conn.createConsumer({ queue: badQueue, queueOptions: workQueue(badQueue), requeue: false }, async (msg) => {
    await rawReplies.send({ routingKey: msg.replyTo, correlationId: msg.correlationId }, { doubled: 'many' });
  });
  const badReady = new Promise<void>((resolve) => bad.once('ready', () => resolve()));
  const requests = createRequestClient(conn, { logger });
  t.teardown(async () => {
    release.resolve();
    await requests.close();
    await slow.close();
    await bad.close();
    await rawReplies.close();
    await deleteQueues(conn, [slowQueue, badQueue]);
    await conn.close();
  });
  await Promise.all([slow.ready, badReady]);

  await t.rejects(requests.request(badQueue, Ping, { n: 1 }, Pong), {
    name: 'InvalidReplyError',
    message: /invalid reply from ".*": schema validation failed: .*\/doubled: Expected integer/,
  });

  await t.rejects(requests.request(slowQueue, Ping, { n: 1 }, Pong, { timeoutMs: 200 }), RequestTimeoutError);
  release.resolve();
  await eventually('the late reply to be logged', async () =>
    logger.entries.find((e) => e.msg === 'reply for an unknown or timed-out request dropped') ? true : undefined,
  );
  t.pass('late reply dropped without crashing');
});
