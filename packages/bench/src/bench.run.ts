// `pnpm bench`: every benchmark, each next to its baseline, one after another, each in its own
// process with `--json` (and its load generators in their own processes); then the table section of
// docs/benchmarks.md and the raw numbers in docs/benchmarks.json. `--quick` is a smoke run of a
// minute or two that writes elsewhere, never over the committed docs.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, arch, release, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { getInfra, watchForParentDeath, type Infra } from '@ashchat/testkit';
import { BENCH_NAMES, figuresOf, type BenchName, type Figure } from './bench.figures.js';
import { renderSection, spliceSection, type BenchOutcome, type RunSummary } from './bench.markdown.js';
import { createProgress, formatDuration } from './bench.progress.js';

const USAGE = `Usage: pnpm bench [--quick] [--out <dir>] [--only <bench,...>]
  --quick        smoke run (short windows, small sizes): about 1-2 minutes; writes to --out or
                 ${join(tmpdir(), 'ashchat-bench-quick')}, never to docs/
  --out <dir>    write benchmarks.md and benchmarks.json there (default: docs/ for a full run)
  --only <list>  run only these of ${BENCH_NAMES.join(', ')}; the other figures are kept from the
                 existing benchmarks.json in the output directory`;

interface Stage {
  file: string;
  full: string[];
  quick: string[];
  /** Guesses for the progress bar, and hard bounds after which the bench is stopped: [full, quick]. */
  expectedMs: [number, number];
  timeoutMs: [number, number];
}
const MIN = 60_000;
const STAGES: Record<BenchName, Stage> = {
  registration: { file: 'registration.bench.ts', full: [], quick: ['--duration', '2000', '--warmup', '500', '--sweep='], expectedMs: [90_000, 20_000], timeoutMs: [6 * MIN, 2 * MIN] },
  rest: { file: 'rest.bench.ts', full: [], quick: ['--duration', '1', '--rounds', '1', '--conversations', '5'], expectedMs: [45_000, 12_000], timeoutMs: [5 * MIN, 2 * MIN] },
  ws: { file: 'ws.bench.ts', full: [], quick: ['--duration', '2', '--warmup', '1', '--connections', '500'], expectedMs: [75_000, 20_000], timeoutMs: [8 * MIN, 2 * MIN] },
  growth: { file: 'growth.bench.ts', full: [], quick: ['--sizes', '1000,10000', '--duration', '1', '--warmup', '0', '--rounds', '1'], expectedMs: [180_000, 15_000], timeoutMs: [8 * MIN, 2 * MIN] },
  translation: { file: 'translation.bench.ts', full: [], quick: ['--duration', '2', '--warmup', '1', '--messages', '20'], expectedMs: [75_000, 25_000], timeoutMs: [6 * MIN, 2 * MIN] },
  counts: { file: 'counts.bench.ts', full: [], quick: ['--registrations', '5', '--messages', '5', '--reads', '5'], expectedMs: [40_000, 15_000], timeoutMs: [5 * MIN, 2 * MIN] },
  cpu: { file: 'cpu.bench.ts', full: [], quick: ['--rounds', '1', '--duration', '2', '--warmup', '1', '--rest-duration', '1'], expectedMs: [240_000, 60_000], timeoutMs: [10 * MIN, 4 * MIN] },
};

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', default: false } },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const only = values.only?.split(',').map((s) => s.trim()).filter((s) => s !== '');
const unknown = only?.filter((s) => !(BENCH_NAMES as readonly string[]).includes(s)) ?? [];
if (unknown.length > 0 || only?.length === 0) {
  process.stderr.write(`--only takes a list of ${BENCH_NAMES.join(', ')}; got "${values.only}"\n${USAGE}\n`);
  process.exit(2);
}
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const docsDir = here('../../../docs');
const outDir = resolve(values.out ?? (values.quick ? join(tmpdir(), 'ashchat-bench-quick') : docsDir));
if (values.quick && outDir === docsDir) {
  process.stderr.write('[bench] a --quick run does not write into docs/: its numbers are not the ones to commit\n');
  process.exit(2);
}
const mode = values.quick ? 'quick' : 'full';
const selected = BENCH_NAMES.filter((name) => !only || only.includes(name));
const mdPath = join(outDir, 'benchmarks.md');
const jsonPath = join(outDir, 'benchmarks.json');
const logPath = join(tmpdir(), `ashchat-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
const log = createWriteStream(logPath);

let running: ChildProcess | undefined;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n[bench] ${signal}: stopping the running bench; nothing is written\n`);
    stopGroup(running);
    setTimeout(() => process.exit(130), 20_000).unref();
  });
}

