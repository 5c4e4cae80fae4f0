import { DigestMailReply, DigestMailRequest } from '@ashchat/contracts';
import { createResponder, type Logger, type TypedConsumer } from '@ashchat/messaging';
import type { Redis } from 'ioredis';
import type { Connection } from 'rabbitmq-client';
import { createAccountNoticeStore } from '../verification/account-notice.store.js';
import type { Mailer } from '../verification/mailer.js';
import { sendLeaseMs, type VerificationWorkerConfig } from '../verification/verification.worker.js';
import { createDigestHandler } from './digest.handler.js';

export interface DigestWorkerDeps {
  amqp: Connection;
  redis: Redis;
  mailer: Mailer;
  logger: Logger;
  /** The physical DIGEST_MAIL_QUEUE (namespaced by the service). */
  queue: string;
  config: Pick<VerificationWorkerConfig, 'publicWebUrl' | 'smtpMaxRetries' | 'smtpRetryBaseMs' | 'prefetch'>;
  clock?: () => number;
}

/** The verifier's half of the digest saga: renders and mails each digest once, and answers. */
export function startDigestWorker(deps: DigestWorkerDeps): TypedConsumer {
  const { config } = deps;
  return createResponder(deps.amqp, {
    queue: deps.queue,
    requestSchema: DigestMailRequest,
    replySchema: DigestMailReply,
    logger: deps.logger,
    ...(config.prefetch !== undefined ? { prefetch: config.prefetch } : {}),
    handler: createDigestHandler({
      store: createAccountNoticeStore(deps.redis),
      mailer: deps.mailer,
      logger: deps.logger,
      config,
      sendLeaseMs: sendLeaseMs(config),
      clock: deps.clock ?? Date.now,
    }),
  });
}
