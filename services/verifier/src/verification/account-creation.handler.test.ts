import { randomUUID } from 'node:crypto';
import { codeDigest } from '@ashchat/contracts';
import { getInfra, startSmtpSink } from '@ashchat/testkit';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import t from 'tap';
import { createAccountCreationHandler } from './account-creation.handler.js';
import { createMailer, type Mailer } from './mailer.js';
import { codeFromMail, containsCode, eventually } from './verification.test-support.js';
import { createVerificationStore, verificationKey, verificationRequestsKey } from './verification.store.js';

const redis = new Redis((await getInfra()).redisUri, { lazyConnect: true });
await redis.connect();
const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true });
const registrationId = randomUUID();
t.teardown(async () => {
  await redis.del(verificationKey(registrationId), verificationRequestsKey(registrationId));
  await redis.quit();
  transport.close();
  await sink.close();
});

t.test('a second delivery while the first is still sending waits for it and sends no second mail', async (t) => {
  const lines: string[] = [];
  const record = (obj: object, msg?: string) => void lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
  const logger = { debug: record, info: record, warn: record, error: record };
  const real = createMailer(transport, { from: 'AshChat <no-reply@ashchat.test>', logger });
  // Holds the first send until the second delivery has seen it in progress; the mail itself
  // still goes through the real SMTP sink.
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let sends = 0;
  const mailer: Mailer = {
    async send(mail) {
      sends++;
      await gate;
      return real.send(mail);
    },
    close: () => real.close(),
  };
  const secret = 'handler-test-secret';
  const handle = createAccountCreationHandler({
    store: createVerificationStore(redis),
    mailer,
    logger,
    config: { verificationCodeSecret: secret, publicWebUrl: 'https://chat.example', smtpMaxRetries: 0, smtpRetryBaseMs: 1 },
    sendLeaseMs: 60_000,
    clock: Date.now,
  });
  const email = `user-${randomUUID().slice(0, 8)}@example.test`;
  const req = {
    registrationId,
    requestId: 'req-1',
    email,
    nickname: 'Ada',
    preferredLanguage: 'en',
    accountExists: false,
    expiresAt: Date.now() + 10 * 60_000,
  };

  const first = handle(req);
  await eventually('the first delivery to start sending', () => (sends === 1 ? true : undefined));
  const second = handle(req);
  await eventually('the second delivery to wait', () => (lines.some((l) => l.includes('waiting')) ? true : undefined));
  open();
  t.same(await Promise.all([first, second]), [
    { registrationId, requestId: 'req-1', outcome: 'code-sent' },
    { registrationId, requestId: 'req-1', outcome: 'code-sent' },
  ]);
  t.equal(sends, 1, 'one send');
  const mails = sink.messages().filter((m) => m.To.some((a) => a.Address === email));
  t.equal(mails.length, 1, 'one mail');
  const code = codeFromMail(mails[0]!.Text);
  t.equal(await redis.hget(verificationKey(registrationId), 'digest'), codeDigest(secret, registrationId, code), 'the mailed code is the stored one');
  t.notOk(lines.some((l) => containsCode(l, code)), 'the code is not logged');
});
