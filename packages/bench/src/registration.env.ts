import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { getInfra, startSmtpSink, testSecret, uniqueName, type SmtpSink } from '@ashchat/testkit';
import { createBackend, loadBackendConfig, type BackendConfig, type PasswordHasherOptions } from '@ashchat/backend';
import { deleteNamespaceQueues } from './bench.queues.js';
import { claimBenchRedisDb } from './bench.redis.js';
import { createCodeInbox, type CodeInbox } from './mail.inbox.js';
import { profileMongo, withCommandMonitoring, type MongoProfile } from './mongo.profile.js';
import { createRegistrationClient, type RegistrationClient } from './registration.client.js';
import { startInProcessVerifier, type InProcessVerifier } from './verifier.in-process.js';

export interface RegistrationEnvOptions {
  argon2: PasswordHasherOptions;
  /** Warnings and errors of both services go here (default: stderr, level warn). */
  logger?: Logger;
  /** Count the backend's MongoDB commands (a diagnostic: command events cost a little). */
  profileMongo?: boolean;
}

export interface RegistrationEnv {
  config: BackendConfig;
  app: FastifyInstance;
  baseUrl: string;
  client: RegistrationClient;
  inbox: CodeInbox;
  sink: SmtpSink;
  namespace: string;
  /** Set when `profileMongo` was asked for. */
  mongoProfile: MongoProfile | undefined;
  /** Users stored in this run's database. */
  countUsers(): Promise<number>;
  /** Closes everything this env started and deletes its database and queues. */
  close(): Promise<void>;
}


/**
 * The whole registration path in this process, on the real infrastructure: the backend listening
 * on 127.0.0.1:0, the verifier's worker, and an SMTP sink. A private database and queue
 * namespace keep runs apart; rate limits are lifted because every request comes from one IP.
 */
export async function startRegistrationEnv(o: RegistrationEnvOptions): Promise<RegistrationEnv> {
  const logger = o.logger ?? pino({ level: 'warn' }, pino.destination(2));
  const infra = await getInfra();
  const namespace = uniqueName('bench');
  const secret = testSecret();
  const closers: (() => Promise<unknown> | unknown)[] = [];
  const close = async (): Promise<void> => {
    for (const step of closers.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        logger.warn({ err }, 'bench cleanup step failed');
      }
    }
  };
  try {
    // Sized so the inbox never misses a mail between two drains, whatever the concurrency.
    const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0, maxMessages: 100_000 });
    closers.push(() => sink.close());
    const inbox = createCodeInbox(sink);
    closers.push(() => inbox.close());
    const redis = await claimBenchRedisDb(infra.redisUri, (msg) => logger.warn(msg));
    closers.push(() => redis.release());

    // A pooled transport, as a production verifier would be configured: one SMTP session per mail
    // would measure TCP set-up, not the flow.
    const verifier: InProcessVerifier = await startInProcessVerifier({
      amqpUri: infra.amqpUri,
      redisUri: redis.uri,
      smtpUri: `${sink.smtpUri}?pool=true`,
      verificationCodeSecret: secret,
      queueNamespace: namespace,
      logger,
    });
    closers.push(() => verifier.close());

    const config = loadBackendConfig({
      envFile: false,
      env: {
        MONGODB_URI: o.profileMongo ? withCommandMonitoring(infra.mongodbUri) : infra.mongodbUri,
        MONGODB_DB: namespace.replace(/[^A-Za-z0-9_-]/g, '_'),
        AMQP_URI: infra.amqpUri,
        REDIS_URI: redis.uri,
        VERIFICATION_CODE_SECRET: secret,
        JWT_SECRET: testSecret(),
        QUEUE_NAMESPACE: namespace,
        LOG_LEVEL: 'warn',
        ARGON2_MEMORY_KIB: String(o.argon2.memoryCost),
        ARGON2_TIME_COST: String(o.argon2.timeCost),
        ARGON2_PARALLELISM: String(o.argon2.parallelism),
        REGISTRATION_RATE_LIMIT_PER_IP: '100000000',
        REGISTRATION_RATE_LIMIT_PER_EMAIL: '100000000',
        REGISTRATION_STATUS_RATE_LIMIT_PER_IP: '100000000',
        REGISTRATION_STATUS_RATE_LIMIT_PER_EMAIL: '100000000',
      },
    });
    const app = createBackend(config, { server: { logger: undefined, loggerInstance: logger.child({ service: 'backend' }) } });
    closers.push(async () => {
      await app.mongo?.db.dropDatabase().catch(() => undefined);
      await app.close();
    });
    await app.ready();
    const mongoProfile = o.profileMongo ? profileMongo(app.mongo.client) : undefined;
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });

    // Deleted last, after both services stopped using them.
    closers.unshift(() => deleteNamespaceQueues(infra.amqpUri, namespace, logger));

    return {
      config,
      app,
      baseUrl,
      client: createRegistrationClient(baseUrl),
      inbox,
      sink,
      namespace,
      mongoProfile,
      countUsers: () => app.mongo.db.collection('users').countDocuments(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