/** Each bench runs in its own process group: stopping it stops the servers and load generators it started too. */
function stopGroup(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const kill = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  setTimeout(() => kill('SIGKILL'), 15_000).unref();
}

/** Runs one bench with `--json`; its parsed report and exit code. Its log lines drive the progress bar. */
function runBench(name: BenchName, onStep: (text: string) => void): Promise<{ report: unknown; code: number | null; tail: string }> {
  const stage = STAGES[name];
  const args = ['--import', import.meta.resolve('tsx'), '--conditions=ashchat-source', here(`./${stage.file}`), '--json', ...(values.quick ? stage.quick : stage.full)];
  const child = spawn(process.execPath, args, { cwd: here('..'), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // Its own group keeps a Ctrl-C for the run from reaching it twice; the watchdog stops it if the
  // run is killed outright (a test's timeout), which otherwise left it waiting on stopped servers.
  if (child.pid !== undefined) watchForParentDeath(child.pid);
  running = child;
  let stdout = '';
  const tail: string[] = [];
  child.stdout.on('data', (d: Buffer) => {
    if (stdout.length < 20_000_000) stdout += d.toString();
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    log.write(`[${name}] ${line}\n`);
    tail.push(line);
    if (tail.length > 30) tail.shift();
    const step = /^\[bench[^\]]*\] (.*)$/.exec(line)?.[1];
    if (step) onStep(step.length > 120 ? `${step.slice(0, 119)}…` : step);
  });
  const timeoutMs = stage.timeoutMs[values.quick ? 1 : 0];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stopGroup(child);
  }, timeoutMs);
  return new Promise((resolveRun, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      running = undefined;
      const lastLines = tail.slice(-8).join('\n');
      if (timedOut) return reject(new Error(`stopped after ${formatDuration(timeoutMs)} (its bound); last lines:\n${lastLines}`));
      const start = stdout.indexOf('{');
      try {
        resolveRun({ report: JSON.parse(stdout.slice(start)) as unknown, code, tail: lastLines });
      } catch {
        reject(new Error(`exited with ${code} without a JSON report; last lines:\n${lastLines}`));
      }
    });
  });
}

async function describeMachine(infra: Infra): Promise<string> {
  const versions: string[] = [];
  const mongo = new MongoClient(infra.mongodbUri, { serverSelectionTimeoutMS: 5_000 });
  try {
    const info = await mongo.db('admin').command({ buildInfo: 1 });
    versions.push(typeof info.ferretdbVersion === 'string' ? `FerretDB ${info.ferretdbVersion} (MongoDB protocol)` : `MongoDB ${String(info.version)}`);
  } catch {
    versions.push('MongoDB protocol server (version unknown)');
  } finally {
    await mongo.close();
  }
  const redis = new Redis(infra.redisUri, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    versions.push(`Redis ${/redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?'}`);
  } catch {
    versions.push('Redis');
  } finally {
    redis.disconnect();
  }
  versions.push('RabbitMQ');
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const ram = `${Math.round(totalmem() / 2 ** 30)} GB RAM`;
  return `${cpu}, ${availableParallelism()} vCPUs, ${ram}, ${platform()} ${release()} ${arch()}, Node ${process.version}; ${versions.join(', ')}, all on this machine, over loopback`;
}

