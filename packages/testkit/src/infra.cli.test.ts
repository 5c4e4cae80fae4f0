import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { getInfra, waitFor } from './index.js';
import { groupMembers, isPidAlive } from './process.util.js';
import { knownFerretdb } from './test-support.js';

const BIN = fileURLToPath(new URL('../bin/ashchat-infra.js', import.meta.url));
const PRINT_ENV = `console.log(JSON.stringify(Object.fromEntries(['MONGODB_URI','AMQP_URI','REDIS_URI','SMTP_URI','MAIL_API_URL','TRANSLATION_URL','TRANSLATION_PROVIDER','VERIFICATION_CODE_SECRET'].map((k) => [k, process.env[k]]))))`;

interface Run {
  child: ReturnType<typeof spawn>;
  out: () => string;
  err: () => string;
  done: Promise<number | null>;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
  const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, done };
}

/** Env of this test process without any infra URL, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['MONGODB_URI', 'AMQP_URI', 'REDIS_URI', 'SMTP_URI', 'MAIL_API_URL', 'TRANSLATION_URL', 'TRANSLATION_PROVIDER', 'VERIFICATION_CODE_SECRET']) {
    delete env[k];
  }
  return { ...env, ...extra };
}

t.test('exec exports the URLs to the command and exits with its exit code', async (t) => {
  const infra = await getInfra();
  const run = runCli(['exec', '--', process.execPath, '-e', `${PRINT_ENV}; process.exit(7)`], cleanEnv({
    MONGODB_URI: infra.mongodbUri,
    AMQP_URI: infra.amqpUri,
    REDIS_URI: infra.redisUri,
  }));
  t.equal(await run.done, 7, 'exit code of the command');
  const printed = JSON.parse(run.out().trim().split('\n').pop()!);
  t.match(printed, {
    MONGODB_URI: infra.mongodbUri,
    AMQP_URI: infra.amqpUri,
    REDIS_URI: infra.redisUri,
    SMTP_URI: /^smtp:\/\/127\.0\.0\.1:\d+$/,
    MAIL_API_URL: /^http:\/\/127\.0\.0\.1:\d+$/,
    TRANSLATION_URL: /^http:\/\/127\.0\.0\.1:\d+$/,
    TRANSLATION_PROVIDER: 'apertium',
    VERIFICATION_CODE_SECRET: /^[0-9a-f]{64}$/,
  });
  t.match(run.err(), /mongodb\s+\S+\s+env: from MONGODB_URI/);
  t.match(run.err(), /smtp\s+smtp:\S+\s+(embedded|local port):/);
  t.notMatch(run.err(), /guest:guest/, 'passwords are not printed');
});

t.test('exec keeps an existing VERIFICATION_CODE_SECRET and reports a missing command', async (t) => {
  const infra = await getInfra();
  const env = cleanEnv({
    MONGODB_URI: infra.mongodbUri,
    AMQP_URI: infra.amqpUri,
    REDIS_URI: infra.redisUri,
    SMTP_URI: infra.smtpUri,
    MAIL_API_URL: infra.mailApiUrl,
    TRANSLATION_URL: infra.translationUrl,
    VERIFICATION_CODE_SECRET: 'given-secret',
  });
  const ok = runCli(['exec', '--', process.execPath, '-e', PRINT_ENV], env);
  t.equal(await ok.done, 0);
  t.equal(JSON.parse(ok.out().trim()).VERIFICATION_CODE_SECRET, 'given-secret');
  const missing = runCli(['exec', '--', 'ashchat-no-such-command'], env);
  t.equal(await missing.done, 127);
  t.match(missing.err(), /cannot run ashchat-no-such-command/);
});

t.test('exec --fresh: Ctrl-C reaches the command, then every started server is stopped', async (t) => {
  const ferret = knownFerretdb();
  const run = runCli(
    ['exec', '--fresh', '--no-docker', '--', process.execPath, '-e', `console.log('READY'); setInterval(() => {}, 1000)`],
    cleanEnv(ferret ? { ASHCHAT_FERRETDB_BIN: ferret } : {}),
  );
  t.teardown(() => void run.child.kill('SIGKILL'));
  await waitFor(() => run.out().includes('READY'), { timeoutMs: 110_000, message: 'the command to start' });
  const pids = [...run.err().matchAll(/started binary: .* pid (\d+)/g)].map((m) => Number(m[1]));
  t.equal(pids.length, 4, 'mongodb, rabbitmq, redis and apertium-apy were started as binaries');
  t.ok(pids.every(isPidAlive), 'and run while the command runs');
  run.child.kill('SIGINT');
  t.equal(await run.done, 130, 'exit code of the interrupted command (128 + SIGINT)');
  for (const pid of pids) {
    t.notOk(isPidAlive(pid), `pid ${pid} is gone`);
    t.same(groupMembers(pid), [], `no process of group ${pid} is left`);
  }
});

t.test('env prints KEY=VALUE lines of what exists; bad usage exits 2', async (t) => {
  const infra = await getInfra();
  const run = runCli(['env'], cleanEnv({ REDIS_URI: infra.redisUri, SMTP_URI: infra.smtpUri, MAIL_API_URL: infra.mailApiUrl }));
  await run.done;
  t.match(run.out(), new RegExp(`^REDIS_URI=${infra.redisUri.replace(/[/.]/g, '\\$&')}$`, 'm'));
  t.match(run.out(), /^MAIL_API_URL=http:\/\/\S+$/m);
  const bad = runCli(['frobnicate'], cleanEnv());
  t.equal(await bad.done, 2);
  t.match(bad.err(), /Usage:/);
});
