import { ACCOUNT_CREATION_QUEUE, CONFIRM_EMAIL_CODE_QUEUE, MAX_CODE_ATTEMPTS } from '@ashchat/contracts';
import t from 'tap';
import { createActor } from 'xstate';
import { CREATE_USER_EFFECT, registrationMachine } from './registration.machine.js';
import { registrationReplyToEvent, registrationSaga, registrationStatus } from './registration.saga.js';
import { DIGEST, HASH, T0, awaiting, begin, reply, sagaEffects, step, timeoutOf, verifying } from './registration.test-support.js';

t.test('start: asks the verifier for a code and arms both timers', async (t) => {
  const [s, actions] = begin();
  t.equal(s.value, 'requestingCode');
  const requestId = s.context.pendingRequestId;
  t.same(sagaEffects(actions), [
    {
      type: 'saga.send',
      params: {
        queue: ACCOUNT_CREATION_QUEUE,
        requestId,
        body: {
          registrationId: s.context.registrationId,
          requestId,
          email: 'Ada@Example.org',
          nickname: 'ada',
          preferredLanguage: 'en',
          accountExists: false,
          expiresAt: T0 + 600_000,
        },
      },
    },
  ]);
  t.equal(s.context.timers.request!.at, T0 + 30_000);
  t.equal(s.context.timers.expiry!.at, T0 + 600_000);
  t.equal(s.context.attemptsLeft, MAX_CODE_ATTEMPTS);
  t.match(registrationStatus(s), { status: 'pending', expiresAt: T0 + 600_000, resendAvailableAt: null, reason: null });
});

t.test('an existing account follows exactly the same states (no enumeration)', async (t) => {
  const [s, actions] = begin({ accountExists: true });
  t.equal(s.value, 'requestingCode');
  t.match(sagaEffects(actions)[0], { params: { body: { accountExists: true } } });
  t.equal(step(s, reply(s, 'CODE_SENT'))[0].value, 'awaitingCode');
});

t.test('requestingCode: replies and timers', async (t) => {
  const [s] = begin();
  const [sent] = step(s, reply(s, 'CODE_SENT', T0 + 1_000));
  t.equal(sent.value, 'awaitingCode');
  t.equal(sent.context.pendingRequestId, null);
  t.same(Object.keys(sent.context.timers), ['expiry'], 'request timer disarmed, expiry kept');
  t.match(registrationStatus(sent), { status: 'awaiting-code', resendAvailableAt: T0 + 61_000, resendsLeft: 2 });

  const [stale, staleActions] = step(s, { type: 'CODE_SENT', requestId: 'r999', at: T0 + 1 });
  t.equal(stale, s, 'a reply for another request changes nothing');
  t.same(staleActions, []);

  const [failed] = step(s, { type: 'CODE_REQUEST_FAILED', requestId: s.context.pendingRequestId!, reason: 'smtp down', at: T0 + 1 });
  t.equal(failed.value, 'failed');
  t.equal(failed.status, 'done');
  t.match(registrationStatus(failed), { status: 'failed', reason: 'verifier-failed', expiresAt: null });
  t.equal(failed.context.passwordHash, null, 'hash cleared');

  const [timedOut] = step(s, timeoutOf(s, 'request'));
  t.equal(timedOut.value, 'requestTimedOut');
  t.match(registrationStatus(timedOut), { status: 'failed', reason: 'verifier-timeout' });
  t.equal(timedOut.context.passwordHash, null);
  t.same(timedOut.context.timers, {}, 'no timers in a final state');

  t.equal(step(s, timeoutOf(s, 'expiry'))[0].value, 'expired');
});

