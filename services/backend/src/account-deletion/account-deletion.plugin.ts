import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { SagaEffectHandler } from '@ashchat/saga';
import { ACCOUNT_NOTICE_QUEUE } from '@ashchat/contracts';
import { createRateLimiter, rateLimitedError, rateLimitKey } from '../rate-limit/rate-limiter.js';
import { hostSaga, type SagaHostTestOptions } from '../sagas/saga.host.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { accountDeletionEffects } from './account-deletion.effects.js';
import accountDeletionRoutes from './account-deletion.routes.js';
import { accountDeletionSaga } from './account-deletion.saga.js';
import { createAccountDeletionService, type AccountDeletionRuntime, type AccountDeletionService } from './account-deletion.service.js';

/** Collection of account-deletion saga documents. */
export const ACCOUNT_DELETIONS_COLLECTION = 'account_deletions';
const DEFAULT_BATCH_SIZE = 100;

/** What the plugin decorates the instance with (`app.accountDeletion`). */
export interface AccountDeletionModule {
  service: AccountDeletionService;
  runtime: AccountDeletionRuntime;
  /** Resolves once indexes exist and the background loops (the relay that resumes steps) run. */
  started: Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    accountDeletion: AccountDeletionModule;
  }
}

export interface AccountDeletionTestOptions extends Omit<SagaHostTestOptions, 'consumeReplies'> {
  /** Conversations or messages per step run (default 100). */
  batchSize?: number;
  /** Wraps the effects, e.g. to hold one at a known point. */
  effects?: (real: Record<string, SagaEffectHandler>) => Record<string, SagaEffectHandler>;
}

/**
 * The account-deletion saga on this instance: its runtime (no reply queue: it only sends the one-way
 * notice), its steps as local effects over users, auth, devices and chat, and DELETE /v1/me.
 */
async function accountDeletionPlugin(app: FastifyInstance, opts: AccountDeletionTestOptions): Promise<void> {
  const { config } = app;
  const real = accountDeletionEffects({
    users: app.users.repository,
    sessions: app.auth.sessions,
    devices: app.devices.repository,
    departure: app.chat.departure,
    ...(app.hasDecorator('files') ? { files: app.files.departure } : {}),
    ...(app.hasDecorator('relations') ? { relations: app.relations.departure } : {}),
    // Registered after this plugin (it needs chat and presence): looked up when the step runs.
    digest: { forget: async (userId: string) => (app.hasDecorator('digest') ? app.digest.forget(userId) : undefined) },
    chatReady: app.chat.indexesReady,
    db: app.mongo.db,
  });
  const host = hostSaga(app, {
    definition: accountDeletionSaga,
    collection: ACCOUNT_DELETIONS_COLLECTION,
    sends: [ACCOUNT_NOTICE_QUEUE],
    effects: opts.effects ? opts.effects(real) : real,
    ...(opts.background !== undefined ? { background: opts.background } : {}),
    ...(opts.publisher ? { publisher: opts.publisher } : {}),
  });
  const limiter = createRateLimiter(app.redis);
  const rule = { limit: config.AUTH_RATE_LIMIT_PER_ACCOUNT, windowMs: config.AUTH_RATE_LIMIT_WINDOW_MS };
  const service = createAccountDeletionService({
    runtime: host.runtime,
    users: app.users.repository,
    hasher: createPasswordHasher({ memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM }),
    limit: async (userId) => {
      const decision = await limiter.hit([{ key: rateLimitKey('account-deletion:user', userId), rule }]);
      if (!decision.allowed) throw rateLimitedError(decision.retryAfterMs);
    },
    secret: config.JWT_SECRET,
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
    logger: app.log,
  });
  app.decorate('accountDeletion', { service, runtime: host.runtime, started: host.started });
  await app.register(accountDeletionRoutes, { service });
}

export default fp(accountDeletionPlugin, {
  name: 'account-deletion',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'redis', 'amqp', 'users', 'devices', 'auth', 'chat'],
});
