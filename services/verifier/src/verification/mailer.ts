import { describeError, type Logger } from '@ashchat/messaging';
import type { Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Content language of the mail (Content-Language header). */
  language?: string;
}

export interface Mailer {
  /** One delivery attempt; rejects with the transport's error. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** A thin client over a nodemailer transport: fixed sender, and logs that never hold the mail body. */
export function createMailer(transport: Transporter, o: { from: string; logger: Logger }): Mailer {
  return {
    async send(mail) {
      const info = (await transport.sendMail({
        from: o.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(mail.language ? { headers: { 'Content-Language': mail.language } } : {}),
      })) as { messageId?: unknown };
      const messageId = typeof info.messageId === 'string' ? info.messageId : '';
      o.logger.debug({ messageId }, 'mail handed to the SMTP server');
      return { messageId };
    },
    close() {
      transport.close();
    },
  };
}

export interface RetryOptions {
  /** Further attempts after the first one; 0 = a single attempt. */
  maxRetries: number;
  /** Delay before the first retry; doubles with every further retry. */
  baseDelayMs: number;
  /** Uniform [0, 1); injectable for tests. */
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; err: unknown }) => void;
}

/** Thrown when every attempt failed; `cause` is the last error. */
export class RetriesExhaustedError extends Error {
  constructor(readonly attempts: number, cause: unknown) {
    super(`gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`, { cause });
    this.name = 'RetriesExhaustedError';
  }
}

/** Delay before retry number `retry` (0-based): base·2^retry, jittered to 50–100 % of it. */
export function backoffDelay(baseDelayMs: number, retry: number, random: () => number = Math.random): number {
  const ceiling = baseDelayMs * 2 ** retry;
  // Jitter keeps several workers that failed together from hammering the server in lockstep.
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * SMTP 5xx replies are permanent (bad recipient, message refused): repeating them cannot help.
 * Connection errors and 4xx replies are transient.
 */
export function isPermanentMailError(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export async function withRetry<T>(attempt: () => Promise<T>, o: RetryOptions): Promise<T> {
  const maxRetries = Math.max(0, Math.floor(o.maxRetries));
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (err) {
      if (retry >= maxRetries || isPermanentMailError(err)) throw new RetriesExhaustedError(retry + 1, err);
      const delayMs = backoffDelay(o.baseDelayMs, retry, o.random);
      o.onRetry?.({ attempt: retry + 1, delayMs, err });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** A reason for the saga and the logs: error code and SMTP status only, never the server's text. */
export function mailFailureReason(err: unknown): string {
  const attempts = err instanceof RetriesExhaustedError ? err.attempts : 1;
  const last = err instanceof RetriesExhaustedError ? err.cause : err;
  const code = (last as { code?: unknown } | null)?.code;
  const status = (last as { responseCode?: unknown } | null)?.responseCode;
  const detail = [typeof code === 'string' ? code : undefined, typeof status === 'number' ? `SMTP ${status}` : undefined]
    .filter(Boolean)
    .join(', ');
  return `mail delivery failed after ${attempts} attempt${attempts === 1 ? '' : 's'}${detail ? ` (${detail})` : ''}`;
}

/**
 * One mail with the configured retries, each retry and the final failure logged with `ctx` (ids
 * only, never the address or the body) as "sending <what> failed…". Answers null when the mail went
 * out, else the failure's reason (mailFailureReason); what to undo then is the caller's business.
 */
export async function sendMailWithRetry(
  deps: { mailer: Mailer; logger: Logger; config: { smtpMaxRetries: number; smtpRetryBaseMs: number } },
  mail: OutgoingMail,
  log: { ctx: Record<string, unknown>; what: string },
): Promise<string | null> {
  const { mailer, logger, config } = deps;
  const { ctx, what } = log;
  try {
    await withRetry(() => mailer.send({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, language: mail.language }), {
      maxRetries: config.smtpMaxRetries,
      baseDelayMs: config.smtpRetryBaseMs,
      onRetry: ({ attempt, delayMs, err }) => logger.warn({ ...ctx, attempt, delayMs, err: describeError(err) }, `sending ${what} failed; retrying`),
    });
    return null;
  } catch (err) {
    const reason = mailFailureReason(err);
    logger.error({ ...ctx, err: describeError(err instanceof Error && err.cause !== undefined ? err.cause : err) }, `sending ${what} failed for good`);
    return reason;
  }
}