/** The commit measured and the tracked files that differed from it (a shared checkout: others' work in progress is measured too). */
function codeVersion(): RunSummary['code'] {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: here('.'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd();
  try {
    const uncommitted = git('status', '--porcelain', '--untracked-files=no').split('\n').filter((l) => l !== '').map((l) => l.slice(3));
    return { commit: git('rev-parse', '--short', 'HEAD').trim(), uncommitted };
  } catch {
    return { commit: 'unknown', uncommitted: [] };
  }
}

interface StoredBench extends BenchOutcome {
  report?: unknown;
}
interface Stored {
  benches?: Partial<Record<BenchName, StoredBench>>;
  figures?: Figure[];
}

function previous(): Stored {
  if (!only || !existsSync(jsonPath)) return {};
  try {
    return JSON.parse(readFileSync(jsonPath, 'utf8')) as Stored;
  } catch {
    return {};
  }
}

const began = Date.now();
const loadBefore = loadavg()[0]!;
const infra = await getInfra();
const machine = await describeMachine(infra);
const code = codeVersion();
const progress = createProgress(selected.map((name) => ({ name, expectedMs: STAGES[name].expectedMs[values.quick ? 1 : 0] })));
const kept = previous();
const benches = {} as Record<BenchName, StoredBench>;
const figures: Figure[] = [];
for (const name of BENCH_NAMES) {
  if (selected.includes(name)) continue;
  benches[name] = kept.benches?.[name] ?? { status: 'skipped' };
  figures.push(...(kept.figures ?? []).filter((f) => f.bench === name));
}
for (const [index, name] of selected.entries()) {
  if (interrupted) break;
  progress.start(index);
  const startedAt = new Date().toISOString();
  const before = loadavg()[0]!;
  const t0 = Date.now();
  const outcome: StoredBench = { status: 'ok', startedAt, args: values.quick ? STAGES[name].quick : STAGES[name].full };
  try {
    const { report, code, tail } = await runBench(name, (text) => progress.step(text));
    outcome.report = report;
    figures.push(...figuresOf(name, report));
    if (code !== 0) Object.assign(outcome, { status: 'failed', error: `exited with ${code}; last lines: ${tail}` });
  } catch (error) {
    Object.assign(outcome, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
  }
  Object.assign(outcome, { durationMs: Date.now() - t0, loadAverage1m: { before, after: loadavg()[0]! } });
  benches[name] = outcome;
  progress.finish(index, outcome.status === 'ok' ? 'done' : `FAILED (${outcome.error?.split('\n')[0]})`);
}
progress.close();
await new Promise<void>((done) => log.end(done));
if (interrupted) process.exit(130);

// The figures in a stable order, whatever was re-run.
figures.sort((a, b) => BENCH_NAMES.indexOf(a.bench) - BENCH_NAMES.indexOf(b.bench));
const summary: RunSummary = {
  date: new Date(began).toISOString(),
  mode,
  command: `pnpm bench${values.quick ? ' --quick' : ''}${only ? ` --only ${only.join(',')}` : ''}`,
  durationMs: Date.now() - began,
  machine: { description: machine, loadAverage1m: { before: loadBefore, after: loadavg()[0]! } },
  code,
  benches,
  figures,
  jsonName: basename(jsonPath),
};
mkdirSync(outDir, { recursive: true });
const { jsonName: _jsonName, ...raw } = summary;
writeFileSync(jsonPath, `${JSON.stringify(raw, null, 2)}\n`);
const existing = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : undefined;
writeFileSync(mdPath, spliceSection(existing, renderSection(summary)));
const failed = selected.filter((name) => benches[name].status !== 'ok');
process.stderr.write(
  `[bench] ${failed.length === 0 ? 'done' : `FAILED: ${failed.join(', ')}`} in ${formatDuration(summary.durationMs)}; wrote ${mdPath} and ${jsonPath}; the benches' own logs: ${logPath}\n`,
);
// Anything still open (the infrastructure getInfra started, if any) must not keep the run alive.
process.exit(failed.length === 0 ? 0 : 1);
