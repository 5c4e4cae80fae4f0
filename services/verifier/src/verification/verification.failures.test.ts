import { DEAD_LETTER_REASON_HEADER, deadLetterQueueName } from '@ashchat/contracts';
import t from 'tap';
import type { SyncMessage } from 'rabbitmq-client';
import { eventually, startHarness } from './verification.test-support.js';
import { unguessableDigest } from './verification-code.js';
import { verificationKey } from './verification.store.js';

t.test('SMTP down: retries with backoff, then a failed reply; the worker keeps serving', async (t) => {
  const h = await startHarness({ smtp: 'closed', smtpMaxRetries: 2, smtpRetryBaseMs: 5 });
  t.teardown(() => h.close());

  const req = h.creationRequest();
  const reply = await h.create(req);
  t.match(reply, { registrationId: req.registrationId, requestId: req.requestId, outcome: 'failed' });
  t.match(reply.reason, /^mail delivery failed after 3 attempts/, reason(reply.reason));
  t.notMatch(reply.reason, /127\.0\.0\.1|example\.test/, 'no server text or address in the reason');
  const retries = h.logs.filter((e) => e.level === 'warn' && e.line.includes(req.registrationId) && e.line.includes('retrying'));
  t.equal(retries.length, 2, 'two retries after the first attempt');
  t.equal(await h.redis.exists(verificationKey(req.registrationId)), 0, 'no pending entry without a sent mail');

  // Still alive: both queues keep answering.
  t.match(await h.confirm(req.registrationId, unguessableDigest()), { outcome: 'expired', attemptsLeft: 0 });
  const next = h.creationRequest();
  t.match(await h.create(next), { requestId: next.requestId, outcome: 'failed' });
});

t.test('malformed messages are dead-lettered with a reason and the worker continues', async (t) => {
  const h = await startHarness({ smtp: 'sink' });
  t.teardown(() => h.close());
  const publisher = h.amqp.createPublisher({ confirm: true });
  t.teardown(() => publisher.close());

  const props = { routingKey: h.queues.accountCreation, replyTo: 'nobody', correlationId: 'bad-1', contentType: 'application/json' };
  await publisher.send(props, Buffer.from('{"registrationId": '));
  await publisher.send({ ...props, correlationId: 'bad-2' }, { registrationId: 'not-a-uuid', requestId: 'r' });
  await publisher.send({ routingKey: h.queues.confirmEmailCode, replyTo: 'nobody', correlationId: 'bad-3' }, { codeDigest: 'abc' });

  const dead = async (queue: string, count: number) => {
    const got: SyncMessage[] = [];
    await eventually(`${count} dead letter(s) on ${queue}`, async () => {
      const msg = await h.amqp.basicGet({ queue, noAck: true });
      if (msg) got.push(msg);
      return got.length >= count ? true : undefined;
    });
    return got;
  };
  const creationDead = await dead(deadLetterQueueName(h.queues.accountCreation), 2);
  const reasons = Object.fromEntries(creationDead.map((m) => [m.correlationId, String(m.headers?.[DEAD_LETTER_REASON_HEADER])]));
  t.equal(reasons['bad-1'], 'invalid JSON');
  t.match(reasons['bad-2'], /^schema validation failed: .*\/email/, 'the schema violation is named');
  const [confirmDead] = await dead(deadLetterQueueName(h.queues.confirmEmailCode), 1);
  t.equal(confirmDead!.correlationId, 'bad-3');
  t.ok(confirmDead!.headers?.[DEAD_LETTER_REASON_HEADER], 'with a reason');

  const req = h.creationRequest();
  t.match(await h.create(req), { outcome: 'code-sent' }, 'the next valid request is served');
  t.match(await h.confirm(req.registrationId, unguessableDigest()), { outcome: 'invalid', attemptsLeft: 4 });
});

const reason = (r: string | undefined) => `reason: ${r ?? '(none)'}`;
