/**
 * Model-based tests: walk EVERY simple path of the account-deletion machine (xstate/graph) —
 * batches that report more, stale and repeated results — and check each whole path.
 */
import { ACCOUNT_NOTICE_QUEUE } from '@ashchat/contracts';
import t from 'tap';
import { checkCoverage, contractProblems, effectsOf, replayMismatches, sendsOf, walkEveryPath } from '../sagas/saga-graph.test-support.js';
import { accountDeletionMachine, DELETE_PROFILE_EFFECT, type AccountDeletionEvent } from './account-deletion.machine.js';
import { accountDeletionSaga, accountDeletionStatus } from './account-deletion.saga.js';
import { EMAIL, NICKNAME, T0, input, result, type Snap } from './account-deletion.test-support.js';

const awaiting = (s: Snap): boolean => s.status === 'active' && s.context.pendingEffectId !== null;
/** A previous effect's result (what the relay's second run of an effect returns late). */
const stale = (s: Snap): AccountDeletionEvent | null => {
  if (!awaiting(s) || s.context.seq < 2) return null;
  const r = result(s);
  return { ...r, effectId: `e${s.context.seq - 1}` } as AccountDeletionEvent;
};

/** Batches counted up to 2 per step: beyond that the flow is the same. */
const serializeState = (s: Snap): string =>
  JSON.stringify({ value: s.value, c: Math.min(2, s.context.conversationsLeft / 10 | 0), m: Math.min(2, s.context.messagesAnonymised / 10 | 0) });

const runs = walkEveryPath<Snap, AccountDeletionEvent>(accountDeletionMachine, {
  input: input(),
  serializeState,
  generators: {
    done: (s) => (awaiting(s) ? result(s, { more: false, count: 2 }) : null),
    more: (s) => (awaiting(s) && (s.value === 'leavingConversations' || s.value === 'anonymisingMessages') ? result(s, { more: true, count: 10 }) : null),
    stale,
  },
});

t.test('the graph is explored completely', async (t) => checkCoverage(t, accountDeletionMachine, runs, 20));

t.test('replaying every path reproduces the graph', async (t) => {
  t.same(replayMismatches(runs, serializeState), []);
});

t.test('a stale result never moves the saga', async (t) => {
  const moved = runs.filter(({ visited, gens }) => gens.some((g, i) => g === 'stale' && visited[i + 1] !== visited[i]));
  t.same(moved.map((m) => m.gens), []);
});

t.test('steps run in order; the profile goes once and the notice follows once, only on completion', async (t) => {
  const order = ['markUser', 'leaveConversations', 'anonymiseMessages', 'deleteProfile'];
  const bad = runs.filter((run) => {
    const names = effectsOf(run).map((e) => e.name);
    const ranks = names.map((n) => order.indexOf(n));
    const ordered = ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1]!));
    const deletes = names.filter((n) => n === DELETE_PROFILE_EFFECT).length;
    const notices = sendsOf(run).length;
    const completed = run.end.value === 'completed';
    return !ordered || deletes > 1 || notices !== (completed ? 1 : 0) || (completed && deletes !== 1);
  });
  t.same(bad.map((b) => b.gens), []);
  t.ok(runs.some((r) => r.end.value === 'completed'));
});

t.test('every effect id is unique within a path and is the one awaited', async (t) => {
  const bad = runs.filter((run) => {
    const ids = effectsOf(run).map((e) => e.effectId);
    return new Set(ids).size !== ids.length;
  });
  t.same(bad.map((b) => b.gens), []);
});

t.test('every message matches its contract and is one-way', async (t) => {
  t.same(contractProblems(runs, accountDeletionSaga.messages), []);
  const others = runs.flatMap((run) => sendsOf(run).filter((m) => m.queue !== ACCOUNT_NOTICE_QUEUE || m.oneWay !== true));
  t.same([...new Set(others.map((m) => `${m.queue}: not the one-way notice`))], []);
});

t.test('invariants in every state of every path', async (t) => {
  const problems = new Set<string>();
  for (const run of runs) {
    for (const s of run.visited) {
      const value = String(s.value);
      accountDeletionStatus(s);
      const personal = JSON.stringify(s.context).includes(EMAIL) || JSON.stringify(s.context).includes(NICKNAME);
      if (s.status === 'done') {
        if (personal) problems.add(`${value}: address or nickname kept`);
        if (s.context.pendingEffectId !== null) problems.add(`${value}: effect pending in a final state`);
        if (s.context.completedAt === null || s.context.completedAt < T0) problems.add(`${value}: no completion time`);
      } else {
        if (!personal) problems.add(`${value}: address lost before the notice`);
        if (s.context.pendingEffectId === null) problems.add(`${value}: no effect awaited`);
      }
      if (Object.keys(s.context.timers).length > 0) problems.add(`${value}: a timer armed`);
    }
  }
  t.same([...problems], []);
});
