import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { HealthResponse, ReadinessResponse } from '@ashchat/contracts';
import { checkReadiness } from '@ashchat/service-kit';

export interface HealthRoutesOptions {
  /** Bound for each dependency check of /ready. */
  checkTimeoutMs?: number;
}

/**
 * Liveness (`/health`: the process answers) and readiness (`/ready`: every dependency answers
 * now). Orchestrators restart on the first and route traffic on the second.
 */
async function healthRoutes(app: FastifyInstance, opts: HealthRoutesOptions): Promise<void> {
  const timeoutMs = opts.checkTimeoutMs ?? 1_000;
  app.addSchema(HealthResponse);
  app.addSchema(ReadinessResponse);

  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Liveness',
        description: 'Answers while the process runs, whatever its dependencies do: restart the instance when it stops answering.',
        response: { 200: Type.Ref(HealthResponse, { description: 'The process is alive' }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        summary: 'Readiness',
        description: `Pings MongoDB, Redis and RabbitMQ now (each bounded by ${timeoutMs} ms): route traffic to the instance only while it answers 200.`,
        response: {
          200: Type.Ref(ReadinessResponse, { description: 'Every dependency answered' }),
          503: Type.Ref(ReadinessResponse, { description: 'At least one dependency did not answer; `checks` names it' }),
        },
      },
    },
    async (request, reply) => {
      const { body, failures } = await checkReadiness(
        {
          mongodb: () => app.mongo.db.command({ ping: 1 }),
          redis: () => app.redis.ping(),
          rabbitmq: () => (app.amqp.ready ? Promise.resolve() : app.amqp.onConnect(timeoutMs, true)),
        },
        timeoutMs,
      );
      if (body.status !== 'ready') request.log.warn({ failures }, 'not ready');
      return reply.code(body.status === 'ready' ? 200 : 503).send(body);
    },
  );
}

// encapsulate: the routes stay in their own scope; fp only adds the declared dependencies.
export default fp(healthRoutes, {
  name: 'health-routes',
  fastify: '5.x',
  dependencies: ['mongo', 'redis', 'amqp'],
  encapsulate: true,
});
