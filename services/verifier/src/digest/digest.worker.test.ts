/** The verifier's digest worker on real RabbitMQ, Redis and an SMTP sink: each dedup key mailed once. */
import { DigestMailReply, DigestMailRequest } from '@ashchat/contracts';
import { createRequestClient } from '@ashchat/messaging';
import nodemailer from 'nodemailer';
import t from 'tap';
import { accountNoticeKey } from '../verification/account-notice.store.js';
import { createMailer } from '../verification/mailer.js';
import { eventually, startHarness } from '../verification/verification.test-support.js';
import { digestMarkerId } from './digest.handler.js';
import { startDigestWorker } from './digest.worker.js';

t.test('a digest is mailed once per dedup key, however often it is requested', async (t) => {
  const h = await startHarness({ smtp: 'sink' });
  t.teardown(() => h.close());
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: h.sink!.smtpPort, secure: false, ignoreTLS: true });
  const mailer = createMailer(transport, { from: 'AshChat <no-reply@ashchat.test>', logger });
  const worker = startDigestWorker({ amqp: h.amqp, redis: h.redis, mailer, logger, queue: h.queues.digestMail, config: { publicWebUrl: 'https://chat.example', smtpMaxRetries: 1, smtpRetryBaseMs: 5 } });
  const client = createRequestClient(h.amqp, { logger, timeoutMs: 20_000 });
  t.teardown(async () => {
    await client.close();
    await worker.close();
    mailer.close();
  });
  await worker.ready;

  const dedupKey = `digest-${crypto.randomUUID()}:1`;
  const request: DigestMailRequest = {
    digestId: 'digest-3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90',
    requestId: 'r3',
    dedupKey,
    email: `digest-${crypto.randomUUID().slice(0, 8)}@example.test`,
    nickname: 'Ada',
    preferredLanguage: 'de',
    conversations: [{ conversationId: '665f1c9eb3d4e5f6a7b8c9d0', name: 'Bob', unreadCount: 2, mentionCount: 0, excerpts: [{ sender: 'Bob', text: 'Hallo?', at: 1767225600000 }] }],
    moreConversations: 0,
    at: 1767226500000,
  };
  t.teardown(() => h.redis.del(accountNoticeKey(digestMarkerId(dedupKey))));
  const replies = await Promise.all([1, 2, 3].map(() => client.request(h.queues.digestMail, DigestMailRequest, request, DigestMailReply)));
  t.same(replies.map((r) => r.outcome).sort(), ['already-sent', 'already-sent', 'sent'], 'three deliveries at once, one mail');
  t.ok(replies.every((r) => r.digestId === request.digestId && r.requestId === 'r3'));
  const mails = await eventually('the digest mail', () => (h.mailsTo(request.email).length ? h.mailsTo(request.email) : undefined));
  t.equal(mails.length, 1);
  t.equal(mails[0]!.subject, 'Du hast 2 ungelesene Nachrichten in AshChat');
  t.match(mails[0]!.text, '  Bob: Hallo?');

  const again = await client.request(h.queues.digestMail, DigestMailRequest, { ...request, requestId: 'r4' }, DigestMailReply);
  t.equal(again.outcome, 'already-sent', 'a later request of the same period');
  const next = await client.request(h.queues.digestMail, DigestMailRequest, { ...request, dedupKey: `${dedupKey}0` }, DigestMailReply);
  t.equal(next.outcome, 'sent', 'the next period is mailed');
  t.teardown(() => h.redis.del(accountNoticeKey(digestMarkerId(`${dedupKey}0`))));
  await eventually('the second mail', () => (h.mailsTo(request.email).length === 2 ? true : undefined));
});
