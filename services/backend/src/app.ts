import fp from 'fastify-plugin';
import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Logger } from '@ashchat/messaging';
import { AJV_EMOJI_FORMAT, AJV_TEXT_FORMATS } from '@ashchat/contracts';
import type { BackendConfig } from './config.js';
import { clientErrorHandler, httpServerTimeouts, loggerOptions } from '@ashchat/service-kit';
import mongoPlugin from './plugins/mongo.plugin.js';
import redisPlugin from './plugins/redis.plugin.js';
import amqpPlugin from './plugins/amqp.plugin.js';
import errorHandlerPlugin from './plugins/error-handler.plugin.js';
import { frameworkErrors } from './errors/framework-errors.js';
import securityHeadersPlugin from './plugins/security-headers.plugin.js';
import { OneLineRequestLog, requestChildLogger } from './plugins/request-log.js';
import jsonBodyPlugin from './plugins/json-body.plugin.js';
import openApiPlugin from './docs/openapi.plugin.js';
import sagaPagesPlugin from './docs/saga-pages.plugin.js';
import healthRoutes from './routes/health.routes.js';
import authPlugin, { type DeviceChallengeTestOptions } from './auth/auth.plugin.js';
import sessionRoutes from './auth/session.routes.js';
import userRoutes from './users/user.routes.js';
import usersPlugin from './users/users.plugin.js';
import devicesPlugin from './devices/devices.plugin.js';
import registrationPlugin, { type RegistrationTestOptions } from './registration/registration.plugin.js';
import passwordsPlugin, { type PasswordResetTestOptions } from './passwords/passwords.plugin.js';
import chatPlugin from './chat/chat.plugin.js';
import filesPlugin from './files/files.plugin.js';
import searchPlugin from './search/search.plugin.js';
import relationsPlugin from './relations/relations.plugin.js';
import accountDeletionPlugin, { type AccountDeletionTestOptions } from './account-deletion/account-deletion.plugin.js';
import digestPlugin, { type DigestTestOptions } from './digest/digest.plugin.js';
import translationPlugin, { type TranslationTestOptions } from './translation/translation.plugin.js';
import userEventsPlugin from './user-events/user-events.plugin.js';
import wsPlugin from './realtime/ws.plugin.js';
import presencePlugin from './realtime/presence.plugin.js';
import webClientPlugin from './web/web.plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: BackendConfig;
  }
}

export interface AppOptions {
  config: BackendConfig;
  /** Logger for non-request components (AMQP connection); defaults to the Fastify logger. */
  logger?: Logger;
  /** Test switches for the registration saga (reply consumption, background loops, publisher). */
  registration?: RegistrationTestOptions;
  /** Test switches for the device-challenge saga (the same as the registration's). */
  deviceChallenge?: DeviceChallengeTestOptions;
  /** Test switches for the password-reset saga (the same as the registration's; `publisher` also wraps password-change notices). */
  passwordReset?: PasswordResetTestOptions;
  /** Test switches for the account-deletion saga (batch size, effects, background loops). */
  accountDeletion?: AccountDeletionTestOptions;
  /** Test switches for the digest saga (event and reply consumption, background loops, mutes). */
  digest?: DigestTestOptions;
  /** Test switches for machine translation (reply consumption). */
  translation?: TranslationTestOptions;
}

/**
 * Options for the Fastify instance that hosts buildApp, shared by server.ts and the tests so both
 * validate the same way. Unknown body properties are rejected (schemas say additionalProperties:
 * false), not silently stripped as Fastify's default Ajv setup would.
 */
