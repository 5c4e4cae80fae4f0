import fp from 'fastify-plugin';
import { MongoClient, type Db } from 'mongodb';
import type { FastifyInstance } from 'fastify';
import { databaseCapabilities, type BuildInfo, type DatabaseCapabilities, type MongoFlavorSetting } from '../database/database.capabilities.js';

declare module 'fastify' {
  interface FastifyInstance {
    mongo: {
      client: MongoClient;
      db: Db;
      /** What the server guarantees and which guards follow (database/database.capabilities.ts). */
      capabilities: DatabaseCapabilities;
    };
  }
}

export interface MongoPluginOptions {
  uri: string;
  dbName: string;
  /** MONGODB_FLAVOR: `auto` asks the server at start-up; otherwise the server is not asked. */
  flavor: MongoFlavorSetting;
  /** Shown in the server's connection list and logs. */
  appName?: string;
}

/**
 * The official driver's client, one per process (it pools connections itself). With an explicit
 * flavour it connects in the background: the service starts, reports not-ready until MongoDB
 * answers, and every operation waits for the connection (bounded by serverSelectionTimeoutMS)
 * instead of failing at boot. With `auto` the start-up waits for `buildInfo`, since the guards
 * depend on the answer; a server that does not answer then stops the start-up (guessing could run
 * FerretDB's workarounds on MongoDB, or drop the locks FerretDB needs).
 */
async function mongoPlugin(app: FastifyInstance, opts: MongoPluginOptions): Promise<void> {
  const client = new MongoClient(opts.uri, {
    appName: opts.appName ?? 'ashchat-backend',
    // How long an operation waits for an unreachable server before failing: the request then
    // answers 503 DATABASE_UNAVAILABLE (errors/dependency-errors.ts) within seconds, not 30 s.
    serverSelectionTimeoutMS: 5_000,
  });
  app.addHook('onClose', async () => {
    await client.close();
  });
  let buildInfo: BuildInfo | undefined;
  if (opts.flavor === 'auto') {
    try {
      buildInfo = await client.db('admin').command({ buildInfo: 1 });
    } catch (err) {
      await client.close();
      throw new Error('MongoDB did not answer buildInfo at start-up, so its capabilities are unknown (set MONGODB_FLAVOR to start without asking)', { cause: err });
    }
  } else {
    client.connect().catch((err: unknown) => app.log.warn({ err }, 'MongoDB not reachable yet; retrying on use'));
  }
  const capabilities = databaseCapabilities(buildInfo, opts.flavor);
  app.log[capabilities.flavor === 'unknown' ? 'warn' : 'info'](
    { capabilities },
    capabilities.flavor === 'unknown' ? 'MongoDB-protocol server not recognised: FerretDB workarounds in use' : `database capabilities: ${capabilities.flavor}`,
  );
  app.decorate('mongo', { client, db: client.db(opts.dbName), capabilities });
}

export default fp(mongoPlugin, { name: 'mongo', fastify: '5.x' });
