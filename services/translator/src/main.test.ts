import { fileURLToPath } from 'node:url';
import t from 'tap';
import { awaitReadiness, startEntry, within } from '@ashchat/testkit';
import { testEnv } from './translator.test-support.js';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));

t.test('a bad variable stops start-up with exit 1, naming it, without a stack trace', async (t) => {
  const { TRANSLATION_URL: _omitted, ...env } = await testEnv({ TRANSLATION_PROVIDER: 'google' });
  const run = startEntry(entry, env);
  t.teardown(() => run.child.kill('SIGKILL'));
  t.equal(await within(run.exited, 60_000, 'exit'), 1);
  t.equal(
    run.stderr(),
    'Invalid configuration:\n  - TRANSLATION_URL: required\n  - TRANSLATION_PROVIDER: must be one of apertium, libretranslate, got "google"\n',
  );
});

t.test('the translator starts its worker, is ready with the engine and exits 0 on SIGTERM', async (t) => {
  const run = startEntry(entry, await testEnv({ TRANSLATOR_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }));
  t.teardown(() => run.child.kill('SIGKILL'));
  const [, url] = await run.waitForOutput(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  await run.waitForOutput(/"msg":"worker started"/);
  const expected = { status: 'ready', checks: { redis: 'up', rabbitmq: 'up', translation: 'up' } };
  const res = await awaitReadiness(async () => {
    const answer = await fetch(`${url}/ready`);
    return { statusCode: answer.status, body: (await answer.json()) as unknown };
  }, expected);
  t.equal(res.statusCode, 200);
  t.same(res.body, expected);
  const health = await fetch(`${url}/health`);
  t.same(await health.json(), { status: 'ok' });

  run.child.kill('SIGTERM');
  t.equal(await within(run.exited, 15_000, 'exit after SIGTERM'), 0, run.stderr());
  t.match(run.stdout(), /"msg":"shut down"/);
  t.notMatch(run.stdout(), /"level":50/, 'no error was logged');
});
