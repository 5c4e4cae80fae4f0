import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { findRepoRoot, resolveInfra, stderrLogger } from './infra.resolver.js';
import { SERVICE_NAMES, type ResolvedInfra, type ServiceSource } from './infra.types.js';
import { inTerminalForeground, logTail } from './process.util.js';
import {
  attachShared, clearSharedState, detachShared, serveShared, sharedPaths, type SharedPaths, type SharedState,
} from './shared.infra.js';
import { redactUrl } from './service.context.js';
import { testSecret } from './test-helpers.js';

const USAGE = `Usage:
  ashchat-infra exec [--fresh] [--shared] [--no-docker] -- <command> [args...]
      Find or start MongoDB, RabbitMQ, Redis, SMTP and the translation engine (Apertium), run <command>
      with MONGODB_URI, AMQP_URI, REDIS_URI, SMTP_URI, MAIL_API_URL, TRANSLATION_URL, TRANSLATION_PROVIDER
      (and VERIFICATION_CODE_SECRET, JWT_SECRET if unset) exported, then
      stop what was started and exit with the command's exit code.
  ashchat-infra up [--fresh] [--no-docker]
      Find or start everything, print the env lines, keep running until Ctrl-C.
  ashchat-infra env
      Print KEY=VALUE for what is already configured or listening (starts nothing); exit 1 if
      something is missing.
Order per service: env URL → server on the default port → local binary (.infra/<service>/) → Docker.
Options:
  --fresh      ignore servers on the default ports; start private instances on free ports with
               throw-away data dirs (.infra/<service>-<port>/), removed again at the end
  --shared     one infrastructure for every "exec --shared" of this repository at once (pnpm -r dev):
               the first starts a detached owner (.infra/shared/), the others attach to it, and it
               stops when the last of them exits; with every URL already exported, runs at once.
               With --fresh, that one infrastructure is private (free ports)
  --no-docker  never fall back to Docker/testcontainers`;

const logger = stderrLogger();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const KIND_TEXT: Record<ServiceSource['kind'], string> = {
  env: 'env',
  'local-port': 'local port',
  binary: 'started binary',
  embedded: 'embedded',
  docker: 'docker',
};

function printSources(sources: ServiceSource[]): void {
  for (const s of sources) {
    logger.info(`${s.service.padEnd(11)} ${redactUrl(s.uri).padEnd(36)} ${KIND_TEXT[s.kind]}: ${s.detail}`);
  }
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 1) : 1);
}

/** Resolves everything; a signal during start-up stops what was already started and exits 130. */
interface CliOptions {
  docker: boolean;
  fresh: boolean;
  shared: boolean;
}

const BIN = fileURLToPath(new URL('../bin/ashchat-infra.js', import.meta.url));

const FRESH_PORTS = { mongodb: 0, rabbitmq: 0, redis: 0, smtp: 0, mailApi: 0, translation: 0 };

/**
 * One signal handler for the whole run, installed before anything starts, so there is never a
 * moment where Ctrl-C kills this process with the default action and leaves servers behind.
 * While resolving a signal aborts start-up; afterwards it goes to `onSignal`; during teardown it
 * is ignored (teardown is already under way).
 */
function signalRouter() {
  const ac = new AbortController();
  let handler: ((sig: NodeJS.Signals) => void) | undefined;
  let tearingDown = false;
  const route = (sig: NodeJS.Signals) => {
    if (tearingDown) return logger.info(`${sig}: still stopping, please wait`);
    if (handler) return handler(sig);
    ac.abort(new Error(`interrupted by ${sig}`));
  };
  SIGNALS.forEach((s) => process.on(s, route));
  return {
    signal: ac.signal,
    onSignal: (h: (sig: NodeJS.Signals) => void) => void (handler = h),
    teardown: () => void (tearingDown = true),
  };
}
type SignalRouter = ReturnType<typeof signalRouter>;

async function resolveOrExit(opts: CliOptions, router: SignalRouter): Promise<ResolvedInfra> {
  try {
    return await resolveInfra({ signal: router.signal, logger, docker: opts.docker, ...(opts.fresh ? { ports: FRESH_PORTS } : {}) });
  } catch (err) {
    logger.warn((err as Error).message);
    process.exit(router.signal.aborted ? 130 : 1);
  }
}

