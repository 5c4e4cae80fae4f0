// `pnpm chaos`: the whole system under load while processes and connections die, then a count of
// every registration, message and poison message (issue #18). Progress goes to stderr; the table to
// stdout; the last line says PASS or FAIL, and the exit code agrees.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { findRepoRoot, getInfra, translationProvider } from '@ashchat/testkit';
import { USAGE, parseChaosArgs } from './chaos.args.js';
import { runFaults, type FaultRecord } from './chaos.faults.js';
import { createRng } from './chaos.random.js';
import { insertSection, renderJson, renderSection, summaryLine, type RunFacts } from './chaos.report.js';
import { planFaults } from './chaos.schedule.js';
import { startSystem, type ChaosSystem } from './chaos.system.js';
import type { ChaosTarget, LoadHandle, Tally } from './chaos.types.js';
import { startChatLoad, type ChatLog } from './chat.load.js';
import { tallyChat } from './chat.tally.js';
import { injectPoison, tallyPoison, type PoisonLog } from './poison.js';
import { startRegistrationLoad, type RegistrationLog } from './registration.load.js';
import { tallyRegistrations } from './registration.tally.js';

const TIMING = {
  quick: { loadMs: 20_000, quietBoundMs: 20_000, chatUsers: 6, poison: 10 },
  full: { loadMs: 150_000, quietBoundMs: 60_000, chatUsers: 16, poison: 30 },
} as const;
/** A fault that has not recovered within this fails the run. */
const RECOVERY_BOUND_MS = 60_000;
/** Salts of the per-consumer PRNG streams: each load's decisions depend on the seed only. */
const SALT = { registrations: 0x0000_5e91, chat: 0x0000_c4a7, poison: 0x0000_9015 } as const;

