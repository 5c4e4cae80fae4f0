/**
 * Model-based tests: walk EVERY simple path of the registration machine (xstate/graph) and check
 * properties of each whole path — end state, emitted effects, secrets, request ids, timers.
 */
import { validationReason } from '@ashchat/messaging';
import { listStates, listTransitions } from '@ashchat/saga';
import t from 'tap';
import { getSimplePaths } from 'xstate/graph';
import { CREATE_USER_EFFECT, registrationMachine, type RegistrationEvent } from './registration.machine.js';
import { registrationSaga, registrationStatus } from './registration.saga.js';
import { DIGEST, HASH, T0, allKeys, begin, input, sagaEffects, step, type EmittedAction, type Snap } from './registration.test-support.js';

/** A representative event, computed from the snapshot it is sent in (ids and tokens are per path). */
type Gen = (s: Snap) => RegistrationEvent | null;
const pending = (s: Snap) => s.context.pendingRequestId;
/** Before any armed timer is due, so ordinary events never race a timer. */
const now = (s: Snap) => Math.min(T0 + 1_000, ...Object.values(s.context.timers).map((x) => x.at - 1));
const replyGen =
  (type: 'CODE_SENT' | 'CODE_CONFIRMED' | 'CODE_LOCKED' | 'CODE_EXPIRED' | 'CODE_REQUEST_FAILED'): Gen =>
  (s) =>
    pending(s) ? { type, requestId: pending(s)!, at: now(s) } : null;
const timerGen =
  (timer: 'request' | 'expiry'): Gen =>
  (s) => {
    const armed = s.context.timers[timer];
    return armed ? { type: 'saga.timeout', timer, token: armed.token, at: armed.at } : null;
  };

const GENERATORS: Record<string, Gen> = {
  codeSent: replyGen('CODE_SENT'),
  requestFailed: replyGen('CODE_REQUEST_FAILED'),
  confirmed: replyGen('CODE_CONFIRMED'),
  locked: replyGen('CODE_LOCKED'),
  expiredReply: replyGen('CODE_EXPIRED'),
  invalid: (s) => (pending(s) ? { type: 'CODE_INVALID', requestId: pending(s)!, attemptsLeft: Math.max(0, s.context.attemptsLeft - 1), at: now(s) } : null),
  staleReply: (s) => ({ type: 'CODE_CONFIRMED', requestId: `r${s.context.seq + 100}`, at: now(s) }),
  submit: (s) => ({ type: 'CODE_SUBMITTED', codeDigest: DIGEST, at: now(s) }),
  resendTooEarly: (s) => (s.context.resendAvailableAt ? { type: 'RESEND_REQUESTED', at: s.context.resendAvailableAt - 1 } : null),
  resend: (s) => (s.context.resendAvailableAt ? { type: 'RESEND_REQUESTED', at: s.context.resendAvailableAt } : null),
  requestTimeout: timerGen('request'),
  expiryTimeout: timerGen('expiry'),
  staleTimeout: () => ({ type: 'saga.timeout', timer: 'expiry', token: 't0', at: T0 + 10 ** 9 }),
  userCreated: (s) => ({ type: 'USER_CREATED', userId: `user-${s.context.registrationId}`, at: now(s) }),
  userConflict: (s) => ({ type: 'USER_CONFLICT', at: now(s) }),
};

type Tagged = RegistrationEvent & { gen: string };
const eventsFor = (s: Snap): Tagged[] =>
  Object.entries(GENERATORS).flatMap(([gen, make]) => {
    const e = make(s);
    return e ? [{ ...e, gen } as Tagged] : [];
  });

/** Only what matters for the flow: ids, tokens and times would make the state space infinite. */
const serializeState = (s: Snap): string =>
  JSON.stringify({ value: s.value, resends: s.context.resends, lastError: s.context.lastError });

const TEST_INPUT = input({ maxResends: 1 });
const paths = getSimplePaths(registrationMachine, { input: TEST_INPUT, events: eventsFor, serializeState });

