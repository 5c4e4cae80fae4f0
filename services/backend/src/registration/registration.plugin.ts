import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ACCOUNT_CREATION_QUEUE, CONFIRM_EMAIL_CODE_QUEUE, REGISTRATION_REPLY_QUEUE, RegistrationReply } from '@ashchat/contracts';
import type { Logger } from '@ashchat/messaging';
import type { BackendConfig } from '../config.js';
import { createRateLimiter } from '../rate-limit/rate-limiter.js';
import type { ReplyStats } from '../sagas/saga-reply.consumer.js';
import { hostSaga, type SagaHostTestOptions } from '../sagas/saga.host.js';
import { commonPasswords } from '../security/common-passwords.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { createPasswordPolicy } from '../security/password.policy.js';
import { createMailLimits } from './registration.mail-limit.js';
import { registrationQueues, type RegistrationQueues } from './registration.queues.js';
import { createRegistrationRateLimits } from './registration.rate-limit.js';
import registrationRoutes from './registration.routes.js';
import { registerRegistrationFrames } from './registration.ws.js';
import { REGISTRATIONS_COLLECTION, registrationCompensations, registrationEffects, type RegistrationRuntime } from './registration.runtime.js';
import { registrationSaga } from './registration.saga.js';
import { createRegistrationService, type RegistrationService } from './registration.service.js';

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

export type RegistrationTestOptions = SagaHostTestOptions;

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
  const users = app.users.repository;
  const host = hostSaga(app, {
    definition: registrationSaga,
    collection: REGISTRATIONS_COLLECTION,
    sends: [ACCOUNT_CREATION_QUEUE, CONFIRM_EMAIL_CODE_QUEUE],
    replies: { queue: REGISTRATION_REPLY_QUEUE, schema: RegistrationReply },
    effects: registrationEffects({ users, indexesReady: app.users.indexesReady, devices: app.devices.repository, devicesReady: app.devices.indexesReady }),
    compensations: registrationCompensations({ users, devices: app.devices.repository }),
    prepare: app.users.indexesReady,
    logger,
    ...(opts.consumeReplies !== undefined ? { consumeReplies: opts.consumeReplies } : {}),
    ...(opts.background !== undefined ? { background: opts.background } : {}),
    ...(opts.publisher ? { publisher: opts.publisher } : {}),
  });
  const { runtime } = host;
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

  app.decorate('registration', {
    service,
    runtime,
    queues,
    replyStats: host.replyStats,
    started: host.started,
    consuming: host.consuming,
  });

  await app.register(registrationRoutes, { service, limits });
  registerRegistrationFrames(app.wsFrames, { service, runtime, limits, authTimeoutMs: config.WS_AUTH_TIMEOUT_MS, log: app.log });
}

export default fp(registrationPlugin, {
  name: 'registration',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'redis', 'amqp', 'users', 'devices', 'ws-gateway'],
});
