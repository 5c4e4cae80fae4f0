// Shared harness for this directory's integration tests (test-only; not exported from index.ts).
import { randomUUID } from 'node:crypto';
import {
  AccountCreationReply,
  AccountCreationRequest,
  ConfirmEmailCodeReply,
  ConfirmEmailCodeRequest,
  deadLetterQueueName,
} from '@ashchat/contracts';
import { createAmqpConnection, createRequestClient, type Logger } from '@ashchat/messaging';
import { closedPort, getInfra, startSmtpSink, type SmtpSink } from '@ashchat/testkit';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import { createMailer } from './mailer.js';
import { startVerificationWorker, type VerificationWorker } from './verification.worker.js';
import { verificationKey, verificationRequestsKey } from './verification.store.js';

export interface LogEntry {
  level: string;
  line: string;
}

function createRecordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    entries.push({ level, line: JSON.stringify({ ...obj, msg }) });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Polls until `probe` yields a value; a bounded wait for an event, never a fixed sleep. */
export async function eventually<T>(label: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const SECRET = `test-secret-${randomUUID()}`;

export interface Harness {
  redis: Redis;
  amqp: ReturnType<typeof createAmqpConnection>;
  worker: VerificationWorker;
  logs: LogEntry[];
  queues: { accountCreation: string; confirmEmailCode: string };
  sink: SmtpSink | undefined;
  /** Every registration id a test used, for the secret scan and the cleanup. */
  registrations: Set<string>;
  creationRequest(over?: Partial<AccountCreationRequest>): AccountCreationRequest;
  create(req: AccountCreationRequest): Promise<AccountCreationReply>;
  confirm(registrationId: string, codeDigest: string, requestId?: string): Promise<ConfirmEmailCodeReply>;
  /** Mails captured for `email`, oldest first. */
  mailsTo(email: string): { subject: string; text: string; html: string }[];
  close(): Promise<void>;
}

/** `smtp: 'closed'` points the mailer at a port nobody listens on. */
export async function startHarness(o: { smtp: 'sink' | 'closed'; smtpMaxRetries?: number; smtpRetryBaseMs?: number }): Promise<Harness> {
  const infra = await getInfra();
  const logger = createRecordingLogger();
  const suffix = randomUUID().slice(0, 8);
  const queues = { accountCreation: `test.verifier.account-creation.${suffix}`, confirmEmailCode: `test.verifier.confirm-code.${suffix}` };

  const redis = new Redis(infra.redisUri, { lazyConnect: true });
  await redis.connect();
  const amqp = createAmqpConnection({ uri: infra.amqpUri, name: `test.verifier.${suffix}`, logger });
  await amqp.onConnect(10_000);
  const sink = o.smtp === 'sink' ? await startSmtpSink({ smtpPort: 0, httpPort: 0 }) : undefined;
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sink?.smtpPort ?? (await closedPort()),
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
  const mailer = createMailer(transport, { from: 'AshChat <no-reply@ashchat.test>', logger });
  const worker = startVerificationWorker({
    amqp,
    redis,
    mailer,
    logger,
    queues,
    config: {
      verificationCodeSecret: SECRET,
      mailFrom: 'AshChat <no-reply@ashchat.test>',
      publicWebUrl: 'https://chat.example',
      smtpMaxRetries: o.smtpMaxRetries ?? 2,
      smtpRetryBaseMs: o.smtpRetryBaseMs ?? 5,
    },
  });
  await worker.ready;
  const client = createRequestClient(amqp, { logger, timeoutMs: 20_000 });
  const registrations = new Set<string>();

  return {
    redis,
    amqp,
    worker,
    logs: logger.entries,
    queues,
    sink,
    registrations,
    creationRequest(over = {}) {
      const req: AccountCreationRequest = {
        registrationId: randomUUID(),
        requestId: randomUUID(),
        email: `user-${randomUUID().slice(0, 8)}@example.test`,
        // Valid under the contract's Nickname pattern both as written today (TypeBox compiles it
        // without the `u` flag, so `\p{L}` matches only the literal characters) and once that is fixed.
        nickname: 'N_N',
        preferredLanguage: 'en',
        accountExists: false,
        expiresAt: Date.now() + 10 * 60_000,
        ...over,
      };
      registrations.add(req.registrationId);
      return req;
    },
    create(req) {
      registrations.add(req.registrationId);
      return client.request(queues.accountCreation, AccountCreationRequest, req, AccountCreationReply);
    },
    confirm(registrationId, codeDigest, requestId = randomUUID()) {
      registrations.add(registrationId);
      const body = { registrationId, requestId, codeDigest };
      return client.request(queues.confirmEmailCode, ConfirmEmailCodeRequest, body, ConfirmEmailCodeReply);
    },
    mailsTo(email) {
      return (sink?.messages() ?? [])
        .filter((m) => m.To.some((a) => a.Address === email))
        .reverse()
        .map((m) => ({ subject: m.Subject, text: m.Text, html: m.HTML }));
    },
    async close() {
      await worker.close();
      await client.close();
      for (const queue of Object.values(queues)) {
        await amqp.queueDelete({ queue });
        await amqp.queueDelete({ queue: deadLetterQueueName(queue) });
      }
      for (const id of registrations) {
        const results = await redis.keys(`verification-result:${id}:*`);
        await redis.del(verificationKey(id), verificationRequestsKey(id), ...results);
      }
      await redis.quit();
      await amqp.close();
      mailer.close();
      await sink?.close();
    },
  };
}

/** The code as shown in the text part (an indented line of six digits). */
export function codeFromMail(text: string): string {
  const match = /^\s+(\d{6})\s*$/m.exec(text);
  if (!match?.[1]) throw new Error('no code in the mail');
  return match[1];
}

/**
 * Every Redis value this harness's registrations left behind, for the "nothing secret in clear"
 * check: the pending entries and the remembered confirm results.
 */
export async function storedValues(h: Harness): Promise<string[]> {
  const values: string[] = [];
  for (const id of h.registrations) {
    const key = verificationKey(id);
    if (await h.redis.exists(key)) {
      for (const [field, value] of Object.entries(await h.redis.hgetall(key))) values.push(key, field, value);
    }
    const requestsKey = verificationRequestsKey(id);
    values.push(requestsKey, ...(await h.redis.smembers(requestsKey)));
    for (const resultKey of await h.redis.keys(`verification-result:${id}:*`)) {
      values.push(resultKey, (await h.redis.get(resultKey)) ?? '');
    }
  }
  return values;
}

/** True when `code` occurs as a stand-alone run of digits (not inside a longer number). */
export const containsCode = (haystack: string, code: string): boolean => new RegExp(`(^|\\D)${code}(\\D|$)`).test(haystack);
