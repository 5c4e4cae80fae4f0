import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { pino, type Logger } from 'pino';
import { getInfra, testSecret, uniqueName } from '@ashchat/testkit';
import { createDeviceRepository, createPasswordHasher, createUserRepository, hashClientDeviceId, loadBackendConfig, type BackendConfig } from '@ashchat/backend';
import { deleteNamespaceQueues } from './bench.queues.js';
import { claimBenchRedisDb } from './bench.redis.js';

export interface BenchBackendConfig {
  config: BackendConfig;
  logger: Logger;
  /** Flushes and frees the claimed Redis database and deletes the namespace's queues. */
  release(): Promise<void>;
}

/**
 * The config of a backend measured in this process, on the infrastructure the tests use: its own
 * database, queue namespace and empty Redis database, warnings to stderr.
 */
export async function benchBackendConfig(name: string): Promise<BenchBackendConfig> {
  const infra = await getInfra();
  const namespace = uniqueName(name);
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const redis = await claimBenchRedisDb(infra.redisUri, (m) => logger.warn(m));
  const config = loadBackendConfig({
    envFile: false,
    env: {
      MONGODB_URI: infra.mongodbUri,
      MONGODB_DB: namespace.replace(/[^A-Za-z0-9_-]/g, '_'),
      AMQP_URI: infra.amqpUri,
      REDIS_URI: redis.uri,
      VERIFICATION_CODE_SECRET: testSecret(),
      JWT_SECRET: randomBytes(32).toString('hex'),
      QUEUE_NAMESPACE: namespace,
      LOG_LEVEL: 'warn',
    },
  });
  return {
    config,
    logger,
    async release() {
      await redis.release();
      await deleteNamespaceQueues(infra.amqpUri, namespace, logger);
    },
  };
}

/** The body of an answer that must be 2xx; otherwise an error naming the step. */
export async function okJson<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface BenchUsers {
  /** Inserts user `i` as the service stores users (one password for all, hashed once). */
  insert(i: number): Promise<{ _id: string; email: string }>;
  /** Signs the user in over HTTP from a device its account trusts (tokens at once, no mailed code); the auth header. */
  signIn(base: string, user: { _id: string; email: string }): Promise<{ authorization: string }>;
}

/** Users for a bench that measures a signed-in client: `<prefix>-<i>-…@example.com`, nickname `<prefix><i>`. */
export async function benchUsers(db: Db, config: BackendConfig, prefix: string): Promise<BenchUsers> {
  const users = createUserRepository(db);
  await users.ensureIndexes();
  const hasher = createPasswordHasher({ memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM });
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hasher.hash(password);
  const devices = createDeviceRepository(db);
  return {
    async insert(i) {
      const email = `${prefix}-${i}-${randomUUID().slice(0, 8)}@example.com`;
      const user = { _id: randomUUID(), email, emailNormalized: email, nickname: `${prefix}${i}`, preferredLanguage: 'en', passwordHash, registrationId: randomUUID() };
      await users.insert(user, new Date());
      return user;
    },
    async signIn(base, user) {
      const deviceId = randomBytes(16).toString('base64url');
      await devices.trust({ userId: user._id, deviceIdHash: hashClientDeviceId(deviceId), name: 'bench' }, new Date());
      const body = JSON.stringify({ email: user.email, password, deviceId });
      const session = await okJson<{ accessToken: string }>(
        await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
        'sign-in',
      );
      return { authorization: `Bearer ${session.accessToken}` };
    },
  };
}
