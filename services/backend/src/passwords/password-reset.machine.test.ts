import { ACCOUNT_NOTICE_QUEUE, CONFIRM_CODE_QUEUE, MAX_CODE_ATTEMPTS, PASSWORD_RESET_CODE_QUEUE } from '@ashchat/contracts';
import t from 'tap';
import { SET_PASSWORD_EFFECT } from './password-reset.machine.js';
import { passwordResetReplyToEvent, passwordResetStatus } from './password-reset.saga.js';
import { setPasswordEffect } from './set-password.effect.js';
import { DIGEST, HASH, RESET_ID, T0, awaiting, begin, changing, reply, sagaEffects, step, submit, timeoutOf, verifying } from './password-reset.test-support.js';

t.test('start: asks the verifier for a code and arms both timers; no hash anywhere yet', async (t) => {
  const [s, actions] = begin();
  t.equal(s.value, 'requestingCode');
  const requestId = s.context.pendingRequestId;
  t.same(sagaEffects(actions), [
    {
      type: 'saga.send',
      params: {
        queue: PASSWORD_RESET_CODE_QUEUE,
        requestId,
        body: { resetId: RESET_ID, requestId, email: 'Ada@Example.org', nickname: 'ada', preferredLanguage: 'en', accountExists: true, expiresAt: T0 + 900_000 },
      },
    },
  ]);
  t.equal(s.context.timers.request!.at, T0 + 30_000);
  t.equal(s.context.timers.expiry!.at, T0 + 900_000);
  t.equal(s.context.attemptsLeft, MAX_CODE_ATTEMPTS);
  t.equal(s.context.passwordHash, null);
  t.match(passwordResetStatus(s), { status: 'pending', expiresAt: T0 + 900_000, resendAvailableAt: null, reason: null });
});

t.test('an address without account: the same states, no nickname in the request', async (t) => {
  const [s, actions] = begin({ accountExists: false, userId: null, nickname: null });
  const body = (sagaEffects(actions)[0]!.params as { body: Record<string, unknown> }).body;
  t.equal(body.accountExists, false);
  t.notOk('nickname' in body);
  const sent = step(s, reply(s, 'CODE_SENT'))[0];
  t.equal(sent.value, 'awaitingCode');
  t.same(passwordResetStatus(sent), passwordResetStatus(awaiting()), 'the same view as a reset of a real account');
});

t.test('requestingCode: stale replies, failure, timeouts', async (t) => {
  const [s] = begin();
  const [stale, staleActions] = step(s, { type: 'CODE_SENT', requestId: 'r999', at: T0 + 1 });
  t.equal(stale, s, 'a reply for another request changes nothing');
  t.same(staleActions, []);
  const [failed] = step(s, { type: 'CODE_REQUEST_FAILED', requestId: s.context.pendingRequestId!, at: T0 + 1 });
  t.match(passwordResetStatus(failed), { status: 'failed', reason: 'verifier-failed', expiresAt: null });
  const [timedOut] = step(s, timeoutOf(s, 'request'));
  t.equal(timedOut.value, 'requestTimedOut');
  t.match(passwordResetStatus(timedOut), { status: 'failed', reason: 'verifier-timeout' });
  t.same(timedOut.context.timers, {});
});

t.test('a submitted code carries only its digest to the verifier; the hash stays in the context', async (t) => {
  const a = awaiting();
  const [v, actions] = step(a, submit());
  t.equal(v.value, 'verifyingCode');
  t.equal(v.context.passwordHash, HASH);
  const requestId = v.context.pendingRequestId;
  t.same(sagaEffects(actions), [{ type: 'saga.send', params: { queue: CONFIRM_CODE_QUEUE, requestId, body: { flowId: RESET_ID, requestId, codeDigest: DIGEST } } }]);
  t.notOk(JSON.stringify(sagaEffects(actions)).includes(HASH), 'the message holds no hash');
});

t.test('a wrong code drops the hash and counts down', async (t) => {
  const v = verifying();
  const [back] = step(v, { type: 'CODE_INVALID', requestId: v.context.pendingRequestId!, attemptsLeft: 4, at: T0 + 3_000 });
  t.equal(back.value, 'awaitingCode');
  t.equal(back.context.passwordHash, null);
  t.match(passwordResetStatus(back), { status: 'awaiting-code', attemptsLeft: 4, lastError: 'invalid-code' });
  const [locked] = step(v, reply(v, 'CODE_LOCKED'));
  t.match(passwordResetStatus(locked), { status: 'locked', attemptsLeft: 0 });
  t.equal(locked.context.passwordHash, null);
  const [slow] = step(v, timeoutOf(v, 'request'));
  t.equal(slow.value, 'awaitingCode');
  t.equal(slow.context.passwordHash, null, 'a verifier timeout drops the hash too');
  t.match(passwordResetStatus(slow), { lastError: 'verifier-timeout' });
});

