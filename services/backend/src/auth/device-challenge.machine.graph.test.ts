/**
 * Model-based tests: walk EVERY simple path of the device-challenge machine (xstate/graph) and
 * check properties of each whole path — end state, emitted effects, request ids, timers, the
 * client's device id (only its digest ever travels), and that a denied challenge never trusts.
 */
import t from 'tap';
import { attemptsProblems, beforeTimers, codeFlowGenerators, codeFlowStateProblems } from '../sagas/code-flow-graph.test-support.js';
import { checkCoverage, contractProblems, effectsOf, replayMismatches, requestIdProblems, sendsOf, walkEveryPath } from '../sagas/saga-graph.test-support.js';
import { deviceChallengeMachine, TRUST_DEVICE_EFFECT, type DeviceChallengeEvent } from './device-challenge.machine.js';
import { deviceChallengeSaga, deviceChallengeStatus } from './device-challenge.saga.js';
import { DEVICE_HASH, DIGEST, T0, challengeInput, stepChallenge, type ChallengeSnap as Snap } from './device-challenge.test-support.js';

const serializeState = (s: Snap): string => JSON.stringify({ value: s.value, resends: s.context.resends, lastError: s.context.lastError });
const runs = walkEveryPath<Snap, DeviceChallengeEvent>(deviceChallengeMachine, {
  input: challengeInput({ maxResends: 1 }),
  serializeState,
  generators: {
    ...codeFlowGenerators<Snap, DeviceChallengeEvent>(T0, (at) => ({ type: 'CODE_SUBMITTED', codeDigest: DIGEST, at })),
    deny: (s) => ({ type: 'DENIED', at: beforeTimers(T0, s) }),
    trusted: (s) => ({ type: 'DEVICE_TRUSTED', deviceId: `device-of-${s.context.challengeId}`, at: beforeTimers(T0, s) }),
  },
});

t.test('the graph is explored completely', async (t) => checkCoverage(t, deviceChallengeMachine, runs, 50));

t.test('replaying every path reproduces the graph', async (t) => {
  t.same(replayMismatches(runs, serializeState), [], 'same end state on replay');
});

t.test('trustDevice runs exactly once on every path to completed, never on a denied, expired, locked or failed one', async (t) => {
  const bad = runs.filter((run) => {
    const trusts = effectsOf(run, TRUST_DEVICE_EFFECT);
    const passedTrusting = run.visited.some((s) => s.value === 'trustingDevice');
    if (run.end.value === 'completed') return trusts.length !== 1 || run.end.context.deviceId === null;
    return trusts.length !== (passedTrusting ? 1 : 0) || (run.end.value === 'denied' && trusts.length > 0);
  });
  t.same(bad.map((b) => b.gens), []);
  t.ok(runs.some((r) => r.end.value === 'completed'));
  t.ok(runs.some((r) => r.end.value === 'denied'));
});

t.test('a denial is accepted until the code is confirmed, and never after', async (t) => {
  const problems = new Set<string>();
  for (const run of runs) {
    for (const s of run.visited) {
      const after = stepChallenge(s, { type: 'DENIED', at: beforeTimers(T0, s) })[0];
      const open = ['requestingCode', 'awaitingCode', 'verifyingCode'].includes(String(s.value));
      if (open && after.value !== 'denied') problems.add(`${String(s.value)}: denial refused`);
      if (!open && after.value !== s.value) problems.add(`${String(s.value)}: denial accepted after the code`);
    }
  }
  t.same([...problems], []);
});

t.test('no queue message carries the device digest or anything but the code digest', async (t) => {
  const leaks = runs.filter((run) => sendsOf(run).some((m) => JSON.stringify(m).includes(DEVICE_HASH) || /hash/i.test(Object.keys(m.body as object).join(' '))));
  t.equal(leaks.length, 0);
});

t.test('every queue message matches its contract', async (t) => {
  t.same(contractProblems(runs, deviceChallengeSaga.messages), []);
});

t.test('every request id is unique within its path and matches its body', async (t) => {
  t.same(requestIdProblems(runs), []);
});

t.test('invariants in every state of every path', async (t) => {
  const problems = new Set<string>();
  for (const run of runs) {
    for (const s of run.visited) {
      const value = String(s.value);
      deviceChallengeStatus(s); // must exist for every state
      if ((s.context.deviceId !== null) !== (value === 'completed')) problems.add(`${value}: device id set outside completed`);
      for (const p of codeFlowStateProblems(s, stepChallenge)) problems.add(p);
    }
  }
  t.same([...problems], []);
});

t.test('attempts only ever decrease, and only on an invalid code', async (t) => {
  t.same(attemptsProblems(runs), []);
});

t.test('the status view says what each state means to the client', async (t) => {
  const byState = new Map<string, string>();
  for (const run of runs) for (const s of run.visited) byState.set(String(s.value), deviceChallengeStatus(s).status);
  t.same(Object.fromEntries([...byState].sort()), {
    awaitingCode: 'awaiting-code',
    completed: 'completed',
    denied: 'denied',
    expired: 'expired',
    failed: 'failed',
    locked: 'locked',
    requestTimedOut: 'failed',
    requestingCode: 'pending',
    trustingDevice: 'verifying',
    verifyingCode: 'verifying',
  });
});