interface Replayed {
  end: Snap;
  visited: Snap[];
  effects: EmittedAction[];
  edges: string[];
}
/** Re-runs a path with the pure `transition`, materialising each event against the ACTUAL snapshot. */
function replay(gens: string[]): Replayed {
  let [s, actions] = begin({ maxResends: 1 });
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

/** xstate/graph paths start with an `xstate.init` step; each later step is (state after, event). */
const gensOf = (p: (typeof paths)[number]): string[] => p.steps.slice(1).map((st) => (st.event as Tagged).gen);
const runs = paths.map((p) => ({ path: p, gens: gensOf(p), run: replay(gensOf(p)) }));

t.test('the graph is explored completely', async (t) => {
  t.ok(paths.length > 50, `${paths.length} simple paths`);
  const reached = new Set(runs.map((r) => String(r.run.end.value)));
  for (const state of listStates(registrationMachine)) t.ok(reached.has(state.path), `state ${state.path} reached`);
  // Every transition of the chart is taken by at least one path.
  const taken = new Set(runs.flatMap((r) => r.run.edges));
  for (const tr of listTransitions(registrationMachine)) {
    for (const target of tr.targets) {
      t.ok(taken.has(`${tr.source}|${tr.event}|${target}`), `edge ${tr.source} --${tr.event}${tr.guard ? ` [${tr.guard}]` : ''}--> ${target}`);
    }
  }
});

t.test('replaying every path reproduces the graph', async (t) => {
  const mismatches = runs.filter((r) => serializeState(r.run.end) !== serializeState(r.path.state as Snap));
  t.same(mismatches.map((m) => m.gens), [], 'same end state on replay');
});

t.test('createUser runs exactly once on every path to completed, never elsewhere', async (t) => {
  const bad = runs.filter(({ run }) => {
    const creates = run.effects.filter((e) => e.type === 'saga.effect' && (e.params as { name: string }).name === CREATE_USER_EFFECT);
    const passedCreating = run.visited.some((s) => s.value === 'creatingUser');
    return run.end.value === 'completed' ? creates.length !== 1 : creates.length !== (passedCreating ? 1 : 0);
  });
  t.equal(bad.length, 0);
  t.ok(runs.some((r) => r.run.end.value === 'completed'));
});

t.test('no queue message ever carries the password hash', async (t) => {
  const leaks = runs.filter(({ run }) =>
    run.effects
      .filter((e) => e.type === 'saga.send')
      .some((e) => allKeys(e.params).some((k) => /pass|hash/i.test(k)) || JSON.stringify(e.params).includes(HASH)),
  );
  t.equal(leaks.length, 0);
});

t.test('every queue message matches its contract', async (t) => {
  const problems = new Set<string>();
  for (const { run } of runs) {
    for (const e of run.effects.filter((x) => x.type === 'saga.send')) {
      const { queue, body } = e.params as { queue: string; body: unknown };
      const schema = registrationSaga.messages[queue];
      const reason = schema ? validationReason(schema, body) : `undeclared queue ${queue}`;
      if (reason) problems.add(`${queue}: ${reason}`);
    }
  }
  t.same([...problems], []);
});

t.test('every request id is unique within its path and matches its body', async (t) => {
  const bad = runs.filter(({ run }) => {
    const sends = run.effects.filter((e) => e.type === 'saga.send').map((e) => e.params as { requestId: string; body: { requestId: string } });
    return new Set(sends.map((s) => s.requestId)).size !== sends.length || sends.some((s) => s.body.requestId !== s.requestId);
  });
  t.equal(bad.length, 0);
});

t.test('invariants in every state of every path', async (t) => {
  const problems = new Set<string>();
  for (const { run } of runs) {
    for (const s of run.visited) {
      const value = String(s.value);
      registrationStatus(s); // must exist for every state
      if (s.status === 'done') {
        if (s.context.passwordHash !== null) problems.add(`${value}: hash kept in a final state`);
        if (Object.keys(s.context.timers).length > 0) problems.add(`${value}: timers left in a final state`);
      } else if (s.context.passwordHash !== HASH) problems.add(`${value}: hash lost before the user exists`);
      const awaitsReply = value === 'requestingCode' || value === 'verifyingCode';
      if (awaitsReply !== (s.context.pendingRequestId !== null)) problems.add(`${value}: pending request mismatch`);
      // No dead timers: each armed timer's due event changes something, else the sweep would loop.
      for (const name of Object.keys(s.context.timers) as ('request' | 'expiry')[]) {
        if (step(s, timerGen(name)(s)!)[0] === s) problems.add(`${value}: timer ${name} armed but not handled`);
      }
    }
  }
  t.same([...problems], []);
});

t.test('attempts only ever decrease, and only on an invalid code', async (t) => {
  const bad = runs.filter(({ run, gens }) =>
    run.visited.some((s, i) => {
      if (i === 0) return false;
      const before = run.visited[i - 1]!.context.attemptsLeft;
      const gen = gens[i - 1];
      return s.context.attemptsLeft > before || (s.context.attemptsLeft < before && gen !== 'invalid');
    }),
  );
  t.equal(bad.length, 0);
});
