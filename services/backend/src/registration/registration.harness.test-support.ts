/**
 * Test-only harness for the registration integration tests (excluded from the build): a real
 * verifier running in-process on a per-harness queue namespace, an SMTP sink of its own, and any
 * number of backend instances sharing one database. Parallel test files never share queues, so a
 * verifier never answers (or mails) another file's requests.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import { deadLetterQueueName, namespacedQueue, QUEUE_NAMES, type RegistrationStatus } from '@ashchat/contracts';
import { createAmqpConnection, createSilentLogger, type TypedPublisher } from '@ashchat/messaging';
import { createMailbox, getInfra, restartable, startSmtpSink, uniqueName, waitFor, type MailDetail, type Mailbox, type SmtpSink } from '@ashchat/testkit';
import { createVerifier, loadVerifierConfig } from '@ashchat/verifier';
import { createBackend } from '../backend.js';
import { testConfig } from '../app.test-support.js';
import type { SagaHostTestOptions } from '../sagas/saga.host.js';
import type { RegistrationTestOptions } from './registration.plugin.js';
import { registrationQueues, type RegistrationQueues } from './registration.queues.js';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface StartAppOptions {
  /** Extra backend environment for this instance (on top of the harness's). */
  env?: Record<string, string>;
  registration?: RegistrationTestOptions;
  /** The password reset's saga switches (passwords plugin). */
  passwordReset?: SagaHostTestOptions;
  /** The device challenge's switches (auth's DeviceChallengeTestOptions; named by their source, so registration never imports auth). */
  deviceChallenge?: SagaHostTestOptions;
  /** Fastify options over the harness's (`logger: false`), e.g. a logger writing into a test's stream. */
  server?: Partial<FastifyServerOptions>;
  /** The digest saga's switches (digest's DigestTestOptions; named by their source, so registration never imports digest). */
  digest?: SagaHostTestOptions & { consumeEvents?: boolean };
}

