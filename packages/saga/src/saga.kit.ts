/**
 * Helpers for writing PURE saga machines: the action vocabulary the runtime understands and durable
 * timers kept in context. Spread `sagaActions` and `sagaGuards` into `setup({ actions, guards })`.
 */

/** A timer armed by the machine; `token` changes on every (re)arm so a stale expiry cannot fire. */
export interface SagaTimer {
  token: string;
  at: number;
}
export type SagaTimers = Record<string, SagaTimer>;

/** Context fields every saga machine keeps: a deterministic sequence (ids, tokens) and its timers. */
export interface SagaKitContext {
  seq: number;
  timers: SagaTimers;
}

export const SAGA_TIMEOUT = 'saga.timeout';
/** Sent by the runtime when a timer's Redis key expired or the sweep found it overdue. */
export interface SagaTimeoutEvent {
  type: 'saga.timeout';
  timer: string;
  token: string;
  at: number;
}

/** `saga.send`: publish `body` to `queue` (outbox, at-least-once) with correlationId `${sagaId}:${requestId}`. */
export interface SagaSendParams {
  queue: string;
  requestId: string;
  body: Record<string, unknown>;
  /** A one-way message (a notice): published without `replyTo`, no reply is expected. */
  oneWay?: boolean;
}
/** `saga.effect`: run the runtime's handler `name` with `payload` (outbox, idempotent by effectId); its result event comes back. */
export interface SagaEffectParams {
  name: string;
  effectId: string;
  payload: Record<string, unknown>;
  /**
   * Run before the transition is stored, and store its result event's transition in the same write
   * (one write instead of two). Safe only for an effect that is idempotent per saga, whose result
   * the target state takes, and that has a `compensations` entry for a run whose transition could
   * not be stored (see SagaRuntimeOptions). If the handler throws, the effect is stored in the
   * outbox and runs as usual. It runs under the saga's write lock: it must not send to its own saga.
   */
  inline?: boolean;
}

export const SAGA_SEND = 'saga.send';
export const SAGA_EFFECT = 'saga.effect';

/**
 * No-op implementations: the machine only *names* its effects; the runtime turns them into outbox
 * entries from the list `transition()` returns. Declared here so `params` are typed in `setup()`.
 */
export const sagaActions = {
  [SAGA_SEND]: (_args: unknown, _params: SagaSendParams): void => undefined,
  [SAGA_EFFECT]: (_args: unknown, _params: SagaEffectParams): void => undefined,
};

/** Next value of the context sequence, e.g. for request ids: `r${nextSeq(ctx)}`. */
export const nextSeq = (ctx: Pick<SagaKitContext, 'seq'>): number => ctx.seq + 1;

/**
 * Arms (or re-arms) timers; returns the context patch. Tokens come from the sequence, so they are
 * deterministic (the machine stays pure) and unique within the saga.
 */
export function armTimers(ctx: SagaKitContext, due: Record<string, number>): SagaKitContext {
  let seq = ctx.seq;
  const timers: SagaTimers = { ...ctx.timers };
  for (const [name, at] of Object.entries(due)) {
    seq += 1;
    timers[name] = { token: `t${seq}`, at };
  }
  return { seq, timers };
}

/** Context patch without the named timers (no names: all of them). */
export function disarmTimers(ctx: Pick<SagaKitContext, 'timers'>, ...names: string[]): Pick<SagaKitContext, 'timers'> {
  if (names.length === 0) return { timers: {} };
  const timers: SagaTimers = { ...ctx.timers };
  for (const name of names) delete timers[name];
  return { timers };
}

/** True when `event` is the current expiry of timer `name` (right token, and due at the event's time). */
export function isTimerDue(ctx: Pick<SagaKitContext, 'timers'>, event: { type: string }, name: string): boolean {
  if (event.type !== SAGA_TIMEOUT) return false;
  const e = event as SagaTimeoutEvent;
  const timer = ctx.timers[name];
  return e.timer === name && timer !== undefined && timer.token === e.token && e.at >= timer.at;
}

/** Guard `{ type: 'timerDue', params: { timer } }` (renders as `timerDue(timer)` in the state chart). */
export const sagaGuards = {
  timerDue: (args: { context: Pick<SagaKitContext, 'timers'>; event: { type: string } }, params: { timer: string }): boolean =>
    isTimerDue(args.context, args.event, params.timer),
};
