import { validationReason } from '@ashchat/messaging';
import { ACCOUNT_NOTICE_QUEUE, type AccountNotice } from '@ashchat/contracts';
import t from 'tap';
import {
  ANONYMISE_MESSAGES_EFFECT,
  DELETE_PROFILE_EFFECT,
  LEAVE_CONVERSATIONS_EFFECT,
  MARK_USER_EFFECT,
} from './account-deletion.machine.js';
import { accountDeletionSaga, accountDeletionStatus } from './account-deletion.saga.js';
import { EMAIL, NICKNAME, T0, begin, input, result, sagaEffects, step, type Snap } from './account-deletion.test-support.js';

const effectName = (a: { params?: unknown }): string => (a.params as { name: string }).name;

t.test('starts by marking the user, with the payload the effects need and no address', async (t) => {
  const [s, actions] = begin();
  t.equal(s.value, 'markingUser');
  t.same(accountDeletionStatus(s), { status: 'deleting' });
  const effects = sagaEffects(actions);
  t.equal(effects.length, 1);
  t.equal(effectName(effects[0]!), MARK_USER_EFFECT);
  t.same((effects[0]!.params as { payload: unknown }).payload, { userId: input().userId, registrationId: input().registrationId, emailNormalized: 'ada@example.org', batchSize: 10 });
  t.equal((effects[0]!.params as { effectId: string }).effectId, s.context.pendingEffectId);
});

t.test('walks every step in order and finishes with the notice, forgetting the person', async (t) => {
  let [s] = begin();
  const seen: string[] = [];
  let actions;
  while (s.status !== 'done') {
    [s, actions] = step(s, result(s));
    for (const e of sagaEffects(actions)) seen.push(e.type === 'saga.effect' ? effectName(e) : `send:${(e.params as { queue: string }).queue}`);
  }
  t.same(seen, [LEAVE_CONVERSATIONS_EFFECT, ANONYMISE_MESSAGES_EFFECT, DELETE_PROFILE_EFFECT, `send:${ACCOUNT_NOTICE_QUEUE}`]);
  t.equal(s.value, 'completed');
  t.same(accountDeletionStatus(s), { status: 'completed' });
  t.notOk(JSON.stringify(s.context).includes(EMAIL), 'no address left');
  t.notOk(JSON.stringify(s.context).includes(NICKNAME), 'no nickname left');
  t.equal(s.context.completedAt, T0 + 1_000);
});

t.test('the notice is one-way, matches its contract and is keyed by the deletion', async (t) => {
  let [s] = begin();
  while (s.value !== 'deletingProfile') [s] = step(s, result(s));
  const [, actions] = step(s, result(s, {}, T0 + 5_000));
  const send = sagaEffects(actions).find((a) => a.type === 'saga.send')!;
  const params = send.params as { queue: string; oneWay: boolean; body: AccountNotice };
  t.equal(params.queue, ACCOUNT_NOTICE_QUEUE);
  t.equal(params.oneWay, true);
  t.notOk(validationReason(accountDeletionSaga.messages[ACCOUNT_NOTICE_QUEUE]!, params.body), "valid AccountNotice");
  t.same(params.body, { noticeId: `account-deletion-${input().deletionId}`, kind: 'account-deleted', email: EMAIL, nickname: NICKNAME, preferredLanguage: 'en', at: T0 + 5_000 });
});

t.test('a batch that reports more re-enters the step with a new effect id', async (t) => {
  let [s] = begin();
  [s] = step(s, result(s));
  const first = s.context.pendingEffectId;
  const [again, actions] = step(s, result(s, { more: true, count: 10 }));
  s = again;
  t.equal(s.value, 'leavingConversations');
  t.not(s.context.pendingEffectId, first);
  t.equal(effectName(sagaEffects(actions)[0]!), LEAVE_CONVERSATIONS_EFFECT);
  [s] = step(s, result(s, { more: false, count: 3 }));
  t.equal(s.value, 'anonymisingMessages');
  t.equal(s.context.conversationsLeft, 13);
  [s] = step(s, result(s, { more: true, count: 10 }));
  [s] = step(s, result(s, { more: true, count: 10 }));
  [s] = step(s, result(s, { more: false, count: 0 }));
  t.equal(s.value, 'deletingProfile');
  t.equal(s.context.messagesAnonymised, 20);
});

t.test('a stale or repeated effect result changes nothing', async (t) => {
  let [s] = begin();
  const marked = result(s);
  [s] = step(s, marked);
  const leaving: Snap = s;
  const repeated = step(leaving, { ...marked });
  t.equal(repeated[0], leaving, 'USER_MARKED again is ignored');
  const batch = result(leaving, { more: true });
  [s] = step(leaving, batch);
  t.equal(step(s, batch)[0], s, 'the previous batch result again is ignored');
  t.equal(step(s, { type: 'CONVERSATIONS_LEFT', effectId: 'e999', count: 1, more: false, at: T0 })[0], s, 'an unknown effect id is ignored');
});