t.test('requestingCode takes a code (the mail can beat the reply); the late "code sent" is then stale', async (t) => {
  const [s] = begin();
  const codeRequest = s.context.pendingRequestId!;
  const [v, actions] = step(s, { type: 'CODE_SUBMITTED', codeDigest: DIGEST, at: T0 + 500 });
  t.equal(v.value, 'verifyingCode');
  const requestId = v.context.pendingRequestId!;
  t.not(requestId, codeRequest);
  t.same(sagaEffects(actions), [
    { type: 'saga.send', params: { queue: CONFIRM_EMAIL_CODE_QUEUE, requestId, body: { registrationId: v.context.registrationId, requestId, codeDigest: DIGEST } } },
  ]);
  t.same(Object.keys(v.context.timers).sort(), ['expiry', 'request'], 'the request timer now waits for the verdict');
  t.equal(v.context.timers.request!.at, T0 + 30_500);

  const late = { type: 'CODE_SENT', requestId: codeRequest, at: T0 + 600 } as const;
  t.equal(step(v, late)[0], v, 'the late "code sent" changes nothing');
  t.equal(step(v, { ...late, type: 'CODE_REQUEST_FAILED' })[0], v, 'nor a late failure of the code request');
  t.ok(registrationSaga.isStale!(v, late), 'and the runtime may ignore it without reading the stored saga');
  t.notOk(registrationSaga.isStale!(s, late), 'while it is the pending request it is not stale');
  t.notOk(registrationSaga.isStale!(v, { type: 'CODE_CONFIRMED', requestId }), 'nor is the verdict awaited');
  t.notOk(registrationSaga.isStale!(v, { type: 'CODE_CONFIRMED', requestId: `r${v.context.seq + 1}` }), 'nor a request issued after this snapshot');
  t.notOk(registrationSaga.isStale!(v, { type: 'RESEND_REQUESTED' }), 'events without a request id never are');
  t.equal(step(step(v, reply(v, 'CODE_CONFIRMED'))[0], late)[0].value, 'creatingUser');
});

t.test('timer events must carry the current token and be due', async (t) => {
  const [s] = begin();
  t.equal(step(s, { type: 'saga.timeout', timer: 'request', token: 't0', at: T0 + 10_000_000 })[0], s, 'stale token');
  t.equal(step(s, timeoutOf(s, 'request', T0 + 29_999))[0], s, 'not due yet');
  t.equal(step(s, { type: 'saga.timeout', timer: 'nope', token: s.context.timers.request!.token, at: T0 + 10_000_000 })[0], s);
  // After a resend the old expiry token is dead.
  const a = awaiting();
  const oldExpiry = timeoutOf(a, 'expiry');
  const [again] = step(a, { type: 'RESEND_REQUESTED', at: T0 + 61_000 });
  t.equal(step(again, oldExpiry)[0], again, 'expiry of the replaced code is ignored');
});

t.test('awaitingCode: submit, resend rules, expiry', async (t) => {
  const a = awaiting();
  const [v, actions] = step(a, { type: 'CODE_SUBMITTED', codeDigest: DIGEST, at: T0 + 2_000 });
  t.equal(v.value, 'verifyingCode');
  const requestId = v.context.pendingRequestId;
  t.not(requestId, null);
  t.same(sagaEffects(actions), [
    { type: 'saga.send', params: { queue: CONFIRM_EMAIL_CODE_QUEUE, requestId, body: { registrationId: v.context.registrationId, requestId, codeDigest: DIGEST } } },
  ]);
  t.equal(v.context.timers.request!.at, T0 + 32_000, 'request timer armed from the event time');
  t.match(registrationStatus(v), { status: 'verifying' });

  t.equal(step(a, { type: 'RESEND_REQUESTED', at: T0 + 60_999 })[0], a, 'cooldown not over');
  const [r1, r1Actions] = step(a, { type: 'RESEND_REQUESTED', at: T0 + 61_000 });
  t.equal(r1.value, 'requestingCode');
  t.equal(r1.context.resends, 1);
  t.not(r1.context.pendingRequestId, a.context.pendingRequestId);
  t.equal(r1.context.expiresAt, T0 + 61_000 + 600_000, 'fresh expiry');
  t.not(r1.context.timers.expiry!.token, a.context.timers.expiry!.token, 'expiry re-armed with a new token');
  t.match(sagaEffects(r1Actions), [{ params: { queue: ACCOUNT_CREATION_QUEUE, requestId: r1.context.pendingRequestId, body: { expiresAt: T0 + 661_000 } } }]);

  // Second resend allowed, third refused (maxResends = 2).
  const a2 = step(r1, reply(r1, 'CODE_SENT', T0 + 62_000))[0];
  const r2 = step(a2, { type: 'RESEND_REQUESTED', at: T0 + 122_000 })[0];
  t.equal(r2.value, 'requestingCode');
  const a3 = step(r2, reply(r2, 'CODE_SENT', T0 + 123_000))[0];
  t.match(registrationStatus(a3), { resendsLeft: 0, resendAvailableAt: null });
  t.equal(step(a3, { type: 'RESEND_REQUESTED', at: T0 + 999_000 })[0], a3, 'limit reached');

  t.equal(step(a, timeoutOf(a, 'expiry'))[0].value, 'expired');
  t.equal(step(a, { type: 'CODE_SENT', requestId: 'r1', at: T0 })[0], a, 'late duplicate reply ignored');
});

