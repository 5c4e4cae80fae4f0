/**
 * Model-based tests: walk EVERY simple path of the device-challenge machine (xstate/graph) and
 * check properties of each whole path — end state, emitted effects, request ids, timers, the
 * client's device id (only its digest ever travels), and that a denied challenge never trusts.
 */
import { validationReason } from '@ashchat/messaging';
import { listStates, listTransitions } from '@ashchat/saga';
import t from 'tap';
import { getSimplePaths } from 'xstate/graph';
import { deviceChallengeMachine, TRUST_DEVICE_EFFECT, type DeviceChallengeEvent } from './device-challenge.machine.js';
import { deviceChallengeSaga, deviceChallengeStatus } from './device-challenge.saga.js';
import { DIGEST, T0, beginChallenge, challengeInput, sagaEffects, stepChallenge, type ChallengeSnap as Snap, type EmittedAction } from './device-challenge.test-support.js';

type Gen = (s: Snap) => DeviceChallengeEvent | null;
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
  deny: (s) => ({ type: 'DENIED', at: now(s) }),
  requestTimeout: timerGen('request'),
  expiryTimeout: timerGen('expiry'),
  staleTimeout: () => ({ type: 'saga.timeout', timer: 'expiry', token: 't0', at: T0 + 10 ** 9 }),
  trusted: (s) => ({ type: 'DEVICE_TRUSTED', deviceId: `device-of-${s.context.challengeId}`, at: now(s) }),
};

type Tagged = DeviceChallengeEvent & { gen: string };
const eventsFor = (s: Snap): Tagged[] =>
  Object.entries(GENERATORS).flatMap(([gen, make]) => {
    const e = make(s);
    return e ? [{ ...e, gen } as Tagged] : [];
  });

/** Only what matters for the flow: ids, tokens and times would make the state space infinite. */
const serializeState = (s: Snap): string => JSON.stringify({ value: s.value, resends: s.context.resends, lastError: s.context.lastError });

const paths = getSimplePaths(deviceChallengeMachine, { input: challengeInput({ maxResends: 1 }), events: eventsFor, serializeState });

interface Replayed {
  end: Snap;
  visited: Snap[];
  effects: EmittedAction[];
  edges: string[];
}
function replay(gens: string[]): Replayed {
  let [s, actions] = beginChallenge({ maxResends: 1 });
  const visited = [s];
  const effects = sagaEffects(actions);
  const edges: string[] = [];
  for (const gen of gens) {
    const event = GENERATORS[gen]!(s);
    if (!event) throw new Error(`generator ${gen} not applicable in ${String(s.value)}`);
    const from = String(s.value);
    [s, actions] = stepChallenge(s, event);
    edges.push(`${from}|${event.type}|${String(s.value)}`);
    effects.push(...sagaEffects(actions));
    visited.push(s);
  }
  return { end: s, visited, effects, edges };
}

const gensOf = (p: (typeof paths)[number]): string[] => p.steps.slice(1).map((st) => (st.event as Tagged).gen);
const runs = paths.map((p) => ({ path: p, gens: gensOf(p), run: replay(gensOf(p)) }));

t.test('the graph is explored completely', async (t) => {
  t.ok(paths.length > 50, `${paths.length} simple paths`);
  const reached = new Set(runs.map((r) => String(r.run.end.value)));
  for (const state of listStates(deviceChallengeMachine)) t.ok(reached.has(state.path), `state ${state.path} reached`);
  const taken = new Set(runs.flatMap((r) => r.run.edges));
  for (const tr of listTransitions(deviceChallengeMachine)) {
    for (const target of tr.targets) {
      t.ok(taken.has(`${tr.source}|${tr.event}|${target}`), `edge ${tr.source} --${tr.event}${tr.guard ? ` [${tr.guard}]` : ''}--> ${target}`);
    }
  }
});

t.test('replaying every path reproduces the graph', async (t) => {
  const mismatches = runs.filter((r) => serializeState(r.run.end) !== serializeState(r.path.state as Snap));
  t.same(mismatches.map((m) => m.gens), [], 'same end state on replay');
});

t.test('trustDevice runs exactly once on every path to completed, never on a denied, expired, locked or failed one', async (t) => {
  const bad = runs.filter(({ run }) => {
    const trusts = run.effects.filter((e) => e.type === 'saga.effect' && (e.params as { name: string }).name === TRUST_DEVICE_EFFECT);
    const passedTrusting = run.visited.some((s) => s.value === 'trustingDevice');
    if (run.end.value === 'completed') return trusts.length !== 1 || run.end.context.deviceId === null;
    return trusts.length !== (passedTrusting ? 1 : 0) || (run.end.value === 'denied' && trusts.length > 0);
  });
  t.same(bad.map((b) => b.gens), []);
  t.ok(runs.some((r) => r.run.end.value === 'completed'));
  t.ok(runs.some((r) => r.run.end.value === 'denied'));
});

t.test('a denial is accepted until the code is confirmed, and never after', async (t) => {
  const problems = new Set<string>();
  for (const { run } of runs) {
    for (const s of run.visited) {
      const after = stepChallenge(s, { type: 'DENIED', at: now(s) })[0];
      const open = ['requestingCode', 'awaitingCode', 'verifyingCode'].includes(String(s.value));
      if (open && after.value !== 'denied') problems.add(`${String(s.value)}: denial refused`);
      if (!open && after.value !== s.value) problems.add(`${String(s.value)}: denial accepted after the code`);
    }
  }
  t.same([...problems], []);
});

t.test('no queue message carries the device digest or anything but the code digest', async (t) => {
  const leaks = runs.filter(({ run }) =>
    run.effects.filter((e) => e.type === 'saga.send').some((e) => JSON.stringify(e.params).includes(challengeInput().deviceIdHash) || /hash/i.test(JSON.stringify(Object.keys((e.params as { body: object }).body)))),
  );
  t.equal(leaks.length, 0);
});

t.test('every queue message matches its contract', async (t) => {
  const problems = new Set<string>();
  for (const { run } of runs) {
    for (const e of run.effects.filter((x) => x.type === 'saga.send')) {
      const { queue, body } = e.params as { queue: string; body: unknown };
      const schema = deviceChallengeSaga.messages[queue];
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
      deviceChallengeStatus(s); // must exist for every state
      if (s.status === 'done' && Object.keys(s.context.timers).length > 0) problems.add(`${value}: timers left in a final state`);
      const awaitsReply = value === 'requestingCode' || value === 'verifyingCode';
      if (awaitsReply !== (s.context.pendingRequestId !== null)) problems.add(`${value}: pending request mismatch`);
      if ((s.context.deviceId !== null) !== (value === 'completed')) problems.add(`${value}: device id set outside completed`);
      for (const name of Object.keys(s.context.timers) as ('request' | 'expiry')[]) {
        if (stepChallenge(s, timerGen(name)(s)!)[0] === s) problems.add(`${value}: timer ${name} armed but not handled`);
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

t.test('the status view says what each state means to the client', async (t) => {
  const byState = new Map<string, string>();
  for (const { run } of runs) for (const s of run.visited) byState.set(String(s.value), deviceChallengeStatus(s).status);
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
