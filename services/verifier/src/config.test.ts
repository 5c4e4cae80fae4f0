import t from 'tap';
import { ConfigError } from '@ashchat/config';
import { DEFAULT_MAIL_FROM, loadVerifierConfig } from './config.js';
import { verifierQueues } from './worker.js';

const base = {
  AMQP_URI: 'amqp://guest:guest@127.0.0.1:5672',
  REDIS_URI: 'redis://127.0.0.1:6379',
  SMTP_URI: 'smtp://127.0.0.1:1025',
  VERIFICATION_CODE_SECRET: 'x'.repeat(32),
};
const load = (env: Record<string, string | undefined>) => loadVerifierConfig({ env, envFile: false });

t.test('defaults', async (t) => {
  t.same(load(base), {
    ...base,
    VERIFIER_PORT: 3001,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    MAIL_FROM: DEFAULT_MAIL_FROM,
    PUBLIC_WEB_URL: 'http://localhost:3000',
    SMTP_MAX_RETRIES: 4,
    SMTP_RETRY_BASE_MS: 500,
    QUEUE_NAMESPACE: '',
  });
  t.ok(Object.isFrozen(load(base)));
});

t.test('QUEUE_NAMESPACE prefixes the consumed queues; a bad one is named', async (t) => {
  t.same(verifierQueues(load(base).QUEUE_NAMESPACE), {
    accountCreation: 'ACCOUNT_CREATION_QUEUE',
    confirmEmailCode: 'CONFIRM_EMAIL_CODE_QUEUE',
    passwordResetCode: 'PASSWORD_RESET_CODE_QUEUE',
    deviceCode: 'DEVICE_CODE_QUEUE',
    confirmCode: 'CONFIRM_CODE_QUEUE',
    accountNotice: 'ACCOUNT_NOTICE_QUEUE',
    digestMail: 'DIGEST_MAIL_QUEUE',
  });
  t.same(verifierQueues(load({ ...base, QUEUE_NAMESPACE: 'ci-42' }).QUEUE_NAMESPACE), {
    accountCreation: 'ci-42.ACCOUNT_CREATION_QUEUE',
    confirmEmailCode: 'ci-42.CONFIRM_EMAIL_CODE_QUEUE',
    passwordResetCode: 'ci-42.PASSWORD_RESET_CODE_QUEUE',
    deviceCode: 'ci-42.DEVICE_CODE_QUEUE',
    confirmCode: 'ci-42.CONFIRM_CODE_QUEUE',
    accountNotice: 'ci-42.ACCOUNT_NOTICE_QUEUE',
    digestMail: 'ci-42.DIGEST_MAIL_QUEUE',
  });
  t.throws(() => load({ ...base, QUEUE_NAMESPACE: 'a b' }), { message: /QUEUE_NAMESPACE: must be letters/ });
  t.throws(() => load({ ...base, QUEUE_NAMESPACE: 'n'.repeat(101) }), { message: /QUEUE_NAMESPACE/ });
});

t.test('the sender: MAIL_FROM, else the SMTP account, else the default', async (t) => {
  const auth = { SMTP_EMAIL: 'sender@example.com', SMTP_PASSWORD: 'app-password' };
  t.equal(load({ ...base, ...auth }).MAIL_FROM, 'AshChat <sender@example.com>');
  t.equal(load({ ...base, ...auth, MAIL_FROM: 'Team <team@example.com>' }).MAIL_FROM, 'Team <team@example.com>');
  t.equal(load(base).MAIL_FROM, DEFAULT_MAIL_FROM);
});

t.test('SMTP credentials come as a pair', async (t) => {
  t.throws(() => load({ ...base, SMTP_EMAIL: 'sender@example.com' }), {
    message: 'Invalid configuration:\n  - SMTP_PASSWORD: required when SMTP_EMAIL is set',
  });
  t.throws(() => load({ ...base, SMTP_PASSWORD: 'app-password' }), {
    message: 'Invalid configuration:\n  - SMTP_EMAIL: required when SMTP_PASSWORD is set',
  });
});

t.test('every bad variable is named at once, secrets not echoed', async (t) => {
  let error: unknown;
  try {
    load({ SMTP_URI: 'http://mail:25', VERIFICATION_CODE_SECRET: 'too-short-secret', SMTP_MAX_RETRIES: 'many' });
  } catch (e) {
    error = e;
  }
  t.type(error, ConfigError);
  const message = (error as ConfigError).message;
  t.match(message, '  - AMQP_URI: required');
  t.match(message, '  - REDIS_URI: required');
  t.match(message, '  - SMTP_URI: must be a URL starting with smtp:// or smtps://, got "http://mail:25"');
  t.match(message, '  - VERIFICATION_CODE_SECRET: must be at least 32 characters long');
  t.match(message, '  - SMTP_MAX_RETRIES: must be an integer, got "many"');
  t.notMatch(message, 'too-short-secret');
});