t.test('verifyingCode: every verifier answer and the timeouts', async (t) => {
  const v = verifying();
  const [created, actions] = step(v, reply(v, 'CODE_CONFIRMED'));
  t.equal(created.value, 'creatingUser');
  t.same(created.context.timers, {}, 'no timer while the user is created');
  t.same(sagaEffects(actions), [
    {
      type: 'saga.effect',
      params: {
        name: CREATE_USER_EFFECT,
        effectId: `u${created.context.seq}`,
        inline: true,
        payload: {
          registrationId: v.context.registrationId,
          email: 'Ada@Example.org',
          emailNormalized: 'ada@example.org',
          nickname: 'ada',
          preferredLanguage: 'en',
          passwordHash: HASH,
        },
      },
    },
  ]);
  t.match(registrationStatus(created), { status: 'verifying', expiresAt: null });

  const [invalid] = step(v, { type: 'CODE_INVALID', requestId: v.context.pendingRequestId!, attemptsLeft: 3, at: T0 + 3_000 });
  t.equal(invalid.value, 'awaitingCode');
  t.equal(invalid.context.attemptsLeft, 3, 'attempts from the verifier');
  t.match(registrationStatus(invalid), { status: 'awaiting-code', attemptsLeft: 3, lastError: 'invalid-code' });
  t.same(Object.keys(invalid.context.timers), ['expiry']);
  const [again] = step(invalid, { type: 'CODE_INVALID', requestId: v.context.pendingRequestId!, attemptsLeft: 2, at: T0 + 3_001 });
  t.equal(again, invalid, 'a repeated reply does not decrement twice');

  t.equal(step(v, reply(v, 'CODE_LOCKED'))[0].value, 'locked');
  t.match(registrationStatus(step(v, reply(v, 'CODE_LOCKED'))[0]), { status: 'locked' });
  t.equal(step(v, reply(v, 'CODE_EXPIRED'))[0].value, 'expired');
  t.equal(step(v, { type: 'CODE_CONFIRMED', requestId: 'r1', at: T0 })[0], v, 'reply to the code request is stale here');
  t.equal(step(v, { type: 'CODE_SUBMITTED', codeDigest: DIGEST, at: T0 })[0], v, 'no second submission while verifying');

  const [slow] = step(v, timeoutOf(v, 'request'));
  t.equal(slow.value, 'awaitingCode');
  t.match(registrationStatus(slow), { status: 'awaiting-code', lastError: 'verifier-timeout', attemptsLeft: MAX_CODE_ATTEMPTS });
  t.equal(step(slow, reply(v, 'CODE_CONFIRMED'))[0], slow, 'late confirmation of the timed-out request ignored');
  t.equal(step(v, timeoutOf(v, 'expiry'))[0].value, 'expired');
});

t.test('creatingUser: outcome of the createUser effect; the hash never survives', async (t) => {
  const v = verifying();
  const [c] = step(v, reply(v, 'CODE_CONFIRMED'));
  t.equal(c.context.passwordHash, HASH, 'still needed until the user exists');
  const [done] = step(c, { type: 'USER_CREATED', userId: 'u-1', at: T0 + 5_000 });
  t.equal(done.value, 'completed');
  t.equal(done.status, 'done');
  t.equal(done.context.passwordHash, null);
  t.equal(done.context.userId, 'u-1');
  t.match(registrationStatus(done), { status: 'completed', reason: null });
  t.equal(step(done, { type: 'USER_CREATED', userId: 'u-2', at: T0 })[0], done, 'final');

  const [taken] = step(c, { type: 'USER_CONFLICT', at: T0 + 5_000 });
  t.equal(taken.value, 'emailTaken');
  t.match(registrationStatus(taken), { status: 'failed', reason: 'email-taken' });
  t.equal(taken.context.passwordHash, null);
  t.equal(step(c, timeoutOf(v, 'expiry'))[0], c, 'the code expiry no longer applies');
});

