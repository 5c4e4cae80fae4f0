import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { createAmqpConnection } from '@ashchat/messaging';
import { TRANSLATION_QUEUE, namespacedQueue } from '@ashchat/contracts';
import type { TranslatorConfig } from './config.js';
import type { TranslationEngine } from './engine/index.js';
import {
  createEngineBatcher,
  createPairsCache,
  createRequestTranslator,
  createTranslationCache,
  startTranslationWorker,
} from './translation/index.js';

export interface WorkerDeps {
  config: TranslatorConfig;
  logger: Logger;
  amqp: ReturnType<typeof createAmqpConnection>;
  redis: Redis;
  engine: TranslationEngine;
}

export interface Worker {
  /** Stops taking messages; waiting requests go back to the queue, running ones finish. */
  close(): Promise<void>;
}

export interface TranslatorQueues {
  translation: string;
}

/** The queue consumed, under QUEUE_NAMESPACE (the backend must use the same namespace). */
export function translatorQueues(namespace: string): TranslatorQueues {
  return { translation: namespacedQueue(namespace, TRANSLATION_QUEUE) };
}

/**
 * Starts the translation consumer. Does not wait for RabbitMQ: while it is unreachable the worker
 * keeps retrying and /ready says so, instead of start-up hanging.
 */
export async function startWorker(deps: WorkerDeps): Promise<Worker> {
  const { config, logger, engine } = deps;
  const queues = translatorQueues(config.QUEUE_NAMESPACE);
  const translate = createRequestTranslator({
    pairs: createPairsCache(engine),
    cache: createTranslationCache(deps.redis, { namespace: config.QUEUE_NAMESPACE, ttlSeconds: config.TRANSLATION_CACHE_TTL_SECONDS }),
    batcher: createEngineBatcher({ engine, concurrency: config.TRANSLATOR_CONCURRENCY }),
  });
  const worker = startTranslationWorker({ amqp: deps.amqp, logger, queue: queues.translation, prefetch: config.TRANSLATOR_PREFETCH, translate });
  worker.ready.then(
    () => logger.info({ queues, provider: engine.provider }, 'worker started'),
    (error: unknown) => logger.error({ err: error }, 'translation worker failed to start'),
  );
  return { close: () => worker.close() };
}