export interface RegistrationHarness {
  namespace: string;
  queues: RegistrationQueues;
  dbName: string;
  /** The backend database (opened by the harness, independent of any app). */
  db: Db;
  /** A command connection for assertions on Redis. */
  redis: Redis;
  amqp: ReturnType<typeof createAmqpConnection>;
  sink: SmtpSink;
  mailbox: Mailbox;
  /** A backend instance on the harness's database and queues; closed with the harness. */
  startApp(o?: StartAppOptions): Promise<FastifyInstance>;
  /** Stops the in-process verifier (as if it died); `startVerifier` brings a new one up on the same queues. */
  stopVerifier(): Promise<void>;
  startVerifier(): Promise<void>;
  /** Closes one app now (the harness skips it later). */
  closeApp(app: FastifyInstance): Promise<void>;
  /** Mails to `email`, newest first, once at least `count` arrived. */
  waitForMails(email: string, count?: number): Promise<MailDetail[]>;
  /** Polls GET status until it is `status`; returns the body. */
  waitForStatus(app: FastifyInstance, id: string, status: RegistrationStatus, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export const PASSWORD = 'correct horse battery staple';

/** Generous limits: only the rate-limit tests set them low. */
/**
 * Every test file of a run shares one Redis and signs in from 127.0.0.1: per-IP counters would add up
 * across files. A test of a limit sets its own (and its own addresses) through `env`.
 */
const HIGH_LIMITS = {
  AUTH_RATE_LIMIT_PER_IP: '100000',
  AUTH_RATE_LIMIT_PER_ACCOUNT: '100000',
  PASSWORD_RESET_RATE_LIMIT_PER_IP: '100000',
  PASSWORD_RESET_RATE_LIMIT_PER_EMAIL: '100000',
  PASSWORD_RESET_MAIL_LIMIT_PER_HOUR: '100000',
  PASSWORD_RESET_MAIL_LIMIT_PER_DAY: '100000',
  DEVICE_CHALLENGE_RATE_LIMIT_PER_IP: '100000',
  REGISTRATION_RATE_LIMIT_PER_IP: '100000',
  REGISTRATION_RATE_LIMIT_PER_EMAIL: '100000',
  REGISTRATION_STATUS_RATE_LIMIT_PER_IP: '100000',
  REGISTRATION_STATUS_RATE_LIMIT_PER_EMAIL: '100000',
  REGISTRATION_MAIL_LIMIT_PER_HOUR: '100000',
  REGISTRATION_MAIL_LIMIT_PER_DAY: '100000',
};

export const uniqueEmail = (label = 'user'): string => `${label}.${randomUUID().slice(0, 8)}@Example.test`;

export const registrationBody = (email: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  email,
  password: PASSWORD,
  nickname: 'Ada',
  preferredLanguage: 'en',
  ...over,
});

/** The code in a verification mail's text part (an indented line of six digits). */
export function codeFromMail(mail: Pick<MailDetail, 'Text'>): string {
  const match = /^\s+(\d{6})\s*$/m.exec(mail.Text);
  if (!match?.[1]) throw new Error('no code in the mail');
  return match[1];
}

/** The mail whose verification link names `registrationId`. */
export function mailFor(mails: readonly MailDetail[], registrationId: string): MailDetail {
  const mail = mails.find((m) => m.Text.includes(`registration=${registrationId}`));
  if (!mail) throw new Error(`no mail for registration ${registrationId}`);
  return mail;
}

/** A six-digit code that is not `code`. */
export const wrongCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** True when `code` occurs as a stand-alone run of digits (not inside a longer number). */
export const containsCode = (haystack: string, code: string): boolean => new RegExp(`(^|\\D)${code}(\\D|$)`).test(haystack);

/** POST /v1/registrations and the new id (asserting nothing: tests do). */
export async function register(app: FastifyInstance, body: Record<string, unknown>, remoteAddress?: string): Promise<{ res: LightMyRequestResponse; id: string }> {
  const res = await app.inject({ method: 'POST', url: '/v1/registrations', payload: body, ...(remoteAddress ? { remoteAddress } : {}) });
  const id = res.statusCode === 202 ? (res.json() as { registrationId: string }).registrationId : '';
  return { res, id };
}

/** The client device id every harness registration completes from (so it is trusted at sign-in). */
export const HARNESS_DEVICE_ID = 'harness-device-000000000001';

/** Submits the code from HARNESS_DEVICE_ID. */
export function verify(app: FastifyInstance, id: string, code: string, remoteAddress?: string): Promise<LightMyRequestResponse> {
  const payload = { code, deviceId: HARNESS_DEVICE_ID, deviceName: 'harness device' };
  return app.inject({ method: 'POST', url: `/v1/registrations/${id}/verification`, payload, ...(remoteAddress ? { remoteAddress } : {}) });
}

/** POST /v1/sessions, from HARNESS_DEVICE_ID unless told otherwise (asserting nothing: tests do). */
export function signIn(app: FastifyInstance, email: string, password = PASSWORD, deviceId = HARNESS_DEVICE_ID, deviceName?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password, deviceId, ...(deviceName ? { deviceName } : {}) } });
}