t.test('a confirmed code runs setPassword once; the change completes and sends the notice one way', async (t) => {
  const [c, actions] = changing();
  t.equal(c.value, 'changingPassword');
  t.match(passwordResetStatus(c), { status: 'verifying', expiresAt: null });
  t.same(c.context.timers, {}, 'no timer while the effect runs');
  t.same(sagaEffects(actions), [
    { type: 'saga.effect', params: { name: SET_PASSWORD_EFFECT, effectId: `p${c.context.seq}`, payload: { resetId: RESET_ID, userId: 'user-ada', passwordHash: HASH } } },
  ]);
  const [done, doneActions] = step(c, { type: 'PASSWORD_CHANGED', changedAt: T0 + 3_500, at: T0 + 3_600 });
  t.equal(done.value, 'completed');
  t.equal(done.context.passwordHash, null);
  t.same(sagaEffects(doneActions), [
    {
      type: 'saga.send',
      params: {
        queue: ACCOUNT_NOTICE_QUEUE,
        requestId: `n${done.context.seq}`,
        oneWay: true,
        body: { noticeId: `password-reset-${RESET_ID}`, kind: 'password-changed', email: 'Ada@Example.org', nickname: 'ada', preferredLanguage: 'en', at: T0 + 3_500 },
      },
    },
  ]);
  const [gone, goneActions] = step(c, { type: 'USER_GONE', at: T0 + 3_600 });
  t.equal(gone.value, 'userGone');
  t.match(passwordResetStatus(gone), { status: 'failed', reason: 'user-gone' });
  t.same(sagaEffects(goneActions), [], 'no notice for an account that is gone');
});

t.test('a reset without account never sends a notice, even if a code were confirmed', async (t) => {
  const [c] = changing({ accountExists: false, userId: null, nickname: null });
  const [same] = step(c, { type: 'PASSWORD_CHANGED', changedAt: T0, at: T0 });
  t.equal(same.value, 'changingPassword', 'PASSWORD_CHANGED is refused without an account');
  t.equal(step(c, { type: 'USER_GONE', at: T0 })[0].value, 'userGone');
});

t.test('resend: refused during the cooldown, allowed after it, up to maxResends', async (t) => {
  const a = awaiting({ maxResends: 1 });
  const at = a.context.resendAvailableAt!;
  t.equal(step(a, { type: 'RESEND_REQUESTED', at: at - 1 })[0], a);
  const [again, actions] = step(a, { type: 'RESEND_REQUESTED', at });
  t.equal(again.value, 'requestingCode');
  t.equal(again.context.resends, 1);
  t.match(sagaEffects(actions)[0], { params: { queue: PASSWORD_RESET_CODE_QUEUE, body: { expiresAt: at + 900_000 } } });
  const a2 = step(again, reply(again, 'CODE_SENT', at + 10))[0];
  t.match(passwordResetStatus(a2), { resendsLeft: 0, resendAvailableAt: null });
  t.equal(step(a2, { type: 'RESEND_REQUESTED', at: at + 10 ** 6 })[0], a2);
});

t.test('expiry ends a waiting reset; a stale timer token changes nothing', async (t) => {
  const a = awaiting();
  const [expired] = step(a, timeoutOf(a, 'expiry'));
  t.match(passwordResetStatus(expired), { status: 'expired', expiresAt: null });
  t.equal(step(a, { type: 'saga.timeout', timer: 'expiry', token: 'nope', at: T0 + 10 ** 9 })[0], a);
});

t.test('replies map to events only when the correlation matches the body', async (t) => {
  t.same(passwordResetReplyToEvent({ flowId: RESET_ID, requestId: 'r1', outcome: 'code-sent' }, { requestId: 'r1' }), { type: 'CODE_SENT', requestId: 'r1' });
  t.same(passwordResetReplyToEvent({ flowId: RESET_ID, requestId: 'r2', outcome: 'invalid', attemptsLeft: 3 }, { requestId: 'r2' }), {
    type: 'CODE_INVALID',
    requestId: 'r2',
    attemptsLeft: 3,
  });
  t.same(passwordResetReplyToEvent({ flowId: RESET_ID, requestId: 'r2', outcome: 'failed', reason: 'smtp' }, { requestId: 'r2' }), {
    type: 'CODE_REQUEST_FAILED',
    requestId: 'r2',
    reason: 'smtp',
  });
  t.equal(passwordResetReplyToEvent({ flowId: RESET_ID, requestId: 'r1', outcome: 'confirmed', attemptsLeft: 5 }, { requestId: 'r2' }), null);
  t.equal(passwordResetReplyToEvent(null, { requestId: 'r1' }), null);
});

t.test('setPassword effect: stores once per reset, revokes only sessions begun before the change', async (t) => {
  const changedAt = new Date(T0 + 5_000);
  const stored: unknown[] = [];
  const revoked: Array<[string, Date]> = [];
  const effect = setPasswordEffect({
    users: {
      async setPasswordHash(id, hash, changeId) {
        stored.push([id, hash, changeId]);
        return id === 'user-ada' ? { changedAt } : null;
      },
    },
    revokeSessions: async (userId, before) => {
      revoked.push([userId, before]);
    },
    clock: () => T0 + 9_999,
  });
  const meta = { sagaId: RESET_ID, effectId: 'p1' };
  t.same(await effect({ resetId: RESET_ID, userId: 'user-ada', passwordHash: HASH }, meta), { type: 'PASSWORD_CHANGED', changedAt: changedAt.getTime() });
  t.same(revoked, [['user-ada', changedAt]], 'the change time the repository answers bounds the revocation');
  t.same(stored, [['user-ada', HASH, RESET_ID]], 'the reset id is the change id');
  t.same(await effect({ resetId: RESET_ID, userId: 'user-gone', passwordHash: HASH }, meta), { type: 'USER_GONE' });
  t.same(await effect({ resetId: RESET_ID, userId: null, passwordHash: HASH }, meta), { type: 'USER_GONE' });
  t.equal(revoked.length, 1, 'nothing revoked for a missing user');
});