async function stopAndExit(resolved: ResolvedInfra, router: SignalRouter, code: number): Promise<never> {
  router.teardown();
  logger.info('stopping what this run started');
  try {
    await resolved.stop();
  } catch (err) {
    logger.warn(`teardown: ${(err as Error).message}`);
    if (code === 0) code = 1;
  }
  process.exit(code);
}

/** Secrets both services of one run must share (the digest of verification codes, JWTs). */
function secrets(): Record<string, string> {
  return {
    VERIFICATION_CODE_SECRET: process.env.VERIFICATION_CODE_SECRET || testSecret(),
    JWT_SECRET: process.env.JWT_SECRET || testSecret(),
  };
}

/** Runs the command with `env`, routing our signals to it; resolves with its exit code. */
async function runCommand(command: string[], env: NodeJS.ProcessEnv, router: SignalRouter): Promise<number> {
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
  let signals = 0;
  router.onSignal((sig) => {
    signals += 1;
    // Third signal: the command ignores us, force it so teardown can still happen.
    if (signals >= 3) return void child.kill('SIGKILL');
    // The command shares our process group: a Ctrl-C in the terminal reached it already, and a
    // forwarded copy would arrive a moment later as a second signal. Cannot tell a Ctrl-C from a
    // `kill -INT` aimed at us alone, so only while we are the terminal's foreground group (the
    // services' repeat window in service-kit covers the copies we cannot avoid).
    if (sig === 'SIGINT' && inTerminalForeground()) return;
    child.kill(sig);
  });
  return new Promise<number>((resolve) => {
    child.once('error', (err) => {
      logger.warn(`cannot run ${command[0]}: ${err.message}`);
      resolve(127);
    });
    child.once('exit', (c, s) => resolve(exitCodeOf(c, s)));
  });
}

function checkCommand(command: string[]): void {
  if (command.length > 0) return;
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

async function exec(command: string[], opts: CliOptions): Promise<never> {
  checkCommand(command);
  if (opts.shared) return execShared(command, opts);
  const router = signalRouter();
  const resolved = await resolveOrExit(opts, router);
  printSources(resolved.sources);
  const code = await runCommand(command, { ...process.env, ...resolved.env, ...secrets() }, router);
  return stopAndExit(resolved, router, code);
}

const URL_KEYS = ['MONGODB_URI', 'AMQP_URI', 'REDIS_URI', 'SMTP_URI', 'MAIL_API_URL', 'TRANSLATION_URL'] as const;

/**
 * `exec --shared`: attach to the repository's one shared infrastructure, starting its owner if
 * there is none. With every URL already in the environment (an outer `ashchat-infra exec`, as in
 * the root `pnpm dev`), someone else owns the infrastructure: the command runs at once.
 */
async function execShared(command: string[], opts: CliOptions): Promise<never> {
  const router = signalRouter();
  if (URL_KEYS.every((k) => process.env[k])) {
    process.exit(await runCommand(command, { ...process.env, ...secrets() }, router));
  }
  const paths = sharedPaths(findRepoRoot());
  let state: SharedState;
  try {
    state = await attachShared({
      paths,
      signal: router.signal,
      spawnOwner: () => spawnOwner(paths, opts),
      onWait: (s) => logger.info(`shared infrastructure ${s?.phase ?? 'starting'} (owner pid ${s?.ownerPid}, log ${paths.log})`),
    });
  } catch (err) {
    logger.warn((err as Error).message);
    if (!router.signal.aborted) logger.warn(`last lines of ${paths.log}:\n${logTail(paths.log)}`);
    await detachShared(paths);
    process.exit(router.signal.aborted ? 130 : 1);
  }
  logger.info(`using the shared infrastructure of owner pid ${state.ownerPid} (stops when its last user exits)`);
  printSources(state.sources ?? []);
  const shared = state.env ?? {};
  const env = { ...process.env, ...shared, ...secretsOr(shared) };
  const code = await runCommand(command, env, router);
  router.teardown();
  await detachShared(paths);
  process.exit(code);
}

/** A secret the user set wins over the owner's; otherwise every user gets the owner's. */
function secretsOr(shared: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['VERIFICATION_CODE_SECRET', 'JWT_SECRET']) {
    const v = process.env[k] || shared[k];
    if (v) out[k] = v;
  }
  return out;
}

