/**
 * Model-based tests: walk EVERY simple path of the digest machine (xstate/graph) — timers that are
 * due or stale, compose results current or stale, replies current or stale, messages in every
 * state — and check each whole path: at most one mail request per period, every request on
 * contract, nothing moves on a stale event.
 */
import { DIGEST_MAIL_QUEUE, type DigestMailRequest } from '@ashchat/contracts';
import t from 'tap';
import type { SnapshotFrom } from 'xstate';
import { checkCoverage, contractProblems, effectsOf, replayMismatches, requestIdProblems, sendsOf, walkEveryPath } from '../sagas/saga-graph.test-support.js';
import { digestMachine, digestIdOf, type ComposedDigest, type DigestEvent, type DigestInput } from './digest.machine.js';
import { digestSaga } from './digest.saga.js';

type Snap = SnapshotFrom<typeof digestMachine>;
const T0 = 1_700_000_000_000;
const DELAY = 60_000;
const PERIOD = 600_000;
const USER = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';
const input: DigestInput = { userId: USER, delayMs: DELAY, periodMs: PERIOD, at: T0 };
const MAIL: ComposedDigest = {
  email: 'ada@example.org',
  nickname: 'Ada Lovelace',
  preferredLanguage: 'en',
  conversations: [{ conversationId: '665f1c9eb3d4e5f6a7b8c9d0', name: 'Bob', unreadCount: 2, mentionCount: 1, excerpts: [{ sender: 'Bob', text: 'Hi @Ada', at: T0 }] }],
  moreConversations: 0,
};

/** The latest time the saga has seen: events never go back in time. */
const now = (s: Snap): number => Math.max(T0, ...Object.values(s.context.timers).map((x) => x.at - DELAY), s.context.unreadSince ?? T0, s.context.lastSentAt ?? T0) + 1;
const due = (s: Snap, timer: 'digest' | 'cooldown'): DigestEvent | null => {
  const armed = s.context.timers[timer];
  return armed ? { type: 'saga.timeout', timer, token: armed.token, at: armed.at } : null;
};
const result = (s: Snap, make: (effectId: string, at: number) => DigestEvent): DigestEvent | null =>
  s.context.pendingEffectId ? make(s.context.pendingEffectId, now(s)) : null;

/** The sequence (capped) tells a second wait after a check from the first, so simple paths go round once more. */
const serializeState = (s: Snap): string =>
  JSON.stringify({ value: s.value, seq: Math.min(3, s.context.seq), cycle: Math.min(2, s.context.cycle), unread: s.context.unreadSince !== null, timers: Object.keys(s.context.timers).sort() });

const runs = walkEveryPath<Snap, DigestEvent>(digestMachine, {
  input,
  serializeState,
  generators: {
    unread: (s) => ({ type: 'UNREAD', messageId: '665f1c9eb3d4e5f6a7b8c9e1', at: now(s) }),
    digestDue: (s) => due(s, 'digest'),
    cooldownDue: (s) => due(s, 'cooldown'),
    staleTimer: (s) => (s.context.timers.digest || s.context.timers.cooldown ? { type: 'saga.timeout', timer: 'digest', token: 't0', at: now(s) + PERIOD * 2 } : null),
    composed: (s) => result(s, (effectId, at) => ({ type: 'DIGEST_COMPOSED', effectId, mail: MAIL, at })),
    deferred: (s) => result(s, (effectId, at) => ({ type: 'DIGEST_DEFERRED', effectId, until: at + 1_000, at })),
    skipped: (s) => result(s, (effectId, at) => ({ type: 'DIGEST_SKIPPED', effectId, reason: 'online', at })),
    staleResult: (s) => (s.context.pendingEffectId ? { type: 'DIGEST_COMPOSED', effectId: 'e0', mail: MAIL, at: now(s) } : null),
    sent: (s) => (s.context.pendingRequestId ? { type: 'MAIL_REPLIED', requestId: s.context.pendingRequestId, outcome: 'sent', at: now(s) } : null),
    failed: (s) => (s.context.pendingRequestId ? { type: 'MAIL_REPLIED', requestId: s.context.pendingRequestId, outcome: 'failed', at: now(s) } : null),
    staleReply: (s) => (s.value !== 'idle' ? { type: 'MAIL_REPLIED', requestId: 'r0', outcome: 'sent', at: now(s) } : null),
  },
});

