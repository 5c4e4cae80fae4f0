import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BackendConfig } from '../config.js';
import { AppError } from '../errors/app-error.js';
import { createRateLimiter } from '../rate-limit/rate-limiter.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { createAuthRateLimits, type AuthRateLimits } from './auth.rate-limit.js';
import { createAccessTokenVerifier } from './access-token.verifier.js';
import { createWriteLock } from '../database/write.lock.js';
import { createSessionRepository, type SessionExpiry } from './session.repository.js';
import { createSessionService, type AccessTokenClaims, type SessionService } from './session.service.js';
import { createUserScopedCache } from '../user-events/user-scoped.cache.js';
import { CONFIRM_CODE_QUEUE, DEVICE_CHALLENGE_REPLY_QUEUE, DEVICE_CODE_QUEUE, DeviceChallengeReply } from '@ashchat/contracts';
import type { Logger } from '@ashchat/messaging';
import { hostSaga, type SagaHostTestOptions } from '../sagas/saga.host.js';
import type { ReplyStats } from '../sagas/saga-reply.consumer.js';
import { createDeviceService, type DeviceService } from '../devices/device.service.js';
import { DEVICE_CHALLENGES_COLLECTION, deviceChallengeEffects, deviceChallengeSaga, type DeviceChallengeRuntime } from './device-challenge.saga.js';
import { createDeviceChallengeService, type DeviceChallengeService } from './device-challenge.service.js';

/** Sent to the user's channel when one of their sessions ends; never forwarded to clients. */
export interface SessionRevokedEvent {
  type: 'session.revoked';
  sessionId: string;
}

/** What the plugin decorates the instance with (`app.auth`). */
export interface AuthModule {
  sessions: SessionService;
  limits: AuthRateLimits;
  /** How this instance lets expired refresh tokens go (database/database.capabilities.ts). */
  sessionExpiry: SessionExpiry;
  /** Sign-ins from devices the account does not trust yet (the device-challenge saga). */
  challenges: DeviceChallengeService;
  /** The saga behind them, for tests and probes. */
  challengeSaga: { runtime: DeviceChallengeRuntime; replyStats: ReplyStats; started: Promise<boolean>; consuming: Promise<void> };
  /** The caller's trusted devices (untrusting one ends its sessions). */
  devices: DeviceService;
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthModule;
    /** onRequest hook: a valid access token of an active session, else 401 UNAUTHENTICATED. */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    /** The signed-in user; set by `app.authenticate` (empty on routes without it). */
    userId: string;
    /** The session (refresh-token family) of the access token; set by `app.authenticate`. */
    sessionId: string;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenClaims;
    user: AccessTokenClaims;
  }
}

export type DeviceChallengeTestOptions = SagaHostTestOptions;

