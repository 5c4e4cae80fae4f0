import { Type, type Static } from '@sinclair/typebox';
import { LOG_FORMATS } from '@ashchat/service-kit';
import { LogLevelVar, PortVar, SecretVar, UriVar, loadConfig, type ConfigProblem, type LoadConfigOptions } from '@ashchat/config';
import { MONGODB_FLAVORS } from './database/database.capabilities.js';

/** Every environment variable the backend reads. The single list an operator needs. */
export const BackendConfigSchema = Type.Object({
  PORT: PortVar(3000, { description: 'HTTP port' }),
  HOST: Type.String({ default: '0.0.0.0', minLength: 1, description: 'Interface to listen on' }),
  LOG_LEVEL: LogLevelVar('info'),
  /** `json` lines (default, production) or `pretty` coloured one-line text (the `dev` scripts set it). */
  LOG_FORMAT: Type.Union(
    LOG_FORMATS.map((format) => Type.Literal(format)),
    { default: 'json' },
  ),
  MONGODB_URI: UriVar(['mongodb', 'mongodb+srv'], { multiHost: true }),
  MONGODB_DB: Type.String({ default: 'ashchat', minLength: 1, pattern: '^[^/\\\\. "$]+$' }),
  /**
   * Which MongoDB-protocol server this is, and so which guards run (database/database.capabilities.ts):
   * `auto` asks the server at start-up; `mongodb` or `ferretdb` decide without asking.
   */
  MONGODB_FLAVOR: Type.Union(
    MONGODB_FLAVORS.map((flavor) => Type.Literal(flavor)),
    { default: 'auto' },
  ),
  AMQP_URI: UriVar(['amqp', 'amqps']),
  REDIS_URI: UriVar(['redis', 'rediss']),
  /** Shared with the verifier: keys the HMAC under which codes travel and rest. */
  VERIFICATION_CODE_SECRET: SecretVar({ minLength: 32 }),
  REGISTRATION_CODE_TTL_MS: Type.Integer({ default: 600_000, minimum: 1_000 }),
  /** After a code was sent, how long before another may be requested. */
  REGISTRATION_RESEND_COOLDOWN_MS: Type.Integer({ default: 60_000, minimum: 0 }),
  /** Codes that may be requested after the first one. */
  REGISTRATION_MAX_RESENDS: Type.Integer({ default: 3, minimum: 0, maximum: 20 }),
  /** A verifier request without reply after this long ends (code request) or is given up (code check). */
  VERIFIER_REQUEST_TIMEOUT_MS: Type.Integer({ default: 120_000, minimum: 1_000 }),
  /** Reconciliation sweep for overdue saga timers (Redis expiry events are only hints). */
  SAGA_SWEEP_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 100 }),
  /** Relay for saga outbox entries left behind by a crash or a broker outage. */
  SAGA_RELAY_INTERVAL_MS: Type.Integer({ default: 5_000, minimum: 100 }),
  /** How long POST …/verification waits for the verifier's answer before replying 202. */
  VERIFY_WAIT_MS: Type.Integer({ default: 5_000, minimum: 0, maximum: 60_000 }),
  /** argon2id parameters (OWASP minimum: 19 MiB, t=2, p=1). */
  ARGON2_MEMORY_KIB: Type.Integer({ default: 19_456, minimum: 1_024, maximum: 4_194_304 }),
  ARGON2_TIME_COST: Type.Integer({ default: 2, minimum: 1, maximum: 100 }),
  ARGON2_PARALLELISM: Type.Integer({ default: 1, minimum: 1, maximum: 16 }),
  /** Fixed window of the registration rate limits (shared by every instance through Redis). */
  REGISTRATION_RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 1_000 }),
  /** Per client IP and window, for each registration write route (create, verify, resend). */
  REGISTRATION_RATE_LIMIT_PER_IP: Type.Integer({ default: 30, minimum: 1 }),
  /** Per e-mail address and window, for each registration write route. */
  REGISTRATION_RATE_LIMIT_PER_EMAIL: Type.Integer({ default: 10, minimum: 1 }),
  /** Per client IP and window for GET /v1/registrations/:id (clients poll it). */
  REGISTRATION_STATUS_RATE_LIMIT_PER_IP: Type.Integer({ default: 600, minimum: 1 }),
  /** Per e-mail address and window for GET /v1/registrations/:id. */
  REGISTRATION_STATUS_RATE_LIMIT_PER_EMAIL: Type.Integer({ default: 120, minimum: 1 }),
  /**
   * Verification mails one e-mail address may receive per hour, new registrations and resends
   * together, whoever asks: stops mail-bombing an address. One registration sends at most
   * 1 + REGISTRATION_MAX_RESENDS mails (4 by default, a minute apart), so 5 lets a user finish a
   * registration with every resend and still start over once within the hour.
   */
  REGISTRATION_MAIL_LIMIT_PER_HOUR: Type.Integer({ default: 5, minimum: 1 }),
  /** The same per day: two whole registrations with all their resends and a couple of fresh starts. */
  REGISTRATION_MAIL_LIMIT_PER_DAY: Type.Integer({ default: 10, minimum: 1 }),
  /** How long a password-reset code stays valid. Resends and their cooldown follow REGISTRATION_RESEND_COOLDOWN_MS and REGISTRATION_MAX_RESENDS. */
  PASSWORD_RESET_CODE_TTL_MS: Type.Integer({ default: 900_000, minimum: 1_000 }),
  /** Fixed window of the password-reset rate limits. */
  PASSWORD_RESET_RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 900_000, minimum: 1_000 }),
  /** Per client IP and window, for each password-reset write route (start, verify, resend). */
  PASSWORD_RESET_RATE_LIMIT_PER_IP: Type.Integer({ default: 20, minimum: 1 }),
  /** Per e-mail address and window, for each password-reset write route. */
  PASSWORD_RESET_RATE_LIMIT_PER_EMAIL: Type.Integer({ default: 5, minimum: 1 }),
  /** Reset mails one address may receive per hour (starts and resends together): stops mail-bombing. */
  PASSWORD_RESET_MAIL_LIMIT_PER_HOUR: Type.Integer({ default: 5, minimum: 1 }),
  /** The same per day. */
  PASSWORD_RESET_MAIL_LIMIT_PER_DAY: Type.Integer({ default: 10, minimum: 1 }),
  /** How long a new-device sign-in code stays valid. */
  DEVICE_CHALLENGE_CODE_TTL_MS: Type.Integer({ default: 600_000, minimum: 1_000 }),
  /** Device-challenge code submissions and resends per client IP and AUTH_RATE_LIMIT_WINDOW_MS. */
  DEVICE_CHALLENGE_RATE_LIMIT_PER_IP: Type.Integer({ default: 30, minimum: 1 }),
  /** Keys (HS256) the access tokens; at least 32 characters, never shared with another purpose. */
  JWT_SECRET: SecretVar({ minLength: 32 }),
  /** Lifetime of an access token; short, since only a refresh notices a revoked session's JWT expiring. */
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 900, minimum: 10, maximum: 900 }),
  /** Lifetime of a refresh token (each refresh issues a new one with a fresh lifetime). */
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 365 }),
  /**
   * How long a rotated refresh token may be presented again as an interrupted rotation (the client
   * lost the answer: a reload, a dropped response) while the token that replaced it was never used:
   * it is rotated again instead of ending the session as a reuse. 0 = every reuse ends the session.
   */
  REFRESH_REUSE_GRACE_MS: Type.Integer({ default: 30_000, minimum: 0, maximum: 300_000 }),
  /** Fixed window of the sign-in and refresh rate limits. */
  AUTH_RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 1_000 }),
  /** Sign-ins and refreshes per client IP and window. */
  AUTH_RATE_LIMIT_PER_IP: Type.Integer({ default: 30, minimum: 1 }),
  /** Sign-ins per account (e-mail address) and window, whatever the IP: slows password guessing. */
  AUTH_RATE_LIMIT_PER_ACCOUNT: Type.Integer({ default: 10, minimum: 1 }),
  /**
   * Prefix of the queues used (`<ns>.ACCOUNT_CREATION_QUEUE`, …); empty = the contract names. Must
   * equal the verifier's QUEUE_NAMESPACE. Lets environments or test runs share one broker.
   */
  QUEUE_NAMESPACE: Type.String({
    default: '',
    maxLength: 100,
    pattern: '^([A-Za-z0-9][A-Za-z0-9_.:-]*)?$',
    errorMessage: 'must be letters, digits, "_", ".", ":" or "-" (at most 100, starting with a letter or digit)',
  }),
  /**
   * How long a user stays online after their instance last refreshed them (heartbeat every third
   * of it): bounds how late a crashed instance's users are shown offline.
   */
  PRESENCE_TTL_MS: Type.Integer({ default: 30_000, minimum: 300, maximum: 600_000 }),
  /**
   * How long an instance may serve a user's first conversation page from memory. Changes drop it
   * at once on every instance (Redis pub/sub); this bounds staleness only if such an event is lost. 0 = off.
   */
  INBOX_CACHE_TTL_MS: Type.Integer({ default: 30_000, minimum: 0, maximum: 300_000 }),
  /**
   * How long an instance uses a user's language and auto-translation setting read for a send or a
   * translation (users/translation-profiles.cache.ts). The instance that changes a profile drops it at
   * once; other instances see the change within this. 0 = off.
   */
  PROFILE_CACHE_TTL_MS: Type.Integer({ default: 30_000, minimum: 0, maximum: 300_000 }),
  /** Memory for cached conversation pages per instance (bytes of JSON). */
  INBOX_CACHE_MAX_BYTES: Type.Integer({ default: 32 * 1024 * 1024, minimum: 0 }),
  /**
   * How long an instance may trust that a session is active without asking MongoDB. A logout or
   * revocation drops it at once on every instance (Redis pub/sub); this bounds a lost event. 0 = off.
   */
  SESSION_CACHE_TTL_MS: Type.Integer({ default: 30_000, minimum: 0, maximum: 300_000 }),
  /** WebSocket (/v1/ws): largest client frame accepted; a bigger one closes the connection with 1009. */
  WS_MAX_FRAME_BYTES: Type.Integer({ default: 65_536, minimum: 1_024, maximum: 16_777_216 }),
  /** Bytes a connection may have queued for sending; beyond that the client is too slow and is closed (4008). */
  WS_SEND_BUFFER_BYTES: Type.Integer({ default: 1_048_576, minimum: 1_024 }),
  /** Frames per second a connection may send on average (token bucket); more are refused with RATE_LIMITED. */
  WS_MESSAGES_PER_SECOND: Type.Integer({ default: 20, minimum: 1, maximum: 10_000 }),
  /** Frames a connection may send at once after a quiet spell (the token bucket's size). */
  WS_MESSAGES_BURST: Type.Integer({ default: 40, minimum: 1, maximum: 100_000 }),
  /** Refused frames in a row after which a connection is closed (4029) instead of answered. */
  WS_RATE_LIMIT_STRIKES: Type.Integer({ default: 50, minimum: 1 }),
  /** How long a new connection has to authenticate (header or first `auth` frame) before it is closed (4401). */
  WS_AUTH_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 300_000 }),
  /** How long before its access token expires a connection is sent `auth.expiring`. */
  WS_AUTH_EXPIRY_NOTICE_MS: Type.Integer({ default: 60_000, minimum: 0, maximum: 600_000 }),
  /** Protocol-level ping interval; a connection that missed the previous pong is dropped. */
  WS_HEARTBEAT_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 100, maximum: 600_000 }),
  /** One sweep over all connections (auth deadlines, token expiry, held events): its period. */
  WS_SWEEP_INTERVAL_MS: Type.Integer({ default: 1_000, minimum: 10, maximum: 60_000 }),
  /** After authentication, live events are held this long (or until the next client frame) so a `resume` loses nothing. */
  WS_RESUME_HOLD_MS: Type.Integer({ default: 2_000, minimum: 0, maximum: 60_000 }),
  /** Missed messages one `resume` replays at most; conversations with more are reported `incomplete`. */
  WS_RESUME_MAX_MESSAGES: Type.Integer({ default: 1_000, minimum: 1, maximum: 100_000 }),
  /** Live events held while a resume replays; more closes the connection as a slow consumer (4008). */
  WS_RESUME_BUFFER_EVENTS: Type.Integer({ default: 1_000, minimum: 1, maximum: 100_000 }),
  /** Repeats of the same typing frame within this window are acknowledged but not relayed. */
  WS_TYPING_THROTTLE_MS: Type.Integer({ default: 1_000, minimum: 0, maximum: 60_000 }),
  /** `expiresInMs` of typing events: a `start` not renewed within it counts as a `stop`. */
  WS_TYPING_TTL_MS: Type.Integer({ default: 6_000, minimum: 1_000, maximum: 60_000 }),
  /**
   * How long an instance may trust a user's membership of a conversation (asked by every send).
   * Member changes drop it at once on every instance; this bounds a lost event. 0 = off.
   */
  MEMBERSHIP_CACHE_TTL_MS: Type.Integer({ default: 30_000, minimum: 0, maximum: 300_000 }),
  /**
   * Message search on servers without a text index (FerretDB): how many of the newest messages one
   * request looks at, at most; the answer says `complete: false` when it stopped there.
   */
  SEARCH_SCAN_LIMIT: Type.Integer({ default: 5_000, minimum: 1, maximum: 1_000_000 }),
  /** Missed-message mail: how long a user with unread messages must have been offline before it goes out. */
  DIGEST_DELAY_MS: Type.Integer({ default: 900_000, minimum: 100, maximum: 86_400_000 }),
  /** After a digest mail, how long before the next one may go out (one mail per period). */
  DIGEST_PERIOD_MS: Type.Integer({ default: 3_600_000, minimum: 100, maximum: 604_800_000 }),
  /**
   * Machine translation of messages (translation/): requests to the translator on TRANSLATION_QUEUE,
   * replies on TRANSLATION_REPLY_QUEUE (both under QUEUE_NAMESPACE). false: this instance neither asks
   * nor consumes replies (messages still record their language; translations stay as they are).
   */
  TRANSLATION_ENABLED: Type.Boolean({ default: true }),
  /** Nickname searches per user and minute: a search enumerates users, so it is bounded like a sign-in. */
  USER_SEARCH_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 120, minimum: 1 }),
  /** How often an instance deletes expired refresh tokens, where no TTL index does (database/database.capabilities.ts). */
  SESSION_PURGE_INTERVAL_MS: Type.Integer({ default: 3_600_000, minimum: 1_000 }),
  /**
   * How long a client has to send a whole request (headers and body) once it started one; then it
   * gets 408 and the connection is closed. Bounds slow-body clients holding connections: 30 s lets
   * the largest accepted body (1 MiB) arrive at about 35 KB/s. Answers may take longer (not bounded).
   */
  HTTP_REQUEST_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 100, maximum: 600_000 }),
  /** How long a client has to send a request's headers (slowloris); at most HTTP_REQUEST_TIMEOUT_MS. */
  HTTP_HEADERS_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 600_000 }),
  /**
   * How long an idle keep-alive connection stays open between requests. Longer than the idle
   * timeout of the usual reverse proxies (60 s), so the proxy closes first and never sends on a
   * connection this server is closing (Fastify's default, 72 s).
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ default: 72_000, minimum: 100, maximum: 600_000 }),
  /**
   * Folder of the built web client served at `/` (index.html and assets/); unset = the workspace's
   * own build (packages/web/dist). The backend starts without it and answers `/` with 503 until it exists.
   */
  WEB_CLIENT_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /** Largest file one upload may carry (POST …/attachments); a bigger one is refused with 413 and nothing is stored. */
  ATTACHMENT_MAX_BYTES: Type.Integer({ default: 10 * 1024 * 1024, minimum: 1_024, maximum: 1024 * 1024 * 1024 }),
  /** Largest avatar upload (PUT /v1/me/avatar), before it is resized. */
  AVATAR_MAX_BYTES: Type.Integer({ default: 2 * 1024 * 1024, minimum: 1_024, maximum: 64 * 1024 * 1024 }),
  /** Images with more pixels are refused before decoding (decompression bombs): 50 megapixels by default. */
  IMAGE_MAX_PIXELS: Type.Integer({ default: 50_000_000, minimum: 1_024, maximum: 1_000_000_000 }),
  /** An upload not sent with a message within this long is deleted by the sweep. */
  ATTACHMENT_UNSENT_TTL_MS: Type.Integer({ default: 86_400_000, minimum: 1_000 }),
  /** How often an instance sweeps unsent uploads and finishes interrupted file deletions. */
  ATTACHMENT_SWEEP_INTERVAL_MS: Type.Integer({ default: 600_000, minimum: 100 }),
  /** Trust X-Forwarded-* (set when running behind a reverse proxy). */
  TRUST_PROXY: Type.Boolean({ default: false }),
});

export type BackendConfig = Readonly<Static<typeof BackendConfigSchema>>;

/** Node refuses a headers timeout longer than the request timeout: say so at start-up, by name. */
function httpTimeouts(config: BackendConfig): ConfigProblem[] {
  if (config.HTTP_HEADERS_TIMEOUT_MS <= config.HTTP_REQUEST_TIMEOUT_MS) return [];
  return [{ variable: 'HTTP_HEADERS_TIMEOUT_MS', problem: 'must not exceed HTTP_REQUEST_TIMEOUT_MS' }];
}

export function loadBackendConfig(options?: LoadConfigOptions): BackendConfig {
  return loadConfig(BackendConfigSchema, { ...options, check: httpTimeouts });
}