export function resend(app: FastifyInstance, id: string, remoteAddress?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/v1/registrations/${id}/resend`, ...(remoteAddress ? { remoteAddress } : {}) });
}

export async function startRegistrationHarness(t: Teardown, o: { env?: Record<string, string> } = {}): Promise<RegistrationHarness> {
  const infra = await getInfra();
  const namespace = uniqueName('test.registration');
  const queues = registrationQueues(namespace);
  const dbName = uniqueName('ashchat_reg').replace(/[-.]/g, '_');
  const secret = randomBytes(32).toString('hex');
  const env = { ...HIGH_LIMITS, ...o.env, MONGODB_DB: dbName, QUEUE_NAMESPACE: namespace, VERIFICATION_CODE_SECRET: secret };

  const closers: Array<() => Promise<unknown>> = [];
  t.teardown(async () => {
    for (const close of closers.reverse()) await close();
  });

  const mongo = await MongoClient.connect(infra.mongodbUri);
  const db = mongo.db(dbName);
  closers.push(async () => {
    await db.dropDatabase().catch(() => undefined);
    await mongo.close();
  });
  const redis = new Redis(infra.redisUri);
  closers.push(() => redis.quit());
  const amqp = createAmqpConnection({ uri: infra.amqpUri, name: `${namespace}.test`, logger: createSilentLogger() });
  await amqp.onConnect(10_000);
  closers.push(async () => {
    // Every contract queue under the namespace: the other sagas' too.
    for (const queue of QUEUE_NAMES.map((name) => namespacedQueue(namespace, name))) {
      await amqp.queueDelete({ queue });
      await amqp.queueDelete({ queue: deadLetterQueueName(queue) });
    }
    await amqp.close();
  });

  const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  closers.push(() => sink.close());
  const mailbox = createMailbox(sink.mailApiUrl);

  // The real verifier, in-process, on this harness's namespace and SMTP sink.
  const verifierConfig = loadVerifierConfig({
    env: {
      AMQP_URI: infra.amqpUri,
      REDIS_URI: infra.redisUri,
      SMTP_URI: sink.smtpUri,
      VERIFICATION_CODE_SECRET: secret,
      QUEUE_NAMESPACE: namespace,
      SMTP_MAX_RETRIES: '1',
      SMTP_RETRY_BASE_MS: '10',
      LOG_LEVEL: 'silent',
    },
    envFile: false,
  });
  const { start: startVerifier, stop: stopVerifier } = restartable(() => createVerifier(verifierConfig, { connectionName: `${namespace}.verifier` }));
  closers.push(stopVerifier);
  await startVerifier();

  const apps = new Set<FastifyInstance>();
  const closeApp = async (app: FastifyInstance): Promise<void> => {
    if (!apps.delete(app)) return;
    await app.close();
  };
  // Apps close before the verifier and the queues go away (closers run in reverse).
  closers.push(async () => {
    for (const app of [...apps]) await closeApp(app);
  });

  return {
    namespace,
    queues,
    dbName,
    db,
    redis,
    amqp,
    sink,
    mailbox,
    closeApp,
    stopVerifier,
    startVerifier,
    async startApp(a = {}) {
      const config = await testConfig({ ...env, ...a.env });
      const app = createBackend(config, {
        server: { logger: false, ...a.server },
        ...(a.registration ? { registration: a.registration } : {}),
        ...(a.passwordReset ? { passwordReset: a.passwordReset } : {}),
        ...(a.deviceChallenge ? { deviceChallenge: a.deviceChallenge } : {}),
        ...(a.digest ? { digest: a.digest } : {}),
      });
      apps.add(app);
      await app.after();
      await app.ready();
      await app.registration.started;
      await app.registration.consuming;
      await app.passwords.started;
      await app.passwords.consuming;
      await app.auth.challengeSaga.started;
      await app.auth.challengeSaga.consuming;
      await app.digest.started;
      await app.digest.consuming;
      return app;
    },
    async waitForMails(email, count = 1) {
      return waitFor(
        async () => {
          const hits = await mailbox.search(`to:"${email}"`);
          if (hits.length < count) return undefined;
          return Promise.all(hits.map((h) => mailbox.get(h.ID)));
        },
        { timeoutMs: 15_000, intervalMs: 50, message: `${count} mail(s) to ${email}` },
      );
    },
    async waitForStatus(app, id, status, timeoutMs = 15_000) {
      return waitFor(
        async () => {
          const res = await app.inject({ method: 'GET', url: `/v1/registrations/${id}` });
          const body = res.json<Record<string, unknown>>();
          return res.statusCode === 200 && body.status === status ? body : undefined;
        },
        { timeoutMs, intervalMs: 25, message: `registration ${id} to be ${status}` },
      );
    },
    close: async () => {
      for (const close of closers.splice(0).reverse()) await close();
    },
  };
}

/**
 * The backend's publisher, refusing to publish to the queues in `held` (the messages stay in the
 * saga's outbox) until the test takes them out of the set.
 */
export function holdingPublisher(held: ReadonlySet<string>) {
  return (real: TypedPublisher): TypedPublisher => ({
    async send(queue, schema, body, props) {
      if (held.has(queue)) throw new Error(`test: ${queue} held`);
      return real.send(queue, schema, body, props);
    },
    close: () => real.close(),
  });
}
