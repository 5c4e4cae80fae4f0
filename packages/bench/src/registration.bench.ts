// `pnpm bench:registration`: throughput of the complete registration flow against two baselines,
// in one process on this machine. A benchmark, not a test (tap does not pick up *.bench.ts).
import { availableParallelism, cpus, loadavg, platform, arch } from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createAmqpConnection } from '@ashchat/messaging';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { DEFAULT_PASSWORD_HASHING, type PasswordHasherOptions } from '@ashchat/backend';
import { measureHashRate } from './argon2.baseline.js';
import { measureEchoRate } from './echo.baseline.js';
import { measureMongoUpdateRate } from './mongo.baseline.js';
import type { LoadOptions, LoadResult, Operation } from './load.runner.js';
import { runLoad } from './load.runner.js';
import { registrationOperation, type FlowCounters } from './registration.flow.js';
import { startRegistrationEnv } from './registration.env.js';
import type { CommandTally } from './mongo.profile.js';
import { renderReport, type BenchReport, type BenchRun, type BenchTarget } from './bench.report.js';

const USAGE = `Usage: pnpm bench:registration [options]
  --duration <ms>      measured window per run (default 10000)
  --warmup <ms>        unmeasured warm-up before each run (default 2000)
  --concurrency <n>    registrations in flight (default 2 × cores)
  --sweep <n,n,...>    more concurrencies for the default-hash run (default 1,16; "" for none)
  --profile            also count the backend's MongoDB commands per registration
  --json               print the results as JSON instead of a table`;

/** The bench-only cheap setting: the config's lowest memory (1 MiB), one pass. */
const CHEAP_HASHING: PasswordHasherOptions = { memoryCost: 1_024, timeCost: 1, parallelism: 1 };
const HASH_TARGET = 0.7;
const ECHO_TARGET = 1 / 5;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '2000' },
    concurrency: { type: 'string' },
    sweep: { type: 'string', default: '1,16' },
    json: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const integer = (name: string, raw: string, min: number): number => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be an integer >= ${min}, got "${raw}"\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
};
const positive = (name: string, raw: string): number => integer(name, raw, 1);
const cores = availableParallelism();
const concurrency = values.concurrency === undefined ? 2 * cores : positive('concurrency', values.concurrency);
const sweep = values.sweep.split(',').filter((s) => s.trim() !== '').map((s) => positive('sweep', s.trim()))
  .filter((n) => n !== concurrency);
// Ctrl-C ends the current run early; the normal clean-up (databases, queues, connections) still
// runs, bounded. `on`, not `once`: run outside `ashchat-infra exec`, the testkit re-raises the
// signal after stopping what it started, and that must not cut the clean-up short.
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) return;
    process.stderr.write(`[bench] ${signal}: stopping and cleaning up\n`);
    interrupt.abort(new Error(`interrupted by ${signal}`));
    setTimeout(() => process.exit(130), 15_000).unref();
  });
}
const load = (c: number): LoadOptions => ({
  signal: interrupt.signal,
  concurrency: c,
  durationMs: positive('duration', values.duration),
  warmupMs: integer('warmup', values.warmup, 0),
});

const logger = pino({ level: 'warn' }, pino.destination(2));
const progress = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};
const hashLabel = (p: PasswordHasherOptions) => `m=${p.memoryCost} KiB, t=${p.timeCost}, p=${p.parallelism}`;

/** Counts every completed registration (warm-up included) to check it against the users stored. */
function counting(op: Operation, tally: { done: number }): Operation {
  return async () => {
    const phases = await op();
    tally.done += 1;
    return phases;
  };
}

const withVerdicts = (targets: Omit<BenchTarget, 'pass'>[]): BenchTarget[] =>
  targets.map((t) => ({ ...t, pass: t.ratio >= t.target }));

/** Commands (and their summed driver-side time) per completed registration. */
function perOperation(tally: Record<string, CommandTally>, done: number): Record<string, CommandTally> {
  const n = Math.max(1, done);
  return Object.fromEntries(Object.entries(tally).map(([name, t]) => [name, { count: t.count / n, ms: t.ms / n }]));
}

