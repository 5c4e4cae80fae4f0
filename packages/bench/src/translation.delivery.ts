// `bench:translation` part (b): does translating delay delivery? The backend (server.ts) and the
// translator (main.ts) each in their own process, as in production; one sender and two readers
// over WebSockets. Messages alternate between a conversation whose reader shares the sender's
// language (translation off: nothing is asked) and one whose reader reads Spanish with
// auto-translation on (a request per message, the reply stored and pushed as message.translated).
// Latency is send → that reader's `message.new`, one message at a time.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { WebSocket } from 'ws';
import { testSecret, uniqueName, type Infra } from '@ashchat/testkit';
import { loadBackendConfig } from '@ashchat/backend';
import { benchUsers, okJson } from './bench.backend.js';
import { deleteNamespaceQueues } from './bench.queues.js';
import { claimBenchRedisDb } from './bench.redis.js';
import { summarise, type LatencySummary } from './bench.stats.js';
import { benchSentence } from './translation.load.js';
import { spawnNode, type NodeChild } from './ws.processes.js';

export interface DeliveryReport {
  off: { latencyMs: LatencySummary };
  /** `translated` of `requested` (warm-up included): message.translated events that reached the reader; `translationMs`: send → that event. */
  on: { latencyMs: LatencySummary; requested: number; translated: number; translationMs: LatencySummary };
}

const BACKEND_SERVER = fileURLToPath(new URL('./server.ts', import.meta.resolve('@ashchat/backend')));
const TRANSLATOR_MAIN = fileURLToPath(new URL('./main.ts', import.meta.resolve('@ashchat/translator')));
const FRAME_TIMEOUT_MS = 15_000;

type Frame = { type: string; requestId?: string; message?: { id?: string; clientMessageId?: string }; messageId?: string };

/** A signed-in socket whose frames can be awaited (bounded) or observed. */
function openSocket(url: string, authorization: string): Promise<{ ws: WebSocket; next: (match: (f: Frame) => boolean) => Promise<Frame>; on: (fn: (f: Frame) => void) => void }> {
  const ws = new WebSocket(url, ['ashchat.v1', `ashchat.bearer.${authorization.replace(/^Bearer /, '')}`]);
  const waiters = new Set<{ match: (f: Frame) => boolean; done: (f: Frame) => void }>();
  const observers: ((f: Frame) => void)[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Frame;
    observers.forEach((fn) => fn(frame));
    for (const w of [...waiters]) {
      if (!w.match(frame)) continue;
      waiters.delete(w);
      w.done(frame);
    }
  });
  const next = (match: (f: Frame) => boolean) =>
    new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`no matching frame within ${FRAME_TIMEOUT_MS} ms`));
      }, FRAME_TIMEOUT_MS);
      const w = {
        match,
        done: (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      waiters.add(w);
    });
  const ready = next((f) => f.type === 'auth.ok');
  ws.once('error', () => undefined);
  return ready.then(() => ({ ws, next, on: (fn) => void observers.push(fn) }));
}

