import { fileURLToPath } from 'node:url';
import t from 'tap';
import { testEnv } from './app.test-support.js';
import { startEntry, within } from '@ashchat/testkit';

const entry = fileURLToPath(new URL('./server.ts', import.meta.url));

t.test('a missing variable stops start-up with exit 1, naming it, without a stack trace', async (t) => {
  const { MONGODB_URI: _omitted, ...env } = await testEnv();
  const run = startEntry(entry, { ...env, PORT: 'not-a-port' });
  t.teardown(() => run.child.kill('SIGKILL'));
  t.equal(await within(run.exited, 60_000, 'exit'), 1);
  t.match(run.stderr(), /^Invalid configuration:\n/);
  t.match(run.stderr(), '  - MONGODB_URI: required');
  t.match(run.stderr(), '  - PORT: must be an integer, got "not-a-port"');
  t.notMatch(run.stderr(), /\n\s+at /, 'no stack trace');
  t.notMatch(run.stderr(), env.VERIFICATION_CODE_SECRET!, 'no secret');
});

t.test('the server starts, answers /health and exits 0 on SIGTERM', async (t) => {
  const run = startEntry(entry, await testEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }));
  t.teardown(() => run.child.kill('SIGKILL'));
  const [, url] = await run.waitForOutput(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  const res = await fetch(`${url}/health`);
  t.equal(res.status, 200);
  t.same(await res.json(), { status: 'ok' });

  run.child.kill('SIGTERM');
  t.equal(await within(run.exited, 15_000, 'exit after SIGTERM'), 0, run.stderr());
  t.match(run.stdout(), /"msg":"shutting down"/);
  t.match(run.stdout(), /"msg":"shut down"/);
  t.notMatch(run.stdout(), /"level":50/, 'no error was logged');
});
