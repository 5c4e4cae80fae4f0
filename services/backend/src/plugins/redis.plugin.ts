import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { closeRedis, createRedisClient } from '@ashchat/service-kit';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

export interface RedisPluginOptions {
  uri: string;
  connectionName?: string;
}

/**
 * The backend's command connection as `app.redis` (see createRedisClient for its retry policy;
 * subscriptions need their own connection), closed with the app.
 */
async function redisPlugin(app: FastifyInstance, opts: RedisPluginOptions): Promise<void> {
  const redis = createRedisClient(opts.uri, app.log, opts.connectionName ?? 'ashchat-backend');
  app.decorate('redis', redis);
  app.addHook('onClose', async () => {
    await closeRedis(redis);
  });
}

export default fp(redisPlugin, { name: 'redis', fastify: '5.x' });
