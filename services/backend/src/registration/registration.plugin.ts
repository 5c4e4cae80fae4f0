import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createTypedPublisher, type Logger, type TypedConsumer, type TypedPublisher } from '@ashchat/messaging';
import type { BackendConfig } from '../config.js';
import { closeRedis } from '@ashchat/service-kit';
import { createRateLimiter } from '../rate-limit/rate-limiter.js';
import { commonPasswords } from '../security/common-passwords.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { createPasswordPolicy } from '../security/password.policy.js';
import { createRegistrationLifecycle } from './registration.lifecycle.js';
import { createMailLimits } from './registration.mail-limit.js';
import { registrationQueues, routeToQueues, type RegistrationQueues } from './registration.queues.js';
import { createRegistrationRateLimits } from './registration.rate-limit.js';
import { createReplyConsumer, emptyReplyStats, type ReplyStats } from './registration-reply.consumer.js';
import registrationRoutes from './registration.routes.js';
import { registerRegistrationFrames } from './registration.ws.js';
import { createRegistrationRuntime, type RegistrationRuntime } from './registration.runtime.js';
import { createRegistrationService, type RegistrationService } from './registration.service.js';

/** On close, how long to wait for a broker connection still being established. */
const CLOSE_CONNECT_WAIT_MS = 2_000;

/** What the plugin decorates the instance with (`app.registration`). */
export interface RegistrationModule {
  service: RegistrationService;
  runtime: RegistrationRuntime;
  queues: RegistrationQueues;
  /** Replies this instance consumed, by outcome. */
  replyStats: ReplyStats;
  /** Resolves once indexes exist and the background loops run (false if closed first). */
  started: Promise<boolean>;
  /** Resolves once this instance consumes the reply queue (at once when it does not consume). */
  consuming: Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    registration: RegistrationModule;
  }
}

/** Switches for tests; production uses the defaults. */
export interface RegistrationTestOptions {
  /** false: this instance does not consume the reply queue (another instance must). Default true. */
  consumeReplies?: boolean;
  /** false: no expiry subscriber, sweep or relay (drive `runtime.sweepOnce()` by hand). Default true. */
  background?: boolean;
  /** Wraps the real publisher, e.g. to fail every publish as if the process died before it. */
  publisher?: (real: TypedPublisher) => TypedPublisher;
}

export interface RegistrationPluginOptions extends RegistrationTestOptions {
  config: BackendConfig;
  logger?: Logger;
}

/**
 * The registration saga wired to this instance's connections: the durable runtime on MongoDB
 * (`registrations`), outbox messages through a confirming publisher, replies from the shared durable
 * reply queue (any instance applies any reply), timer expiries on a dedicated Redis subscriber
 * connection, the createUser effect, rate limits in Redis, and the REST routes.
 */
