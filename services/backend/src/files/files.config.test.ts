import t from 'tap';
import { testEnv } from '../app.test-support.js';
import { loadBackendConfig } from '../config.js';

// The files' settings: defaults, and a bad value refused at start-up by name.
t.test('file limits: defaults and refusals by name', async (t) => {
  const env = await testEnv();
  const config = loadBackendConfig({ env, envFile: false });
  t.equal(config.ATTACHMENT_MAX_BYTES, 10 * 1024 * 1024);
  t.equal(config.AVATAR_MAX_BYTES, 2 * 1024 * 1024);
  t.equal(config.ATTACHMENT_UNSENT_TTL_MS, 86_400_000);
  for (const [name, value] of [
    ['ATTACHMENT_MAX_BYTES', 'ten'],
    ['ATTACHMENT_MAX_BYTES', '10'],
    ['AVATAR_MAX_BYTES', '-1'],
    ['IMAGE_MAX_PIXELS', '1.5'],
    ['ATTACHMENT_UNSENT_TTL_MS', '0'],
    ['ATTACHMENT_SWEEP_INTERVAL_MS', 'often'],
  ] as const) {
    t.throws(() => loadBackendConfig({ env: { ...env, [name]: value }, envFile: false }), new RegExp(name), `${name}=${value}`);
  }
});
