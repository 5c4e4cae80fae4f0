import { randomUUID } from 'node:crypto';
import t from 'tap';
import { DEAD_LETTER_REASON_HEADER, deadLetterQueueName } from '@ashchat/contracts';
import { waitFor } from '@ashchat/testkit';
import {
  codeFromMail,
  holdingPublisher,
  mailFor,
  register,
  registrationBody,
  resend,
  startRegistrationHarness,
  uniqueEmail,
  verify,
  wrongCode,
} from './registration.harness.test-support.js';

t.test('five wrong codes: 422 with attempts left 4, 3, 2, 1, then 423 locked for good', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const email = uniqueEmail('wrong');
  const { id } = await register(app, registrationBody(email));
  const code = codeFromMail((await h.waitForMails(email))[0]!);
  await h.waitForStatus(app, id, 'awaiting-code');
  const wrong = wrongCode(code);

  for (const attemptsLeft of [4, 3, 2, 1]) {
    const res = await verify(app, id, wrong);
    t.equal(res.statusCode, 422);
    t.equal(res.json().code, 'INVALID_CODE');
    t.same(res.json().details, { attemptsLeft });
  }
  const status = await app.inject({ method: 'GET', url: `/v1/registrations/${id}` });
  t.match(status.json(), { status: 'awaiting-code', attemptsLeft: 1, lastError: 'invalid-code' });

  const locked = await verify(app, id, wrong);
  t.equal(locked.statusCode, 423);
  t.equal(locked.json().code, 'REGISTRATION_LOCKED');
  const right = await verify(app, id, code);
  t.equal(right.statusCode, 423, 'even the right code is refused once locked');
  t.equal((await resend(app, id)).statusCode, 423);
  t.match((await app.inject({ method: 'GET', url: `/v1/registrations/${id}` })).json(), { status: 'locked', attemptsLeft: 0, expiresAt: null });
  t.equal(await h.db.collection('users').countDocuments(), 0);
});

t.test('two registrations of one e-mail verified at once: one user, the other fails with email-taken', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const email = uniqueEmail('race');
  const a = await register(app, registrationBody(email));
  const b = await register(app, registrationBody(email.toLowerCase(), { nickname: 'Bob' }));
  const mails = await h.waitForMails(email, 2);
  await h.waitForStatus(app, a.id, 'awaiting-code');
  await h.waitForStatus(app, b.id, 'awaiting-code');

  const [ra, rb] = await Promise.all([
    verify(app, a.id, codeFromMail(mailFor(mails, a.id))),
    verify(app, b.id, codeFromMail(mailFor(mails, b.id))),
  ]);
  const statuses = [ra.statusCode, rb.statusCode].sort();
  t.same(statuses, [200, 410], 'one wins, one is told the registration failed');
  const loser = ra.statusCode === 410 ? ra : rb;
  const loserId = ra.statusCode === 410 ? a.id : b.id;
  t.equal(loser.json().code, 'REGISTRATION_FAILED');
  t.same(loser.json().details, { reason: 'email-taken' });
  t.match((await app.inject({ method: 'GET', url: `/v1/registrations/${loserId}` })).json(), { status: 'failed', reason: 'email-taken' });
  t.equal(await h.db.collection('users').countDocuments({ emailNormalized: email.toLowerCase() }), 1);
});

t.test('malformed REST input is a 400 with a stable code, never a 5xx', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/v1/registrations', payload: payload as string, headers });
  const valid = registrationBody(uniqueEmail('bad'));
  const { email: _email, ...missing } = valid;

  const cases: Array<[string, Awaited<ReturnType<typeof post>>, string]> = [
    ['missing field', await post(missing), 'VALIDATION_FAILED'],
    ['extra field', await post({ ...valid, admin: true }), 'VALIDATION_FAILED'],
    ['bad e-mail', await post({ ...valid, email: 'not-an-email' }), 'VALIDATION_FAILED'],
    ['short password', await post({ ...valid, password: 'short' }), 'VALIDATION_FAILED'],
    ['bad nickname', await post({ ...valid, nickname: '<b>' }), 'VALIDATION_FAILED'],
    ['not JSON', await post('{"email": ', { 'content-type': 'application/json' }), 'MALFORMED_JSON'],
    ['empty body', await post('', { 'content-type': 'application/json' }), 'MALFORMED_JSON'],
    ['array body', await post([valid]), 'VALIDATION_FAILED'],
  ];
  for (const [label, res, code] of cases) {
    t.equal(res.statusCode, 400, `${label}: 400`);
    t.equal(res.json().code, code, `${label}: ${code}`);
  }
  t.equal(await h.db.collection('registrations').countDocuments(), 0, 'nothing was started');

  const { id } = await register(app, valid);
  for (const code of ['12345', '1234567', 'abcdef', '12 456']) {
    const res = await verify(app, id, code);
    t.equal(res.statusCode, 400, `code ${JSON.stringify(code)}`);
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
  const noCode = await app.inject({ method: 'POST', url: `/v1/registrations/${id}/verification`, payload: {} });
  t.equal(noCode.json().code, 'VALIDATION_FAILED');

  const notUuid = await app.inject({ method: 'GET', url: '/v1/registrations/not-a-uuid' });
  t.equal(notUuid.statusCode, 400);
  t.equal(notUuid.json().code, 'VALIDATION_FAILED');
  const unknown = randomUUID();
  for (const res of [
    await app.inject({ method: 'GET', url: `/v1/registrations/${unknown}` }),
    await verify(app, unknown, '123456'),
    await resend(app, unknown),
  ]) {
    t.equal(res.statusCode, 404);
    t.equal(res.json().code, 'REGISTRATION_NOT_FOUND');
  }
});

