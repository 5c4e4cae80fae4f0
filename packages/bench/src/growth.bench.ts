// `growth.bench.ts`: does a conversation get slower as it grows? p99 of history reads (the newest
// page and a deep page near the oldest messages) and of message sends, in conversations holding
// 1k, 10k and 100k messages, over real HTTP on the backend app, with the load generator in its own
// process (growth.load.child.ts). Loopback only. A benchmark, not a test.
//
// The conversations are seeded directly in MongoDB with the message repository's document shape
// (insertMany), because sending 100k messages through the API would take longer than the bench.
// All sizes share one collection and are measured in alternating rounds, so machine noise hits
// them alike; the smallest is also measured once while it is alone in the collection, so a query
// that scans the whole collection (and would slow every size alike) still shows.
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ObjectId } from 'mongodb';
import { createBackend, encodeMessageCursor, type MessageDocument } from '@ashchat/backend';
import { benchBackendConfig, benchUsers, okJson } from './bench.backend.js';
import { fmt, formatTable } from './bench.stats.js';
import type { GrowthJob, GrowthJobResult } from './growth.load.child.js';

/** p99 at a size ÷ p99 at the smallest size must stay at or below this ("flat"). */
const FLAT_TARGET = 1.5;
/** An operation slower than this (p50) in round 1 is clearly not flat: more rounds would only cost minutes. */
const SLOW_MS = 1_000;
const SEED_BATCH = 5_000;
/** A read of a large page on a database that sorts in memory can take many seconds: still a sample, not a failure. */
const REQUEST_TIMEOUT_MS = 120_000;
const OPS = ['firstPage', 'deepPage', 'send'] as const;
type Op = (typeof OPS)[number];

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const opt = { duration: Number(values.duration), warmup: Number(values.warmup), rounds: Number(values.rounds), concurrency: Number(values.concurrency) };
for (const [name, n] of Object.entries({ ...opt, sizes: Math.min(...sizes) })) {
  if (!Number.isInteger(n) || n < (name === 'warmup' ? 0 : 1) || (name === 'sizes' && n < 200)) {
    process.stderr.write(`--${name} must be ${name === 'sizes' ? 'a list of integers >= 200' : 'a positive integer'}\n`);
    process.exit(2);
  }
}
sizes.sort((a, b) => a - b);
const log = (line: string): void => void process.stderr.write(`[bench:growth] ${line}\n`);

