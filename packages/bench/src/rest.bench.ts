// `pnpm bench:rest`: authenticated GET /v1/conversations req/s against a bare Fastify hello-world,
// both served by one Node process on this machine, both loaded by autocannon in its own process.
// A benchmark, not a test (tap does not pick up *.bench.ts).
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { createBackend } from '@ashchat/backend';
import { benchBackendConfig, benchUsers, okJson } from './bench.backend.js';
import { runHttpLoad, type HttpLoadResult } from './autocannon.child.js';
import { fmt, formatTable } from './bench.stats.js';

const TARGET = 0.6;
const { values } = parseArgs({
  // pnpm passes a literal "--" through: `pnpm bench:rest -- --duration 5` must work too.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    conversations: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const durationSeconds = Number(values.duration);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const conversationCount = Number(values.conversations);
for (const [name, n] of Object.entries({ duration: durationSeconds, rounds, connections, conversations: conversationCount })) {
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a positive integer\n`);
    process.exit(2);
  }
}
const log = (line: string): void => void process.stderr.write(`[bench:rest] ${line}\n`);

/** One warm-up, then `rounds` measured autocannon runs per target, the targets taking turns. */
async function measureAlternately(targets: readonly { url: string; headers?: Record<string, string> }[]): Promise<HttpLoadResult[][]> {
  for (const t of targets) await runHttpLoad({ url: t.url, headers: t.headers ?? {}, connections, durationSeconds: 1 });
  const results: HttpLoadResult[][] = targets.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [i, t] of targets.entries()) results[i]!.push(await runHttpLoad({ url: t.url, headers: t.headers ?? {}, connections, durationSeconds }));
  }
  return results;
}

/** The run with the median req/s: one number per target that a single disturbed round does not move. */
function median(runs: readonly HttpLoadResult[]): HttpLoadResult {
  return [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(runs.length / 2)]!;
}

const { config, logger, release } = await benchBackendConfig('bench-rest');
const app = createBackend(config, { server: { logger: undefined, loggerInstance: logger.child({ service: 'backend' }) } });
const hello = Fastify({ logger: false });
const coldConfig = Object.freeze({ ...config, INBOX_CACHE_TTL_MS: 0, SESSION_CACHE_TTL_MS: 0 });
// Its answers are checked through autocannon's non-2xx count; the requests still running when the
// load stops fail as the app closes, and their log lines would only bury the table.
const cold = createBackend(coldConfig, { server: { logger: undefined, loggerInstance: logger.child({ service: 'backend-uncached' }, { level: 'fatal' }) } });
let exitCode = 0;
try {
  await app.ready();
  const base = await app.listen({ host: '127.0.0.1', port: 0 });

  log(`seeding: one user with ${conversationCount} direct conversations of 5 messages each`);
  const users = await benchUsers(app.mongo.db, config, 'bench');
  const me = await users.insert(0);
  const auth = await users.signIn(base, me);
  for (let i = 1; i <= conversationCount; i += 1) {
    const other = await users.insert(i);
    const conversation = await okJson<{ id: string }>(
      await fetch(`${base}/v1/conversations`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'direct', members: [other._id] }),
      }),
      'create conversation',
    );
    for (let m = 0; m < 5; m += 1) {
      await okJson(
        await fetch(`${base}/v1/conversations/${conversation.id}/messages`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ body: `message ${m}`, clientMessageId: randomUUID() }),
        }),
        'send message',
      );
    }
  }
  const listed = await okJson<{ items?: unknown[] }>(await fetch(`${base}/v1/conversations`, { headers: auth }), 'list');
  log(`GET /v1/conversations returns ${listed.items?.length ?? '?'} conversations`);

  hello.get('/', async () => ({ hello: 'world' }));
  const helloBase = await hello.listen({ host: '127.0.0.1', port: 0 });
  log(`authenticated GET /v1/conversations and bare Fastify hello-world, taking turns: ${rounds} rounds of ${durationSeconds} s, ${connections} connections`);
  const [oursRuns, helloRuns] = await measureAlternately([{ url: `${base}/v1/conversations`, headers: auth }, { url: helloBase }]);
  const ours = median(oursRuns!);
  const baseline = median(helloRuns!);

  // The same route with both caches off: every request checks the session in MongoDB and builds the page.
  await cold.ready();
  const coldBase = await cold.listen({ host: '127.0.0.1', port: 0 });
  log(`the same route with the caches off: ${durationSeconds} s`);
  const uncached = await runHttpLoad({ url: `${coldBase}/v1/conversations`, headers: auth, connections, durationSeconds });

  const ratio = ours.requestsPerSecond / baseline.requestsPerSecond;
  const report = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), node: process.version, loadAverage1m: loadavg()[0] },
    options: { connections, durationSeconds, rounds, conversations: conversationCount },
    runs: { conversations: ours, helloWorld: baseline, conversationsUncached: uncached },
    rounds: { conversations: oursRuns!.map((r) => r.requestsPerSecond), helloWorld: helloRuns!.map((r) => r.requestsPerSecond) },
    target: { name: 'GET /v1/conversations req/s ÷ hello-world req/s', ratio, target: TARGET, pass: ratio >= TARGET },
  };
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const row = (name: string, r: HttpLoadResult) => [name, String(connections), fmt(r.requestsPerSecond), fmt(r.latencyP50Ms), fmt(r.latencyP99Ms), String(r.requests), String(r.non2xx), String(r.errors)];
    process.stdout.write(
      `AshChat REST benchmark, ${report.date}\n${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}\n` +
        `median of ${rounds} alternating rounds (req/s per round: ours ${report.rounds.conversations.map((n) => fmt(n)).join(', ')}; hello-world ${report.rounds.helloWorld.map((n) => fmt(n)).join(', ')})\n\n` +
        formatTable([
          ['run', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors'],
          row('authenticated GET /v1/conversations', ours),
          row('bare Fastify hello-world', baseline),
          row('same route, caches off (every request misses)', uncached),
        ]) +
        `\n\n${report.target.name}: ${fmt(ratio, 2)} (target >= ${TARGET}) ${report.target.pass ? 'PASS' : 'MISS'}\n`,
    );
  }
  if (uncached.non2xx > 0 || uncached.errors > 0) {
    log(`caches off: ${uncached.non2xx} non-2xx answers and ${uncached.errors} errors`);
    exitCode = 1;
  }
  if (ours.non2xx > 0 || ours.errors > 0) {
    log(`${ours.non2xx} non-2xx answers and ${ours.errors} errors: the measured route did not answer cleanly`);
    exitCode = 1;
  }
} catch (err) {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  exitCode = 1;
} finally {
  await hello.close();
  await cold.close();
  await app.mongo?.db.dropDatabase().catch(() => undefined);
  await app.close();
  await release();
}
process.exit(exitCode);
