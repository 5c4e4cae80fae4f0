// `pnpm bench:ws`: (1) a 10-member room over the real gateway (/v1/ws of server.ts in its own
// process: authentication, validation, persistence, Redis pub/sub) against a bare `ws` relay (its
// own process, no persistence): delivered messages/s and send→receive latency, and their ratio;
// (2) RSS per idle authenticated connection: a fresh server's RSS delta ÷ N connections. Load
// generators run in their own process (ws.load.child.ts). Loopback only. A benchmark, not a test.
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { getInfra, testSecret, uniqueName } from '@ashchat/testkit';
import { okJson } from './bench.backend.js';
import { deleteNamespaceQueues } from './bench.queues.js';
import { claimBenchRedisDb } from './bench.redis.js';
import { fmt, formatTable } from './bench.stats.js';
import { createPasswordHasher, hashClientDeviceId, normalizeNickname } from '@ashchat/backend';
import { fdLimits, medianRss, spawnNode, type NodeChild } from './ws.processes.js';
import type { IdleResult, IdleSettings, RoomResult, RoomSettings } from './ws.load.child.js';

const RATIO_TARGET = 0.5;
const RSS_TARGET_BYTES = 16 * 1024;
const ROOM_SIZE = 10;
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    window: { type: 'string', default: '4' },
    body: { type: 'string', default: '100' },
    connections: { type: 'string', default: '10000' },
    json: { type: 'boolean', default: false },
  },
});
const opt = { duration: Number(values.duration), warmup: Number(values.warmup), window: Number(values.window), body: Number(values.body), connections: Number(values.connections) };
for (const [name, n] of Object.entries(opt)) {
  if (!Number.isInteger(n) || n < (name === 'warmup' ? 0 : 1)) {
    process.stderr.write(`--${name} must be a positive integer\n`);
    process.exit(2);
  }
}
const log = (line: string): void => void process.stderr.write(`[bench:ws] ${line}\n`);
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
/** The backend's own entry point (server.ts, beside its index.ts), run as production runs it. */
const BACKEND_SERVER = fileURLToPath(new URL('./server.ts', import.meta.resolve('@ashchat/backend')));

// Each side of 10,000 sockets needs that many descriptors: children get the soft limit raised (up
// to the hard one); beyond the hard limit the run is smaller, and says so.
const limits = fdLimits();
const openFiles = opt.connections + 1_024;
let idleCount = opt.connections;
if (limits && limits.hard < openFiles) {
  idleCount = Math.max(0, limits.hard - 1_024);
  log(`open-file hard limit ${limits.hard} < ${openFiles}: measuring ${idleCount} idle connections (raise it with ulimit -Hn)`);
} else if (limits) log(`open files: soft ${limits.soft}, hard ${limits.hard}; children run with ${openFiles}`);

const infra = await getInfra();
const namespace = uniqueName('bench-ws');
const redis = await claimBenchRedisDb(infra.redisUri, log);
const dbName = namespace.replace(/[^A-Za-z0-9_-]/g, '_');
const argon = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', ARGON2_PARALLELISM: '1' };
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
  // `info` for the "listening" line; requests are logged too, and the reader keeps only the last lines.
  LOG_LEVEL: 'info',
  // Cheap password hashes: thousands of sign-ins set up the idle connections; hashing is not measured here.
  ...argon,
  AUTH_RATE_LIMIT_PER_IP: '100000000',
  AUTH_RATE_LIMIT_PER_ACCOUNT: '100000000',
  // The room is a load test: per-connection frame limits would measure the limiter instead.
  WS_MESSAGES_PER_SECOND: '10000',
  WS_MESSAGES_BURST: '100000',
  WS_RESUME_HOLD_MS: '0',
};
const mongo = await MongoClient.connect(infra.mongodbUri);
const children: NodeChild[] = [];
let exitCode = 0;

