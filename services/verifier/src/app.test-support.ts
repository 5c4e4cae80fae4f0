import { getInfra, testSecret } from '@ashchat/testkit';

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
