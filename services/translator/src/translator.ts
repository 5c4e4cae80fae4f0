import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { createAmqpConnection } from '@ashchat/messaging';
import { closeRedis, closeSteps, createRedisClient, loggerOptions } from '@ashchat/service-kit';
import type { TranslatorConfig } from './config.js';
import { buildHealthApp } from './app.js';
import { createEngine, type TranslationEngine } from './engine/index.js';
import { startWorker, type Worker } from './worker.js';

export interface TranslatorOptions {
  /** Defaults to the service's logger at LOG_LEVEL; an in-process harness passes its own. */
  logger?: Logger;
  /** The client name of the Redis and RabbitMQ connections, as the servers list them. */
  connectionName?: string;
  /** Defaults to the engine TRANSLATION_PROVIDER and TRANSLATION_URL name; a test may wrap it (count calls). */
  engine?: TranslationEngine;
}

export interface StartOptions {
  /** false: no health server on TRANSLATOR_PORT (a harness running the translator in its own process). */
  listen?: boolean;
}

export interface Translator {
  readonly logger: Logger;
  /** /health and /ready on the translator's connections; start() makes it listen. */
  readonly health: FastifyInstance;
  /** The health server listens, then the worker starts consuming. */
  start(options?: StartOptions): Promise<void>;
  /** Worker first, so in-flight requests finish while their connections are still open. */
  close(): Promise<void>;
}

/** The translator's composition root: its connections, engine, health app and worker, wired once. */
export async function createTranslator(config: TranslatorConfig, options: TranslatorOptions = {}): Promise<Translator> {
  const logger = options.logger ?? pino(loggerOptions(config.LOG_LEVEL, config.LOG_FORMAT));
  const name = options.connectionName ?? 'ashchat-translator';
  const engine =
    options.engine ??
    createEngine({
      provider: config.TRANSLATION_PROVIDER,
      url: config.TRANSLATION_URL,
      timeoutMs: config.TRANSLATION_TIMEOUT_MS,
      apiKey: config.TRANSLATION_API_KEY,
    });
  const redis = createRedisClient(config.REDIS_URI, logger, name);
  const amqp = createAmqpConnection({ uri: config.AMQP_URI, name, logger });
  const health = await buildHealthApp({ logger, redis, amqp, engine });
  let worker: Worker | undefined;

  return {
    logger,
    health,
    async start({ listen = true } = {}) {
      if (listen) await health.listen({ port: config.TRANSLATOR_PORT, host: config.HOST });
      worker = await startWorker({ config, logger, amqp, redis, engine });
    },
    async close() {
      await closeSteps(logger, [
        ['worker', () => worker?.close()],
        ['amqp', () => amqp.close()],
        ['redis', () => closeRedis(redis)],
        ['health server', () => health.close()],
      ]);
    },
  };
}