async function startServer(inspect = false): Promise<{ server: NodeChild; base: string }> {
  const server = spawnNode([BACKEND_SERVER], { env, openFiles, inspect });
  children.push(server);
  const [, base] = await server.line(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  for (let i = 0; i < 600; i += 1) {
    if ((await fetch(`${base}/ready`).catch(() => undefined))?.status === 200) return { server, base: base! };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not become ready within 60 s');
}

async function runLoad<R>(settings: RoomSettings | IdleSettings, onResult?: (r: R, child: NodeChild) => Promise<void>): Promise<R> {
  const load = spawnNode([here('./ws.load.child.ts')], { env: { PATH: env.PATH! }, openFiles });
  children.push(load);
  load.child.stdin!.write(`${JSON.stringify(settings)}\n`);
  const [line] = await load.line(/^\{.*\}$/, 180_000);
  const result = JSON.parse(line!) as R;
  await onResult?.(result, load);
  load.child.stdin!.end('close\n');
  await load.stop();
  return result;
}

/** Inserts `n` users with one cheap password and signs each in (bounded concurrency); their access tokens. */
async function usersWithTokens(base: string, n: number): Promise<{ ids: string[]; tokens: string[] }> {
  const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hasher.hash(password);
  const docs = Array.from({ length: n }, (_, i) => {
    const email = `bench-${i}-${randomUUID().slice(0, 8)}@example.com`;
    const nickname = `bench${i}x${randomUUID().slice(0, 6)}`;
    return { _id: randomUUID(), email, emailNormalized: email, nickname, nicknameNormalized: normalizeNickname(nickname), preferredLanguage: 'en', passwordHash, registrationId: randomUUID(), createdAt: new Date() };
  });
  for (let i = 0; i < docs.length; i += 1_000) await mongo.db(dbName).collection('users').insertMany(docs.slice(i, i + 1_000) as never[]);
  // One trusted device per user (as the devices collection stores it): their sign-ins answer tokens at once.
  const deviceId = randomBytes(16).toString('base64url');
  const now = new Date();
  const devices = docs.map((d) => ({ _id: randomUUID(), userId: d._id, deviceIdHash: hashClientDeviceId(deviceId), name: 'bench', trustedAt: now, lastSeenAt: now }));
  for (let i = 0; i < devices.length; i += 1_000) await mongo.db(dbName).collection('devices').insertMany(devices.slice(i, i + 1_000) as never[]);
  const tokens = new Array<string>(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const body = JSON.stringify({ email: docs[i]!.email, password, deviceId });
      const session = await okJson<{ accessToken: string }>(await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }), 'sign-in');
      tokens[i] = session.accessToken;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { ids: docs.map((d) => d._id), tokens };
}

const bearer = (token: string): string[] => ['ashchat.v1', `ashchat.bearer.${token}`];

try {
  log('starting the backend (server.ts) in its own process');
  const first = await startServer();
  log(`signing in ${Math.max(ROOM_SIZE, idleCount)} users`);
  const { ids, tokens } = await usersWithTokens(first.base, Math.max(ROOM_SIZE, idleCount));
  const room = await okJson<{ id: string }>(
    await fetch(`${first.base}/v1/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'group', name: 'bench room', members: ids.slice(1, ROOM_SIZE) }),
    }),
    'create the room',
  );
  const roomRun = (url: string, members: string[][], readyFrame: string | null): Promise<RoomResult> =>
    runLoad<RoomResult>({ mode: 'room', url, members, readyFrame, conversationId: room.id, bodyBytes: opt.body, window: opt.window, warmupMs: opt.warmup * 1000, durationMs: opt.duration * 1000 });

  log(`gateway room: ${ROOM_SIZE} members, window ${opt.window} each, ${opt.warmup} s warm-up + ${opt.duration} s`);
  const gateway = await roomRun(`${first.base.replace('http', 'ws')}/v1/ws`, tokens.slice(0, ROOM_SIZE).map(bearer), 'auth.ok');
  await first.server.stop();

  log('bare ws relay: the same room, no persistence');
  const relayProcess = spawnNode([here('./ws.relay.child.ts')], { env: { PATH: env.PATH! } });
  children.push(relayProcess);
  const [relayLine] = await relayProcess.line(/^\{"port":\d+\}$/, 30_000);
  const relayUrl = `ws://127.0.0.1:${(JSON.parse(relayLine!) as { port: number }).port}`;
  const relay = await roomRun(relayUrl, Array.from({ length: ROOM_SIZE }, () => []), null);
  relayProcess.child.stdin!.end();
  await relayProcess.stop();

  let idle: { opened: number; failed: number; baseline: number; loaded: number; perConnection: number; firstFailure?: string } | undefined;
  if (idleCount > 0) {
    log(`idle: a fresh backend, ${idleCount} authenticated connections`);
    // With the inspector, so each RSS sample follows a full GC (the inspector's own memory is in both samples).
    const fresh = await startServer(true);
    const url = `${fresh.base.replace('http', 'ws')}/v1/ws`;
    // Warms up the upgrade and authentication paths, so the baseline already holds their code.
    await runLoad<IdleResult>({ mode: 'idle', url, protocols: tokens.slice(0, 200).map(bearer), readyFrame: 'auth.ok', count: 200, concurrency: 50 });
    const baseline = await medianRss(fresh.server);
    await runLoad<IdleResult>(
      { mode: 'idle', url, protocols: tokens.slice(0, idleCount).map(bearer), readyFrame: 'auth.ok', count: idleCount, concurrency: 200 },
      async (r) => {
        const loaded = await medianRss(fresh.server);
        idle = { opened: r.opened, failed: r.failed, baseline, loaded, perConnection: (loaded - baseline) / Math.max(1, r.opened), ...(r.firstFailure ? { firstFailure: r.firstFailure } : {}) };
      },
    );
    await fresh.server.stop();
  }

  const ratio = gateway.deliveredPerSecond / relay.deliveredPerSecond;
  const report = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), node: process.version, loadAverage1m: loadavg()[0] },
    options: { ...opt, roomSize: ROOM_SIZE, idleConnections: idleCount },
    runs: { gateway, relay },
    idle,
    targets: {
      ratio: { value: ratio, target: RATIO_TARGET, pass: ratio >= RATIO_TARGET },
      rssPerConnection: idle ? { bytes: idle.perConnection, target: RSS_TARGET_BYTES, pass: idle.perConnection <= RSS_TARGET_BYTES && idle.failed === 0 } : undefined,
    },
  };
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const row = (name: string, r: RoomResult) => [name, fmt(r.deliveredPerSecond, 0), fmt(r.latencyMs.p50), fmt(r.latencyMs.p99), String(r.sent), String(r.delivered), String(r.errors)];
    const kb = (b: number) => fmt(b / 1024, 1);
    process.stdout.write(
      `AshChat WebSocket benchmark, ${report.date}\n${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}, load average ${fmt(report.machine.loadAverage1m, 2)}\n\n` +
        `${ROOM_SIZE}-member room, every member sending (window ${opt.window}), ${opt.body}-byte bodies, ${opt.duration} s after ${opt.warmup} s warm-up\n` +
        formatTable([
          ['run', 'delivered/s', 'p50 ms', 'p99 ms', 'sent', 'delivered', 'errors'],
          row('gateway /v1/ws (persisted, Redis pub/sub)', gateway),
          row('bare ws relay (no persistence)', relay),
        ]) +
        `\n\ngateway ÷ relay delivered/s: ${fmt(ratio, 2)} (target >= ${RATIO_TARGET}) ${report.targets.ratio.pass ? 'PASS' : 'MISS'}\n` +
        (idle
          ? `\nidle connections: ${idle.opened} open (${idle.failed} failed${idle.firstFailure ? `: ${idle.firstFailure}` : ''}), server RSS ${kb(idle.baseline)} KB → ${kb(idle.loaded)} KB\n` +
            `RSS per idle connection: ${kb(idle.perConnection)} KB (target <= ${RSS_TARGET_BYTES / 1024} KB) ${report.targets.rssPerConnection?.pass ? 'PASS' : 'MISS'}\n`
          : '\nidle connections: not measured (open-file limit)\n'),
    );
  }
  if (gateway.errors > 0 || gateway.delivered === 0 || (idle && idle.failed > 0)) {
    log('the gateway refused frames, delivered nothing, or connections failed: see above');
    exitCode = 1;
  }
} catch (err) {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  exitCode = 1;
} finally {
  await Promise.all(children.map((c) => c.stop()));
  await mongo.db(dbName).dropDatabase().catch(() => undefined);
  await mongo.close();
  await redis.release();
  await deleteNamespaceQueues(infra.amqpUri, namespace).catch(() => undefined);
}
process.exit(exitCode);
