// The run's own Redis database number, and the "kill this run's Redis clients" fault. The server is
// shared (a CI run, other helpers): only clients connected to this run's database are killed.
import { Redis } from 'ioredis';

const MARKER = 'ashchat-chaos:owner';

export interface RunRedis {
  uri: string;
  db: number;
  /** Kills every client on this run's database (command and subscriber connections); resolves with the count. */
  killClients(): Promise<number>;
  /** Flushes the database if it is still ours, and disconnects. */
  release(): Promise<void>;
}

/**
 * Claims an EMPTY numbered database (1–15) with a marker, flushes it at the end. Subscriber
 * connections (keyspace notifications) SELECT the database before SUBSCRIBE, so CLIENT LIST shows
 * them with db=<n> too.
 */
export async function claimRunRedis(uri: string, owner: string): Promise<RunRedis> {
  for (let db = 1; db <= 15; db += 1) {
    const url = new URL(uri);
    url.pathname = `/${db}`;
    const admin = new Redis(url.toString(), { maxRetriesPerRequest: 1, lazyConnect: true, connectionName: 'ashchat-chaos-admin' });
    admin.on('error', () => undefined);
    await admin.connect();
    if ((await admin.dbsize()) !== 0 || (await admin.set(MARKER, owner, 'NX')) !== 'OK') {
      admin.disconnect();
      continue;
    }
    const ownId = await admin.client('ID');
    return {
      uri: url.toString(),
      db,
      async killClients() {
        const list = String(await admin.client('LIST'));
        const ids = list
          .split('\n')
          .map((line) => Object.fromEntries(line.trim().split(' ').map((kv) => kv.split('=', 2) as [string, string])))
          .filter((c) => c.db === String(db) && c.id !== undefined && c.id !== String(ownId))
          .map((c) => c.id as string);
        for (const id of ids) await admin.client('KILL', 'ID', id).catch(() => undefined);
        return ids.length;
      },
      async release() {
        try {
          if ((await admin.get(MARKER)) === owner) await admin.flushdb();
        } finally {
          admin.disconnect();
        }
      },
    };
  }
  throw new Error('no empty Redis database 1-15 to claim: the Redis fault could not be scoped to this run');
}
