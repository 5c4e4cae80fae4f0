import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { getInfra, type ReadinessAnswer } from '@ashchat/testkit';
import { loggerOptions } from '@ashchat/service-kit';
import { loadBackendConfig, type BackendConfig } from './config.js';
import { createBackend } from './backend.js';

/** Test-only helpers (excluded from the build): a config on the real infrastructure and an app. */

export interface Teardown {
  teardown(fn: () => unknown): void;
}

/** The environment a test backend runs with: real infra URLs, a database of its own. */
export async function testEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const infra = await getInfra();
  return {
    MONGODB_URI: infra.mongodbUri,
    MONGODB_DB: `ashchat_test_${randomUUID().slice(0, 8)}`,
    AMQP_URI: infra.amqpUri,
    REDIS_URI: infra.redisUri,
    VERIFICATION_CODE_SECRET: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    // Test files share one Redis and sign in from 127.0.0.1: tests of the limits set their own.
    AUTH_RATE_LIMIT_PER_IP: '1000000',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '1000000',
    DEVICE_CHALLENGE_RATE_LIMIT_PER_IP: '1000000',
    PASSWORD_RESET_RATE_LIMIT_PER_IP: '1000000',
    PASSWORD_RESET_RATE_LIMIT_PER_EMAIL: '1000000',
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

export async function testConfig(overrides: Record<string, string> = {}): Promise<BackendConfig> {
  return loadBackendConfig({ env: await testEnv(overrides), envFile: false });
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Runs after buildApp is registered and before ready: add test routes here. */
  setup?: (app: FastifyInstance) => void | Promise<void>;
}

/** A ready backend app (never listening) that is closed, and its database dropped, at teardown. */
export async function buildTestApp(t: Teardown, options: TestAppOptions = {}): Promise<FastifyInstance> {
  const config = await testConfig(options.env);
  const app = createBackend(config, { server: { logger: false } });
  t.teardown(async () => {
    await app.mongo?.db.dropDatabase().catch(() => undefined);
    await app.close();
  });
  await app.after();
  await options.setup?.(app);
  await app.ready();
  return app;
}

/** A readiness probe for awaitReadiness (@ashchat/testkit) through `inject`. */
export const injectReady = (app: FastifyInstance) => async (): Promise<ReadinessAnswer> => {
  const res = await app.inject({ method: 'GET', url: '/ready' });
  return { statusCode: res.statusCode, body: res.json() };
};

/**
 * A listening backend with the production logger options (serializers, redaction) at the most
 * talkative level, writing into `lines`: for tests that no secret reaches the log.
 */
export async function loggedApp(t: Teardown): Promise<{ app: FastifyInstance; lines: string[]; port: number }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = await testConfig({ LOG_LEVEL: 'trace' });
  const app = createBackend(config, { server: { logger: { ...loggerOptions('trace'), stream } } });
  t.teardown(async () => {
    await app.mongo?.db.dropDatabase().catch(() => undefined);
    await app.close();
  });
  await app.ready();
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, lines, port: (app.server.address() as AddressInfo).port };
}
