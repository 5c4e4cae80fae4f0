import { fileURLToPath } from 'node:url';
import t from 'tap';
import { awaitReadiness, startEntry, within } from '@ashchat/testkit';
import { testEnv } from './app.test-support.js';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));

t.test('a missing variable stops start-up with exit 1, naming it, without a stack trace', async (t) => {
  const { SMTP_URI: _omitted, ...env } = await testEnv();
  const run = startEntry(entry, env);
  t.teardown(() => run.child.kill('SIGKILL'));
  t.equal(await within(run.exited, 60_000, 'exit'), 1);
  t.equal(run.stderr(), 'Invalid configuration:\n  - SMTP_URI: required\n');
});

t.test('the verifier starts its worker, answers /health and exits 0 on SIGTERM', async (t) => {
  const run = startEntry(entry, await testEnv({ VERIFIER_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }));
  t.teardown(() => run.child.kill('SIGKILL'));
  const [, url] = await run.waitForOutput(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  await run.waitForOutput(/"msg":"worker started"/);
  const expected = { status: 'ready', checks: { redis: 'up', rabbitmq: 'up', smtp: 'up' } };
  const res = await awaitReadiness(async () => {
    const answer = await fetch(`${url}/ready`);
    return { statusCode: answer.status, body: (await answer.json()) as unknown };
  }, expected);
  t.equal(res.statusCode, 200);
  t.same(res.body, expected);

  run.child.kill('SIGTERM');
  t.equal(await within(run.exited, 15_000, 'exit after SIGTERM'), 0, run.stderr());
  t.match(run.stdout(), /"msg":"shut down"/);
  t.notMatch(run.stdout(), /"level":50/, 'no error was logged');
});

t.test('a taken port fails start-up with exit 1', async (t) => {
  const blocker = startEntry(entry, await testEnv({ VERIFIER_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }));
  t.teardown(() => blocker.child.kill('SIGKILL'));
  const [, port] = await blocker.waitForOutput(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/, 60_000);
  const run = startEntry(entry, await testEnv({ VERIFIER_PORT: port!, HOST: '127.0.0.1', LOG_LEVEL: 'info' }));
  t.teardown(() => run.child.kill('SIGKILL'));
  t.equal(await within(run.exited, 30_000, 'exit'), 1);
  t.match(run.stdout(), /EADDRINUSE/);
  blocker.child.kill('SIGTERM');
  t.equal(await within(blocker.exited, 15_000, 'blocker exit'), 0);
});
