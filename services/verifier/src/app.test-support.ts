import { createServer } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { getInfra, testSecret, waitFor } from '@ashchat/testkit';

/** Test-only helpers (excluded from the build). */

/** The environment a test verifier runs with: the real infrastructure. */
export async function testEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const infra = await getInfra();
  return {
    AMQP_URI: infra.amqpUri,
    REDIS_URI: infra.redisUri,
    SMTP_URI: infra.smtpUri,
    VERIFICATION_CODE_SECRET: testSecret(),
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

/** A port nothing listens on: bind an ephemeral port, then release it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface ReadinessAnswer {
  statusCode: number;
  body: unknown;
}

/**
 * Polls /ready until it answers `expected` (fresh connections come up asynchronously), bounded.
 * On timeout it returns the last answer, so the test's assertion shows the difference.
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
