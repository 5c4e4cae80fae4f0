import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ERROR_CATALOGUE, HealthResponse, ReadinessResponse, type ErrorCode, type ErrorResponse } from '@ashchat/contracts';
import { API_SECURITY_HEADERS, clientErrorHandler, httpServerTimeouts, type HttpTimeouts } from './http.hardening.js';
import { checkReadiness, type ReadinessCheck } from './readiness.js';
import type { Logger } from 'pino';

/** One dependency /ready asks about, with its own bound (a PING is quick, an SMTP handshake is not). */
export interface NamedReadinessCheck {
  check: ReadinessCheck;
  timeoutMs: number;
}

export interface HealthAppOptions {
  /** By name, as /ready reports them (`{ redis: 'up', … }`). */
  checks: Record<string, NamedReadinessCheck>;
  /** Omitted: no logging (tests). */
  logger?: Logger;
  /** How long a client may take to send a request; probes are tiny, so seconds (tests set less). */
  timeouts?: HttpTimeouts;
}

/** What a worker's Redis and RabbitMQ connections offer to the readiness checks. */
export interface WorkerConnections {
  redis: { ping(): Promise<unknown> };
  amqp: { ready: boolean; onConnect(timeoutMs: number, throwOnTimeout: boolean): Promise<unknown> };
}

const PROBE_TIMEOUTS: HttpTimeouts = { requestTimeoutMs: 10_000, headersTimeoutMs: 5_000 };

function errorBody(code: ErrorCode): ErrorResponse {
  const { status, message } = ERROR_CATALOGUE[code];
  return { statusCode: status, code, error: STATUS_CODES[status] ?? 'Error', message };
}

/** The `redis` and `rabbitmq` checks every worker has, each bounded by `timeoutMs`. */
export function workerReadinessChecks(c: WorkerConnections, timeoutMs = 1_000): Record<string, NamedReadinessCheck> {
  return {
    redis: { check: () => c.redis.ping(), timeoutMs },
    rabbitmq: { check: () => (c.amqp.ready ? Promise.resolve() : c.amqp.onConnect(timeoutMs, true)), timeoutMs },
  };
}

/**
 * A worker service's only HTTP surface: /health (alive) and /ready (every check answers in time).
 * The checks use connections the service owns; this app never closes them, and never listens (the
 * service does).
 */
export async function buildHealthApp(o: HealthAppOptions): Promise<FastifyInstance> {
  const timeouts = o.timeouts ?? PROBE_TIMEOUTS;
  const app: FastifyInstance = Fastify({
    // Probes arrive every few seconds: logging each request would drown the worker's logs.
    logController: new LogController({ disableRequestLogging: true }),
    // Like the backend: a client that never finishes its request gets 408 and loses the connection,
    // refusals before routing are catalogue answers with the API's security headers.
    requestTimeout: timeouts.requestTimeoutMs,
    http: httpServerTimeouts(timeouts),
    clientErrorHandler,
    ...(o.logger ? { loggerInstance: o.logger as FastifyBaseLogger } : { logger: false }),
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

  const names = Object.keys(o.checks);
  app.get(
    '/ready',
    { schema: { response: { 200: ReadinessResponse, 503: ReadinessResponse } } },
    async (request, reply) => {
      // Each check under its own bound, all at once.
      const results = await Promise.all(names.map((name) => checkReadiness({ [name]: o.checks[name]!.check }, o.checks[name]!.timeoutMs)));
      const body: ReadinessResponse = { status: 'ready', checks: {} };
      const failures: Record<string, string> = {};
      for (const result of results) {
        Object.assign(body.checks, result.body.checks);
        Object.assign(failures, result.failures);
        if (result.body.status !== 'ready') body.status = 'not-ready';
      }
      if (body.status !== 'ready') request.log.warn({ failures }, 'not ready');
      return reply.code(body.status === 'ready' ? 200 : 503).send(body);
    },
  );

  return app;
}
