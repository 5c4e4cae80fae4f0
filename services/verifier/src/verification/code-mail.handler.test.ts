import { randomUUID } from 'node:crypto';
import { getInfra, startSmtpSink } from '@ashchat/testkit';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import t from 'tap';
import { createMailer } from './mailer.js';
import { createPasswordResetHandler } from './password-reset.handler.js';
import { createVerificationStore, verificationKey, verificationRequestsKey } from './verification.store.js';

const redis = new Redis((await getInfra()).redisUri, { lazyConnect: true });
await redis.connect();
const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true });
const flows: string[] = [];
t.teardown(async () => {
  for (const id of flows) await redis.del(verificationKey(id), verificationRequestsKey(id));
  await redis.quit();
  transport.close();
  await sink.close();
});
const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

t.test('a silent request (no account) answers only after about a send time, not at once', async (t) => {
  const mailer = createMailer(transport, { from: 'AshChat <no-reply@ashchat.test>', logger });
  const email = `nobody-${randomUUID().slice(0, 8)}@example.test`;
  const handle = createPasswordResetHandler({
    store: createVerificationStore(redis),
    mailer,
    logger,
    config: { verificationCodeSecret: 'handler-test-secret', publicWebUrl: 'https://chat.example', smtpMaxRetries: 0, smtpRetryBaseMs: 1 },
    sendLeaseMs: 60_000,
    clock: Date.now,
    initialSendEstimateMs: 400,
  });
  const resetId = randomUUID();
  flows.push(resetId);
  const started = Date.now();
  const reply = await handle({
    resetId,
    requestId: 'r1',
    email,
    preferredLanguage: 'en',
    accountExists: false,
    expiresAt: Date.now() + 60_000,
  });
  const elapsed = Date.now() - started;
  t.same(reply, { flowId: resetId, requestId: 'r1', outcome: 'code-sent' });
  t.ok(elapsed >= 200, `paused like a send (${elapsed} ms ≥ half the estimate)`);
  // Mails go out before the reply: none by now means none at all.
  t.equal(sink.messages().filter((m) => m.To.some((a) => a.Address === email)).length, 0, 'no mail');
  t.equal(await redis.hget(verificationKey(resetId), 'status'), 'sent', 'the entry is settled like a mailed one');
});
