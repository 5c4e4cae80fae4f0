// The chat operations of the counts bench (counts.bench.ts): message send to a 10- and a
// 100-member group, the newest history page and the inbox, each over REST on a backend in this
// process, one request at a time (no write batching, no cache shared between concurrent requests:
// the count of one operation on its own).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createAmqpConnection } from '@ashchat/messaging';
import { createBackend, type BackendConfig } from '@ashchat/backend';
import { benchBackendConfig, benchUsers, okJson } from './bench.backend.js';
import { settle, watch, type CountsSnapshot } from './counts.probes.js';
import { withCommandMonitoring } from './mongo.profile.js';

export interface Measured {
  id: string;
  label: string;
  /** Operations measured; every count in `total` is for all of them together. */
  n: number;
  total: CountsSnapshot;
}

type Call = (i: number) => Promise<void>;

/** Warm-up calls (indexes, caches, channels), then `n` measured ones and what they set off. */
async function measure(app: FastifyInstance, amqp: ReturnType<typeof createAmqpConnection>, id: string, label: string, n: number, call: Call, warmup = 3): Promise<Measured> {
  for (let i = 0; i < warmup; i += 1) await call(-1 - i);
  const probes = await watch(amqp, app.mongo.client);
  await settle(probes);
  probes.take();
  for (let i = 0; i < n; i += 1) await call(i);
  await settle(probes);
  return { id, label, n, total: probes.take() };
}

const start = async (config: BackendConfig, name: string, logger: BenchLogger): Promise<{ app: FastifyInstance; base: string }> => {
  const app = createBackend(config, { server: { logger: undefined, loggerInstance: logger.child({ service: name }) } });
  await app.ready();
  return { app, base: await app.listen({ host: '127.0.0.1', port: 0 }) };
};
type BenchLogger = Awaited<ReturnType<typeof benchBackendConfig>>['logger'];

export async function measureChat(o: { amqpUri: string; messages: number; reads: number; progress(msg: string): void }): Promise<Measured[]> {
  const bench = await benchBackendConfig('bench-counts');
  const config = Object.freeze({ ...bench.config, MONGODB_URI: withCommandMonitoring(bench.config.MONGODB_URI) });
  const amqp = createAmqpConnection({ uri: o.amqpUri, name: 'ashchat-bench-counts-probe', logger: bench.logger });
  const { app, base } = await start(config, 'backend', bench.logger);
  let cold: FastifyInstance | undefined;
  const results: Measured[] = [];
  try {
    o.progress('counts: seeding 100 users and two groups (10 and 100 members)');
    const users = await benchUsers(app.mongo.db, config, 'counts');
    const me = await users.insert(0);
    const auth = await users.signIn(base, me);
    const others: { _id: string }[] = [];
    for (let i = 1; i < 100; i += 1) others.push(await users.insert(i));
    const post = async <T>(path: string, body: unknown, what: string): Promise<T> =>
      okJson<T>(await fetch(`${base}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) }), what);
    const group = (size: number) => post<{ id: string }>('/v1/conversations', { type: 'group', name: `counts ${size}`, members: others.slice(0, size - 1).map((u) => u._id) }, 'create group');
    const rooms = { 10: await group(10), 100: await group(100) };

    for (const size of [10, 100] as const) {
      o.progress(`counts: ${o.messages} messages sent to the ${size}-member group`);
      const send: Call = (i) => post(`/v1/conversations/${rooms[size].id}/messages`, { body: `message ${i}`, clientMessageId: randomUUID() }, 'send').then(() => undefined);
      results.push(await measure(app, amqp, `send${size}`, `message sent to a ${size}-member group (REST)`, o.messages, send));
    }
    const get = (url: string, headers = auth): Call => async () => {
      await okJson(await fetch(url, { headers }), `GET ${url}`);
    };
    o.progress(`counts: ${o.reads} newest history pages, ${o.reads} inbox reads`);
    // The 100-member group holds the warm-up and measured sends: more than one page of 50.
    results.push(await measure(app, amqp, 'history', 'history page (newest 50 messages)', o.reads, get(`${base}/v1/conversations/${rooms[100].id}/messages`)));
    results.push(await measure(app, amqp, 'inboxWarm', 'inbox read `GET /v1/conversations`, caches warm', o.reads, get(`${base}/v1/conversations`)));
    await app.close();

    // The same data through a backend with its session and inbox caches off: every read misses.
    const coldStarted = await start(Object.freeze({ ...config, INBOX_CACHE_TTL_MS: 0, SESSION_CACHE_TTL_MS: 0 }), 'backend-uncached', bench.logger);
    cold = coldStarted.app;
    results.push(await measure(cold, amqp, 'inboxCold', 'inbox read, caches off (every read misses)', o.reads, get(`${coldStarted.base}/v1/conversations`)));
  } finally {
    const target = cold ?? app;
    await target.mongo?.db.dropDatabase().catch(() => undefined);
    await cold?.close();
    await app.close();
    await amqp.close();
    await bench.release();
  }
  return results;
}
