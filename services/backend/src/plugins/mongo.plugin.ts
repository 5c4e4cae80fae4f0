import fp from 'fastify-plugin';
import { MongoClient, type Db } from 'mongodb';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    mongo: { client: MongoClient; db: Db };
  }
}

export interface MongoPluginOptions {
  uri: string;
  dbName: string;
  /** Shown in the server's connection list and logs. */
  appName?: string;
}

/**
 * The official driver's client, one per process (it pools connections itself). It connects in
 * the background: the service starts, reports not-ready until MongoDB answers, and every operation
 * waits for the connection (bounded by serverSelectionTimeoutMS) instead of failing at boot.
 */
async function mongoPlugin(app: FastifyInstance, opts: MongoPluginOptions): Promise<void> {
  const client = new MongoClient(opts.uri, {
    appName: opts.appName ?? 'ashchat-backend',
    serverSelectionTimeoutMS: 5_000,
  });
  client.connect().catch((err: unknown) => app.log.warn({ err }, 'MongoDB not reachable yet; retrying on use'));
  app.decorate('mongo', { client, db: client.db(opts.dbName) });
  app.addHook('onClose', async () => {
    await client.close();
  });
}

export default fp(mongoPlugin, { name: 'mongo', fastify: '5.x' });