t.test('the graph is explored completely', async (t) => checkCoverage(t, digestMachine, runs, 50));

t.test('replaying every path reproduces the graph', async (t) => {
  t.same(replayMismatches(runs, serializeState), []);
});

t.test('a stale timer, result or reply never moves the saga', async (t) => {
  const stale = ['staleTimer', 'staleResult', 'staleReply'];
  const moved = runs.filter(({ visited, gens }) => gens.some((g, i) => stale.includes(g) && JSON.stringify(visited[i + 1]!.context) !== JSON.stringify(visited[i]!.context)));
  t.same(moved.map((m) => m.gens), []);
});

t.test('one mail request per period, each with its own dedup key, only after a current composition', async (t) => {
  const bad = runs.filter((run) => {
    const sends = sendsOf(run, DIGEST_MAIL_QUEUE).map((m) => m.body as DigestMailRequest);
    const keys = new Set(sends.map((b) => b.dedupKey));
    // Between two requests the cooldown timer (armed at the request, a period later) expired.
    const requestAt = (cycle: number): number | undefined => sends.find((x) => x.dedupKey === `${digestIdOf(USER)}:${cycle}`)?.at;
    const cooldownArmed = run.visited.every((s, i) => {
      if (i === 0 || String(s.value) !== 'sending' || String(run.visited[i - 1]!.value) !== 'composing') return true;
      const at = requestAt(s.context.cycle);
      return at !== undefined && s.context.timers.cooldown?.at === at + PERIOD;
    });
    const expiries = run.edges.map((e, i) => (/^(sending|cooldown)\|saga\.timeout\|/.test(e) ? i : -1)).filter((i) => i >= 0);
    const sendSteps = run.edges.map((e, i) => (e === 'composing|DIGEST_COMPOSED|sending' ? i : -1)).filter((i) => i >= 0);
    const spaced = cooldownArmed && sendSteps.every((step, i) => i === 0 || expiries.some((x) => x > sendSteps[i - 1]! && x < step));
    const composedHere = run.edges.filter((e) => e === 'composing|DIGEST_COMPOSED|sending').length;
    return keys.size !== sends.length || !spaced || composedHere !== sends.length || sends.some((b) => b.digestId !== digestIdOf(USER));
  });
  t.same(bad.map((b) => b.gens), []);
  t.ok(runs.some((r) => sendsOf(r).length === 2), 'some path mails twice, a period apart');
});

t.test('every request matches its contract; request ids are unique and repeated in the body', async (t) => {
  t.same(contractProblems(runs, digestSaga.messages), []);
  t.same(requestIdProblems(runs), []);
});

t.test('the composition runs once per timer expiry, each with a fresh effect id', async (t) => {
  const bad = runs.filter((run) => {
    const ids = effectsOf(run).map((e) => e.effectId);
    const expiries = run.edges.filter((e) => e === 'waiting|saga.timeout|composing').length;
    return new Set(ids).size !== ids.length || ids.length !== expiries;
  });
  t.same(bad.map((b) => b.gens), []);
});

t.test('invariants in every state of every path', async (t) => {
  const problems = new Set<string>();
  for (const run of runs) {
    for (const s of run.visited) {
      const value = String(s.value);
      const timers = Object.keys(s.context.timers).sort().join(',');
      const expected: Record<string, string> = { idle: '', waiting: 'digest', composing: '', sending: 'cooldown', cooldown: 'cooldown' };
      if (timers !== expected[value]) problems.add(`${value}: timers ${timers || 'none'}`);
      if ((s.context.pendingEffectId !== null) !== (value === 'composing')) problems.add(`${value}: effect awaited ${s.context.pendingEffectId}`);
      if ((s.context.pendingRequestId !== null) !== (value === 'sending')) problems.add(`${value}: reply awaited ${s.context.pendingRequestId}`);
      if (s.status !== 'active') problems.add(`${value}: the saga ended`);
      if (s.context.unreadSince !== null && !['composing', 'sending', 'cooldown'].includes(value)) problems.add(`${value}: a remembered message outside a busy state`);
      if (JSON.stringify(s.context).includes(MAIL.email)) problems.add(`${value}: the mail's content kept in the context`);
    }
  }
  t.same([...problems], []);
});
