import {
  ACCOUNT_CREATION_QUEUE,
  ACCOUNT_NOTICE_QUEUE,
  AccountCreationReply,
  AccountCreationRequest,
  AccountNotice,
  CodeMailReply,
  CONFIRM_CODE_QUEUE,
  CONFIRM_EMAIL_CODE_QUEUE,
  ConfirmCodeReply,
  ConfirmCodeRequest,
  ConfirmEmailCodeReply,
  ConfirmEmailCodeRequest,
  DEVICE_CODE_QUEUE,
  DeviceCodeRequest,
  DIGEST_MAIL_QUEUE,
  PASSWORD_RESET_CODE_QUEUE,
  PasswordResetCodeRequest,
} from '@ashchat/contracts';
import { createResponder, createTypedConsumer, type Logger } from '@ashchat/messaging';
import type { Redis } from 'ioredis';
import type { Connection } from 'rabbitmq-client';
import { createAccountCreationHandler } from './account-creation.handler.js';
import { createAccountNoticeHandler } from './account-notice.handler.js';
import { createAccountNoticeStore } from './account-notice.store.js';
import { createConfirmCodeHandler, createConfirmFlowCodeHandler } from './confirm-code.handler.js';
import { createDeviceCodeHandler } from './device-code.handler.js';
import { createPasswordResetHandler } from './password-reset.handler.js';
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
  /** Queue names; the contract names by default (the service passes its namespaced ones). */
  queues?: Partial<VerificationQueues>;
}

/** Every queue the verifier consumes. */
export interface VerificationQueues {
  accountCreation: string;
  confirmEmailCode: string;
  passwordResetCode: string;
  deviceCode: string;
  confirmCode: string;
  /** One way: notices carry no replyTo. */
  accountNotice: string;
  /** Missed-message digests: consumed by digest/ (startDigestWorker), not by this worker. */
  digestMail: string;
}

const CONTRACT_QUEUES: VerificationQueues = {
  accountCreation: ACCOUNT_CREATION_QUEUE,
  confirmEmailCode: CONFIRM_EMAIL_CODE_QUEUE,
  passwordResetCode: PASSWORD_RESET_CODE_QUEUE,
  deviceCode: DEVICE_CODE_QUEUE,
  confirmCode: CONFIRM_CODE_QUEUE,
  accountNotice: ACCOUNT_NOTICE_QUEUE,
  digestMail: DIGEST_MAIL_QUEUE,
};

export interface VerificationWorker {
  /** Resolves once every queue is being consumed. */
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

/**
 * The verifier's half of the registration, password-reset and device-challenge sagas (codes mailed
 * and confirmed), and the account notices mailed once each.
 */
export function startVerificationWorker(deps: VerificationWorkerDeps): VerificationWorker {
  const { amqp, logger, config } = deps;
  const clock = deps.clock ?? Date.now;
  const queues = { ...CONTRACT_QUEUES, ...deps.queues };
  const store = createVerificationStore(deps.redis);
  const prefetch = config.prefetch !== undefined ? { prefetch: config.prefetch } : {};
  const codeMail = {
    store,
    mailer: deps.mailer,
    logger,
    config,
    sendLeaseMs: sendLeaseMs(config),
    clock,
    ...(deps.random ? { random: deps.random } : {}),
  };

  const consumers = [
    createResponder(amqp, {
      queue: queues.accountCreation,
      requestSchema: AccountCreationRequest,
      replySchema: AccountCreationReply,
      logger,
      ...prefetch,
      handler: createAccountCreationHandler(codeMail),
    }),
    createResponder(amqp, {
      queue: queues.confirmEmailCode,
      requestSchema: ConfirmEmailCodeRequest,
      replySchema: ConfirmEmailCodeReply,
      logger,
      ...prefetch,
      handler: createConfirmCodeHandler({ store, logger, clock }),
    }),
    createResponder(amqp, {
      queue: queues.passwordResetCode,
      requestSchema: PasswordResetCodeRequest,
      replySchema: CodeMailReply,
      logger,
      ...prefetch,
      handler: createPasswordResetHandler(codeMail),
    }),
    createResponder(amqp, {
      queue: queues.deviceCode,
      requestSchema: DeviceCodeRequest,
      replySchema: CodeMailReply,
      logger,
      ...prefetch,
      handler: createDeviceCodeHandler(codeMail),
    }),
    createResponder(amqp, {
      queue: queues.confirmCode,
      requestSchema: ConfirmCodeRequest,
      replySchema: ConfirmCodeReply,
      logger,
      ...prefetch,
      handler: createConfirmFlowCodeHandler({ store, logger, clock }),
    }),
    // A thrown error (the mail failed for good) dead-letters the notice with its reason.
    createTypedConsumer(amqp, {
      queue: queues.accountNotice,
      schema: AccountNotice,
      logger,
      ...prefetch,
      handler: createAccountNoticeHandler({
        store: createAccountNoticeStore(deps.redis),
        mailer: deps.mailer,
        logger,
        config,
        sendLeaseMs: sendLeaseMs(config),
        clock,
      }),
    }),
  ];

  let closing: Promise<void> | undefined;
  return {
    ready: Promise.all(consumers.map((c) => c.ready)).then(() => undefined),
    close() {
      closing ??= Promise.all(consumers.map((c) => c.close())).then(() => undefined);
      return closing;
    },
  };
}
