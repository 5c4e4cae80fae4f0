import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ACCOUNT_NOTICE_QUEUE, CONFIRM_CODE_QUEUE, PASSWORD_RESET_CODE_QUEUE, PASSWORD_RESET_REPLY_QUEUE, PasswordResetReply } from '@ashchat/contracts';
import { createTypedPublisher, type Logger } from '@ashchat/messaging';
import type { BackendConfig } from '../config.js';
import { createRateLimiter } from '../rate-limit/rate-limiter.js';
import { createMailLimits } from '../registration/registration.mail-limit.js';
import { createRegistrationRateLimits } from '../registration/registration.rate-limit.js';
import type { ReplyStats } from '../sagas/saga-reply.consumer.js';
import { hostSaga, type SagaHostTestOptions } from '../sagas/saga.host.js';
import { queueRoutes, routeToQueues, type QueueRoutes } from '../sagas/saga.queues.js';
import { commonPasswords } from '../security/common-passwords.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { createPasswordPolicy } from '../security/password.policy.js';
import { createAccountNoticePublisher } from './account-notice.publisher.js';
import passwordChangeRoutes from './password-change.routes.js';
import { createPasswordChangeService, type PasswordChangeService } from './password-change.service.js';
import passwordResetRoutes from './password-reset.routes.js';
import { PASSWORD_RESETS_COLLECTION, passwordResetEffects, type PasswordResetRuntime } from './password-reset.runtime.js';
import { passwordResetSaga } from './password-reset.saga.js';
import { createPasswordResetService, type PasswordResetService } from './password-reset.service.js';
import { revokeSessionsStartedBefore } from './set-password.effect.js';

/** What the plugin decorates the instance with (`app.passwords`). */
export interface PasswordsModule {
  reset: PasswordResetService;
  change: PasswordChangeService;
  runtime: PasswordResetRuntime;
  /** Physical queue names of the reset saga (and the notices) by contract name. */
  queues: QueueRoutes;
  replyStats: ReplyStats;
  /** Resolves once indexes exist and the background loops run (false if closed first). */
  started: Promise<boolean>;
  /** Resolves once this instance consumes the reply queue. */
  consuming: Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    passwords: PasswordsModule;
  }
}

/** Test switches of the reset saga; `publisher` wraps the notices of a password change too. */
export type PasswordResetTestOptions = SagaHostTestOptions;

export interface PasswordsPluginOptions extends PasswordResetTestOptions {
  config: BackendConfig;
  logger?: Logger;
}

/**
 * The password reset (a saga like the registration: code mailed and checked by the verifier, then a
 * local effect stores the hash and ends the sessions) and the signed-in password change, with their routes.
 */
async function passwordsPlugin(app: FastifyInstance, opts: PasswordsPluginOptions): Promise<void> {
  const { config } = opts;
  const logger = opts.logger ?? app.log;
  const users = app.users.repository;
  const sessions = app.auth.sessions;
  const host = hostSaga(app, {
    definition: passwordResetSaga,
    collection: PASSWORD_RESETS_COLLECTION,
    sends: [PASSWORD_RESET_CODE_QUEUE, CONFIRM_CODE_QUEUE, ACCOUNT_NOTICE_QUEUE],
    replies: { queue: PASSWORD_RESET_REPLY_QUEUE, schema: PasswordResetReply },
    effects: passwordResetEffects({
      users,
      // Only sessions that began before the change: a repeat after a crash spares those signed in with the new password.
      revokeSessions: revokeSessionsStartedBefore(sessions),
    }),
    logger,
    ...(opts.consumeReplies !== undefined ? { consumeReplies: opts.consumeReplies } : {}),
    ...(opts.background !== undefined ? { background: opts.background } : {}),
    ...(opts.publisher ? { publisher: opts.publisher } : {}),
  });
  const hasher = createPasswordHasher({ memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM });
  const passwordPolicy = createPasswordPolicy(commonPasswords());
  const limiter = createRateLimiter(app.redis);

  const reset = createPasswordResetService({
    runtime: host.runtime,
    users,
    hasher,
    passwordPolicy,
    mailLimits: createMailLimits(app.redis, {
      perHour: config.PASSWORD_RESET_MAIL_LIMIT_PER_HOUR,
      perDay: config.PASSWORD_RESET_MAIL_LIMIT_PER_DAY,
      scope: 'password-reset:mail',
    }),
    settings: {
      verificationCodeSecret: config.VERIFICATION_CODE_SECRET,
      codeTtlMs: config.PASSWORD_RESET_CODE_TTL_MS,
      resendCooldownMs: config.REGISTRATION_RESEND_COOLDOWN_MS,
      maxResends: config.REGISTRATION_MAX_RESENDS,
      verifierRequestTimeoutMs: config.VERIFIER_REQUEST_TIMEOUT_MS,
      verifyWaitMs: config.VERIFY_WAIT_MS,
    },
  });
  const limits = createRegistrationRateLimits(
    limiter,
    {
      windowMs: config.PASSWORD_RESET_RATE_LIMIT_WINDOW_MS,
      perIp: config.PASSWORD_RESET_RATE_LIMIT_PER_IP,
      perEmail: config.PASSWORD_RESET_RATE_LIMIT_PER_EMAIL,
      // Clients poll the status like a registration's: the same generous polling limits.
      statusPerIp: config.REGISTRATION_STATUS_RATE_LIMIT_PER_IP,
      statusPerEmail: config.REGISTRATION_STATUS_RATE_LIMIT_PER_EMAIL,
    },
    'password-reset',
  );

  // The change publishes its notice directly (no saga: nothing to wait for), one way.
  const noticeQueues = queueRoutes(config.QUEUE_NAMESPACE, [ACCOUNT_NOTICE_QUEUE]);
  const realNoticePublisher = createTypedPublisher(app.amqp, { logger, queues: Object.values(noticeQueues) });
  const noticePublisher = routeToQueues(opts.publisher ? opts.publisher(realNoticePublisher) : realNoticePublisher, noticeQueues);
  app.addHook('onClose', async () => realNoticePublisher.close());
  const change = createPasswordChangeService({
    users,
    hasher,
    passwordPolicy,
    revokeOtherSessions: (userId, except) => sessions.revokeAllSessions(userId, { except }),
    notices: createAccountNoticePublisher(noticePublisher, logger),
    limiter,
    // The sign-in's per-account limit: guessing the current password here is no cheaper than signing in.
    limit: { limit: config.AUTH_RATE_LIMIT_PER_ACCOUNT, windowMs: config.AUTH_RATE_LIMIT_WINDOW_MS },
  });

  app.decorate('passwords', {
    reset,
    change,
    runtime: host.runtime,
    queues: host.queues,
    replyStats: host.replyStats,
    started: host.started,
    consuming: host.consuming,
  });

  await app.register(passwordResetRoutes, { service: reset, limits });
  await app.register(passwordChangeRoutes, { service: change });
}

export default fp(passwordsPlugin, {
  name: 'passwords',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'redis', 'amqp', 'users', 'auth', 'registration'],
});
