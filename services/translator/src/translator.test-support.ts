// Test-only helpers (excluded from the build): the environment, a requester standing in for the
// backend on real RabbitMQ, and an engine wrapper that counts calls.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SyncMessage } from 'rabbitmq-client';
import { TRANSLATION_REPLY_QUEUE, TranslationRequest, deadLetterQueueName, namespacedQueue } from '@ashchat/contracts';
import { createAmqpConnection, createSilentLogger, createTypedPublisher, decodeJson, workQueue } from '@ashchat/messaging';
import { getInfra, uniqueName, waitFor } from '@ashchat/testkit';
import type { TranslationEngine } from './engine/index.js';
import { translatorQueues } from './worker.js';

/** The environment a test translator runs with: the real infrastructure, its own namespace. */
export async function testEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const infra = await getInfra();
  return {
    AMQP_URI: infra.amqpUri,
    REDIS_URI: infra.redisUri,
    TRANSLATION_URL: infra.translationUrl,
    QUEUE_NAMESPACE: uniqueName('test-translator'),
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

export interface CountingEngine extends TranslationEngine {
  /** Every translate() call: its texts and pair. */
  readonly calls: { texts: string[]; from: string; to: string }[];
}

/** The real engine, with its translate() calls recorded. */
export function countingEngine(engine: TranslationEngine, after?: () => void): CountingEngine {
  const calls: CountingEngine['calls'] = [];
  return {
    provider: engine.provider,
    maxBatch: engine.maxBatch,
    calls,
    pairs: () => engine.pairs(),
    async translate(texts, from, to) {
      calls.push({ texts, from, to });
      const translated = await engine.translate(texts, from, to);
      after?.();
      return translated;
    },
  };
}

let sequence = 0;
/** A valid request with a fresh message id; `over` replaces fields. */
export function translationRequest(over: Partial<TranslationRequest> = {}): TranslationRequest {
  const messageId = randomUUID().replace(/-/g, '').slice(0, 24);
  const version = sequence++;
  return { requestId: `${messageId}:${version}`, messageId, version, source: 'en', targets: ['es'], text: 'Good morning', ...over };
}

export interface Reply {
  correlationId: string | undefined;
  body: unknown;
}

/** The backend's side of the queues, under one namespace: sends requests and collects every reply. */
export interface Requester {
  readonly queue: string;
  readonly replyQueue: string;
  readonly replies: Reply[];
  send(request: TranslationRequest): Promise<void>;
  /** Publishes any body (a string as is), for malformed messages. */
  publishRaw(body: unknown, props?: { replyTo?: string; correlationId?: string }): Promise<void>;
  /** The reply to `correlationId`, waiting at most `timeoutMs`. */
  reply(correlationId: string, timeoutMs?: number): Promise<unknown>;
  /** The next message of the work queue's dead-letter queue, waiting at most 10 s. */
  deadLetter(): Promise<SyncMessage>;
  close(): Promise<void>;
}

export async function startRequester(namespace: string): Promise<Requester> {
  const infra = await getInfra();
  const logger = createSilentLogger();
  const amqp = createAmqpConnection({ uri: infra.amqpUri, name: `test.translator.${namespace}`, logger });
  await amqp.onConnect(10_000);
  const queue = translatorQueues(namespace).translation;
  const replyQueue = namespacedQueue(namespace, TRANSLATION_REPLY_QUEUE);
  const publisher = createTypedPublisher(amqp, { logger, queues: [queue, replyQueue] });
  const raw = amqp.createPublisher({ confirm: true, queues: [workQueue(queue)] });
  const replies: Reply[] = [];
  const consumer = amqp.createConsumer({ queue: replyQueue, queueOptions: workQueue(replyQueue) }, (msg) => {
    const decoded = decodeJson(msg);
    replies.push({ correlationId: msg.correlationId, body: decoded.ok ? decoded.value : msg.body });
  });
  await new Promise<void>((resolve) => consumer.once('ready', () => resolve()));

  return {
    queue,
    replyQueue,
    replies,
    send: (request) =>
      publisher.send(queue, TranslationRequest, request, { replyTo: replyQueue, correlationId: request.requestId, messageId: request.requestId }),
    async publishRaw(body, props = {}) {
      await raw.send({ routingKey: queue, contentType: 'application/json', ...props }, typeof body === 'string' ? Buffer.from(body) : body);
    },
    async reply(correlationId, timeoutMs = 20_000) {
      const found = await waitFor(() => replies.find((r) => r.correlationId === correlationId), { timeoutMs, message: `the reply to ${correlationId}` });
      return found.body;
    },
    deadLetter: () =>
      waitFor(() => amqp.basicGet({ queue: deadLetterQueueName(queue), noAck: true }), { message: 'a dead-lettered request' }),
    async close() {
      await consumer.close();
      await publisher.close();
      await raw.close();
      for (const q of [queue, replyQueue]) {
        await amqp.queueDelete({ queue: q });
        await amqp.queueDelete({ queue: deadLetterQueueName(q) });
      }
      await amqp.close();
      const redis = new Redis(infra.redisUri);
      const keys = await redis.keys(`${namespace}:translation:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
