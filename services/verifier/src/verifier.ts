import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { createAmqpConnection } from '@ashchat/messaging';
import { closeRedis, closeSteps, createRedisClient, loggerOptions } from '@ashchat/service-kit';
import type { VerifierConfig } from './config.js';
import { createSmtpTransport } from './connections/smtp.connection.js';
import { buildHealthApp } from './app.js';
import { startWorker, type Worker } from './worker.js';

export interface VerifierOptions {
  /** Defaults to the service's logger at LOG_LEVEL; an in-process harness passes its own. */
  logger?: Logger;
  /** The client name of the Redis and RabbitMQ connections, as the servers list them. */
  connectionName?: string;
}

export interface StartOptions {
  /** false: no health server on VERIFIER_PORT (a harness running the verifier in its own process). */
  listen?: boolean;
}

export interface Verifier {
  readonly logger: Logger;
  /** /health and /ready on the verifier's connections; start() makes it listen. */
  readonly health: FastifyInstance;
  /** The health server listens, then the worker starts consuming. */
  start(options?: StartOptions): Promise<void>;
  /** Worker first, so in-flight messages finish while their connections are still open. */
  close(): Promise<void>;
}

/**
 * The verifier's composition root: its connections (Redis, RabbitMQ, SMTP), the health app and the
 * worker, wired once. main.ts, the backend's registration tests and the benches all start it here.
 */
export async function createVerifier(config: VerifierConfig, options: VerifierOptions = {}): Promise<Verifier> {
  const logger = options.logger ?? pino(loggerOptions(config.LOG_LEVEL, config.LOG_FORMAT));
  const name = options.connectionName ?? 'ashchat-verifier';
  const redis = createRedisClient(config.REDIS_URI, logger, name);
  const amqp = createAmqpConnection({ uri: config.AMQP_URI, name, logger });
  const smtp = createSmtpTransport(config);
  const health = await buildHealthApp({ logger, redis, amqp, smtp });
  let worker: Worker | undefined;

  return {
    logger,
    health,
    async start({ listen = true } = {}) {
      if (listen) await health.listen({ port: config.VERIFIER_PORT, host: config.HOST });
      worker = await startWorker({ config, logger, amqp, redis, smtp });
    },
    async close() {
      await closeSteps(logger, [
        ['worker', () => worker?.close()],
        ['amqp', () => amqp.close()],
        ['redis', () => closeRedis(redis)],
        ['smtp', () => smtp.close()],
        ['health server', () => health.close()],
      ]);
    },
  };
}
