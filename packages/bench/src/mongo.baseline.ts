import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { runLoad, type LoadOptions, type LoadResult } from './load.runner.js';

interface Doc {
  _id: string;
  version: number;
  state: string;
  snapshot: string;
}

/**
 * Reference (not a target): single-document versioned updates per second on the MongoDB-protocol
 * server, the write the saga runtime makes per transition (`updateOne({ _id, version }, { $set,
 * $inc })` on a ~1 KiB document). Shows what the database alone allows at this concurrency.
 */
export async function measureMongoUpdateRate(uri: string, dbName: string, load: LoadOptions): Promise<LoadResult> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    const docs = client.db(dbName).collection<Doc>('bench_updates');
    const ids = Array.from({ length: 64 }, () => randomUUID());
    await docs.insertMany(ids.map((_id) => ({ _id, version: 0, state: 'start', snapshot: 'x'.repeat(1024) })));
    let next = 0;
    return await runLoad(async () => {
      // Round-robin over more documents than workers: no two writers share a document.
      const _id = ids[next++ % ids.length]!;
      const t0 = performance.now();
      const current = await docs.findOne({ _id });
      const t1 = performance.now();
      await docs.updateOne({ _id, version: current!.version }, { $set: { state: `s${current!.version}` }, $inc: { version: 1 } });
      return { find: t1 - t0, update: performance.now() - t1 };
    }, load);
  } finally {
    await client.db(dbName).dropDatabase().catch(() => undefined);
    await client.close();
  }
}
