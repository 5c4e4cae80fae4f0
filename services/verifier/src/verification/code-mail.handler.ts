import { codeDigest } from '@ashchat/contracts';
import type { Logger } from '@ashchat/messaging';
import { generateVerificationCode, unguessableDigest, type RandomBytes } from './verification-code.js';
import type { RenderedMail } from './mail.templates.js';
import { sendMailWithRetry, type Mailer } from './mailer.js';
import type { VerificationStore } from './verification.store.js';

export interface CodeMailHandlerDeps {
  store: VerificationStore;
  mailer: Mailer;
  logger: Logger;
  config: { verificationCodeSecret: string; smtpMaxRetries: number; smtpRetryBaseMs: number };
  /**
   * How long one delivery owns the sending of its mail. A second delivery of the same request
   * (broker redelivery, duplicate publish) waits for it instead of sending a second mail, and
   * takes over only once the lease ran out (the first one died).
   */
  sendLeaseMs: number;
  clock: () => number;
  random?: RandomBytes;
  /** The send time assumed for a `silent` reply until a real mail was timed (default 250 ms). */
  initialSendEstimateMs?: number;
}

/**
 * What to do for one request:
 * - `code`: mint a code and mail it (`render` gets the code and how long it stays valid);
 * - `no-code`: keep an unguessable digest pending and mail something without a code;
 * - `silent`: keep an unguessable digest pending and mail nothing (nobody to write to), while the
 *   flow looks the same from outside: a pending entry that no code can confirm, and `code-sent`.
 */
export type CodeMailAction =
  | { kind: 'code'; to: string; render(code: string, validForMs: number): RenderedMail }
  | { kind: 'no-code'; to: string; render(): RenderedMail }
  | { kind: 'silent' };

export interface CodeMailPlan {
  /** The flow the code belongs to; the store's key and part of the digest. */
  flowId: string;
  requestId: string;
  expiresAt: number;
  action: CodeMailAction;
  /** Ids for the logs (never the address, never the code). */
  logContext: Record<string, unknown>;
  /** Message of the "handled" log line. */
  handledMessage: string;
}

export interface CodeMailResult {
  outcome: 'code-sent' | 'failed';
  reason?: string;
}

function renderFor(action: CodeMailAction, code: string | undefined, validForMs: number): (RenderedMail & { to: string }) | undefined {
  if (action.kind === 'code' && code !== undefined) return { ...action.render(code, validForMs), to: action.to };
  if (action.kind === 'no-code') return { ...action.render(), to: action.to };
  return undefined;
}

/** Upper bound for one wait between looks at a request another delivery is working on. */
const IN_PROGRESS_POLL_MS = 250;
/** Upper bound for the pause of a `silent` request (see below). */
const MAX_SILENT_PAUSE_MS = 10_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issues a code for a flow (registration, password reset, device challenge): stores only its keyed
 * digest, sends the mail once per request even under redelivery, retries SMTP with backoff and
 * discards the entry when the mail could not go out.
 */
export function createCodeMailHandler(deps: CodeMailHandlerDeps) {
  const { store, logger, config, clock } = deps;
  // A `silent` request answers after about as long as a real send takes (a moving average of the
  // mails this handler sent, jittered): otherwise the reply's timing would tell an unknown address
  // from a real account.
  let typicalSendMs = deps.initialSendEstimateMs ?? 250;
  const silentPause = (): number => Math.min(MAX_SILENT_PAUSE_MS, Math.round(typicalSendMs * (0.5 + Math.random())));

  return async function handleCodeMail(plan: CodeMailPlan): Promise<CodeMailResult> {
    const started = clock();
    const { flowId, requestId, action } = plan;
    const ctx = plan.logContext;
    const reply = (outcome: CodeMailResult['outcome'], reason?: string): CodeMailResult => {
      logger.info({ ...ctx, outcome, ...(reason ? { reason } : {}), durationMs: clock() - started }, plan.handledMessage);
      return { outcome, ...(reason ? { reason } : {}) };
    };

    for (;;) {
      const now = clock();
      const ttlMs = plan.expiresAt - now;
      // A code that is dead on arrival only confuses the user; the saga decides what comes next.
      if (ttlMs <= 0) return reply('failed', 'deadline-passed');

      // Minted before we know whether this request is a repeat; a repeat simply discards it.
      const code = action.kind === 'code' ? generateVerificationCode(deps.random) : undefined;
      const digest = code === undefined ? unguessableDigest(deps.random) : codeDigest(config.verificationCodeSecret, flowId, code);
      const issued = await store.issue({ registrationId: flowId, requestId, digest, ttlMs, now, leaseUntil: now + deps.sendLeaseMs });

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
        await sleep(Math.min(issued.retryInMs, IN_PROGRESS_POLL_MS));
        continue;
      }

      const mail = renderFor(action, code, ttlMs);
      if (mail === undefined) {
        await sleep(silentPause());
      } else {
        const sendStarted = clock();
        const failure = await sendMailWithRetry(deps, mail, { ctx, what: 'the mail' });
        if (failure !== null) {
          // Nobody received this code: leave no pending entry that only an attacker could try against.
          await store.discard(flowId, requestId, digest);
          return reply('failed', failure);
        }
        typicalSendMs = 0.8 * typicalSendMs + 0.2 * (clock() - sendStarted);
      }
      // False when a newer request replaced the entry meanwhile: that request owns it now.
      if (!(await store.markSent(flowId, requestId, digest))) {
        logger.info(ctx, 'verification entry was replaced while the mail was being sent');
      }
      return reply('code-sent');
    }
  };
}
