/** Real-infrastructure harness for the runtime's tests: unique DB, queue, saga name per test. */
import { randomBytes, randomUUID } from 'node:crypto';
import { createAmqpConnection, createSilentLogger, createTypedConsumer, createTypedPublisher } from '@ashchat/messaging';
import { getInfra } from '@ashchat/testkit';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { createSagaRuntime } from './saga.runtime.js';
import type { SagaRuntimeOptions } from './saga.options.js';
import type { SagaDocument, Logger } from './saga.types.js';
import { PingRequest, createTestSaga } from './test-machine.test-support.js';

type TestSaga = ReturnType<typeof createTestSaga>;
type Machine = TestSaga['machine'];
type Extra = Partial<SagaRuntimeOptions<Machine, unknown, unknown>>;

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Records log entries so tests can assert that something was logged as ignored. */
export function createRecordingLogger(): Logger & { entries: { level: string; msg?: string; obj: object }[] } {
  const entries: { level: string; msg?: string; obj: object }[] = [];
  const rec = (level: string) => (obj: object, msg?: string) => void entries.push({ level, obj, ...(msg ? { msg } : {}) });
  return { entries, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

export async function createHarness(t: Teardown) {
  const infra = await getInfra();
  const suffix = randomBytes(5).toString('hex');
  const queue = `saga-test-${suffix}`;
  const sagaName = `ping-${suffix}`;
  const definition = createTestSaga(sagaName, queue);
  const quiet = createSilentLogger();

  const mongo = new MongoClient(infra.mongodbUri);
  await mongo.connect();
  const db = mongo.db(`saga_test_${suffix}`);
  const collection = db.collection<SagaDocument>('sagas');
  const conn = createAmqpConnection({ uri: infra.amqpUri, name: `saga-test-${suffix}`, logger: quiet });
  const publisher = createTypedPublisher(conn, { logger: quiet, queues: [queue] });
  const redisConnections: Redis[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  const newRedis = (): Redis => {
    const r = new Redis(infra.redisUri, { lazyConnect: false, maxRetriesPerRequest: 3 });
    redisConnections.push(r);
    return r;
  };
  const redis = newRedis();

  t.teardown(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await publisher.close();
    await conn.queueDelete({ queue }).catch(() => undefined);
    await conn.queueDelete({ queue: `${queue}.dead-letter` }).catch(() => undefined);
    await conn.close();
    const timerKeys = await redis.keys(`saga-timer:${sagaName}:*`);
    if (timerKeys.length > 0) await redis.del(...timerKeys);
    for (const r of redisConnections) r.disconnect();
    await db.dropDatabase().catch(() => undefined);
    await mongo.close();
  });

  /** A runtime on the shared infrastructure; each gets its own subscriber connection. */
  function runtime(extra: Extra = {}) {
    const rt = createSagaRuntime({
      definition,
      collection,
      publisher,
      replyQueue: `saga-test-replies-${suffix}`,
      redis,
      subscriber: newRedis(),
      logger: quiet,
      sweepIntervalMs: 60_000,
      relayIntervalMs: 60_000,
      relayGraceMs: 0,
      // The tests run on FerretDB here and race several instances on one saga.
      writeLock: 'redis',
      ...extra,
    });
    closers.push(() => rt.close());
    return rt;
  }

  /** A consumer on the test queue that records every body (prefetch 1 keeps arrival order). */
  async function consume() {
    const received: { body: { requestId: string; text: string }; correlationId?: string; replyTo?: string; messageId?: string }[] = [];
    const consumer = createTypedConsumer(conn, {
      queue,
      schema: PingRequest,
      logger: quiet,
      prefetch: 1,
      handler: async (body, msg) => {
        received.push({ body, correlationId: msg.correlationId, replyTo: msg.replyTo, messageId: msg.messageId });
        return 'ack';
      },
    });
    closers.push(() => consumer.close());
    await (consumer as { ready?: Promise<void> }).ready;
    /** Proves no further copy is queued: a marker published now arrives after anything already sent. */
    async function drain(): Promise<void> {
      const marker = `marker-${randomUUID()}`;
      await publisher.send(queue, PingRequest, { sagaId: 'marker', requestId: marker, text: 'marker' });
      await waitFor('queue drained', () => received.some((r) => r.body.requestId === marker));
      received.splice(received.findIndex((r) => r.body.requestId === marker), 1);
    }
    return { received, drain };
  }

  return { infra, queue, sagaName, definition, collection, publisher, redis, newRedis, runtime, consume, id: () => randomUUID() };
}