async function registrationPlugin(app: FastifyInstance, opts: RegistrationPluginOptions): Promise<void> {
  const { config } = opts;
  const logger = opts.logger ?? app.log;
  const queues = registrationQueues(config.QUEUE_NAMESPACE);

  const realPublisher = createTypedPublisher(app.amqp, { logger, queues: [queues.accountCreation, queues.confirmEmailCode, queues.reply] });
  const publisher = opts.publisher ? opts.publisher(realPublisher) : realPublisher;
  // A subscribed connection cannot run commands: expiry events get their own. Subscribing waits
  // for Redis instead of failing, so an unreachable Redis delays the listener rather than the boot.
  const subscriber = new Redis(config.REDIS_URI, { maxRetriesPerRequest: null, connectTimeout: 5_000, connectionName: 'ashchat-backend-saga-expiries' });
  let lastSubscriberError: string | undefined;
  subscriber.on('error', (err: Error) => {
    if (err.message !== lastSubscriberError) app.log.warn({ err }, 'Redis subscriber connection error');
    lastSubscriberError = err.message;
  });
  subscriber.on('ready', () => {
    lastSubscriberError = undefined;
  });

  const users = app.users.repository;
  const ensureUserIndexes = app.users.indexesReady;

  const runtime = createRegistrationRuntime({
    db: app.mongo.db,
    users,
    indexesReady: ensureUserIndexes,
    publisher: routeToQueues(publisher, queues),
    replyQueue: queues.reply,
    redis: app.redis,
    subscriber,
    logger,
    sweepIntervalMs: config.SAGA_SWEEP_INTERVAL_MS,
    relayIntervalMs: config.SAGA_RELAY_INTERVAL_MS,
    writeLock: app.mongo.capabilities.writeLock,
  });
  const service = createRegistrationService({
    runtime,
    users,
    hasher: createPasswordHasher({ memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM }),
    passwordPolicy: createPasswordPolicy(commonPasswords()),
    mailLimits: createMailLimits(app.redis, { perHour: config.REGISTRATION_MAIL_LIMIT_PER_HOUR, perDay: config.REGISTRATION_MAIL_LIMIT_PER_DAY }),
    settings: {
      verificationCodeSecret: config.VERIFICATION_CODE_SECRET,
      codeTtlMs: config.REGISTRATION_CODE_TTL_MS,
      resendCooldownMs: config.REGISTRATION_RESEND_COOLDOWN_MS,
      maxResends: config.REGISTRATION_MAX_RESENDS,
      verifierRequestTimeoutMs: config.VERIFIER_REQUEST_TIMEOUT_MS,
      verifyWaitMs: config.VERIFY_WAIT_MS,
    },
  });
  const limits = createRegistrationRateLimits(createRateLimiter(app.redis), {
    windowMs: config.REGISTRATION_RATE_LIMIT_WINDOW_MS,
    perIp: config.REGISTRATION_RATE_LIMIT_PER_IP,
    perEmail: config.REGISTRATION_RATE_LIMIT_PER_EMAIL,
    statusPerIp: config.REGISTRATION_STATUS_RATE_LIMIT_PER_IP,
    statusPerEmail: config.REGISTRATION_STATUS_RATE_LIMIT_PER_EMAIL,
  });

  const replyStats = emptyReplyStats();
  const consumer: TypedConsumer | undefined =
    opts.consumeReplies === false ? undefined : createReplyConsumer(app.amqp, { queue: queues.reply, runtime, logger, stats: replyStats });
  const lifecycle = createRegistrationLifecycle({ runtime, ensureUserIndexes, logger, background: opts.background !== false });

  app.decorate('registration', {
    service,
    runtime,
    queues,
    replyStats,
    started: lifecycle.started,
    consuming: consumer?.ready ?? Promise.resolve(),
  });
  app.addHook('onReady', async () => lifecycle.start());
  // Runs before the mongo/redis/amqp plugins' own hooks (registered earlier, closed later):
  // stop taking replies, then let the runtime finish its work, then drop our own connections.
  app.addHook('onClose', async () => {
    if (consumer) {
      // A consumer that is still declaring its queues finishes that first (a shutdown right after
      // start-up is clean); but while the broker is unreachable its close would wait for
      // declarations that only the connection's close (the amqp plugin's hook, later) ends.
      const connected = app.amqp.ready || (await app.amqp.onConnect(CLOSE_CONNECT_WAIT_MS, true).then(() => true, () => false));
      const closed = consumer.close();
      if (connected) await closed;
      else void closed.catch(() => undefined);
    }
    await lifecycle.close();
    await realPublisher.close();
    await closeRedis(subscriber);
  });

  await app.register(registrationRoutes, { service, limits });
  registerRegistrationFrames(app.wsFrames, { service, runtime, limits, authTimeoutMs: config.WS_AUTH_TIMEOUT_MS, log: app.log });
}

export default fp(registrationPlugin, {
  name: 'registration',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'redis', 'amqp', 'users', 'ws-gateway'],
});