export async function runDelivery(o: { infra: Infra; redisUri?: string; messages: number; log: (line: string) => void }): Promise<DeliveryReport> {
  const { infra, log } = o;
  const namespace = uniqueName('bench-delivery');
  const dbName = namespace.replace(/[^A-Za-z0-9_-]/g, '_');
  const redis = o.redisUri ? { uri: o.redisUri, release: async () => undefined } : await claimBenchRedisDb(infra.redisUri, log);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    MONGODB_URI: infra.mongodbUri,
    MONGODB_DB: dbName,
    AMQP_URI: infra.amqpUri,
    REDIS_URI: redis.uri,
    VERIFICATION_CODE_SECRET: testSecret(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    QUEUE_NAMESPACE: namespace,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    ARGON2_PARALLELISM: '1',
    TRANSLATION_ENABLED: 'true',
    // One sender sends hundreds of messages back to back: the per-connection frame limit is not measured here.
    WS_MESSAGES_PER_SECOND: '10000',
    WS_MESSAGES_BURST: '100000',
  };
  const children: NodeChild[] = [];
  const sockets: WebSocket[] = [];
  const mongo = await MongoClient.connect(infra.mongodbUri);
  try {
    log('delivery: starting the backend and the translator, each in its own process');
    const server = spawnNode([BACKEND_SERVER], { env });
    children.push(server);
    const translator = spawnNode([TRANSLATOR_MAIN], {
      env: { PATH: env.PATH!, AMQP_URI: infra.amqpUri, REDIS_URI: redis.uri, TRANSLATION_URL: infra.translationUrl, TRANSLATION_PROVIDER: process.env.TRANSLATION_PROVIDER ?? 'apertium', QUEUE_NAMESPACE: namespace, TRANSLATOR_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    });
    children.push(translator);
    const [, base] = await server.line(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    await translator.line(/"msg":"worker started"/, 60_000);

    const users = await benchUsers(mongo.db(dbName), loadBackendConfig({ envFile: false, env }), 'delivery');
    const [sender, same, other] = [await users.insert(0), await users.insert(1), await users.insert(2)];
    const [senderAuth, sameAuth, otherAuth] = [await users.signIn(base!, sender), await users.signIn(base!, same), await users.signIn(base!, other)];
    const json = (authorization: string, method: string, body: unknown) => ({ method, headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await okJson(await fetch(`${base}/v1/me`, json(otherAuth.authorization, 'PATCH', { preferredLanguage: 'es', autoTranslate: true })), 'reader language');
    const group = async (member: string) =>
      (await okJson<{ id: string }>(await fetch(`${base}/v1/conversations`, json(senderAuth.authorization, 'POST', { type: 'group', name: 'bench', members: [member] })), 'conversation')).id;
    const offConversation = await group(same._id);
    const onConversation = await group(other._id);

    const wsUrl = `${base!.replace('http', 'ws')}/v1/ws`;
    const [tx, rxSame, rxOther] = await Promise.all([openSocket(wsUrl, senderAuth.authorization), openSocket(wsUrl, sameAuth.authorization), openSocket(wsUrl, otherAuth.authorization)]);
    sockets.push(tx.ws, rxSame.ws, rxOther.ws);
    // Send times by clientMessageId, then by message id once message.new names it (observers run
    // before the waiters, so a fast translation cannot arrive unmatched).
    const sentAt = new Map<string, number>();
    const sentAtById = new Map<string, number>();
    const translationMs: number[] = [];
    rxOther.on((f) => {
      if (f.type === 'message.new' && f.message?.id && sentAt.has(f.message.clientMessageId ?? '')) sentAtById.set(f.message.id, sentAt.get(f.message.clientMessageId!)!);
      const at = f.type === 'message.translated' && f.messageId ? sentAtById.get(f.messageId) : undefined;
      if (at !== undefined) translationMs.push(performance.now() - at);
    });

    const samples = { off: [] as number[], on: [] as number[] };
    const warmup = Math.min(10, Math.ceil(o.messages / 10));
    log(`delivery: ${o.messages} messages per case (after ${warmup} each to warm up), alternating translation off and on`);
    for (let i = 0; i < 2 * (o.messages + warmup); i += 1) {
      const on = i % 2 === 1;
      const id = `d${i}`;
      const reader = on ? rxOther : rxSame;
      const delivered = reader.next((f) => f.type === 'message.new' && f.message?.clientMessageId === id);
      const acked = tx.next((f) => (f.type === 'ack' || f.type === 'error') && f.requestId === id);
      const t0 = performance.now();
      if (on) sentAt.set(id, t0);
      tx.ws.send(JSON.stringify({ type: 'message.send', requestId: id, conversationId: on ? onConversation : offConversation, body: benchSentence(i), clientMessageId: id }));
      // A refused send never reaches the reader: say why instead of waiting for a frame that cannot come.
      const refused = acked.then((f) => (f.type === 'error' ? Promise.reject(new Error(`message ${id} was refused: ${JSON.stringify(f)}`)) : new Promise<never>(() => undefined)));
      await Promise.race([delivered, refused]);
      const latency = performance.now() - t0;
      await acked;
      if (i >= 2 * warmup) samples[on ? 'on' : 'off'].push(latency);
    }
    // The translations come after the messages; give the last ones a bounded moment to arrive.
    const deadline = performance.now() + FRAME_TIMEOUT_MS;
    while (translationMs.length < sentAt.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return {
      off: { latencyMs: summarise(samples.off) },
      on: { latencyMs: summarise(samples.on), requested: sentAt.size, translated: translationMs.length, translationMs: summarise(translationMs) },
    };
  } finally {
    sockets.forEach((ws) => ws.terminate());
    await Promise.all(children.map((c) => c.stop()));
    await mongo.db(dbName).dropDatabase().catch(() => undefined);
    await mongo.close();
    if (!o.redisUri) await redis.release();
    await deleteNamespaceQueues(infra.amqpUri, namespace).catch(() => undefined);
  }
}