t.test('replies: unknown correlation ids are acked and ignored, malformed ones dead-lettered with a reason', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const stats = app.registration.replyStats;
  const raw = h.amqp.createPublisher({ confirm: true });
  t.teardown(() => raw.close());
  const queue = h.queues.reply;
  const reply = (registrationId: string) => ({ registrationId, requestId: 'r1', outcome: 'code-sent' });

  const stranger = randomUUID();
  await raw.send({ routingKey: queue, correlationId: `${stranger}:r1`, messageId: 'unknown' }, reply(stranger));
  await waitFor(() => stats.outcomes['unknown-saga'] === 1, { message: 'the unknown reply to be handled' });

  await raw.send({ routingKey: queue, messageId: 'bad-json', contentType: 'application/json' }, Buffer.from('{"outcome": '));
  await raw.send({ routingKey: queue, messageId: 'bad-shape', correlationId: `${stranger}:r1` }, { outcome: 'code-sent' });
  await raw.send({ routingKey: queue, messageId: 'no-correlation' }, reply(stranger));

  const dead = new Map<string, string>();
  await waitFor(
    async () => {
      const msg = await h.amqp.basicGet({ queue: deadLetterQueueName(queue), noAck: true });
      if (msg) dead.set(String(msg.messageId), String(msg.headers?.[DEAD_LETTER_REASON_HEADER]));
      return dead.size >= 3;
    },
    { message: 'three dead letters' },
  );
  t.equal(dead.get('bad-json'), 'invalid JSON');
  t.match(dead.get('bad-shape'), /^schema validation failed/);
  t.match(dead.get('no-correlation'), /correlation id/);
  t.notOk(dead.has('unknown'), 'the reply for an unknown saga was acked, not dead-lettered');
  t.equal(stats.outcomes.applied, 0, 'nothing was applied');

  // The consumer keeps working: a real registration still goes through.
  const email = uniqueEmail('after');
  const { id } = await register(app, registrationBody(email));
  const code = codeFromMail((await h.waitForMails(email))[0]!);
  await h.waitForStatus(app, id, 'awaiting-code');
  t.equal((await verify(app, id, code)).statusCode, 200);
  const depth = await h.amqp.queueDeclare({ queue, passive: true });
  t.equal(depth.messageCount, 0, 'the reply queue is drained');
});

t.test('a slow verifier: no resend while the code is not sent yet, 202 after the bounded wait, 409 for a second code', async (t) => {
  const h = await startRegistrationHarness(t, { env: { VERIFY_WAIT_MS: '300', SAGA_RELAY_INTERVAL_MS: '200' } });
  // Messages to a held queue fail to publish (they stay in the outbox) until released.
  const held = new Set<string>([h.queues.accountCreation]);
  const app = await h.startApp({ registration: { publisher: holdingPublisher(held) } });
  const email = uniqueEmail('slow');
  const { id } = await register(app, registrationBody(email));

  // A code is taken from the start (the mail can beat the verifier's reply), but a resend is not.
  const early = await resend(app, id);
  t.equal(early.statusCode, 409, 'no code was sent yet');
  t.equal(early.json().code, 'REGISTRATION_PENDING');
  t.equal(early.headers['retry-after'], '1');

  held.delete(h.queues.accountCreation);
  held.add(h.queues.confirmEmailCode);
  const code = codeFromMail((await h.waitForMails(email))[0]!);
  await h.waitForStatus(app, id, 'awaiting-code');

  const waiting = await verify(app, id, code);
  t.equal(waiting.statusCode, 202, 'the verifier did not answer within VERIFY_WAIT_MS');
  t.match(waiting.json(), { registrationId: id, status: 'verifying', statusUrl: `/v1/registrations/${id}` });
  const second = await verify(app, id, code);
  t.equal(second.statusCode, 409);
  t.equal(second.json().code, 'VERIFICATION_IN_PROGRESS');
  t.equal((await resend(app, id)).json().code, 'VERIFICATION_IN_PROGRESS');

  held.clear();
  await h.waitForStatus(app, id, 'completed', 20_000);
  t.ok(await app.users.repository.findByEmail(email), 'the relayed check completed the registration');
});
