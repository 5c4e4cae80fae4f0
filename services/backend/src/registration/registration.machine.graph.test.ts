/**
 * Model-based tests: walk EVERY simple path of the registration machine (xstate/graph) and check
 * properties of each whole path — end state, emitted effects, secrets, request ids, timers.
 */
import t from 'tap';
import { attemptsProblems, beforeTimers, codeFlowGenerators, codeFlowStateProblems } from '../sagas/code-flow-graph.test-support.js';
import { checkCoverage, contractProblems, effectsOf, replayMismatches, requestIdProblems, sendsOf, walkEveryPath } from '../sagas/saga-graph.test-support.js';
import { CREATE_USER_EFFECT, registrationMachine, type RegistrationEvent } from './registration.machine.js';
import { registrationSaga, registrationStatus } from './registration.saga.js';
import { DIGEST, HASH, T0, allKeys, input, step, type Snap } from './registration.test-support.js';

const serializeState = (s: Snap): string => JSON.stringify({ value: s.value, resends: s.context.resends, lastError: s.context.lastError });
const runs = walkEveryPath<Snap, RegistrationEvent>(registrationMachine, {
  input: input({ maxResends: 1 }),
  serializeState,
  generators: {
    ...codeFlowGenerators<Snap, RegistrationEvent>(T0, (at) => ({ type: 'CODE_SUBMITTED', codeDigest: DIGEST, at })),
    userCreated: (s) => ({ type: 'USER_CREATED', userId: `user-${s.context.registrationId}`, at: beforeTimers(T0, s) }),
    userConflict: (s) => ({ type: 'USER_CONFLICT', at: beforeTimers(T0, s) }),
  },
});

t.test('the graph is explored completely', async (t) => checkCoverage(t, registrationMachine, runs, 50));

t.test('replaying every path reproduces the graph', async (t) => {
  t.same(replayMismatches(runs, serializeState), [], 'same end state on replay');
});

t.test('createUser runs exactly once on every path to completed, never elsewhere', async (t) => {
  const bad = runs.filter((run) => {
    const creates = effectsOf(run, CREATE_USER_EFFECT);
    const passedCreating = run.visited.some((s) => s.value === 'creatingUser');
    return run.end.value === 'completed' ? creates.length !== 1 : creates.length !== (passedCreating ? 1 : 0);
  });
  t.equal(bad.length, 0);
  t.ok(runs.some((r) => r.end.value === 'completed'));
});

t.test('no queue message ever carries the password hash', async (t) => {
  const leaks = runs.filter((run) => sendsOf(run).some((m) => allKeys(m).some((k) => /pass|hash/i.test(k)) || JSON.stringify(m).includes(HASH)));
  t.equal(leaks.length, 0);
});

t.test('every queue message matches its contract', async (t) => {
  t.same(contractProblems(runs, registrationSaga.messages), []);
});

t.test('every request id is unique within its path and matches its body', async (t) => {
  t.same(requestIdProblems(runs), []);
});

t.test('invariants in every state of every path', async (t) => {
  const problems = new Set<string>();
  for (const run of runs) {
    for (const s of run.visited) {
      const value = String(s.value);
      registrationStatus(s); // must exist for every state
      if (s.status === 'done' && s.context.passwordHash !== null) problems.add(`${value}: hash kept in a final state`);
      if (s.status !== 'done' && s.context.passwordHash !== HASH) problems.add(`${value}: hash lost before the user exists`);
      for (const p of codeFlowStateProblems(s, step)) problems.add(p);
    }
  }
  t.same([...problems], []);
});

t.test('attempts only ever decrease, and only on an invalid code', async (t) => {
  t.same(attemptsProblems(runs), []);
});
