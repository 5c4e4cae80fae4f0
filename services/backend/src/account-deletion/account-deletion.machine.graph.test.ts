/**
 * Model-based tests: walk EVERY simple path of the account-deletion machine (xstate/graph) —
 * batches that report more, stale and repeated results — and check each whole path.
 */
import { validationReason } from '@ashchat/messaging';
import { ACCOUNT_NOTICE_QUEUE } from '@ashchat/contracts';
import { listStates, listTransitions } from '@ashchat/saga';
import t from 'tap';
import { getSimplePaths } from 'xstate/graph';
import { accountDeletionMachine, DELETE_PROFILE_EFFECT, type AccountDeletionEvent } from './account-deletion.machine.js';
import { accountDeletionSaga, accountDeletionStatus } from './account-deletion.saga.js';
import { EMAIL, NICKNAME, T0, begin, input, result, sagaEffects, step, type EmittedAction, type Snap } from './account-deletion.test-support.js';

type Gen = (s: Snap) => AccountDeletionEvent | null;
const awaiting = (s: Snap): boolean => s.status === 'active' && s.context.pendingEffectId !== null;
/** A previous effect's result (what the relay's second run of an effect returns late). */
const stale = (s: Snap): AccountDeletionEvent | null => {
  if (!awaiting(s) || s.context.seq < 2) return null;
  const r = result(s);
  return { ...r, effectId: `e${s.context.seq - 1}` } as AccountDeletionEvent;
};

const GENERATORS: Record<string, Gen> = {
  done: (s) => (awaiting(s) ? result(s, { more: false, count: 2 }) : null),
  more: (s) => (awaiting(s) && (s.value === 'leavingConversations' || s.value === 'anonymisingMessages') ? result(s, { more: true, count: 10 }) : null),
  stale,
};

type Tagged = AccountDeletionEvent & { gen: string };
const eventsFor = (s: Snap): Tagged[] =>
  Object.entries(GENERATORS).flatMap(([gen, make]) => {
    const e = make(s);
    return e ? [{ ...e, gen } as Tagged] : [];
  });

/** Batches counted up to 2 per step: beyond that the flow is the same. */
const serializeState = (s: Snap): string =>
  JSON.stringify({ value: s.value, c: Math.min(2, s.context.conversationsLeft / 10 | 0), m: Math.min(2, s.context.messagesAnonymised / 10 | 0) });

const paths = getSimplePaths(accountDeletionMachine, { input: input(), events: eventsFor, serializeState });

interface Replayed {
  end: Snap;
  visited: Snap[];
  effects: EmittedAction[];
  edges: string[];
}
function replay(gens: string[]): Replayed {
  let [s, actions] = begin();
  const visited = [s];
  const effects = sagaEffects(actions);
  const edges: string[] = [];
  for (const gen of gens) {
    const event = GENERATORS[gen]!(s);
    if (!event) throw new Error(`generator ${gen} not applicable in ${String(s.value)}`);
    const from = String(s.value);
    [s, actions] = step(s, event);
    edges.push(`${from}|${event.type}|${String(s.value)}`);
    effects.push(...sagaEffects(actions));
    visited.push(s);
  }
  return { end: s, visited, effects, edges };
}

const gensOf = (p: (typeof paths)[number]): string[] => p.steps.slice(1).map((st) => (st.event as Tagged).gen);
const runs = paths.map((p) => ({ path: p, gens: gensOf(p), run: replay(gensOf(p)) }));

t.test('the graph is explored completely', async (t) => {
  t.ok(paths.length > 20, `${paths.length} simple paths`);
  const reached = new Set(runs.map((r) => String(r.run.end.value)));
  for (const state of listStates(accountDeletionMachine)) t.ok(reached.has(state.path), `state ${state.path} reached`);
  const taken = new Set(runs.flatMap((r) => r.run.edges));
  for (const tr of listTransitions(accountDeletionMachine)) {
    for (const target of tr.targets) t.ok(taken.has(`${tr.source}|${tr.event}|${target}`), `edge ${tr.source} --${tr.event}--> ${target}`);
  }
});

t.test('replaying every path reproduces the graph', async (t) => {
  t.same(runs.filter((r) => serializeState(r.run.end) !== serializeState(r.path.state as Snap)).map((m) => m.gens), []);
});

t.test('a stale result never moves the saga', async (t) => {
  const moved = runs.filter(({ run, gens }) => gens.some((g, i) => g === 'stale' && run.visited[i + 1] !== run.visited[i]));
  t.same(moved.map((m) => m.gens), []);
});

t.test('steps run in order; the profile goes once and the notice follows once, only on completion', async (t) => {
  const order = ['markUser', 'leaveConversations', 'anonymiseMessages', 'deleteProfile'];
  const bad = runs.filter(({ run }) => {
    const names = run.effects.filter((e) => e.type === 'saga.effect').map((e) => (e.params as { name: string }).name);
    const ranks = names.map((n) => order.indexOf(n));
    const ordered = ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1]!));
    const deletes = names.filter((n) => n === DELETE_PROFILE_EFFECT).length;
    const notices = run.effects.filter((e) => e.type === 'saga.send').length;
    const completed = run.end.value === 'completed';
    return !ordered || deletes > 1 || notices !== (completed ? 1 : 0) || (completed && deletes !== 1);
  });
  t.same(bad.map((b) => b.gens), []);
  t.ok(runs.some((r) => r.run.end.value === 'completed'));
});

t.test('every effect id is unique within a path and is the one awaited', async (t) => {
  const bad = runs.filter(({ run }) => {
    const ids = run.effects.filter((e) => e.type === 'saga.effect').map((e) => (e.params as { effectId: string }).effectId);
    return new Set(ids).size !== ids.length;
  });
  t.same(bad.map((b) => b.gens), []);
});

t.test('every message matches its contract and is one-way', async (t) => {
  const problems = new Set<string>();
  for (const { run } of runs) {
    for (const e of run.effects.filter((x) => x.type === 'saga.send')) {
      const { queue, body, oneWay } = e.params as { queue: string; body: unknown; oneWay?: boolean };
      const schema = accountDeletionSaga.messages[queue];
      const reason = schema ? validationReason(schema, body) : `undeclared queue ${queue}`;
      if (reason) problems.add(`${queue}: ${reason}`);
      if (queue !== ACCOUNT_NOTICE_QUEUE || oneWay !== true) problems.add(`${queue}: not the one-way notice`);
    }
  }
  t.same([...problems], []);
});

t.test('invariants in every state of every path', async (t) => {
  const problems = new Set<string>();
  for (const { run } of runs) {
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
