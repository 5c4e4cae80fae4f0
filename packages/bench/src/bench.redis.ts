import { Redis } from 'ioredis';

export interface BenchRedis {
  /** The Redis URL the run's services use. */
  uri: string;
  /** Empties the claimed database again (nothing when none could be claimed). */
  release(): Promise<void>;
}

const MARKER = 'ashchat-bench:owner';

/**
 * A run leaves thousands of keys with TTLs of minutes (codes, idempotency records, timers). Left in
 * the shared database they slow Redis' sampling of expired keys, which delays the expiry events the
 * tests wait for. So a run claims an EMPTY numbered database (1–15), marks it, and flushes it at
 * the end; if none is free (or the server has only one, like a managed cluster), it shares the
 * given database and says so.
 */
export async function claimBenchRedisDb(uri: string, warn: (msg: string) => void): Promise<BenchRedis> {
  const owner = `${process.pid}:${Date.now()}`;
  for (let db = 1; db <= 15; db += 1) {
    const url = new URL(uri);
    url.pathname = `/${db}`;
    const client = new Redis(url.toString(), { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await client.connect();
      if ((await client.dbsize()) !== 0) continue;
      if ((await client.set(MARKER, owner, 'NX')) !== 'OK') continue;
      return {
        uri: url.toString(),
        async release() {
          const c = new Redis(url.toString(), { maxRetriesPerRequest: 1 });
          try {
            if ((await c.get(MARKER)) === owner) await c.flushdb();
          } finally {
            c.disconnect();
          }
        },
      };
    } catch {
      break; // SELECT refused: a single-database server
    } finally {
      client.disconnect();
    }
  }
  warn('no empty Redis database 1-15 to claim: the run shares the given one and leaves its keys to expire');
  return { uri, release: async () => undefined };
}
