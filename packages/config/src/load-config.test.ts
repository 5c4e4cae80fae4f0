import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Type } from '@sinclair/typebox';
import { ConfigError, LogLevelVar, PortVar, SecretVar, UriVar, loadConfig } from './index.js';

const Schema = Type.Object({
  PORT: PortVar(3000),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: LogLevelVar('info'),
  AMQP_URI: UriVar(['amqp', 'amqps']),
  MONGODB_URI: UriVar(['mongodb', 'mongodb+srv'], { multiHost: true }),
  SIGNING_KEY: SecretVar({ minLength: 32 }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  RATIO: Type.Number({ default: 0.5 }),
  NICKNAME: Type.Optional(Type.String()),
});

const valid = {
  AMQP_URI: 'amqp://guest:guest@127.0.0.1:5672',
  MONGODB_URI: 'mongodb://127.0.0.1:27017',
  SIGNING_KEY: 'k'.repeat(32),
};

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

t.test('applies defaults, converts types and ignores unknown variables', async (t) => {
  const config = loadConfig(Schema, { env: { ...valid, PORT: '8080', TRUST_PROXY: 'true', RATIO: '0.25', OTHER: 'x' } });
  t.same(config, {
    ...valid,
    PORT: 8080,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'info',
    TRUST_PROXY: true,
    RATIO: 0.25,
  });
  t.notOk('OTHER' in config);
  t.notOk('NICKNAME' in config, 'an unset optional variable stays absent');
});

t.test('a missing required variable is named', async (t) => {
  const error = configError(() => loadConfig(Schema, { env: { ...valid, AMQP_URI: undefined } }));
  t.equal(error.message, 'Invalid configuration:\n  - AMQP_URI: required');
  t.same(error.problems, [{ variable: 'AMQP_URI', problem: 'required' }]);
});

t.test('an empty value counts as unset', async (t) => {
  const config = loadConfig(Schema, { env: { ...valid, PORT: '' } });
  t.equal(config.PORT, 3000);
  const error = configError(() => loadConfig(Schema, { env: { ...valid, AMQP_URI: '' } }));
  t.match(error.message, 'AMQP_URI: required');
});

t.test('a malformed or foreign URI is rejected with its credentials masked', async (t) => {
  const wrongProtocol = configError(() =>
    loadConfig(Schema, { env: { ...valid, AMQP_URI: 'http://user:hunter2@rabbit:5672' } }),
  );
  t.equal(
    wrongProtocol.message,
    'Invalid configuration:\n  - AMQP_URI: must be a URL starting with amqp:// or amqps://, got "http://***@rabbit:5672"',
  );
  t.notMatch(wrongProtocol.message, 'hunter2');
  const notAUrl = configError(() => loadConfig(Schema, { env: { ...valid, AMQP_URI: 'rabbit:5672' } }));
  t.match(notAUrl.message, /AMQP_URI: must be a URL starting with amqp:\/\/ or amqps:\/\/, got "rabbit:5672"/);
  const badHost = configError(() => loadConfig(Schema, { env: { ...valid, AMQP_URI: 'amqp://bad host:5672' } }));
  t.match(badHost.message, /AMQP_URI: .*not a valid URL/);
});

t.test('replica-set URIs are accepted where multiHost is set', async (t) => {
  const uri = 'mongodb://u:p@a:27017,b:27017/db?replicaSet=rs';
  t.equal(loadConfig(Schema, { env: { ...valid, MONGODB_URI: uri } }).MONGODB_URI, uri);
  t.equal(
    loadConfig(Schema, { env: { ...valid, MONGODB_URI: 'mongodb+srv://cluster.example.net/db' } }).MONGODB_URI,
    'mongodb+srv://cluster.example.net/db',
  );
  const error = configError(() => loadConfig(Schema, { env: { ...valid, MONGODB_URI: 'mongodb://a:1,/db' } }));
  t.match(error.message, 'MONGODB_URI: must be a URL starting with mongodb:// or mongodb+srv:// and a host');
});

t.test('a bad port is rejected strictly', async (t) => {
  for (const [value, problem] of [
    ['abc', 'must be an integer, got "abc"'],
    ['3.5', 'must be an integer, got "3.5"'],
    ['0x10', 'must be an integer, got "0x10"'],
    ['70000', 'must be at most 65535, got "70000"'],
    ['-1', 'must be at least 0, got "-1"'],
  ] as const) {
    const error = configError(() => loadConfig(Schema, { env: { ...valid, PORT: value } }));
    t.equal(error.message, `Invalid configuration:\n  - PORT: ${problem}`, value);
  }
});

t.test('booleans and enumerations explain what they accept', async (t) => {
  const error = configError(() => loadConfig(Schema, { env: { ...valid, TRUST_PROXY: 'maybe', LOG_LEVEL: 'loud' } }));
  t.match(error.message, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"');
  t.match(error.message, 'TRUST_PROXY: must be true or false, got "maybe"');
  t.equal(loadConfig(Schema, { env: { ...valid, TRUST_PROXY: 'off' } }).TRUST_PROXY, false);
});

t.test('every problem is reported in one message', async (t) => {
  const error = configError(() => loadConfig(Schema, { env: { PORT: 'abc', MONGODB_URI: 'mysql://db' } }));
  t.equal(
    error.message,
    [
      'Invalid configuration:',
      '  - PORT: must be an integer, got "abc"',
      '  - AMQP_URI: required',
      '  - MONGODB_URI: must be a URL starting with mongodb:// or mongodb+srv://, got "mysql://db"',
      '  - SIGNING_KEY: required',
    ].join('\n'),
  );
  t.equal(error.problems.length, 4);
});

t.test('secret values are never echoed', async (t) => {
  const short = 'short-secret-value';
  const bySchema = configError(() => loadConfig(Schema, { env: { ...valid, SIGNING_KEY: short } }));
  t.equal(bySchema.message, 'Invalid configuration:\n  - SIGNING_KEY: must be at least 32 characters long');

  const Plain = Type.Object({ API_PIN: Type.String({ pattern: '^[0-9]{4}$' }), DB_PASSWORD: Type.String({ minLength: 8 }) });
  const byOption = configError(() =>
    loadConfig(Plain, { env: { API_PIN: 'abcd', DB_PASSWORD: 'hunter2' }, secrets: ['API_PIN'] }),
  );
  t.notMatch(byOption.message, 'abcd', 'the secrets option hides the value');
  t.notMatch(byOption.message, 'hunter2', 'a PASSWORD name hides the value even without marking it');
  t.match(byOption.message, 'API_PIN: must match ^[0-9]{4}$');
  t.match(byOption.message, 'DB_PASSWORD: must be at least 8 characters long');
});

t.test('.env fills unset variables but never overrides the real environment', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ashchat-config-'));
  const envFile = join(dir, '.env');
  writeFileSync(envFile, `# local development\nPORT=4000\nAMQP_URI="amqp://from-file:5672"\nHOST=file-host\n`);
  const config = loadConfig(Schema, { env: { ...valid, AMQP_URI: 'amqp://from-env:5672' }, envFile });
  t.equal(config.PORT, 4000, 'taken from the file');
  t.equal(config.AMQP_URI, 'amqp://from-env:5672', 'the real environment wins');
  t.equal(config.HOST, 'file-host');

  t.equal(loadConfig(Schema, { env: valid, envFile: join(dir, 'missing.env') }).PORT, 3000, 'a missing file is fine');

  // Without options, the real process environment and `.env` in the cwd are read.
  const cwd = process.cwd();
  // Under `ashchat-infra exec` MONGODB_URI is set for real; this case needs it unset.
  const saved = {
    AMQP_URI: process.env.AMQP_URI,
    SIGNING_KEY: process.env.SIGNING_KEY,
    MONGODB_URI: process.env.MONGODB_URI,
  };
  t.teardown(() => {
    process.chdir(cwd);
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  process.chdir(dir);
  delete process.env.MONGODB_URI;
  process.env.AMQP_URI = 'amqp://process-env:5672';
  process.env.SIGNING_KEY = 's'.repeat(40);
  writeFileSync(envFile, `MONGODB_URI=mongodb://file-mongo:27017\nAMQP_URI=amqp://from-file:5672\n`);
  const fromProcess = loadConfig(Schema);
  t.equal(fromProcess.MONGODB_URI, 'mongodb://file-mongo:27017');
  t.equal(fromProcess.AMQP_URI, 'amqp://process-env:5672');
  t.equal(process.env.MONGODB_URI === 'mongodb://file-mongo:27017', false, 'process.env is not modified');
});

t.test('an explicit env ignores the cwd .env unless asked', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ashchat-config-'));
  writeFileSync(join(dir, '.env'), 'PORT=4000\n');
  const cwd = process.cwd();
  t.teardown(() => process.chdir(cwd));
  process.chdir(dir);
  t.equal(loadConfig(Schema, { env: valid }).PORT, 3000);
  t.equal(loadConfig(Schema, { env: valid, envFile: '.env' }).PORT, 4000);
});

t.test('the result is deeply frozen', async (t) => {
  const Nested = Type.Object({ LIST: Type.Array(Type.String(), { default: ['a'] }), ...Schema.properties });
  const config = loadConfig(Nested, { env: valid });
  t.ok(Object.isFrozen(config));
  t.ok(Object.isFrozen(config.LIST));
  t.throws(() => {
    (config as { PORT: number }).PORT = 1;
  }, TypeError);
  t.throws(() => (config.LIST as string[]).push('b'), TypeError);
});

t.test('an invalid default is reported too', async (t) => {
  const Broken = Type.Object({ TIMEOUT_MS: Type.Integer({ minimum: 1, default: 0 }) });
  const error = configError(() => loadConfig(Broken, { env: {} }));
  t.equal(error.message, 'Invalid configuration:\n  - TIMEOUT_MS: must be at least 1, got "0"');
});

t.test('cross-variable checks run once every variable is valid', async (t) => {
  const Pair = Type.Object({ USER: Type.Optional(Type.String()), PASS: Type.Optional(SecretVar()) });
  const check = (c: { USER?: string; PASS?: string }) =>
    c.USER !== undefined && c.PASS === undefined ? [{ variable: 'PASS', problem: 'required when USER is set' }] : [];
  t.same(loadConfig(Pair, { env: { USER: 'u', PASS: 'p' }, check }), { USER: 'u', PASS: 'p' });
  const error = configError(() => loadConfig(Pair, { env: { USER: 'u' }, check }));
  t.equal(error.message, 'Invalid configuration:\n  - PASS: required when USER is set');
});
