import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createAmqpConnection, type Logger } from '@ashchat/messaging';

export type AmqpConnection = ReturnType<typeof createAmqpConnection>;

declare module 'fastify' {
  interface FastifyInstance {
    amqp: AmqpConnection;
  }
}

export interface AmqpPluginOptions {
  uri: string;
  /** Connection name shown by RabbitMQ (`rabbitmqctl list_connections`). */
  name?: string;
  logger?: Logger;
}

/**
 * One reconnecting AMQP connection for the process; publishers and consumers open their channels
 * on it. close() waits for their channels; consumers registered after this plugin close first,
 * because Fastify runs onClose hooks in reverse registration order.
 */
async function amqpPlugin(app: FastifyInstance, opts: AmqpPluginOptions): Promise<void> {
  const amqp = createAmqpConnection({
    uri: opts.uri,
    name: opts.name ?? 'ashchat-backend',
    logger: opts.logger ?? app.log,
  });
  app.decorate('amqp', amqp);
  app.addHook('onClose', async () => {
    await amqp.close();
  });
}

export default fp(amqpPlugin, { name: 'amqp', fastify: '5.x' });
