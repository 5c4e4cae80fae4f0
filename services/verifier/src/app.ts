import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { createAmqpConnection } from '@ashchat/messaging';
import { buildHealthApp as buildWorkerHealthApp, workerReadinessChecks, type HttpTimeouts } from '@ashchat/service-kit';
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

/**
 * The verifier's only HTTP surface: liveness and readiness for the orchestrator. It uses the
 * connections main.ts owns and never closes them, and it never listens (main.ts does).
 */
export function buildHealthApp(deps: HealthAppDeps): Promise<FastifyInstance> {
  return buildWorkerHealthApp({
    checks: {
      ...workerReadinessChecks(deps, deps.checkTimeoutMs),
      smtp: { check: () => deps.smtp.verify(), timeoutMs: deps.smtpCheckTimeoutMs ?? 3_000 },
    },
    logger: deps.logger,
    timeouts: deps.timeouts,
  });
}
