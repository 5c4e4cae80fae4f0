import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { createAmqpConnection } from '@ashchat/messaging';
import { ERROR_CATALOGUE, HealthResponse, ReadinessResponse, type ErrorCode, type ErrorResponse } from '@ashchat/contracts';
import { API_SECURITY_HEADERS, checkReadiness, clientErrorHandler, httpServerTimeouts, type HttpTimeouts } from '@ashchat/service-kit';
import type { SmtpTransport } from './connections/smtp.connection.js';

export interface HealthAppDeps {
  redis: Redis;
  amqp: ReturnType<typeof createAmqpConnection>;
  smtp: SmtpTransport;
  /** Omitted: no logging (tests). */
  logger?: Logger;
  /** Bound for the Redis and RabbitMQ checks. */
  checkTimeoutMs?: number;
  /** Bound for the SMTP check: a real handshake (TLS, AUTH) takes longer than a PING. */
  smtpCheckTimeoutMs?: number;
  /** How long a client may take to send a request; probes are tiny, so seconds (tests set less). */
  timeouts?: HttpTimeouts;
}

const PROBE_TIMEOUTS: HttpTimeouts = { requestTimeoutMs: 10_000, headersTimeoutMs: 5_000 };

function errorBody(code: ErrorCode): ErrorResponse {
  const { status, message } = ERROR_CATALOGUE[code];
  return { statusCode: status, code, error: STATUS_CODES[status] ?? 'Error', message };
}

/**
 * The verifier's only HTTP surface: liveness and readiness for the orchestrator. It uses the
 * connections main.ts owns and never closes them, and it never listens (main.ts does).
 */
export async function buildHealthApp(deps: HealthAppDeps): Promise<FastifyInstance> {
  const timeoutMs = deps.checkTimeoutMs ?? 1_000;
  const smtpTimeoutMs = deps.smtpCheckTimeoutMs ?? 3_000;
  // Probes arrive every few seconds: logging each request would drown the worker's logs.
  const timeouts = deps.timeouts ?? PROBE_TIMEOUTS;
  const app: FastifyInstance = Fastify({
    logController: new LogController({ disableRequestLogging: true }),
    // Like the backend: a client that never finishes its request gets 408 and loses the connection,
    // refusals before routing are catalogue answers with the API's security headers.
    requestTimeout: timeouts.requestTimeoutMs,
    http: httpServerTimeouts(timeouts),
    clientErrorHandler,
    ...(deps.logger ? { loggerInstance: deps.logger as FastifyBaseLogger } : { logger: false }),
  });

  app.addHook('onRequest', async (_request, reply) => {
    void reply.headers(API_SECURITY_HEADERS);
  });
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error }, 'health endpoint failed');
    return reply.code(500).send(errorBody('INTERNAL_ERROR'));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('ROUTE_NOT_FOUND')));

  app.get('/health', { schema: { response: { 200: HealthResponse } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/ready',
    { schema: { response: { 200: ReadinessResponse, 503: ReadinessResponse } } },
    async (request, reply) => {
      const [core, smtp] = await Promise.all([
        checkReadiness(
          {
            redis: () => deps.redis.ping(),
            rabbitmq: () => (deps.amqp.ready ? Promise.resolve() : deps.amqp.onConnect(timeoutMs, true)),
          },
          timeoutMs,
        ),
        checkReadiness({ smtp: () => deps.smtp.verify() }, smtpTimeoutMs),
      ]);
      const ready = core.body.status === 'ready' && smtp.body.status === 'ready';
      const failures = { ...core.failures, ...smtp.failures };
      if (!ready) request.log.warn({ failures }, 'not ready');
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not-ready', checks: { ...core.body.checks, ...smtp.body.checks } });
    },
  );

  return app;
}