async function registrationRuns(hashing: PasswordHasherOptions, concurrencies: number[]): Promise<BenchRun[]> {
  const env = await startRegistrationEnv({ argon2: hashing, logger, profileMongo: values.profile });
  const runs: BenchRun[] = [];
  try {
    for (const c of concurrencies) {
      progress(`registration (${hashLabel(hashing)}) at concurrency ${c}`);
      const counters: FlowCounters = { verifyRetries: 0, statusPolls: 0 };
      const tally = { done: 0 };
      const usersBefore = await env.countUsers();
      env.mongoProfile?.take();
      const result = await runLoad(counting(registrationOperation(env, counters), tally), load(c));
      const mongo = env.mongoProfile?.take();
      const stored = (await env.countUsers()) - usersBefore;
      runs.push({
        name: `registration (${hashLabel(hashing)})`,
        kind: 'registration',
        result,
        notes: {
          verifyRetries: counters.verifyRetries,
          statusPolls: counters.statusPolls,
          usersStored: stored,
          registrationsCompleted: tally.done,
        },
        ...(mongo ? { mongoPerOperation: perOperation(mongo, tally.done) } : {}),
      });
      // More users than completions is possible (an operation that failed on its deadline may still
      // complete later); fewer would mean a "completed" registration without its user.
      if (stored < tally.done) throw new Error(`${tally.done} registrations completed but only ${stored} users stored`);
    }
  } finally {
    await env.close();
  }
  return runs;
}

async function main(): Promise<BenchReport> {
  const infra = await getInfra();
  // Other work on the machine skews every number: the load average before and after shows it.
  const loadBefore = loadavg()[0]!;
  progress(`bare argon2id (${hashLabel(DEFAULT_PASSWORD_HASHING)}) at concurrency ${concurrency}`);
  const hash: LoadResult = await measureHashRate(DEFAULT_PASSWORD_HASHING, load(concurrency));
  const [registration, ...swept] = await registrationRuns(DEFAULT_PASSWORD_HASHING, [concurrency, ...sweep]);

  progress(`bare request/reply echo at concurrency ${concurrency}`);
  const amqp = createAmqpConnection({ uri: infra.amqpUri, name: 'ashchat-bench-echo', logger });
  let echo: LoadResult;
  try {
    echo = await measureEchoRate(amqp, { queue: uniqueName('bench-echo'), logger, load: load(concurrency) });
  } finally {
    await amqp.close();
  }
  const [cheap] = await registrationRuns(CHEAP_HASHING, [concurrency]);

  progress(`bare MongoDB find + versioned update at concurrency ${concurrency}`);
  const mongo = await measureMongoUpdateRate(infra.mongodbUri, uniqueName('bench_mongo').replace(/-/g, '_'), load(concurrency));

  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    machine: {
      cpu: cpuList[0]?.model ?? 'unknown',
      cores,
      platform: `${platform()} ${arch()}`,
      node: process.version,
      uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
      loadAverage1m: { before: loadBefore, after: loadavg()[0]! },
    },
    options: { concurrency, durationMs: load(concurrency).durationMs, warmupMs: load(concurrency).warmupMs, sweep },
    runs: [
      { name: `bare argon2id hash (${hashLabel(DEFAULT_PASSWORD_HASHING)})`, kind: 'baseline', result: hash },
      registration!,
      ...swept,
      { name: 'bare request/reply echo (RabbitMQ)', kind: 'baseline', result: echo },
      cheap!,
      { name: 'reference: bare MongoDB find + versioned update', kind: 'baseline', result: mongo },
    ],
    targets: withVerdicts([
      {
        name: 'registrations/s ÷ argon2id hashes/s (default hash)',
        ratio: registration!.result.perSecond / hash.perSecond,
        target: HASH_TARGET,
      },
      {
        name: 'registrations/s (cheap hash) ÷ echo round trips/s',
        ratio: cheap!.result.perSecond / echo.perSecond,
        target: ECHO_TARGET,
      },
    ]),
  };
}

// A leaked handle must not keep the bench alive forever, nor hide: report it and fail.
const exitGuard = (code: number): void => {
  process.exitCode = code;
  setTimeout(() => {
    process.stderr.write('[bench] something is still open 10 s after the end; exiting\n');
    process.exit(code === 0 ? 1 : code);
  }, 10_000).unref();
};

main().then(
  (report) => {
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderReport(report)}\n`);
    exitGuard(0);
  },
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitGuard(interrupt.signal.aborted ? 130 : 1);
  },
);
