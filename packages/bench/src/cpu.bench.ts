// `pnpm bench --only cpu`: CPU time of our own processes per operation, read from outside
// (/proc/<pid>/stat), beside bare baselines measured the same way in the same run — figures that
// do not depend on the MongoDB-protocol server, broker or Redis, whose processes are not counted.
// The services run as in production: their built JavaScript (built first when stale), plain node,
// log level info. `--profile` runs them under `node --cpu-prof` instead (one round; the REST load on a
// backend of its own) and prints where their CPU goes over each load. `--only rest,ws` runs some
// sections (registration, ws, rest). A benchmark, not a test.
import { mkdtempSync, readdirSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchBackendConfig } from './bench.backend.js';
import { fmt, formatTable } from './bench.stats.js';
import { formatProfile, summariseProfile, type ProfileSummary, type ProfileWindow } from './cpu.profile.js';
import { CLK_TCK, ensureBuilt, spread, type Spread } from './cpu.proc.js';
import { measureRegistration, type RegistrationRound } from './cpu.registration.js';
import { PRODUCTION_LOG_LEVEL } from './cpu.services.js';
import { measureWsAndRest, type RestRound, type WsRound } from './cpu.ws.js';

export const CPU_TARGETS = { registrationHashExcludedMs: 3, gatewayVsWs: 3, gatewayVsSocketIo: 1.5, restRatio: 0.6 } as const;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    'rest-duration': { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string', default: 'registration,ws,rest' },
    json: { type: 'boolean', default: false },
  },
});
const opt = { rounds: Number(values.rounds), duration: Number(values.duration), warmup: Number(values.warmup), concurrency: Number(values.concurrency), restDuration: Number(values['rest-duration']) };
for (const [name, n] of Object.entries(opt)) {
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a positive integer\n`);
    process.exit(2);
  }
}
const SECTIONS = ['registration', 'ws', 'rest'] as const;
const only = new Set(values.only.split(','));
if (only.size === 0 || [...only].some((s) => !(SECTIONS as readonly string[]).includes(s))) {
  process.stderr.write(`--only takes a comma-separated list of ${SECTIONS.join(', ')}\n`);
  process.exit(2);
}
const log = (line: string): void => void process.stderr.write(`[bench:cpu] ${line}\n`);
const rounds = values.profile ? 1 : opt.rounds;
const profileDir = values.profile ? mkdtempSync(join(tmpdir(), 'ashchat-cpu-profile-')) : undefined;
const profileOpts = profileDir ? { profileDir } : {};

const loadBefore = loadavg()[0]!;
const build = ensureBuilt(log);
log(`services: built JS, log level ${PRODUCTION_LOG_LEVEL}; ${build}; CLK_TCK ${CLK_TCK}`);
let exitCode = 0;
let registration: RegistrationRound[] = [];
let ws: WsRound[] = [];
let rest: RestRound[] = [];
let windows: Record<string, ProfileWindow> = {};
const regEnv = only.has('registration') ? await benchBackendConfig('bench-cpu-reg') : undefined;
if (regEnv) try {
  const measured = await measureRegistration(regEnv.config, { rounds, durationMs: opt.duration * 1000, warmupMs: opt.warmup * 1000, hashMs: 4_000, concurrency: opt.concurrency, log, ...profileOpts });
  registration = measured.rounds;
  windows = { ...windows, ...measured.windows };
} catch (err) {
  log(`registration failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  exitCode = 1;
} finally {
  await regEnv.release();
}
const wsEnv = only.has('ws') || only.has('rest') ? await benchBackendConfig('bench-cpu-ws') : undefined;
if (wsEnv) try {
  const measured = await measureWsAndRest(wsEnv.config, {
    rounds,
    durationMs: opt.duration * 1000,
    warmupMs: opt.warmup * 1000,
    window: 4,
    bodyBytes: 100,
    restSeconds: opt.restDuration,
    restConnections: 10,
    ws: only.has('ws'),
    rest: only.has('rest'),
    log,
    ...profileOpts,
  });
  ({ ws, rest } = measured);
  windows = { ...windows, ...measured.windows };
} catch (err) {
  log(`WebSocket/REST failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  exitCode = 1;
} finally {
  await wsEnv.release();
}

const of = <T>(rows: T[], pick: (row: T) => number): Spread | undefined => (rows.length > 0 ? spread(rows.map(pick)) : undefined);
const figures = {
  registrationMs: of(registration, (r) => r.msPerOp),
  registrationBackendMs: of(registration, (r) => r.backendMsPerOp),
  registrationVerifierMs: of(registration, (r) => r.verifierMsPerOp),
  hashMs: of(registration, (r) => r.hashMsPerHash),
  registrationHashExcludedMs: of(registration, (r) => r.hashExcludedMsPerOp),
  registrationsPerSecond: of(registration, (r) => r.perSecond),
  gatewayMs: of(ws, (r) => r.gateway.msPerDelivered),
  wsRelayMs: of(ws, (r) => r.wsRelay.msPerDelivered),
  socketIoMs: of(ws, (r) => r.socketIo.msPerDelivered),
  gatewayVsWs: of(ws, (r) => r.gateway.msPerDelivered / r.wsRelay.msPerDelivered),
  gatewayVsSocketIo: of(ws, (r) => r.gateway.msPerDelivered / r.socketIo.msPerDelivered),
  restMs: of(rest, (r) => r.conversations.msPerRequest),
  helloMs: of(rest, (r) => r.helloWorld.msPerRequest),
  restRatio: of(rest, (r) => r.conversations.requestsPerSecond / r.helloWorld.requestsPerSecond),
  restPerSecond: of(rest, (r) => r.conversations.requestsPerSecond),
  helloPerSecond: of(rest, (r) => r.helloWorld.requestsPerSecond),
};

const profiles: { name: string; summary: ProfileSummary }[] = [];
if (profileDir) {
  for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const name = file.replace('.cpuprofile', '');
    // A process without a load window (the WebSocket backend of `--only rest`) would show its start-up only.
    if (windows[name] === undefined) continue;
    const summary = summariseProfile(join(profileDir, file), 15, windows[name]);
    profiles.push({ name, summary });
    process.stderr.write(`${formatProfile(file, summary)}\n`);
  }
}

const report = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), node: process.version, loadAverage1m: { before: loadBefore, after: loadavg()[0]! } },
  services: { build: `built JS (dist/), log level ${PRODUCTION_LOG_LEVEL}`, buildStep: build, clockTicksPerSecond: CLK_TCK },
  options: { ...opt, rounds, profile: values.profile, only: [...only] },
  rounds: { registration, ws, rest },
  figures,
  targets: CPU_TARGETS,
  ...(profileDir ? { profiles, profileDir } : {}),
};
if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  const row = (name: string, s: Spread | undefined, d = 2): string[] => [name, s ? fmt(s.median, d) : '–', s ? `${fmt(s.min, d)}–${fmt(s.max, d)}` : '–'];
  process.stdout.write(
    `AshChat CPU per operation, ${report.date}; ${report.services.build}; ${rounds} rounds; load average ${fmt(loadBefore, 2)} → ${fmt(report.machine.loadAverage1m.after, 2)}\n\n` +
      formatTable([
        ['figure', 'median', 'spread'],
        row('registration: backend + verifier CPU ms', figures.registrationMs),
        row('  backend ms', figures.registrationBackendMs),
        row('  verifier ms', figures.registrationVerifierMs),
        row('bare argon2id hash CPU ms', figures.hashMs),
        row(`registration, hash excluded, ms (target <= ${CPU_TARGETS.registrationHashExcludedMs})`, figures.registrationHashExcludedMs),
        row('registrations/s', figures.registrationsPerSecond, 1),
        row('gateway CPU ms per delivered message', figures.gatewayMs, 3),
        row('bare ws relay ms per delivered', figures.wsRelayMs, 4),
        row('Socket.io relay ms per delivered', figures.socketIoMs, 4),
        row(`gateway ÷ ws relay (target <= ${CPU_TARGETS.gatewayVsWs})`, figures.gatewayVsWs),
        row(`gateway ÷ Socket.io (target <= ${CPU_TARGETS.gatewayVsSocketIo})`, figures.gatewayVsSocketIo),
        row('GET /v1/conversations CPU ms per request', figures.restMs, 3),
        row('hello-world CPU ms per request', figures.helloMs, 3),
        row(`REST req/s ratio (target >= ${CPU_TARGETS.restRatio})`, figures.restRatio),
      ]) +
      '\n',
  );
}
process.exit(exitCode);
