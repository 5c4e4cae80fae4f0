import { randomUUID } from 'node:crypto';
import type { AccountNotice } from '@ashchat/contracts';
import type { Logger } from '@ashchat/messaging';
import { renderAccountNoticeMail } from './account-mail.templates.js';
import type { AccountNoticeStore } from './account-notice.store.js';
import { sendMailWithRetry, type Mailer } from './mailer.js';

export interface AccountNoticeHandlerDeps {
  store: AccountNoticeStore;
  mailer: Mailer;
  logger: Logger;
  config: { publicWebUrl: string; smtpMaxRetries: number; smtpRetryBaseMs: number };
  /** How long one delivery owns the sending of a notice (see CodeMailHandlerDeps.sendLeaseMs). */
  sendLeaseMs: number;
  clock: () => number;
}

/** Thrown when a notice could not be mailed for good: the consumer dead-letters it with this reason. */
export class NoticeMailFailedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NoticeMailFailedError';
  }
}

const IN_PROGRESS_POLL_MS = 250;

/**
 * Mails an account notice (ACCOUNT_NOTICE_QUEUE, one way) at most once per `noticeId`, however
 * often it is delivered: a Redis claim with a lease, then "sent". A mail that fails for good throws,
 * after releasing the claim, so the dead letter can be replayed and then mailed.
 */
export function createAccountNoticeHandler(deps: AccountNoticeHandlerDeps) {
  const { store, logger, config, clock } = deps;

  return async function handleAccountNotice(notice: AccountNotice): Promise<void> {
    const started = clock();
    const { noticeId, kind } = notice;
    const ctx = { noticeId, kind };
    const owner = randomUUID();

    for (;;) {
      const now = clock();
      const claim = await store.claim({ noticeId, owner, now, leaseUntil: now + deps.sendLeaseMs });
      if (claim.kind === 'already-sent') {
        logger.info(ctx, 'notice was already mailed; not sending another');
        return;
      }
      if (claim.kind === 'in-progress') {
        logger.debug({ ...ctx, retryInMs: claim.retryInMs }, 'another delivery of this notice is sending it; waiting');
        await new Promise((resolve) => setTimeout(resolve, Math.min(claim.retryInMs, IN_PROGRESS_POLL_MS)));
        continue;
      }

      const mail = renderAccountNoticeMail({ kind, preferredLanguage: notice.preferredLanguage, nickname: notice.nickname, at: notice.at, publicWebUrl: config.publicWebUrl });
      const failure = await sendMailWithRetry(deps, { ...mail, to: notice.email }, { ctx, what: 'the notice' });
      if (failure !== null) {
        await store.release(noticeId, owner);
        throw new NoticeMailFailedError(failure);
      }
      await store.markSent(noticeId);
      logger.info({ ...ctx, outcome: 'sent', durationMs: clock() - started }, 'account notice handled');
      return;
    }
  };
}
