import { isDeepStrictEqual } from 'node:util';
import { waitFor } from './wait-for.js';

/** One answer of a service's readiness endpoint (`/ready`). */
export interface ReadinessAnswer {
  statusCode: number;
  body: unknown;
}

/**
 * Polls a readiness probe until it answers `expected` (a fresh service's connections come up
 * asynchronously), bounded. On timeout it returns the last answer, so the test's assertion shows
 * the difference.
 */
export async function awaitReadiness(
  probe: () => Promise<ReadinessAnswer>,
  expected: unknown,
  timeoutMs = 15_000,
): Promise<ReadinessAnswer> {
  let last: ReadinessAnswer | undefined;
  try {
    return await waitFor(
      async () => {
        last = await probe();
        return isDeepStrictEqual(last.body, expected) ? last : undefined;
      },
      { timeoutMs, intervalMs: 100, message: `/ready to answer ${JSON.stringify(expected)}` },
    );
  } catch (error) {
    if (last === undefined) throw error;
    return last;
  }
}
