import { codeDigest, type AccountCreationReply, type AccountCreationRequest } from '@ashchat/contracts';
import { describeError, type Logger } from '@ashchat/messaging';
import { generateVerificationCode, unguessableDigest, type RandomBytes } from './verification-code.js';
import { renderAccountExistsMail, renderVerificationMail, type RenderedMail } from './mail.templates.js';
import { mailFailureReason, withRetry, type Mailer } from './mailer.js';
import type { VerificationStore } from './verification.store.js';

export interface AccountCreationHandlerDeps {
  store: VerificationStore;
  mailer: Mailer;
  logger: Logger;
  config: { verificationCodeSecret: string; publicWebUrl: string; smtpMaxRetries: number; smtpRetryBaseMs: number };
  /**
   * How long one delivery owns the sending of its mail. A second delivery of the same request
   * (broker redelivery, duplicate publish) waits for it instead of sending a second mail, and
   * takes over only once the lease ran out (the first one died).
   */
  sendLeaseMs: number;
  clock: () => number;
  random?: RandomBytes;
}

/** Upper bound for one wait between looks at a request another delivery is working on. */
const IN_PROGRESS_POLL_MS = 250;

export function createAccountCreationHandler(deps: AccountCreationHandlerDeps) {
  const { store, mailer, logger, config, clock } = deps;

  return async function handleAccountCreation(req: AccountCreationRequest): Promise<AccountCreationReply> {
    const started = clock();
    const { registrationId, requestId } = req;
    const ctx = { registrationId, requestId, accountExists: req.accountExists };
    const reply = (outcome: AccountCreationReply['outcome'], reason?: string): AccountCreationReply => {
      logger.info({ ...ctx, outcome, ...(reason ? { reason } : {}), durationMs: clock() - started }, 'account creation request handled');
      return { registrationId, requestId, outcome, ...(reason ? { reason } : {}) };
    };

    for (;;) {
      const now = clock();
      const ttlMs = req.expiresAt - now;
      // A code that is dead on arrival only confuses the user; the saga decides what comes next.
      if (ttlMs <= 0) return reply('failed', 'deadline-passed');

      // Minted before we know whether this request is a repeat; a repeat simply discards it.
      const code = req.accountExists ? undefined : generateVerificationCode(deps.random);
      const digest = code === undefined ? unguessableDigest(deps.random) : codeDigest(config.verificationCodeSecret, registrationId, code);
      const issued = await store.issue({ registrationId, requestId, digest, ttlMs, now, leaseUntil: now + deps.sendLeaseMs });

      if (issued.kind === 'already-sent') {
        logger.info(ctx, 'mail for this request was already sent; not sending another');
        return reply('code-sent');
      }
      if (issued.kind === 'superseded') {
        // A late repeat of an older request: its mail went out long ago, and a newer code must stay valid.
        logger.info(ctx, 'request was superseded by a newer one; nothing to do');
        return reply('code-sent');
      }
      if (issued.kind === 'in-progress') {
        logger.debug({ ...ctx, retryInMs: issued.retryInMs }, 'another delivery of this request is sending its mail; waiting');
        // Bounded: the lease ends, then the store lets us take over (or the other delivery finished).
        await new Promise((resolve) => setTimeout(resolve, Math.min(issued.retryInMs, IN_PROGRESS_POLL_MS)));
        continue;
      }

      const mail: RenderedMail =
        code === undefined
          ? renderAccountExistsMail({ preferredLanguage: req.preferredLanguage, publicWebUrl: config.publicWebUrl })
          : renderVerificationMail({
              preferredLanguage: req.preferredLanguage,
              nickname: req.nickname,
              code,
              registrationId,
              publicWebUrl: config.publicWebUrl,
              validForMs: ttlMs,
            });
      try {
        await withRetry(() => mailer.send({ to: req.email, subject: mail.subject, text: mail.text, html: mail.html, language: mail.language }), {
          maxRetries: config.smtpMaxRetries,
          baseDelayMs: config.smtpRetryBaseMs,
          onRetry: ({ attempt, delayMs, err }) => logger.warn({ ...ctx, attempt, delayMs, err: describeError(err) }, 'sending the mail failed; retrying'),
        });
      } catch (err) {
        const reason = mailFailureReason(err);
        logger.error({ ...ctx, err: describeError(err instanceof Error && err.cause !== undefined ? err.cause : err) }, 'sending the mail failed for good');
        // Nobody received this code: leave no pending entry that only an attacker could try against.
        await store.discard(registrationId, requestId, digest);
        return reply('failed', reason);
      }
      // False when a newer request replaced the entry meanwhile: that request owns it now.
      if (!(await store.markSent(registrationId, requestId, digest))) {
        logger.info(ctx, 'verification entry was replaced while the mail was being sent');
      }
      return reply('code-sent');
    }
  };
}
