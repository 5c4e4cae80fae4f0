import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { createAmqpConnection } from '@ashchat/messaging';
import { buildHealthApp as buildWorkerHealthApp, workerReadinessChecks, type HttpTimeouts } from '@ashchat/service-kit';
import type { TranslationEngine } from './engine/index.js';

export interface HealthAppDeps {
  redis: Redis;
  amqp: ReturnType<typeof createAmqpConnection>;
  engine: TranslationEngine;
  /** Omitted: no logging (tests). */
  logger?: Logger;
  /** Bound for the Redis and RabbitMQ checks. */
  checkTimeoutMs?: number;
  /** Bound for the engine check: its pairs list is a real HTTP call. */
  engineCheckTimeoutMs?: number;
  timeouts?: HttpTimeouts;
}

/**
 * The translator's only HTTP surface, like the verifier's: /health (alive) and /ready (broker,
 * Redis and the engine answer). It uses the connections the composition root owns and never listens.
 */
export function buildHealthApp(deps: HealthAppDeps): Promise<FastifyInstance> {
  return buildWorkerHealthApp({
    checks: {
      ...workerReadinessChecks(deps, deps.checkTimeoutMs),
      translation: { check: () => deps.engine.pairs(), timeoutMs: deps.engineCheckTimeoutMs ?? 3_000 },
    },
    logger: deps.logger,
    timeouts: deps.timeouts,
  });
}