export function fastifyOptions(
  config: BackendConfig,
  overrides: Partial<FastifyServerOptions> = {},
): FastifyHttpOptions<Server> {
  return {
    logger: loggerOptions(config.LOG_LEVEL, config.LOG_FORMAT),
    trustProxy: config.TRUST_PROXY,
    // Bounds on how long a client may take to send a request, and to stay idle between requests
    // (slow clients would otherwise hold connections forever). WebSocket connections are upgraded
    // out of these and kept alive by their own heartbeat.
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    http: httpServerTimeouts({ requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS, headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS }),
    // Refusals before any route runs (timeouts, oversized headers, router limits) as catalogue answers.
    clientErrorHandler,
    frameworkErrors,
    // Orchestrator probes arrive every few seconds; logging each would drown real traffic.
    logController: new OneLineRequestLog({
      disableRequestLogging: (request) => request.url === '/health' || request.url === '/ready',
    }),
    childLoggerFactory: requestChildLogger,
    // The text rule's formats (@ashchat/contracts): without them Ajv refuses to compile the schemas.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, formats: { ...AJV_TEXT_FORMATS, ...AJV_EMOJI_FORMAT } } },
    // Answers are not checked against the rule (text stored before it must stay readable); the
    // serializer's Ajv (for unions) just needs to know the formats.
    serializerOpts: { ajv: { formats: { text: true, line: true, 'display-name': true, emoji: true } } },
    ...overrides,
  };
}

/**
 * The whole backend as one plugin: infrastructure, the error handler, routes. It never listens,
 * so tests run it through `inject` and server.ts decides how to serve it. Wrapped with
 * fastify-plugin so the decorators and the error handler apply to the host instance.
 */
async function backendApp(app: FastifyInstance, opts: AppOptions): Promise<void> {
  const { config } = opts;
  app.decorate('config', config);
  await app.register(errorHandlerPlugin);
  // Before any route: helmet applies route options as routes are added.
  await app.register(securityHeadersPlugin);
  // JSON is the only body the API takes: a text/plain body is 415, not a string handed to validation.
  app.removeContentTypeParser('text/plain');
  // Before any route: child scopes copy the content-type parsers they find when registered.
  await app.register(jsonBodyPlugin);
  // Before any route: the OpenAPI document collects the routes registered after it.
  await app.register(openApiPlugin);
  await app.register(mongoPlugin, { uri: config.MONGODB_URI, dbName: config.MONGODB_DB, flavor: config.MONGODB_FLAVOR });
  await app.register(redisPlugin, { uri: config.REDIS_URI });
  await app.register(userEventsPlugin);
  await app.register(presencePlugin);
  await app.register(amqpPlugin, { uri: config.AMQP_URI, ...(opts.logger ? { logger: opts.logger } : {}) });
  // The users collection's one owner, before auth, registration and chat, which use it.
  await app.register(usersPlugin);
  await app.register(devicesPlugin);
  // Before every route plugin: routes use `app.authenticate` as their onRequest hook, so a request
  // without a valid token gets 401 before its body is parsed or validated.
  await app.register(authPlugin, {
    config,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.deviceChallenge ? { deviceChallenge: opts.deviceChallenge } : {}),
  });
  // Before the domain plugins: they register their frames on the gateway (`app.wsFrames`).
  await app.register(wsPlugin);
  await app.register(healthRoutes);
  await app.register(sagaPagesPlugin);
  await app.register(registrationPlugin, {
    config,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...opts.registration,
  });
  await app.register(passwordsPlugin, {
    config,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...opts.passwordReset,
  });
  await app.register(sessionRoutes);
  await app.register(userRoutes);
  // Before chat: chat asks it about blocks (direct chats) and shows mutes in its views.
  await app.register(relationsPlugin);
  // Before chat, which claims attachments on send (files/).
  await app.register(filesPlugin);
  await app.register(chatPlugin);
  await app.register(searchPlugin);
  await app.register(accountDeletionPlugin, { ...opts.accountDeletion });
  await app.register(digestPlugin, { ...opts.digest });
  // After chat, whose message service asks it for translations (looked up per send).
  if (config.TRANSLATION_ENABLED) await app.register(translationPlugin, { ...opts.translation });
  // After the API: the web client answers only what no route matched.
  await app.register(webClientPlugin);
}

export const buildApp = fp(backendApp, {
  name: 'ashchat-backend',
  fastify: '5.x',
});
export default buildApp;
