import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createUserEventBus, type UserEventBus } from './user-events.bus.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Events to users, delivered on every backend instance (Redis pub/sub, one channel per user). */
    userEvents: UserEventBus;
  }
}

/** The per-user event bus, on its own subscriber connection, closed with the app. */
async function userEventsPlugin(app: FastifyInstance): Promise<void> {
  const bus = createUserEventBus({ redis: app.redis, namespace: app.config.QUEUE_NAMESPACE, logger: app.log });
  app.decorate('userEvents', bus);
  app.addHook('onClose', async () => {
    await bus.close();
  });
}

export default fp(userEventsPlugin, { name: 'user-events', fastify: '5.x', dependencies: ['redis'] });
