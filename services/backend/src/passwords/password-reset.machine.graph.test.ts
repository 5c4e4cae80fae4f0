/**
 * Model-based tests: walk EVERY simple path of the password-reset machine (xstate/graph) and check
 * properties of each whole path — end state, effects, the hash's lifetime, request ids, timers.
 */
import t from 'tap';
import { ACCOUNT_NOTICE_QUEUE } from '@ashchat/contracts';
import { attemptsProblems, beforeTimers, codeFlowGenerators, codeFlowStateProblems } from '../sagas/code-flow-graph.test-support.js';
import { checkCoverage, contractProblems, effectsOf, replayMismatches, requestIdProblems, sendsOf, walkEveryPath } from '../sagas/saga-graph.test-support.js';
import { SET_PASSWORD_EFFECT, passwordResetMachine, type PasswordResetEvent } from './password-reset.machine.js';
import { passwordResetSaga, passwordResetStatus } from './password-reset.saga.js';
import { DIGEST, HASH, T0, input, step, type Snap } from './password-reset.test-support.js';

const serializeState = (s: Snap): string => JSON.stringify({ value: s.value, resends: s.context.resends, lastError: s.context.lastError });
const runs = walkEveryPath<Snap, PasswordResetEvent>(passwordResetMachine, {
  input: input({ maxResends: 1 }),
  serializeState,
  generators: {
    ...codeFlowGenerators<Snap, PasswordResetEvent>(T0, (at) => ({ type: 'CODE_SUBMITTED', codeDigest: DIGEST, passwordHash: HASH, at })),
    passwordChanged: (s) => ({ type: 'PASSWORD_CHANGED', changedAt: beforeTimers(T0, s), at: beforeTimers(T0, s) }),
    userGone: (s) => ({ type: 'USER_GONE', at: beforeTimers(T0, s) }),
  },
});

t.test('the graph is explored completely', async (t) => checkCoverage(t, passwordResetMachine, runs, 50));

t.test('replaying every path reproduces the graph', async (t) => {
  t.same(replayMismatches(runs, serializeState), []);
});

t.test('setPassword runs exactly once on every path that reaches changingPassword, never elsewhere', async (t) => {
  const bad = runs.filter((run) => effectsOf(run, SET_PASSWORD_EFFECT).length !== (run.visited.some((s) => s.value === 'changingPassword') ? 1 : 0));
  t.equal(bad.length, 0);
});

t.test('the notice goes out exactly once, one way, on every path to completed and on no other', async (t) => {
  const bad = runs.filter((run) => {
    const notices = sendsOf(run, ACCOUNT_NOTICE_QUEUE);
    return notices.some((n) => n.oneWay !== true) || notices.length !== (run.end.value === 'completed' ? 1 : 0);
  });
  t.equal(bad.length, 0);
  t.ok(runs.some((r) => r.end.value === 'completed'));
});

t.test('no queue message ever carries the hash or a password-looking field', async (t) => {
  const leaks = runs.filter((run) => sendsOf(run).some((m) => JSON.stringify(m).includes(HASH) || /pass|hash/i.test(Object.keys(m.body as object).join(' '))));
  t.equal(leaks.length, 0);
});

t.test('every queue message matches its contract', async (t) => {
  t.same(contractProblems(runs, passwordResetSaga.messages), []);
});

t.test('every request id is unique within its path and matches its body', async (t) => {
  t.same(requestIdProblems(runs), []);
});

t.test('invariants: the hash lives only from a submitted code to its verdict, no dead timers', async (t) => {
  const problems = new Set<string>();
  for (const run of runs) {
    for (const s of run.visited) {
      const value = String(s.value);
      passwordResetStatus(s);
      const holdsHash = value === 'verifyingCode' || value === 'changingPassword';
      if (holdsHash !== (s.context.passwordHash === HASH)) problems.add(`${value}: hash ${s.context.passwordHash ? 'kept' : 'missing'}`);
      for (const p of codeFlowStateProblems(s, step)) problems.add(p);
    }
  }
  t.same([...problems], []);
});

t.test('attempts only ever decrease, and only on an invalid code', async (t) => {
  t.same(attemptsProblems(runs), []);
});
