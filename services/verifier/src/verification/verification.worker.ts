import {
  ACCOUNT_CREATION_QUEUE,
  AccountCreationReply,
  AccountCreationRequest,
  CONFIRM_EMAIL_CODE_QUEUE,
  ConfirmEmailCodeReply,
  ConfirmEmailCodeRequest,
} from '@ashchat/contracts';
import { createResponder, type Logger } from '@ashchat/messaging';
import type { Redis } from 'ioredis';
import type { Connection } from 'rabbitmq-client';
import { createAccountCreationHandler } from './account-creation.handler.js';
import { createConfirmCodeHandler } from './confirm-code.handler.js';
import type { Mailer } from './mailer.js';
import type { RandomBytes } from './verification-code.js';
import { createVerificationStore } from './verification.store.js';

export interface VerificationWorkerConfig {
  verificationCodeSecret: string;
  /** Not read here: the sender is fixed by `createMailer`. Kept so the config object is complete. */
  mailFrom: string;
  publicWebUrl: string;
  /** Further SMTP attempts after the first one. */
  smtpMaxRetries: number;
  /** Delay before the first SMTP retry; doubles per retry, with jitter. */
  smtpRetryBaseMs: number;
  prefetch?: number;
}

export interface VerificationWorkerDeps {
  amqp: Connection;
  redis: Redis;
  mailer: Mailer;
  logger: Logger;
  config: VerificationWorkerConfig;
  clock?: () => number;
  random?: RandomBytes;
  /** Queue names; only tests override them, to run in isolation on a shared broker. */
  queues?: { accountCreation?: string; confirmEmailCode?: string };
}

export interface VerificationWorker {
  /** Resolves once both queues are being consumed. */
  readonly ready: Promise<void>;
  /** Stops consuming and waits for the requests in flight (their replies are still sent). */
  close(): Promise<void>;
}

/** Lower bound for the send lease: even a fast retry schedule may meet a slow SMTP server. */
const MIN_SEND_LEASE_MS = 60_000;

/**
 * How long one delivery may spend on a mail: every backoff delay, plus headroom per attempt.
 * The transport's own timeouts should fit in that headroom.
 */
export function sendLeaseMs(config: Pick<VerificationWorkerConfig, 'smtpMaxRetries' | 'smtpRetryBaseMs'>): number {
  const backoff = config.smtpRetryBaseMs * (2 ** Math.max(0, config.smtpMaxRetries) - 1);
  return Math.max(MIN_SEND_LEASE_MS, backoff + 30_000 * (config.smtpMaxRetries + 1));
}

/** The verifier's half of the registration saga: answers account-creation and confirm-code requests. */
export function startVerificationWorker(deps: VerificationWorkerDeps): VerificationWorker {
  const { amqp, logger, config } = deps;
  const clock = deps.clock ?? Date.now;
  const store = createVerificationStore(deps.redis);
  const prefetch = config.prefetch !== undefined ? { prefetch: config.prefetch } : {};

  const creation = createResponder(amqp, {
    queue: deps.queues?.accountCreation ?? ACCOUNT_CREATION_QUEUE,
    requestSchema: AccountCreationRequest,
    replySchema: AccountCreationReply,
    logger,
    ...prefetch,
    handler: createAccountCreationHandler({
      store,
      mailer: deps.mailer,
      logger,
      config,
      sendLeaseMs: sendLeaseMs(config),
      clock,
      ...(deps.random ? { random: deps.random } : {}),
    }),
  });
  const confirm = createResponder(amqp, {
    queue: deps.queues?.confirmEmailCode ?? CONFIRM_EMAIL_CODE_QUEUE,
    requestSchema: ConfirmEmailCodeRequest,
    replySchema: ConfirmEmailCodeReply,
    logger,
    ...prefetch,
    handler: createConfirmCodeHandler({ store, logger, clock }),
  });

  let closing: Promise<void> | undefined;
  return {
    ready: Promise.all([creation.ready, confirm.ready]).then(() => undefined),
    close() {
      closing ??= Promise.all([creation.close(), confirm.close()]).then(() => undefined);
      return closing;
    },
  };
}