export interface AuthPluginOptions {
  config: BackendConfig;
  logger?: Logger;
  /** Test switches for the device-challenge saga (reply consumption, background loops, publisher). */
  deviceChallenge?: DeviceChallengeTestOptions;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
const DAY_MS = 86_400_000;

/**
 * Sessions and authentication: access tokens are short-lived HS256 JWTs (`sub` = user, `sid` =
 * session); refresh tokens are opaque, single-use and stored as digests (`sessions`). Every
 * authenticated request also checks that its session is still active, so a logout takes effect at
 * once rather than when the access token expires.
 */
async function authPlugin(app: FastifyInstance, opts: AuthPluginOptions): Promise<void> {
  const { config } = opts;
  await app.register(fastifyJwt, {
    secret: config.JWT_SECRET,
    sign: { algorithm: 'HS256', expiresIn: config.ACCESS_TOKEN_TTL_SECONDS },
    verify: { algorithms: ['HS256'] },
  });

  const { capabilities } = app.mongo;
  const sessionExpiry = capabilities.sessionExpiry;
  const sessionRepository = createSessionRepository(app.mongo.db);
  // Started when the instance is ready, without holding it up (MongoDB may be away; the service
  // reports not-ready meanwhile); a sign-in waits for them, since the token hash must be unique.
  let indexes: Promise<void> | undefined;
  const indexesReady = (): Promise<void> =>
    (indexes ??= sessionRepository.ensureIndexes(sessionExpiry).catch((err: unknown) => {
      indexes = undefined;
      throw err;
    }));
  const activeCache = createUserScopedCache<boolean>({
    bus: app.userEvents,
    invalidatedBy: (event) => event.type === 'session.revoked',
    ttlMs: config.SESSION_CACHE_TTL_MS,
    maxSize: 100_000,
    maxUsers: 100_000,
  });
  app.addHook('onClose', async () => activeCache.close());
  const sessions = createSessionService({
    activeCache,
    devices: app.devices.repository,
    // The challenge service is built below (it issues sessions through this one).
    startChallenge: (request) => challenges.start(request),
    async onRevoked(userId, sessionId) {
      const event: SessionRevokedEvent = { type: 'session.revoked', sessionId };
      await app.userEvents.publish([userId], event).catch((err: unknown) => app.log.warn({ err }, 'session revocation not published; other instances notice within SESSION_CACHE_TTL_MS'));
    },
    sessions: sessionRepository,
    users: app.users.repository,
    hasher: createPasswordHasher({ memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM }),
    withFamilyLock: createWriteLock(app.redis, capabilities, { keyPrefix: 'session-family-lock', ttlMs: 5_000, waitMs: 5_000, busy: 'SESSION_BUSY' }),
    signAccessToken: (claims) => app.jwt.sign(claims),
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlMs: config.REFRESH_TOKEN_TTL_DAYS * DAY_MS,
    refreshReuseGraceMs: config.REFRESH_REUSE_GRACE_MS,
    indexesReady,
    onReuse: (s) => app.log.warn({ sessionId: s.familyId, userId: s.userId }, 'refresh token reused: session revoked'),
  });
  const limits = createAuthRateLimits(createRateLimiter(app.redis), {
    windowMs: config.AUTH_RATE_LIMIT_WINDOW_MS,
    perIp: config.AUTH_RATE_LIMIT_PER_IP,
    perAccount: config.AUTH_RATE_LIMIT_PER_ACCOUNT,
    challengePerIp: config.DEVICE_CHALLENGE_RATE_LIMIT_PER_IP,
  });
  const test = opts.deviceChallenge ?? {};
  const challengeHost = hostSaga(app, {
    definition: deviceChallengeSaga,
    collection: DEVICE_CHALLENGES_COLLECTION,
    sends: [DEVICE_CODE_QUEUE, CONFIRM_CODE_QUEUE],
    replies: { queue: DEVICE_CHALLENGE_REPLY_QUEUE, schema: DeviceChallengeReply },
    effects: deviceChallengeEffects({ devices: app.devices.repository, indexesReady: app.devices.indexesReady }),
    prepare: app.devices.indexesReady,
    logger: opts.logger ?? app.log,
    ...(test.consumeReplies !== undefined ? { consumeReplies: test.consumeReplies } : {}),
    ...(test.background !== undefined ? { background: test.background } : {}),
    ...(test.publisher ? { publisher: test.publisher } : {}),
  });
  const challenges = createDeviceChallengeService({
    runtime: challengeHost.runtime,
    devices: app.devices.repository,
    sessions,
    settings: {
      verificationCodeSecret: config.VERIFICATION_CODE_SECRET,
      codeTtlMs: config.DEVICE_CHALLENGE_CODE_TTL_MS,
      resendCooldownMs: config.REGISTRATION_RESEND_COOLDOWN_MS,
      maxResends: config.REGISTRATION_MAX_RESENDS,
      verifierRequestTimeoutMs: config.VERIFIER_REQUEST_TIMEOUT_MS,
      verifyWaitMs: config.VERIFY_WAIT_MS,
    },
  });
  const devices = createDeviceService({ repository: app.devices.repository, endSessionsOn: (userId, deviceId) => sessions.revokeDeviceSessions(userId, deviceId) });
  const { runtime, replyStats, started, consuming } = challengeHost;

  // The instance's verifier directly (request.jwtVerify re-merges options and decodes twice per call).
  const verifyAccessToken = createAccessTokenVerifier({ verify: (token) => app.jwt.verify(token), maxTokens: 10_000 });
  app.decorate('auth', { sessions, limits, sessionExpiry, challenges, challengeSaga: { runtime, replyStats, started, consuming }, devices });
  let purge: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    indexesReady().catch((err: unknown) => app.log.warn({ err }, 'session indexes not created yet; retrying at the next sign-in'));
    if (sessionExpiry === 'ttl-index') {
      // The server deletes expired tokens. A server that refuses the TTL index was forced to the
      // MongoDB plan (MONGODB_FLAVOR=mongodb) without having it: expired tokens then stay (they
      // are refused all the same); said loudly, not patched over with the purge timer.
      sessionRepository.ensureTtlIndex().catch((err: unknown) => app.log.error({ err }, 'sessions TTL index refused: expired refresh tokens are not deleted'));
      return;
    }
    purge = setInterval(() => {
      sessions.purgeExpired().then(
        (deleted) => deleted > 0 && app.log.info({ deleted }, 'expired refresh tokens deleted'),
        (err: unknown) => app.log.warn({ err }, 'expired refresh tokens not deleted; next try at the next interval'),
      );
    }, config.SESSION_PURGE_INTERVAL_MS).unref();
  });
  app.addHook('onClose', async () => clearInterval(purge));
  app.decorateRequest('userId', '');
  app.decorateRequest('sessionId', '');
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (token === undefined) throw new AppError('UNAUTHENTICATED');
    let claims: AccessTokenClaims;
    try {
      claims = verifyAccessToken(token);
    } catch {
      throw new AppError('UNAUTHENTICATED');
    }
    if (!(await sessions.isActive(claims.sub, claims.sid))) throw new AppError('UNAUTHENTICATED');
    request.userId = claims.sub;
    request.sessionId = claims.sid;
  });
}

export default fp(authPlugin, {
  name: 'auth',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'redis', 'amqp', 'user-events', 'users', 'devices'],
});
