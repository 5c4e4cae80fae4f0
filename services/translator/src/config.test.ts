import t from 'tap';
import { ConfigError } from '@ashchat/config';
import { loadTranslatorConfig } from './config.js';
import { translatorQueues } from './worker.js';

const base = {
  AMQP_URI: 'amqp://guest:guest@127.0.0.1:5672',
  REDIS_URI: 'redis://127.0.0.1:6379',
  TRANSLATION_URL: 'http://127.0.0.1:2737',
};
const load = (env: Record<string, string | undefined>) => loadTranslatorConfig({ env, envFile: false });

t.test('defaults', async (t) => {
  t.same(load(base), {
    ...base,
    TRANSLATOR_PORT: 3002,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    TRANSLATION_PROVIDER: 'apertium',
    TRANSLATOR_CONCURRENCY: 4,
    TRANSLATION_TIMEOUT_MS: 10_000,
    TRANSLATION_CACHE_TTL_SECONDS: 604_800,
    TRANSLATOR_PREFETCH: 32,
    QUEUE_NAMESPACE: '',
  });
  t.ok(Object.isFrozen(load(base)));
});

t.test('QUEUE_NAMESPACE prefixes the consumed queue', async (t) => {
  t.same(translatorQueues(''), { translation: 'TRANSLATION_QUEUE' });
  t.same(translatorQueues(load({ ...base, QUEUE_NAMESPACE: 'ci-42' }).QUEUE_NAMESPACE), { translation: 'ci-42.TRANSLATION_QUEUE' });
  t.throws(() => load({ ...base, QUEUE_NAMESPACE: 'a b' }), { message: /QUEUE_NAMESPACE: must be letters/ });
});

t.test('LibreTranslate with its key', async (t) => {
  const config = load({ ...base, TRANSLATION_PROVIDER: 'libretranslate', TRANSLATION_API_KEY: 'k-123' });
  t.equal(config.TRANSLATION_PROVIDER, 'libretranslate');
  t.equal(config.TRANSLATION_API_KEY, 'k-123');
});

t.test('bad values are named, the API key never echoed', async (t) => {
  t.throws(() => load({ ...base, TRANSLATION_PROVIDER: 'deepl' }), { message: /TRANSLATION_PROVIDER: must be one of apertium, libretranslate/ });
  let error: unknown;
  try {
    load({ TRANSLATION_URL: 'ftp://engine', TRANSLATOR_CONCURRENCY: '0', TRANSLATION_TIMEOUT_MS: 'soon', TRANSLATION_API_KEY: 'sk-very-secret', TRANSLATOR_PORT: '99999' });
  } catch (e) {
    error = e;
  }
  t.type(error, ConfigError);
  const message = (error as ConfigError).message;
  for (const variable of ['AMQP_URI', 'REDIS_URI', 'TRANSLATION_URL', 'TRANSLATOR_CONCURRENCY', 'TRANSLATION_TIMEOUT_MS', 'TRANSLATOR_PORT'])
    t.match(message, `  - ${variable}: `, variable);
  t.notMatch(message, 'sk-very-secret');
});
