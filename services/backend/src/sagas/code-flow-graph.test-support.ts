/**
 * Test-only (excluded from the build): the event generators and path checks shared by the
 * graph tests of the code-flow sagas (a code requested, sent, submitted, confirmed; resends and
 * the `request`/`expiry` timers). Each saga adds its own events (submit, its effect's result).
 */
import type { SagaTimers } from '@ashchat/saga';
import type { Generator, PathRun } from './saga-graph.test-support.js';

export interface CodeFlowSnapshot {
  value: unknown;
  status: string;
  context: { pendingRequestId: string | null; timers: SagaTimers; attemptsLeft: number; seq: number; resendAvailableAt: number | null };
}

export type CodeFlowTimer = 'request' | 'expiry';
type CodeReply = 'CODE_SENT' | 'CODE_CONFIRMED' | 'CODE_LOCKED' | 'CODE_EXPIRED' | 'CODE_REQUEST_FAILED';

/** Before any armed timer is due (and at most t0 + 1 s), so ordinary events never race a timer. */
export const beforeTimers = (t0: number, s: CodeFlowSnapshot): number => Math.min(t0 + 1_000, ...Object.values(s.context.timers).map((x) => x.at - 1));

/** The due event of an armed timer, or null. */
export function timerDue<E>(s: CodeFlowSnapshot, timer: CodeFlowTimer): E | null {
  const armed = s.context.timers[timer];
  return armed ? ({ type: 'saga.timeout', timer, token: armed.token, at: armed.at } as E) : null;
}

/**
 * Replies to the pending request (each verdict), a stale reply, resends (too early and on time),
 * both timers and a stale timeout. `submit` makes the saga's CODE_SUBMITTED event.
 */
export function codeFlowGenerators<S extends CodeFlowSnapshot, E>(t0: number, submit: (at: number) => E): Record<string, Generator<S, E>> {
  const now = (s: S) => beforeTimers(t0, s);
  const pending = (s: S) => s.context.pendingRequestId;
  const reply =
    (type: CodeReply): Generator<S, E> =>
    (s) =>
      pending(s) ? ({ type, requestId: pending(s), at: now(s) } as E) : null;
  return {
    codeSent: reply('CODE_SENT'),
    requestFailed: reply('CODE_REQUEST_FAILED'),
    confirmed: reply('CODE_CONFIRMED'),
    locked: reply('CODE_LOCKED'),
    expiredReply: reply('CODE_EXPIRED'),
    invalid: (s) => (pending(s) ? ({ type: 'CODE_INVALID', requestId: pending(s), attemptsLeft: Math.max(0, s.context.attemptsLeft - 1), at: now(s) } as E) : null),
    staleReply: (s) => ({ type: 'CODE_CONFIRMED', requestId: `r${s.context.seq + 100}`, at: now(s) }) as E,
    submit: (s) => submit(now(s)),
    resendTooEarly: (s) => (s.context.resendAvailableAt ? ({ type: 'RESEND_REQUESTED', at: s.context.resendAvailableAt - 1 } as E) : null),
    resend: (s) => (s.context.resendAvailableAt ? ({ type: 'RESEND_REQUESTED', at: s.context.resendAvailableAt } as E) : null),
    requestTimeout: (s) => timerDue<E>(s, 'request'),
    expiryTimeout: (s) => timerDue<E>(s, 'expiry'),
    staleTimeout: () => ({ type: 'saga.timeout', timer: 'expiry', token: 't0', at: t0 + 10 ** 9 }) as E,
  };
}

/** Problems every code flow must not have in any state: timers left when done, a pending request outside the states awaiting a reply, an armed timer whose due event changes nothing (the sweep would loop). */
export function codeFlowStateProblems<S extends CodeFlowSnapshot, E>(s: S, step: (s: S, e: E) => [S, unknown]): string[] {
  const value = String(s.value);
  const problems: string[] = [];
  if (s.status === 'done' && Object.keys(s.context.timers).length > 0) problems.push(`${value}: timers left in a final state`);
  const awaitsReply = value === 'requestingCode' || value === 'verifyingCode';
  if (awaitsReply !== (s.context.pendingRequestId !== null)) problems.push(`${value}: pending request mismatch`);
  for (const name of Object.keys(s.context.timers) as CodeFlowTimer[]) {
    if (step(s, timerDue<E>(s, name)!)[0] === s) problems.push(`${value}: timer ${name} armed but not handled`);
  }
  return problems;
}

/** Paths on which the attempts left ever grow, or shrink on anything but an invalid code. */
export const attemptsProblems = <S extends CodeFlowSnapshot>(runs: PathRun<S>[]): string[][] =>
  runs
    .filter(({ visited, gens }) =>
      visited.some((s, i) => {
        if (i === 0) return false;
        const before = visited[i - 1]!.context.attemptsLeft;
        return s.context.attemptsLeft > before || (s.context.attemptsLeft < before && gens[i - 1] !== 'invalid');
      }),
    )
    .map((r) => r.gens);
