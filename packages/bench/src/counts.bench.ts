// `pnpm bench --only counts`: database commands, Redis commands and AMQP publishes per operation —
// figures that do not depend on which MongoDB-protocol server runs underneath. Exact counts from
// the client libraries in this process (counts.probes.ts), averaged over N operations, with the
// breakdown by command name, process and queue. A benchmark, not a test: it asserts nothing.
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { pino } from 'pino';
import { createAmqpConnection } from '@ashchat/messaging';
import { getInfra } from '@ashchat/testkit';
import { registrationOperation, type FlowCounters } from './registration.flow.js';
import { startRegistrationEnv } from './registration.env.js';
import { measureChat, type Measured } from './counts.chat.js';
import { settle, sum, watch, type Breakdown, type CountsSnapshot } from './counts.probes.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    registrations: { type: 'string', default: '50' },
    messages: { type: 'string', default: '50' },
    reads: { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
  },
});
const opt = { registrations: Number(values.registrations), messages: Number(values.messages), reads: Number(values.reads) };
for (const [name, n] of Object.entries(opt)) {
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a positive integer\n`);
    process.exit(2);
  }
}
const progress = (msg: string): void => void process.stderr.write(`[bench:counts] ${msg}\n`);
const logger = pino({ level: 'warn' }, pino.destination(2));

export interface PerOperation {
  total: number;
  byName: Record<string, number>;
}
export interface CountedOperation {
  id: string;
  label: string;
  n: number;
  db: PerOperation;
  /** The saga runtime's periodic sweeps during the window (not caused by the operation; not in `db`). */
  dbBackground: PerOperation;
  redis: PerOperation & { byProcess: Record<string, PerOperation> };
  amqp: PerOperation & { byProcess: Record<string, PerOperation> };
  notes?: Record<string, number>;
}
export interface CountsReport {
  date: string;
  loadAverage1m: { before: number; after: number };
  options: typeof opt;
  /** Runs thrown away because they failed (why), before the ones reported. */
  discardedRuns: string[];
  operations: CountedOperation[];
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
const per = (row: Record<string, number>, n: number, rename = (k: string) => k): PerOperation => ({
  total: round(sum(row) / n),
  byName: Object.fromEntries(Object.entries(row).sort(([, a], [, b]) => b - a).map(([k, v]) => [rename(k), round(v / n)])),
});
const perProcess = (b: Breakdown, n: number, rename?: (k: string) => string): PerOperation & { byProcess: Record<string, PerOperation> } => {
  const all: Record<string, number> = {};
  for (const row of Object.values(b)) for (const [k, v] of Object.entries(row)) all[k] = (all[k] ?? 0) + v;
  return { ...per(all, n, rename), byProcess: Object.fromEntries(Object.entries(b).map(([p, row]) => [p, per(row, n, rename)])) };
};
/** Queue names without the run's namespace prefix: the same names in every run. */
const withoutNamespace = (namespace: string) => (queue: string) => queue.replace(`${namespace}.`, '');

function counted(m: Measured, rename?: (k: string) => string, notes?: Record<string, number>): CountedOperation {
  const t: CountsSnapshot = m.total;
  return { id: m.id, label: m.label, n: m.n, db: per(t.db, m.n), dbBackground: per(t.dbBackground, m.n), redis: perProcess(t.redis, m.n), amqp: perProcess(t.amqp, m.n, rename), ...(notes ? { notes } : {}) };
}

async function measureRegistration(amqpUri: string): Promise<CountedOperation> {
  // The hash parameters change CPU, not commands: the cheap one keeps the run short.
  const env = await startRegistrationEnv({ argon2: { memoryCost: 1_024, timeCost: 1, parallelism: 1 }, logger, profileMongo: true });
  const amqp = createAmqpConnection({ uri: amqpUri, name: 'ashchat-bench-counts-probe', logger });
  try {
    const counters: FlowCounters = { verifyRetries: 0, statusPolls: 0 };
    const op = registrationOperation(env, counters);
    for (let i = 0; i < 3; i += 1) await op();
    const probes = await watch(amqp, env.app.mongo.client);
    await settle(probes);
    probes.take();
    const warm = { ...counters };
    progress(`counts: ${opt.registrations} registrations, one at a time`);
    for (let i = 0; i < opt.registrations; i += 1) await op();
    await settle(probes);
    const total = probes.take();
    const notes = { verifyRetries: counters.verifyRetries - warm.verifyRetries, statusPolls: counters.statusPolls - warm.statusPolls };
    return counted({ id: 'registration', label: 'registration completed (register → code by mail → verify → completed)', n: opt.registrations, total }, withoutNamespace(env.namespace), notes);
  } finally {
    await amqp.close();
    await env.close();
  }
}

/**
 * A part whose run failed (a server restarted under it: the shared machine's infrastructure comes
 * and goes while others test) is thrown away whole and run again; its counts are never mixed.
 */
async function attempts<T>(what: string, run: () => Promise<T>, discarded: string[], max = 3): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await run();
    } catch (err) {
      if (i >= max) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      discarded.push(`${what}: ${reason.slice(0, 200)}`);
      progress(`counts: ${what} failed (${reason.slice(0, 120)}); running it again`);
    }
  }
}

async function main(): Promise<CountsReport> {
  const infra = await getInfra();
  const before = loadavg()[0]!;
  const discarded: string[] = [];
  progress('counts: registration');
  const registration = await attempts('registration', () => measureRegistration(infra.amqpUri), discarded);
  const chat = await attempts('chat', () => measureChat({ amqpUri: infra.amqpUri, messages: opt.messages, reads: opt.reads, progress }), discarded);
  return {
    date: new Date().toISOString(),
    loadAverage1m: { before, after: loadavg()[0]! },
    options: opt,
    discardedRuns: discarded,
    operations: [registration, ...chat.map((m) => counted(m, (q) => q.replace(/^bench-counts[^.]*\./, '')))],
  };
}

function text(r: CountsReport): string {
  const line = (p: PerOperation): string => `${p.total} (${Object.entries(p.byName).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`;
  return r.operations
    .map((o) => `${o.label}, n=${o.n}\n  db:    ${line(o.db)}\n  redis: ${line(o.redis)}\n  amqp:  ${line(o.amqp)}`)
    .join('\n');
}

main().then(
  (report) => {
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${text(report)}\n`);
    // Pooled connections of the closed services may linger a moment; nothing is left to do.
    setTimeout(() => process.exit(0), 2_000).unref();
  },
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
