import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { getInfra, testSecret, uniqueName } from '@ashchat/testkit';
import { loadBackendConfig, type BackendConfig } from '@ashchat/backend';
import { claimBenchRedisDb } from './bench.redis.js';

export interface BenchBackendConfig {
  config: BackendConfig;
  logger: Logger;
  /** Flushes and frees the claimed Redis database. */
  releaseRedis(): Promise<void>;
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
  return { config, logger, releaseRedis: () => redis.release() };
}
