import t, { type Test } from 'tap';
import { Type } from '@sinclair/typebox';
import { getInfra, proxyFor, type TcpProxy } from '@ashchat/testkit';
import type { Connection } from 'rabbitmq-client';
import { createRecordingLogger, deferred, deleteQueues, uniqueName } from './amqp.test-support.js';
import { createAmqpConnection } from './connection.js';
import { createTypedConsumer } from './consumer.js';
import { createTypedPublisher } from './publisher.js';
import { createRequestClient } from './request-client.js';
import { createResponder } from './responder.js';

// Shutdown with the broker gone must stay within a few seconds (the default bound is 2 s); before
// the bound each close waited for rabbitmq-client's acquireTimeout (20 s).
const BOUND_MS = 3_500;
const Job = Type.Object({ n: Type.Integer() }, { additionalProperties: false });

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return Math.round(performance.now() - started);
}

/** A connection through a proxy the test cuts, so only this connection loses the shared broker. */
async function cuttableConnection(t: Test, label: string): Promise<{ conn: Connection; proxy: TcpProxy }> {
  const { amqpUri } = await getInfra();
  const { proxy, url } = await proxyFor(amqpUri, 5672);
  const conn = createAmqpConnection({
    uri: url,
    name: uniqueName(label),
    logger: createRecordingLogger(),
    connectionOptions: { retryLow: 100, retryHigh: 500 },
  });
  t.teardown(async () => {
    await conn.close();
    await proxy.close();
  });
  await conn.onConnect(10_000);
  return { conn, proxy };
}

/** Cuts the link and waits (bounded) until the connection noticed: from now on it reconnects. */
async function cut(conn: Connection, proxy: TcpProxy): Promise<void> {
  const noticed = deferred<void>('the connection to notice the cut');
  conn.once('error', () => noticed.resolve());
  proxy.cut();
  await noticed.promise;
}

t.test('a consumer, publisher, request client and responder close within the bound once the broker is gone', async (t) => {
  const logger = createRecordingLogger();
  const { conn, proxy } = await cuttableConnection(t, 'close-bounded');
  const queue = uniqueName('close-bounded');
  const rpcQueue = uniqueName('close-bounded-rpc');
  const consumer = createTypedConsumer(conn, { queue, schema: Job, logger, handler: async () => 'ack' });
  const responder = createResponder(conn, { queue: rpcQueue, requestSchema: Job, replySchema: Job, logger, handler: async (body) => body });
  const publisher = createTypedPublisher(conn, { logger, queues: [queue] });
  const client = createRequestClient(conn, { logger });
  await Promise.all([consumer.ready, responder.ready]);
  t.same(await client.request(rpcQueue, Job, { n: 1 }, Job), { n: 1 }, 'request/reply works through the proxy');
  await publisher.send(queue, Job, { n: 1 });
  t.teardown(async () => {
    proxy.restore();
    const { amqpUri } = await getInfra();
    const cleanup = createAmqpConnection({ uri: amqpUri, name: uniqueName('cleanup'), logger });
    await deleteQueues(cleanup, [queue, rpcQueue]);
    await cleanup.close();
  });

  await cut(conn, proxy);
  const times = {
    consumer: await timed(() => consumer.close()),
    responder: await timed(() => responder.close()),
    publisher: await timed(() => publisher.close()),
    requestClient: await timed(() => client.close()),
    connection: await timed(() => conn.close()),
    // rabbitmq-client alone: a second close() during a reconnect never resolved.
    connectionAgain: await timed(() => conn.close()),
  };
  t.comment(`close times with the broker gone (ms): ${JSON.stringify(times)}`);
  for (const [name, ms] of Object.entries(times)) t.ok(ms <= BOUND_MS, `${name} closed in ${ms} ms (bound ${BOUND_MS} ms)`);
});

t.test('a consumer, publisher and request client waiting for the broker close within the bound', async (t) => {
  const logger = createRecordingLogger();
  const { conn, proxy } = await cuttableConnection(t, 'close-waiting');
  await cut(conn, proxy);
  // Created while the broker is gone: each waits in a channel setup (acquireTimeout, 20 s).
  const consumer = createTypedConsumer(conn, { queue: uniqueName('close-waiting'), schema: Job, logger, handler: async () => 'ack' });
  const publisher = createTypedPublisher(conn, { logger });
  const sending = publisher.send(uniqueName('close-waiting'), Job, { n: 1 }).catch((err: unknown) => err);
  const client = createRequestClient(conn, { logger });
  const requesting = client.request(uniqueName('close-waiting'), Job, { n: 1 }, Job).catch((err: unknown) => err);
  const times = {
    consumer: await timed(() => consumer.close()),
    publisher: await timed(() => publisher.close()),
    requestClient: await timed(() => client.close()),
    connection: await timed(() => conn.close()),
  };
  t.comment(`close times while waiting for the broker (ms): ${JSON.stringify(times)}`);
  for (const [name, ms] of Object.entries(times)) t.ok(ms <= BOUND_MS, `${name} closed in ${ms} ms (bound ${BOUND_MS} ms)`);
  t.match(await requesting, { name: 'RequestClientClosedError' }, 'the pending request was rejected by the close');
  t.type(await sending, Error, 'the pending send failed once the connection closed');
  t.ok(
    logger.entries.some((e) => e.level === 'warn' && /not closed within/.test(e.msg ?? '')),
    'giving up is logged, so a slow shutdown has a reason in the log',
  );
});
