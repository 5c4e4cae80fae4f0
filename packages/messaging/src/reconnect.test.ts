import t from 'tap';
import { Type } from '@sinclair/typebox';
import { getInfra, manageableBroker } from '@ashchat/testkit';
import { createRecordingLogger, deferred, deleteQueues, forceCloseConnection, openConnection, uniqueName } from './amqp.test-support.js';
import { createTypedConsumer } from './consumer.js';
import { createTypedPublisher } from './publisher.js';
import { workQueue } from './topology.js';

const Job = Type.Object({ n: Type.Integer() }, { additionalProperties: false });
const N = 30;

t.test('after a server-side close, publisher and consumer recover; every message is handled exactly once', async (t) => {
  const logger = createRecordingLogger();
  const queue = uniqueName('recover');
  // The close comes from the broker (rabbitmqctl); where rabbitmqctl cannot manage the shared broker, a private one.
  const broker = await manageableBroker((await getInfra()).amqpUri);
  if (broker.privateBecause) t.comment(`a private broker node: ${broker.privateBecause}`);
  const { conn, name } = await openConnection('recover', logger, broker.amqpUri);
  const seen = new Map<number, number>();
  const warmedUp = deferred<void>('the warm-up message');
  const allHandled = deferred<void>(`all ${N} messages`, 60_000);
  const consumer = createTypedConsumer(conn, {
    queue,
    schema: Job,
    logger,
    handler: async ({ n }) => {
      seen.set(n, (seen.get(n) ?? 0) + 1);
      if (n === -1) warmedUp.resolve();
      if ([...seen.keys()].filter((k) => k >= 0).length === N) allHandled.resolve();
    },
  });
  const publisher = createTypedPublisher(conn, { logger, queues: [queue] });
  t.teardown(async () => {
    await consumer.close();
    await publisher.close();
    await deleteQueues(conn, [queue]);
    await conn.close();
    await broker.stop();
  });
  await consumer.ready;
  // Both the publisher and the consumer now hold open channels that the close will break.
  await publisher.send(queue, Job, { n: -1 });
  await warmedUp.promise;

  const reconnected = deferred<void>('the connection to be re-established');
  conn.once('connection', () => reconnected.resolve());
  // The second half is published from inside the 'error' event of the forced close, i.e. while
  // the connection is certainly down: send() has to wait for the reconnect and a new channel.
  const dropped = deferred<{ readyAtDrop: boolean; sends: Promise<void>[] }>('the forced close to be noticed');
  conn.once('error', () => {
    const readyAtDrop = conn.ready;
    const sends: Promise<void>[] = [];
    for (let n = N / 2; n < N; n++) sends.push(publisher.send(queue, Job, { n }));
    dropped.resolve({ readyAtDrop, sends });
  });
  const closing = forceCloseConnection(broker, name);
  // The first half races the close.
  const sends: Promise<void>[] = [];
  for (let n = 0; n < N / 2; n++) sends.push(publisher.send(queue, Job, { n }));
  await closing;
  const { readyAtDrop, sends: sentWhileDown } = await dropped.promise;
  t.equal(readyAtDrop, false, 'half of the messages were published while disconnected');
  await Promise.all([...sends, ...sentWhileDown]);
  await reconnected.promise;
  await allHandled.promise;

  // Wait for in-flight handlers and acks, then nothing may remain or have run twice.
  await consumer.close();
  const counts = [...Array(N).keys()].map((n) => seen.get(n) ?? 0);
  t.same(counts, Array(N).fill(1), 'each message handled exactly once');
  const { messageCount } = await conn.queueDeclare({ ...workQueue(queue), passive: true });
  t.equal(messageCount, 0, 'nothing left in the queue');
  t.ok(
    logger.entries.some((e) => e.msg === 'AMQP connection error' && JSON.stringify(e.obj).includes('CONNECTION_FORCED')),
    'the forced close was observed and logged',
  );
  t.equal(logger.entries.filter((e) => e.msg === 'AMQP connection (re)established').length, 2, 'connected, then reconnected');
  t.equal(logger.entries.filter((e) => e.msg === 'consumer ready').length, 2, 'the consumer re-declared its queue and re-subscribed');
  t.comment(`publish retries during the reconnect: ${logger.entries.filter((e) => e.msg === 'publish failed; retrying').length}`);
  t.notOk(JSON.stringify(logger.entries).includes('guest:guest'), 'credentials never logged');
});