function spawnOwner(paths: SharedPaths, opts: CliOptions): number {
  mkdirSync(paths.dir, { recursive: true });
  const fd = openSync(paths.log, 'w');
  try {
    // Detached (own session): a Ctrl-C to the users' process group does not reach it; it stops
    // when its last user is gone.
    const child = spawn(process.execPath, [
      ...process.execArgv, BIN, 'shared-owner', ...(opts.docker ? [] : ['--no-docker']), ...(opts.fresh ? ['--fresh'] : []),
    ], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: process.env,
    });
    child.unref();
    return child.pid ?? -1;
  } finally {
    closeSync(fd);
  }
}

/** The hidden `shared-owner` command: resolve, serve while users live, stop, clear the state. */
async function sharedOwner(opts: CliOptions): Promise<never> {
  const paths = sharedPaths(findRepoRoot());
  const router = signalRouter();
  let resolved: ResolvedInfra;
  try {
    resolved = await resolveInfra({ signal: router.signal, logger, docker: opts.docker, ...(opts.fresh ? { ports: FRESH_PORTS } : {}) });
  } catch (err) {
    logger.warn((err as Error).message);
    await clearSharedState(paths, (err as Error).message.split('\n')[0]);
    process.exit(1);
  }
  printSources(resolved.sources);
  const stop = new AbortController();
  router.onSignal((sig) => stop.abort(new Error(sig)));
  await serveShared(paths, { env: { ...resolved.env, ...secrets() }, sources: resolved.sources, serverPids: resolved.pids }, stop.signal);
  logger.info('no user left');
  router.teardown();
  let code = 0;
  try {
    await resolved.stop();
  } catch (err) {
    logger.warn(`teardown: ${(err as Error).message}`);
    code = 1;
  }
  await clearSharedState(paths);
  process.exit(code);
}

async function up(opts: CliOptions): Promise<never> {
  const router = signalRouter();
  const resolved = await resolveOrExit(opts, router);
  printSources(resolved.sources);
  for (const [k, v] of Object.entries(resolved.env)) process.stdout.write(`${k}=${v}\n`);
  logger.info('infrastructure is up; press Ctrl-C to stop');
  const sig = await new Promise<NodeJS.Signals>((resolve) => router.onSignal(resolve));
  logger.info(`received ${sig}`);
  return stopAndExit(resolved, router, 0);
}

async function env(): Promise<never> {
  const resolved = await resolveInfra({ start: false, logger });
  for (const [k, v] of Object.entries(resolved.env)) process.stdout.write(`${k}=${v}\n`);
  const found = new Set(resolved.sources.map((s) => s.service));
  const missing = SERVICE_NAMES.filter((s) => !found.has(s));
  for (const s of missing) logger.warn(`${s}: nothing configured or listening (run "ashchat-infra up" to start it)`);
  process.exit(missing.length === 0 ? 0 : 1);
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  // Our flags come first; everything after them (or after "--") is the command, flags included.
  const flags: string[] = [];
  while (rest[0]?.startsWith('--') && rest[0] !== '--') flags.push(rest.shift()!);
  if (rest[0] === '--') rest.shift();
  const unknown = flags.filter((f) => !['--no-docker', '--fresh', '--shared'].includes(f));
  if (unknown.length > 0) {
    process.stderr.write(`unknown option ${unknown.join(' ')}\n${USAGE}\n`);
    process.exit(2);
  }
  const opts: CliOptions = {
    docker: !flags.includes('--no-docker'),
    fresh: flags.includes('--fresh'),
    shared: flags.includes('--shared'),
  };
  switch (cmd) {
    case 'exec':
      return exec(rest, opts);
    case 'up':
      return up(opts);
    case 'env':
      return env();
    case 'shared-owner':
      return sharedOwner(opts);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      process.stderr.write(`${cmd ? `unknown command "${cmd}"\n` : ''}${USAGE}\n`);
      process.exit(2);
  }
}

await main(process.argv.slice(2));
