import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createUserEventBus } from '../user-events/user-events.bus.js';
import { createPresenceService, type PresenceService } from './presence.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Who is online, across every backend instance (Redis, heartbeats and TTLs). */
    presence: PresenceService;
  }
}

/**
 * Presence on the shared Redis. Its changes travel on their own per-user channels
 * (`<ns>:presence:user:<id>`), subscribed by an instance while something there watches that user,
 * through a second event bus: watchers of a user are not the user's own devices, so these never
 * mix with app.userEvents (which a gateway forwards as they come), and a burst of presence traffic
 * does not queue behind chat events on one subscriber connection.
 */
async function presencePlugin(app: FastifyInstance): Promise<void> {
  const ns = app.config.QUEUE_NAMESPACE || 'ashchat';
  // The bus names its channels `<namespace>:user:<id>`; the scripts publish to the same names.
  const busNamespace = `${ns}:presence`;
  const bus = createUserEventBus({ redis: app.redis, namespace: busNamespace, logger: app.log });
  const presence = createPresenceService({
    redis: app.redis,
    bus,
    channelPrefix: `${busNamespace}:user:`,
    keyPrefix: `${ns}:presence:`,
    ttlMs: app.config.PRESENCE_TTL_MS,
    logger: app.log,
  });
  app.decorate('presence', presence);
  // Registered after user-events, so closed before it; sockets (registered later still) go first.
  app.addHook('onClose', async () => {
    await presence.close();
    await bus.close();
  });
}

export default fp(presencePlugin, { name: 'presence', fastify: '5.x', dependencies: ['redis', 'user-events'] });