/** The load generator process: one job at a time, each answer bounded in time. */
function startLoadChild() {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), '--conditions=ashchat-source', fileURLToPath(new URL('./growth.load.child.ts', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2_000)));
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  return {
    run(job: GrowthJob): Promise<GrowthJobResult> {
      return new Promise((resolve, reject) => {
        // Requests in flight when the warm-up or the window ends are awaited (each bounded by its timeout).
        const limit = job.warmupMs + job.durationMs + 2 * job.requestTimeoutMs + 30_000;
        const timer = setTimeout(() => reject(new Error(`the load generator did not answer within ${limit} ms; stderr: ${stderr}`)), limit);
        waiting.push((line) => {
          clearTimeout(timer);
          const answer = JSON.parse(line) as GrowthJobResult | { error: string };
          if ('error' in answer) reject(new Error(`load generator: ${answer.error}`));
          else resolve(answer);
        });
        child.stdin.write(`${JSON.stringify(job)}\n`);
      });
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The round whose p99 is the median: one number per figure that a single disturbed round does not move. */
function medianByP99(runs: readonly GrowthJobResult[]): GrowthJobResult {
  return [...runs].sort((a, b) => a.latencyMs.p99 - b.latencyMs.p99)[Math.floor(runs.length / 2)]!;
}

const { config, logger, release } = await benchBackendConfig('bench-growth');
const app = createBackend(config, { server: { logger: undefined, loggerInstance: logger.child({ service: 'backend' }) } });
const load = startLoadChild();
let exitCode = 0;
try {
  const loadBefore = loadavg()[0]!;
  await app.ready();
  await app.chat.indexesReady();
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const messages = app.mongo.db.collection<MessageDocument>('messages');

  // Two members: the reader/sender and the other side, whose messages alternate with the reader's.
  const users = await benchUsers(app.mongo.db, config, 'growth');
  const [me, other] = [await users.insert(0), await users.insert(1)];
  const auth = await users.signIn(base, me);

  interface Seeded {
    size: number;
    id: string;
    /** The newest seeded message: sends measured later are removed again above it, so the size stays. */
    lastSeeded: ObjectId;
    deepCursor: string;
    seedMs: number;
    /** One unmeasured first-page read right after seeding; also the warm-up of a slow conversation. */
    probeMs: number;
  }
  async function seed(size: number): Promise<Seeded> {
    const conversation = await okJson<{ id: string }>(
      await fetch(`${base}/v1/conversations`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'group', name: `growth ${size}`, members: [other._id] }),
      }),
      'create conversation',
    );
    const conversationId = new ObjectId(conversation.id);
    const t0 = performance.now();
    let deep: ObjectId | undefined;
    let last: ObjectId | undefined;
    for (let start = 0; start < size; start += SEED_BATCH) {
      const now = new Date();
      // Ids made in this process grow (same random part, counter + time), like the app's own.
      const docs: MessageDocument[] = Array.from({ length: Math.min(SEED_BATCH, size - start) }, (_, i) => ({
        _id: new ObjectId(),
        conversationId,
        senderId: (start + i) % 2 === 0 ? me._id : other._id,
        clientMessageId: randomUUID(),
        body: `growth message ${start + i}: ${'lorem ipsum '.repeat(6)}`,
        createdAt: now,
        editedAt: null,
        deletedAt: null,
      }));
      await messages.insertMany(docs, { ordered: false });
      // The deep page starts 100 messages above the oldest: as deep as a full page with more below goes.
      deep ??= docs[Math.min(100, docs.length - 1)]!._id;
      last = docs.at(-1)!._id;
    }
    const seedMs = performance.now() - t0;
    const p0 = performance.now();
    await okJson(await fetch(`${base}/v1/conversations/${conversation.id}/messages`, { headers: auth }), 'probe');
    const probeMs = performance.now() - p0;
    log(`seeded ${size} messages in ${fmt(seedMs / 1000, 1)} s (${fmt(size / (seedMs / 1000), 0)}/s); one first-page read: ${fmt(probeMs, 0)} ms`);
    return { size, id: conversation.id, lastSeeded: last!, deepCursor: encodeMessageCursor(deep!), seedMs, probeMs };
  }

  const job = (c: Seeded, op: Op): GrowthJob => {
    const url = `${base}/v1/conversations/${c.id}/messages`;
    // A read slower than the warm-up was warmed by the probe: a warm-up request would only add its own duration.
    const warmupMs = op !== 'send' && c.probeMs > opt.warmup * 1000 ? 0 : opt.warmup * 1000;
    const common = { headers: auth, concurrency: opt.concurrency, warmupMs, durationMs: opt.duration * 1000, maxRequests: 100_000, requestTimeoutMs: REQUEST_TIMEOUT_MS };
    if (op === 'firstPage') return { ...common, url, method: 'GET' };
    if (op === 'deepPage') return { ...common, url: `${url}?before=${c.deepCursor}`, method: 'GET' };
    return { ...common, url, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ body: 'growth bench send', clientMessageId: '{uuid}' }) };
  };
  async function measure(c: Seeded, op: Op): Promise<GrowthJobResult> {
    const result = await load.run(job(c, op));
    if (op === 'send') await messages.deleteMany({ conversationId: new ObjectId(c.id), _id: { $gt: c.lastSeeded } });
    if (result.non2xx > 0 || result.errors > 0) {
      log(`${op} at ${c.size}: ${result.non2xx} non-2xx, ${result.errors} errors; first: ${result.firstError}`);
      exitCode = 1;
    }
    return result;
  }

  const seeded: Seeded[] = [await seed(sizes[0]!)];
  log(`the ${sizes[0]}-message conversation alone in the collection: ${OPS.join(', ')}`);
  const alone: Partial<Record<Op, GrowthJobResult>> = {};
  for (const op of OPS) alone[op] = await measure(seeded[0]!, op);
  for (const size of sizes.slice(1)) seeded.push(await seed(size));

  const rounds: Record<string, Record<Op, GrowthJobResult[]>> = Object.fromEntries(seeded.map((c) => [String(c.size), { firstPage: [], deepPage: [], send: [] }]));
  for (let round = 1; round <= opt.rounds; round += 1) {
    for (const c of seeded) {
      const ops = OPS.filter((op) => round === 1 || rounds[String(c.size)]![op][0]!.latencyMs.p50 <= SLOW_MS);
      if (ops.length < OPS.length) log(`round ${round}: ${c.size} messages: ${OPS.filter((op) => !ops.includes(op)).join(', ')} kept from round 1 (p50 above ${SLOW_MS} ms)`);
      if (ops.length === 0) continue;
      log(`round ${round}/${opt.rounds}: ${c.size} messages: ${ops.join(', ')} (${opt.duration} s each, ${opt.concurrency} in flight)`);
      for (const op of ops) rounds[String(c.size)]![op].push(await measure(c, op));
    }
  }
  const runs = Object.fromEntries(Object.entries(rounds).map(([size, r]) => [size, { firstPage: medianByP99(r.firstPage), deepPage: medianByP99(r.deepPage), send: medianByP99(r.send) }]));
  const smallest = runs[String(sizes[0])]!;
  const targets = sizes.slice(1).flatMap((size) =>
    OPS.map((op) => {
      const ratio = runs[String(size)]![op].latencyMs.p99 / smallest[op].latencyMs.p99;
      return { op, size, baselineSize: sizes[0]!, ratio, target: FLAT_TARGET, pass: ratio <= FLAT_TARGET };
    }),
  );
  const report = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), node: process.version, loadAverage1m: { before: loadBefore, after: loadavg()[0]! } },
    options: { sizes, durationSeconds: opt.duration, warmupSeconds: opt.warmup, rounds: opt.rounds, concurrency: opt.concurrency, pageSize: 50, collectionSize: await messages.estimatedDocumentCount() },
    seeding: Object.fromEntries(seeded.map((c) => [String(c.size), { ms: c.seedMs, perSecond: c.size / (c.seedMs / 1000), probeFirstPageMs: c.probeMs }])),
    alone: { size: sizes[0], ...alone },
    runs,
    rounds,
    targets,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const rows = sizes.flatMap((size) => OPS.map((op) => {
      const r = runs[String(size)]![op];
      const t = targets.find((x) => x.size === size && x.op === op);
      return [`${op} @ ${size}`, fmt(r.perSecond), fmt(r.latencyMs.p50), fmt(r.latencyMs.p99), t ? fmt(t.ratio, 2) : '-', t ? (t.pass ? 'PASS' : 'MISS') : 'baseline'];
    }));
    process.stdout.write(
      `AshChat growth benchmark, ${report.date}\n${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}, load average ${fmt(loadBefore, 2)}\n` +
        `median-p99 round of ${opt.rounds}, ${opt.duration} s each, ${opt.concurrency} in flight; ratio = p99 ÷ p99 at ${sizes[0]} (target <= ${FLAT_TARGET})\n\n` +
        formatTable([['figure', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'result'], ...rows]) +
        `\n\n${sizes[0]} messages alone in the collection: p99 ${OPS.map((op) => `${op} ${fmt(alone[op]?.latencyMs.p99)} ms`).join(', ')}\n`,
    );
  }
} catch (err) {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  exitCode = 1;
} finally {
  await load.stop();
  await app.mongo?.db.dropDatabase().catch(() => undefined);
  await app.close();
  await release();
}
process.exit(exitCode);