t.test('a snapshot survives the JSON round trip the runtime stores it through', async (t) => {
  const v = verifying();
  const json = JSON.stringify(registrationMachine.getPersistedSnapshot(v));
  // xstate types demand `input` even when restoring; the runtime passes the snapshot alone (as here).
  const restored = createActor(registrationMachine, { snapshot: JSON.parse(json) } as never as { input: never }).getSnapshot();
  t.equal(restored.value, 'verifyingCode');
  t.same(restored.context, v.context);
  t.equal(step(restored, reply(v, 'CODE_CONFIRMED'))[0].value, 'creatingUser', 'and keeps working');
});

t.test('reply → event mapping', async (t) => {
  const id = '0b7c2f0e-5d1a-4c3e-9f7a-2b1c3d4e5f60';
  const m = (body: object) => registrationReplyToEvent({ registrationId: id, requestId: 'r2', ...body }, { requestId: 'r2' });
  t.same(m({ outcome: 'code-sent' }), { type: 'CODE_SENT', requestId: 'r2' });
  t.same(m({ outcome: 'failed', reason: 'x' }), { type: 'CODE_REQUEST_FAILED', requestId: 'r2', reason: 'x' });
  t.same(m({ outcome: 'confirmed', attemptsLeft: 5 }), { type: 'CODE_CONFIRMED', requestId: 'r2' });
  t.same(m({ outcome: 'invalid', attemptsLeft: 2 }), { type: 'CODE_INVALID', requestId: 'r2', attemptsLeft: 2 });
  t.same(m({ outcome: 'locked', attemptsLeft: 0 }), { type: 'CODE_LOCKED', requestId: 'r2' });
  t.same(m({ outcome: 'expired', attemptsLeft: 0 }), { type: 'CODE_EXPIRED', requestId: 'r2' });
  t.equal(m({ outcome: 'weird' }), null);
  t.equal(registrationReplyToEvent({ requestId: 'r3', outcome: 'code-sent' }, { requestId: 'r2' }), null, 'correlation mismatch');
  t.equal(registrationReplyToEvent(null, { requestId: 'r2' }), null);
});

t.test('the device that submits the right code is handed to createUser (only its digest), the last submission’s device winning', async (t) => {
  const device = { deviceIdHash: 'c2hhMjU2LW9mLWEtY2xpZW50LWRldmljZS1pZA', name: 'laptop' };
  const other = { deviceIdHash: 'b3RoZXItZGV2aWNlLWRpZ2VzdC1vZi1hLWNsaWVudA', name: null };
  const a = awaiting();
  const v1 = step(a, { type: 'CODE_SUBMITTED', codeDigest: DIGEST, device: other, at: T0 + 2_000 })[0];
  const wrong = step(v1, { type: 'CODE_INVALID', requestId: v1.context.pendingRequestId!, attemptsLeft: 4, at: T0 + 2_500 })[0];
  const v2 = step(wrong, { type: 'CODE_SUBMITTED', codeDigest: DIGEST, device, at: T0 + 3_000 })[0];
  const [, actions] = step(v2, reply(v2, 'CODE_CONFIRMED'));
  t.match(sagaEffects(actions), [{ type: 'saga.effect', params: { name: CREATE_USER_EFFECT, payload: { device } } }]);

  // Without a device (and in snapshots from before devices, whose context has no `device`), none is trusted.
  const bare = verifying();
  const legacy = { ...bare, context: { ...bare.context } };
  delete (legacy.context as { device?: unknown }).device;
  for (const s of [bare, legacy as typeof bare]) {
    const [, effects] = step(s, reply(s, 'CODE_CONFIRMED'));
    const payload = (sagaEffects(effects)[0]!.params as { payload: Record<string, unknown> }).payload;
    t.notOk('device' in payload, 'createUser gets no device');
  }
});
