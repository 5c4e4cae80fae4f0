import { describeError, type Logger } from './logger.js';

/**
 * How long a close() waits for rabbitmq-client before giving up. With the broker unreachable, the
 * library's close waits for a channel setup that itself waits for the reconnect, up to
 * `acquireTimeout` (20 s): a shutdown would hang that long (issue #18). Giving up is safe: the
 * close goes on in the background, and unacknowledged messages return to the queue once the
 * connection is gone. Orchestrators usually allow 10–30 s for a whole shutdown.
 */
export const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;

/**
 * Waits for `closing` at most `timeoutMs`; then logs what was left behind and resolves. A close
 * that fails is logged too: shutdown goes on either way. False when it gave up.
 */
export async function closeWithin(closing: Promise<unknown>, timeoutMs: number, logger: Pick<Logger, 'warn'>, context: object): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    closing.then(
      () => 'closed' as const,
      (err: unknown) => {
        logger.warn({ ...context, err: describeError(err) }, 'close failed');
        return 'failed' as const;
      },
    ),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') logger.warn({ ...context, timeoutMs }, `not closed within ${timeoutMs} ms (broker unreachable?); going on without waiting`);
  return outcome !== 'timeout';
}
