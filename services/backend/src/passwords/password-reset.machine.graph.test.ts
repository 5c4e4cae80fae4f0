/**
 * Model-based tests: walk EVERY simple path of the password-reset machine (xstate/graph) and check
 * properties of each whole path — end state, effects, the hash's lifetime, request ids, timers.
 */
import { validationReason } from '@ashchat/messaging';
import { listStates, listTransitions } from '@ashchat/saga';
import t from 'tap';
import { getSimplePaths } from 'xstate/graph';
import { ACCOUNT_NOTICE_QUEUE } from '@ashchat/contracts';
import { SET_PASSWORD_EFFECT, passwordResetMachine, type PasswordResetEvent } from './password-reset.machine.js';
import { passwordResetSaga, passwordResetStatus } from './password-reset.saga.js';
import { DIGEST, HASH, T0, begin, input, sagaEffects, step, type EmittedAction, type Snap } from './password-reset.test-support.js';

type Gen = (s: Snap) => PasswordResetEvent | null;
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
  submit: (s) => ({ type: 'CODE_SUBMITTED', codeDigest: DIGEST, passwordHash: HASH, at: now(s) }),
  resendTooEarly: (s) => (s.context.resendAvailableAt ? { type: 'RESEND_REQUESTED', at: s.context.resendAvailableAt - 1 } : null),
  resend: (s) => (s.context.resendAvailableAt ? { type: 'RESEND_REQUESTED', at: s.context.resendAvailableAt } : null),
  requestTimeout: timerGen('request'),
  expiryTimeout: timerGen('expiry'),
  staleTimeout: () => ({ type: 'saga.timeout', timer: 'expiry', token: 't0', at: T0 + 10 ** 9 }),
  passwordChanged: (s) => ({ type: 'PASSWORD_CHANGED', changedAt: now(s), at: now(s) }),
  userGone: (s) => ({ type: 'USER_GONE', at: now(s) }),
};

type Tagged = PasswordResetEvent & { gen: string };
const eventsFor = (s: Snap): Tagged[] =>
  Object.entries(GENERATORS).flatMap(([gen, make]) => {
    const e = make(s);
    return e ? [{ ...e, gen } as Tagged] : [];
  });

const serializeState = (s: Snap): string => JSON.stringify({ value: s.value, resends: s.context.resends, lastError: s.context.lastError });

const paths = getSimplePaths(passwordResetMachine, { input: input({ maxResends: 1 }), events: eventsFor, serializeState });

interface Replayed {
  end: Snap;
  visited: Snap[];
  effects: EmittedAction[];
  edges: string[];
}
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

const gensOf = (p: (typeof paths)[number]): string[] => p.steps.slice(1).map((st) => (st.event as Tagged).gen);
const runs = paths.map((p) => ({ path: p, gens: gensOf(p), run: replay(gensOf(p)) }));
const isSend = (e: EmittedAction, queue?: string) => e.type === 'saga.send' && (!queue || (e.params as { queue: string }).queue === queue);

t.test('the graph is explored completely', async (t) => {
  t.ok(paths.length > 50, `${paths.length} simple paths`);
  const reached = new Set(runs.map((r) => String(r.run.end.value)));
  for (const state of listStates(passwordResetMachine)) t.ok(reached.has(state.path), `state ${state.path} reached`);
  const taken = new Set(runs.flatMap((r) => r.run.edges));
  for (const tr of listTransitions(passwordResetMachine)) {
    for (const target of tr.targets) t.ok(taken.has(`${tr.source}|${tr.event}|${target}`), `edge ${tr.source} --${tr.event}--> ${target}`);
  }
});

t.test('replaying every path reproduces the graph', async (t) => {
  t.same(runs.filter((r) => serializeState(r.run.end) !== serializeState(r.path.state as Snap)).map((m) => m.gens), []);
});

t.test('setPassword runs exactly once on every path that reaches changingPassword, never elsewhere', async (t) => {
  const bad = runs.filter(({ run }) => {
    const sets = run.effects.filter((e) => e.type === 'saga.effect' && (e.params as { name: string }).name === SET_PASSWORD_EFFECT);
    return sets.length !== (run.visited.some((s) => s.value === 'changingPassword') ? 1 : 0);
  });
  t.equal(bad.length, 0);
});

t.test('the notice goes out exactly once, one way, on every path to completed and on no other', async (t) => {
  const bad = runs.filter(({ run }) => {
    const notices = run.effects.filter((e) => isSend(e, ACCOUNT_NOTICE_QUEUE));
    if (notices.some((n) => (n.params as { oneWay?: boolean }).oneWay !== true)) return true;
    return notices.length !== (run.end.value === 'completed' ? 1 : 0);
  });
  t.equal(bad.length, 0);
  t.ok(runs.some((r) => r.run.end.value === 'completed'));
});

t.test('no queue message ever carries the hash or a password-looking field', async (t) => {
  const leaks = runs.filter(({ run }) => run.effects.filter((e) => isSend(e)).some((e) => JSON.stringify(e.params).includes(HASH) || /pass|hash/i.test(JSON.stringify(Object.keys((e.params as { body: object }).body)))));
  t.equal(leaks.length, 0);
});

t.test('every queue message matches its contract', async (t) => {
  const problems = new Set<string>();
  for (const { run } of runs) {
    for (const e of run.effects.filter((x) => isSend(x))) {
      const { queue, body } = e.params as { queue: string; body: unknown };
      const schema = passwordResetSaga.messages[queue];
      const reason = schema ? validationReason(schema, body) : `undeclared queue ${queue}`;
      if (reason) problems.add(`${queue}: ${reason}`);
    }
  }
  t.same([...problems], []);
});

t.test('every request id is unique within its path and matches its body', async (t) => {
  const bad = runs.filter(({ run }) => {
    const sends = run.effects.filter((e) => isSend(e)).map((e) => e.params as { requestId: string; oneWay?: boolean; body: { requestId?: string } });
    return new Set(sends.map((s) => s.requestId)).size !== sends.length || sends.some((s) => !s.oneWay && s.body.requestId !== s.requestId);
  });
  t.equal(bad.length, 0);
});

t.test('invariants: the hash lives only from a submitted code to its verdict, no dead timers', async (t) => {
  const problems = new Set<string>();
  for (const { run } of runs) {
    for (const s of run.visited) {
      const value = String(s.value);
      passwordResetStatus(s);
      const holdsHash = value === 'verifyingCode' || value === 'changingPassword';
      if (holdsHash !== (s.context.passwordHash === HASH)) problems.add(`${value}: hash ${s.context.passwordHash ? 'kept' : 'missing'}`);
      if (s.status === 'done' && Object.keys(s.context.timers).length > 0) problems.add(`${value}: timers left in a final state`);
      const awaitsReply = value === 'requestingCode' || value === 'verifyingCode';
      if (awaitsReply !== (s.context.pendingRequestId !== null)) problems.add(`${value}: pending request mismatch`);
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
      return s.context.attemptsLeft > before || (s.context.attemptsLeft < before && gens[i - 1] !== 'invalid');
    }),
  );
  t.equal(bad.length, 0);
});
