import type { Logger } from './service.logger.js';

/** A named close step: the name is what the log says when it fails. */
export type CloseStep = readonly [name: string, close: () => unknown];

/**
 * Runs the steps in order, each even when an earlier one failed (a stuck worker must not keep the
 * connections open): every failure is logged with its step, then all of them are thrown together.
 */
export async function closeSteps(logger: Pick<Logger, 'error'>, steps: readonly CloseStep[]): Promise<void> {
  const failures: unknown[] = [];
  for (const [name, close] of steps) {
    try {
      await close();
    } catch (err) {
      logger.error({ err, step: name }, 'close step failed');
      failures.push(err);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'some resources did not close cleanly');
}
