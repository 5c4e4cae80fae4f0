import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { createAmqpConnection } from '@ashchat/messaging';
import type { VerifierConfig } from './config.js';
import type { Mailer } from './connections/mailer.connection.js';
import { createMailer as createVerificationMailer, startVerificationWorker } from './verification/index.js';

export interface WorkerDeps {
  config: VerifierConfig;
  logger: Logger;
  amqp: ReturnType<typeof createAmqpConnection>;
  redis: Redis;
  mailer: Mailer;
}

export interface Worker {
  /** Stops taking messages and waits for the ones in flight (main.ts calls it first). */
  close(): Promise<void>;
}

/**
 * Starts the verification consumers. Does not wait for RabbitMQ: while it is unreachable the worker
 * keeps retrying and /ready says so, instead of start-up hanging.
 */
export async function startWorker(deps: WorkerDeps): Promise<Worker> {
  const { config, logger } = deps;
  const worker = startVerificationWorker({
    amqp: deps.amqp,
    redis: deps.redis,
    logger,
    mailer: createVerificationMailer(deps.mailer, { from: config.MAIL_FROM, logger }),
    config: {
      verificationCodeSecret: config.VERIFICATION_CODE_SECRET,
      mailFrom: config.MAIL_FROM,
      publicWebUrl: config.PUBLIC_WEB_URL,
      smtpMaxRetries: config.SMTP_MAX_RETRIES,
      smtpRetryBaseMs: config.SMTP_RETRY_BASE_MS,
    },
  });
  worker.ready.then(
    () => logger.info('verification worker consuming'),
    (error: unknown) => logger.error({ err: error }, 'verification worker failed to start'),
  );
  return { close: () => worker.close() };
}
