// Shared harness for this directory's integration tests (test-only; not exported from index.ts).
import { randomUUID } from 'node:crypto';
import {
  AccountCreationReply,
  AccountCreationRequest,
  AccountNotice,
  CodeMailReply,
  ConfirmCodeReply,
  ConfirmCodeRequest,
  ConfirmEmailCodeReply,
  ConfirmEmailCodeRequest,
  deadLetterQueueName,
  DeviceCodeRequest,
  PasswordResetCodeRequest,
} from '@ashchat/contracts';
import { createAmqpConnection, createRequestClient, createTypedPublisher, type Logger } from '@ashchat/messaging';
import { closedPort, getInfra, startSmtpSink, type SmtpSink } from '@ashchat/testkit';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import { createMailer } from './mailer.js';
import { startVerificationWorker, type VerificationQueues, type VerificationWorker } from './verification.worker.js';
import { verificationKey, verificationRequestsKey } from './verification.store.js';
import { accountNoticeKey } from './account-notice.store.js';

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
  queues: VerificationQueues;
  sink: SmtpSink | undefined;
  /** Every flow id (registration, reset, challenge) a test used, for the secret scan and the cleanup. */
  registrations: Set<string>;
  /** Every notice id a test published, for the cleanup. */
  notices: Set<string>;
  creationRequest(over?: Partial<AccountCreationRequest>): AccountCreationRequest;
  create(req: AccountCreationRequest): Promise<AccountCreationReply>;
  confirm(registrationId: string, codeDigest: string, requestId?: string): Promise<ConfirmEmailCodeReply>;
  resetRequest(over?: Partial<PasswordResetCodeRequest>): PasswordResetCodeRequest;
  requestResetCode(req: PasswordResetCodeRequest): Promise<CodeMailReply>;
  deviceRequest(over?: Partial<DeviceCodeRequest>): DeviceCodeRequest;
  requestDeviceCode(req: DeviceCodeRequest): Promise<CodeMailReply>;
  /** CONFIRM_CODE_QUEUE (password reset, device challenge). */
  confirmFlow(flowId: string, codeDigest: string, requestId?: string): Promise<ConfirmCodeReply>;
  notice(over?: Partial<AccountNotice>): AccountNotice;
  /** Publishes one way, as the backend does (no replyTo). */
  publishNotice(notice: AccountNotice): Promise<void>;
  /** Mails captured for `email`, oldest first. */
  mailsTo(email: string): { subject: string; text: string; html: string }[];
  close(): Promise<void>;
}

/** `smtp: 'closed'` points the mailer at a port nobody listens on. */
export async function startHarness(o: { smtp: 'sink' | 'closed'; smtpMaxRetries?: number; smtpRetryBaseMs?: number }): Promise<Harness> {
  const infra = await getInfra();
  const logger = createRecordingLogger();
  const suffix = randomUUID().slice(0, 8);
  const queues: VerificationQueues = {
    accountCreation: `test.verifier.account-creation.${suffix}`,
    confirmEmailCode: `test.verifier.confirm-email-code.${suffix}`,
    passwordResetCode: `test.verifier.password-reset-code.${suffix}`,
    deviceCode: `test.verifier.device-code.${suffix}`,
    confirmCode: `test.verifier.confirm-code.${suffix}`,
    accountNotice: `test.verifier.account-notice.${suffix}`,
    digestMail: `test.verifier.digest-mail.${suffix}`,
  };

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
  const publisher = createTypedPublisher(amqp, { logger });
  const registrations = new Set<string>();
  const notices = new Set<string>();
  const email = (): string => `user-${randomUUID().slice(0, 8)}@example.test`;

  return {
    redis,
    amqp,
    worker,
    logs: logger.entries,
    queues,
    sink,
    registrations,
    notices,
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
    resetRequest(over = {}) {
      const req: PasswordResetCodeRequest = {
        resetId: randomUUID(),
        requestId: 'r1',
        email: email(),
        nickname: 'N_N',
        preferredLanguage: 'en',
        accountExists: true,
        expiresAt: Date.now() + 10 * 60_000,
        ...over,
      };
      registrations.add(req.resetId);
      return req;
    },
    requestResetCode(req) {
      registrations.add(req.resetId);
      return client.request(queues.passwordResetCode, PasswordResetCodeRequest, req, CodeMailReply);
    },
    deviceRequest(over = {}) {
      const req: DeviceCodeRequest = {
        challengeId: randomUUID(),
        requestId: 'r1',
        email: email(),
        nickname: 'N_N',
        preferredLanguage: 'en',
        deviceName: 'Firefox on Linux',
        requestedAt: Date.now(),
        expiresAt: Date.now() + 10 * 60_000,
        ...over,
      };
      registrations.add(req.challengeId);
      return req;
    },
    requestDeviceCode(req) {
      registrations.add(req.challengeId);
      return client.request(queues.deviceCode, DeviceCodeRequest, req, CodeMailReply);
    },
    confirmFlow(flowId, codeDigest, requestId = randomUUID()) {
      registrations.add(flowId);
      return client.request(queues.confirmCode, ConfirmCodeRequest, { flowId, requestId, codeDigest }, ConfirmCodeReply);
    },
    notice(over = {}) {
      const notice: AccountNotice = {
        noticeId: `password-changed:${randomUUID()}`,
        kind: 'password-changed',
        email: email(),
        nickname: 'N_N',
        preferredLanguage: 'en',
        at: Date.now(),
        ...over,
      };
      notices.add(notice.noticeId);
      return notice;
    },
    async publishNotice(notice) {
      notices.add(notice.noticeId);
      await publisher.send(queues.accountNotice, AccountNotice, notice);
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
      await publisher.close();
      for (const queue of Object.values(queues)) {
        await amqp.queueDelete({ queue });
        await amqp.queueDelete({ queue: deadLetterQueueName(queue) });
      }
      for (const id of registrations) {
        const results = await redis.keys(`verification-result:${id}:*`);
        await redis.del(verificationKey(id), verificationRequestsKey(id), ...results);
      }
      for (const id of notices) await redis.del(accountNoticeKey(id));
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
