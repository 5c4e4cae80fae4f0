import { ACCOUNT_NOTICE_QUEUE, AccountNotice } from '@ashchat/contracts';
import type { Logger, TypedPublisher } from '@ashchat/messaging';

/** Publishes account notices one way (no reply); a failure is logged, never the user's problem. */
export interface AccountNoticePublisher {
  /** Resolves whether or not the notice went out (false: it did not; already logged). */
  publish(notice: AccountNotice): Promise<boolean>;
}

/**
 * `publisher` is a typed publisher routed to the physical queues (sagas/saga.queues.ts), so the
 * contract name ACCOUNT_NOTICE_QUEUE lands under QUEUE_NAMESPACE. The message id is the notice id:
 * a redelivery is recognisably the same notice (the verifier mails each once).
 */
export function createAccountNoticePublisher(publisher: TypedPublisher, logger: Logger): AccountNoticePublisher {
  return {
    async publish(notice) {
      try {
        await publisher.send(ACCOUNT_NOTICE_QUEUE, AccountNotice, notice, { messageId: notice.noticeId });
        return true;
      } catch (err) {
        logger.warn({ err, noticeId: notice.noticeId, kind: notice.kind }, 'account notice not published; the owner gets no mail about it');
        return false;
      }
    },
  };
}
