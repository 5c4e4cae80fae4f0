import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { getInfra, waitFor } from './index.js';
import { groupMembers, isPidAlive, isTcpOpen } from './process.util.js';
import type { SharedState } from './shared.infra.js';

const BIN = fileURLToPath(new URL('../bin/ashchat-infra.js', import.meta.url));
const PRINT_AND_WAIT = `console.log(JSON.stringify({ REDIS_URI: process.env.REDIS_URI, SMTP_URI: process.env.SMTP_URI, MAIL_API_URL: process.env.MAIL_API_URL, SECRET: process.env.VERIFICATION_CODE_SECRET })); setInterval(() => {}, 1000)`;

interface Run {
  child: ReturnType<typeof spawn>;
  printed: () => Record<string, string> | undefined;
  done: Promise<number | null>;
}

/** `exec --shared --fresh`: MongoDB and RabbitMQ come from this run's env, Redis and SMTP are started by the owner. */
async function runShared(repo: string): Promise<Run> {
  const infra = await getInfra();
  const env: NodeJS.ProcessEnv = { ...process.env, MONGODB_URI: infra.mongodbUri, AMQP_URI: infra.amqpUri };
  for (const k of ['REDIS_URI', 'SMTP_URI', 'MAIL_API_URL', 'VERIFICATION_CODE_SECRET', 'JWT_SECRET']) delete env[k];
  const child = spawn(process.execPath, [BIN, 'exec', '--shared', '--fresh', '--no-docker', '--', process.execPath, '-e', PRINT_AND_WAIT], {
    cwd: repo,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr.resume();
  const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, printed: () => (out.includes('\n') ? JSON.parse(out.split('\n')[0]!) : undefined), done };
}

/** A directory that findRepoRoot takes for a repository: its `.infra/shared/` is this test's alone. */
function scratchRepo(t: { teardown: (fn: () => void) => void }): string {
  const repo = mkdtempSync(join(tmpdir(), 'ashchat-shared-'));
  writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages: []\n');
  t.teardown(() => rmSync(repo, { recursive: true, force: true }));
  return repo;
}

const stateOf = (repo: string) => JSON.parse(readFileSync(join(repo, '.infra/shared/state.json'), 'utf8')) as SharedState;
const portOf = (uri: string) => Number(new URL(uri).port);

t.test('two commands started together share one infrastructure, which stops when the last exits', async (t) => {
  const repo = scratchRepo(t);
  const [a, b] = await Promise.all([runShared(repo), runShared(repo)]);
  t.teardown(() => void [a, b].forEach((r) => r.child.kill('SIGKILL')));
  await waitFor(() => a.printed() !== undefined && b.printed() !== undefined, { timeoutMs: 60_000, message: 'both commands to start' });
  t.same(a.printed(), b.printed(), 'the same URLs and secret');
  t.match(a.printed(), { REDIS_URI: /^redis:\/\/127\.0\.0\.1:\d+$/, SMTP_URI: /^smtp:/, SECRET: /^[0-9a-f]{64}$/ });
  const state = stateOf(repo);
  t.equal(state.phase, 'ready');
  t.equal(state.serverPids?.length, 1, 'one server started (Redis), for both');

  a.child.kill('SIGTERM');
  await a.done;
  t.ok(isPidAlive(state.ownerPid), 'the owner stays while a user is left');
  t.ok(await isTcpOpen(portOf(a.printed()!.REDIS_URI!)), 'and so does Redis');

  b.child.kill('SIGTERM');
  await b.done;
  t.notOk(isPidAlive(state.ownerPid), 'the last user exits once the owner is gone');
  t.same(groupMembers(state.serverPids![0]!), [], 'no Redis process is left');
  t.notOk(await isTcpOpen(portOf(a.printed()!.REDIS_URI!)), 'its port is free');
  t.notOk(await isTcpOpen(portOf(a.printed()!.SMTP_URI!)), 'the SMTP sink is closed');
  t.notOk(existsSync(join(repo, '.infra/shared/state.json')), 'no state is left');
});

t.test('a SIGKILLed owner leaves no server behind and does not block the next run', async (t) => {
  const repo = scratchRepo(t);
  const first = await runShared(repo);
  t.teardown(() => void first.child.kill('SIGKILL'));
  await waitFor(() => first.printed() !== undefined, { timeoutMs: 60_000, message: 'the command to start' });
  const killed = stateOf(repo);
  process.kill(killed.ownerPid, 'SIGKILL');
  await waitFor(() => groupMembers(killed.serverPids![0]!).length === 0, { timeoutMs: 30_000, message: 'the orphaned Redis to stop' });

  const next = await runShared(repo);
  t.teardown(() => void next.child.kill('SIGKILL'));
  await waitFor(() => next.printed() !== undefined, { timeoutMs: 60_000, message: 'the next run to start' });
  const fresh = stateOf(repo);
  t.not(fresh.ownerPid, killed.ownerPid, 'a new owner');
  t.not(next.printed()!.REDIS_URI, first.printed()!.REDIS_URI, 'with servers of its own');
  t.ok(await isTcpOpen(portOf(next.printed()!.REDIS_URI!)), 'that answer');
  next.child.kill('SIGTERM');
  first.child.kill('SIGTERM');
  await Promise.all([next.done, first.done]);
  t.notOk(isPidAlive(fresh.ownerPid), 'the new owner stops with its last user');
  t.same(groupMembers(fresh.serverPids![0]!), [], 'and so does its Redis');
});
