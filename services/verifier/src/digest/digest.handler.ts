import { randomUUID } from 'node:crypto';
import type { DigestMailReply, DigestMailRequest } from '@ashchat/contracts';
import type { Logger } from '@ashchat/messaging';
import type { AccountNoticeStore } from '../verification/account-notice.store.js';
import { sendMailWithRetry, type Mailer } from '../verification/mailer.js';
import { renderDigestMail } from './digest-mail.template.js';

export interface DigestHandlerDeps {
  /** The notices' once-per-id store, keyed `digest:<dedupKey>` here. */
  store: AccountNoticeStore;
  mailer: Mailer;
  logger: Logger;
  config: { publicWebUrl: string; smtpMaxRetries: number; smtpRetryBaseMs: number };
  /** How long one delivery owns the sending of a digest (see CodeMailHandlerDeps.sendLeaseMs). */
  sendLeaseMs: number;
  clock: () => number;
}

const IN_PROGRESS_POLL_MS = 250;

/** The Redis marker of one digest period: `account-notice:digest:<dedupKey>`. */
export const digestMarkerId = (dedupKey: string): string => `digest:${dedupKey}`;

/**
 * Mails a digest (DIGEST_MAIL_QUEUE, request/reply) at most once per `dedupKey` however often it
 * is delivered (relay after a backend crash, two instances, broker redelivery): a Redis claim with
 * a lease, then "sent". A repeat answers `already-sent`; a mail that fails for good releases the
 * claim and answers `failed` (the saga's cooldown holds the next attempt back).
 */
export function createDigestHandler(deps: DigestHandlerDeps) {
  const { store, logger, config, clock } = deps;

  return async function handleDigest(request: DigestMailRequest): Promise<DigestMailReply> {
    const started = clock();
    const { digestId, requestId, dedupKey } = request;
    const noticeId = digestMarkerId(dedupKey);
    // Ids and counts only: never the address or the excerpts.
    const ctx = { digestId, requestId, dedupKey, conversations: request.conversations.length };
    const owner = randomUUID();
    const reply = (outcome: DigestMailReply['outcome'], reason?: string): DigestMailReply => ({ digestId, requestId, outcome, ...(reason ? { reason } : {}) });

    for (;;) {
      const now = clock();
      const claim = await store.claim({ noticeId, owner, now, leaseUntil: now + deps.sendLeaseMs });
      if (claim.kind === 'already-sent') {
        logger.info(ctx, 'digest of this period was already mailed; not sending another');
        return reply('already-sent');
      }
      if (claim.kind === 'in-progress') {
        await new Promise((resolve) => setTimeout(resolve, Math.min(claim.retryInMs, IN_PROGRESS_POLL_MS)));
        continue;
      }
      const mail = renderDigestMail({ ...request, publicWebUrl: config.publicWebUrl });
      const failure = await sendMailWithRetry(deps, { ...mail, to: request.email }, { ctx, what: 'the digest' });
      if (failure !== null) {
        await store.release(noticeId, owner);
        return reply('failed', failure);
      }
      await store.markSent(noticeId);
      logger.info({ ...ctx, outcome: 'sent', durationMs: clock() - started }, 'digest mailed');
      return reply('sent');
    }
  };
}
