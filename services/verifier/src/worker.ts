import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { createAmqpConnection } from '@ashchat/messaging';
import {
  ACCOUNT_CREATION_QUEUE,
  ACCOUNT_NOTICE_QUEUE,
  CONFIRM_CODE_QUEUE,
  CONFIRM_EMAIL_CODE_QUEUE,
  DEVICE_CODE_QUEUE,
  PASSWORD_RESET_CODE_QUEUE,
  DIGEST_MAIL_QUEUE,
  namespacedQueue,
} from '@ashchat/contracts';
import type { VerifierConfig } from './config.js';
import type { SmtpTransport } from './connections/smtp.connection.js';
import { createMailer, startVerificationWorker, type VerificationQueues } from './verification/index.js';
import { startDigestWorker } from './digest/digest.worker.js';

export interface WorkerDeps {
  config: VerifierConfig;
  logger: Logger;
  amqp: ReturnType<typeof createAmqpConnection>;
  redis: Redis;
  smtp: SmtpTransport;
}

export interface Worker {
  /** Stops taking messages and waits for the ones in flight (main.ts calls it first). */
  close(): Promise<void>;
}

/**
 * The queues consumed. A namespace prefixes the contract names so that several environments or
 * test runs can share one broker: each consumes only its own requests, and a request published
 * while its verifier is down waits in its own durable queue instead of going to another run.
 */
export function verifierQueues(namespace: string): VerificationQueues {
  const name = (queue: string): string => namespacedQueue(namespace, queue);
  return {
    accountCreation: name(ACCOUNT_CREATION_QUEUE),
    confirmEmailCode: name(CONFIRM_EMAIL_CODE_QUEUE),
    passwordResetCode: name(PASSWORD_RESET_CODE_QUEUE),
    deviceCode: name(DEVICE_CODE_QUEUE),
    confirmCode: name(CONFIRM_CODE_QUEUE),
    accountNotice: name(ACCOUNT_NOTICE_QUEUE),
    digestMail: name(DIGEST_MAIL_QUEUE),
  };
}

/**
 * Starts the verification consumers. Does not wait for RabbitMQ: while it is unreachable the worker
 * keeps retrying and /ready says so, instead of start-up hanging.
 */
export async function startWorker(deps: WorkerDeps): Promise<Worker> {
  const { config, logger } = deps;
  const queues = verifierQueues(config.QUEUE_NAMESPACE);
  const mailer = createMailer(deps.smtp, { from: config.MAIL_FROM, logger });
  const worker = startVerificationWorker({
    amqp: deps.amqp,
    redis: deps.redis,
    logger,
    mailer,
    queues,
    config: {
      verificationCodeSecret: config.VERIFICATION_CODE_SECRET,
      mailFrom: config.MAIL_FROM,
      publicWebUrl: config.PUBLIC_WEB_URL,
      smtpMaxRetries: config.SMTP_MAX_RETRIES,
      smtpRetryBaseMs: config.SMTP_RETRY_BASE_MS,
    },
  });
  const digest = startDigestWorker({
    amqp: deps.amqp,
    redis: deps.redis,
    logger,
    mailer,
    queue: queues.digestMail,
    config: { publicWebUrl: config.PUBLIC_WEB_URL, smtpMaxRetries: config.SMTP_MAX_RETRIES, smtpRetryBaseMs: config.SMTP_RETRY_BASE_MS },
  });
  Promise.all([worker.ready, digest.ready]).then(
    () => logger.info({ queues }, 'worker started'),
    (error: unknown) => logger.error({ err: error }, 'verification worker failed to start'),
  );
  return { close: async () => void (await Promise.all([worker.close(), digest.close()])) };
}