const t0 = Date.now();
/** Progress to stderr, each line with the seconds since the start (where a slow run spends its time). */
const log = (line: string): void => void process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let args;
try {
  args = parseChaosArgs(process.argv.slice(2), () => Number.parseInt(randomBytes(4).toString('hex'), 16));
} catch (err) {
  log(`chaos: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  log(USAGE);
  process.exit(0);
}
const { quick, seed } = args;
const timing = quick ? TIMING.quick : TIMING.full;
const repoRoot = findRepoRoot();
const runId = `${seed.toString(16)}${randomBytes(3).toString('hex')}`;
const outFile = resolve(args.out ?? (quick ? join(tmpdir(), `ashchat-chaos-${seed}.md`) : join(repoRoot, 'docs', 'reliability.md')));
if (quick && !relative(join(repoRoot, 'docs'), outFile).startsWith('..')) {
  log('chaos: --quick never writes into docs/ (its figures are not the committed ones); choose another --out');
  process.exit(2);
}
log(`chaos: ${quick ? 'quick' : 'full'} run, seed ${seed} (repeat with --seed ${seed}), run id ${runId}`);

let system: ChaosSystem | undefined;
let cleanup: (() => Promise<void>) | undefined;
let closing: Promise<void> | undefined;
const closeSystem = (): Promise<void> => (closing ??= cleanup?.() ?? Promise.resolve());
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log(`chaos: ${sig}: stopping the system and cleaning up`);
    void closeSystem().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}

const startedAt = new Date();
const workDir = join(tmpdir(), `ashchat-chaos-${runId}`);
const otherFailures: string[] = [];
const tallies: Tally[] = [];
let faults: FaultRecord[] = [];
let dbServer = 'unknown';
let brokerServer = 'unknown';
try {
  const infra = await getInfra();
  const env = process.env;
  log('chaos: starting the system (own database server, queue namespace, Redis database, SMTP sink; 2 backends, verifier, translator)');
  system = await startSystem({
    runId,
    repoRoot,
    workDir,
    infra: { ...infra, translationProvider: translationProvider(env) },
    postgresUrl: env.ASHCHAT_FERRETDB_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    cacheDir: env.ASHCHAT_INFRA_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ashchat'),
    inherited: Object.fromEntries(['PATH', 'HOME', 'TMPDIR'].flatMap((k) => (env[k] === undefined ? [] : [[k, env[k]]]))),
    log,
    onCleanup: (close) => {
      cleanup = close;
    },
  });
  const sys = system;
  dbServer = sys.dbServer;
  brokerServer = sys.brokerServer;
  log(`chaos: system ready (${sys.dbServer}; ${sys.brokerServer}); process logs in ${workDir}`);
  for (const [kind, why] of Object.entries(sys.unavailableFaults)) log(`chaos: the ${kind} fault will be SKIPPED: ${why}`);

  // Generous until the loads are set up; then the load phase starts and the real deadline is set.
  const target = (salt: number): ChaosTarget => ({
    backends: sys.backends,
    mailApiUrl: sys.sink.mailApiUrl,
    amqpUri: sys.amqpUri,
    queueNamespace: sys.queueNamespace,
    mongodbUri: sys.mongodbUri,
    mongodbDb: sys.mongodbDb,
    redisUri: sys.redisUri,
    rng: createRng((seed ^ salt) >>> 0),
    log,
    deadline: Date.now() + 10 * 60_000,
  });
  const targets = { registrations: target(SALT.registrations), chat: target(SALT.chat), poison: target(SALT.poison) };
  log('chaos: setting up the loads');
  const [registrations, chat] = await Promise.all([
    startRegistrationLoad(targets.registrations, { quick }),
    startChatLoad(targets.chat, { users: timing.chatUsers, quick }),
  ]) as [LoadHandle<RegistrationLog>, LoadHandle<ChatLog>];

  const phaseStart = Date.now();
  // The loads go on until the load phase is over AND the last fault recovered (faults run one after
  // the other, so on a slow machine they can outlast the phase): no fault hits an idle system.
  const setDeadline = (at: number): void => {
    targets.registrations.deadline = targets.chat.deadline = targets.poison.deadline = at;
  };
  setDeadline(phaseStart + timing.loadMs + RECOVERY_BOUND_MS * 2);
  const plan = planFaults({ seed, loadMs: timing.loadMs, backends: sys.services.filter((s) => s.startsWith('backend-')), quick });
  log(`chaos: load phase ${timing.loadMs / 1000} s with ${plan.length} faults`);
  const faultRun = runFaults(sys, plan, { startedAt: phaseStart, recoveryBoundMs: RECOVERY_BOUND_MS, log });
  const poison: Promise<PoisonLog> = sleep(timing.loadMs * 0.3).then(() => {
    log(`chaos: injecting ${timing.poison} poison messages`);
    return injectPoison(targets.poison, timing.poison);
  });
  await sleep(phaseStart + timing.loadMs - Date.now());
  faults = await faultRun.done;
  log(`chaos: load phase over after ${((Date.now() - phaseStart) / 1000).toFixed(1)} s; stopping load generation`);
  setDeadline(Date.now());
  await Promise.all([registrations.stop(), chat.stop()]);

  log(`chaos: quiet period (until every process is ready and the work queues are empty, at most ${timing.quietBoundMs / 1000} s)`);
  const quietUntil = Date.now() + timing.quietBoundMs;
  // Three calm polls in a row: one empty poll can fall between a message's publish and its delivery.
  let calm = 0;
  while (calm < 3) {
    const queued = await sys.queuedMessages().catch(() => -1);
    const problems = await sys.problems();
    calm = queued === 0 && problems.length === 0 ? calm + 1 : 0;
    if (calm < 3 && Date.now() > quietUntil) {
      log(`chaos: not calm after the quiet period (${queued} queued messages; ${problems.join(', ') || 'every process ready'}); counting anyway`);
      break;
    }
    await sleep(500);
  }

  log('chaos: counting');
  const settle = async (section: string, work: () => Promise<Tally>): Promise<void> => {
    try {
      tallies.push(await work());
    } catch (err) {
      tallies.push({ section, rows: [], failures: [`could not be counted: ${(err as Error).message}`] });
    }
  };
  await settle('Registrations', async () => tallyRegistrations(targets.registrations, await registrations.result()));
  await settle('Messages', async () => tallyChat(targets.chat, await chat.result()));
  await settle('Poison messages', async () => tallyPoison(targets.poison, await poison));
  otherFailures.push(...sys.unexpectedExits());
} catch (err) {
  otherFailures.push(`run aborted: ${(err as Error).message.split('\n')[0]}`);
  log(`chaos: ${(err as Error).stack ?? String(err)}`);
}

log('chaos: stopping the system and cleaning up');
await closeSystem();

const git = (...a: string[]): string => {
  try {
    return execFileSync('git', a, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};
const facts: RunFacts = {
  seed,
  quick,
  commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
  uncommittedFiles: git('status', '--porcelain').split('\n').filter((l) => l !== '').length,
  startedAt: startedAt.toISOString(),
  durationMs: Date.now() - startedAt.getTime(),
  machine: { cpus: cpus().length, loadAverage: loadavg() },
  dbServer,
  brokerServer,
  tallies,
  faults,
  recoveryBoundMs: RECOVERY_BOUND_MS,
  otherFailures,
};
const section = renderSection(facts);
let existing: string | undefined;
try {
  existing = readFileSync(outFile, 'utf8');
} catch {
  existing = undefined;
}
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, insertSection(existing, section));
writeFileSync(outFile.replace(/(\.md)?$/, '.json'), renderJson(facts));
log(`chaos: wrote ${outFile} and its .json`);
process.stdout.write(`${section}\n`);
const last = summaryLine(facts);
// The processes' logs are kept only when something went wrong.
if (last.startsWith('chaos: PASS')) rmSync(workDir, { recursive: true, force: true });
else log(`chaos: process logs kept in ${workDir}`);
process.stdout.write(`${last}\n`);
process.exit(last.startsWith('chaos: PASS') ? 0 : 1);
