/**
 * What every "mailed code" saga (registration, password reset, device challenge) shares, as pure
 * functions: the verifier's reply → machine event, and the context patches and guards of the code
 * steps. Each machine keeps its own `setup()` and calls these inside its own `assign(...)`, so its
 * states, events and descriptions (the generated charts) stay its own.
 */
import { armTimers, disarmTimers, nextSeq, type SagaKitContext } from '@ashchat/saga';

export type CodeFlowLastError = 'invalid-code' | 'verifier-timeout';

/** The part of a code flow's context these functions read and patch. */
export interface CodeFlowContext extends SagaKitContext {
  codeTtlMs: number;
  resendCooldownMs: number;
  maxResends: number;
  requestTimeoutMs: number;
  /** The request whose reply is awaited; any other reply is stale. */
  pendingRequestId: string | null;
  /** When the current code stops being valid (null once no code matters any more). */
  expiresAt: number | null;
  resendAvailableAt: number | null;
  resends: number;
  attemptsLeft: number;
  lastError: CodeFlowLastError | null;
}

type Reply<T extends string, X = object> = { type: T; requestId: string; at: number } & X;
/** The verifier's answers, as events (each flow's event union includes these). */
export type CodeFlowReplyEvent =
  | Reply<'CODE_SENT'>
  | Reply<'CODE_REQUEST_FAILED', { reason?: string }>
  | Reply<'CODE_CONFIRMED'>
  | Reply<'CODE_INVALID', { attemptsLeft: number }>
  | Reply<'CODE_LOCKED'>
  | Reply<'CODE_EXPIRED'>;

type DistributiveOmitAt<E> = E extends unknown ? Omit<E, 'at'> : never;
export type CodeFlowReplyEventInput = DistributiveOmitAt<CodeFlowReplyEvent>;

/** The fields of a code reply (RegistrationReply or CodeFlowReply) this mapping reads. */
interface CodeReplyFields {
  requestId?: unknown;
  outcome?: unknown;
  reason?: unknown;
  attemptsLeft?: unknown;
}

/**
 * Reply body (already validated against the flow's reply union by the consumer) → machine event.
 * The correlation id's request id must match the body's; the machine then decides if it is still current.
 */
export function codeReplyToEvent(body: unknown, meta: { requestId: string }): CodeFlowReplyEventInput | null {
  const reply = body as CodeReplyFields | null;
  if (!reply || typeof reply !== 'object' || reply.requestId !== meta.requestId) return null;
  const requestId = meta.requestId;
  switch (reply.outcome) {
    case 'code-sent':
      return { type: 'CODE_SENT', requestId };
    case 'failed':
      return { type: 'CODE_REQUEST_FAILED', requestId, ...(typeof reply.reason === 'string' && reply.reason ? { reason: reply.reason } : {}) };
    case 'confirmed':
      return { type: 'CODE_CONFIRMED', requestId };
    case 'invalid':
      return { type: 'CODE_INVALID', requestId, attemptsLeft: typeof reply.attemptsLeft === 'number' ? reply.attemptsLeft : 0 };
    case 'locked':
      return { type: 'CODE_LOCKED', requestId };
    case 'expired':
      return { type: 'CODE_EXPIRED', requestId };
    default:
      return null;
  }
}

type Patch = Partial<CodeFlowContext>;

/** A fresh code request: new request id, new expiry, both timers (re)armed. */
export function freshCodeRequest(ctx: CodeFlowContext, at: number): Patch {
  const expiresAt = at + ctx.codeTtlMs;
  return {
    pendingRequestId: `r${nextSeq(ctx)}`,
    expiresAt,
    resendAvailableAt: null,
    ...armTimers({ seq: nextSeq(ctx), timers: ctx.timers }, { request: at + ctx.requestTimeoutMs, expiry: expiresAt }),
  };
}

/** The verifier mailed the code: nothing pending, the resend cooldown starts. */
export const codeSentPatch = (ctx: CodeFlowContext, at: number): Patch => ({
  pendingRequestId: null,
  resendAvailableAt: at + ctx.resendCooldownMs,
  ...disarmTimers(ctx, 'request'),
});

/** A resend: one more counted, the old code stops mattering. */
export const newCodeRequestedPatch = (ctx: CodeFlowContext, at: number): Patch => ({
  resends: ctx.resends + 1,
  lastError: null,
  ...freshCodeRequest(ctx, at),
});

/** A submitted code goes to the verifier: a new request id and its timer. */
export const verificationStartedPatch = (ctx: CodeFlowContext, at: number): Patch => ({
  pendingRequestId: `r${nextSeq(ctx)}`,
  lastError: null,
  ...armTimers({ seq: nextSeq(ctx), timers: ctx.timers }, { request: at + ctx.requestTimeoutMs }),
});

export const codeInvalidPatch = (ctx: CodeFlowContext, attemptsLeft: number): Patch => ({
  pendingRequestId: null,
  attemptsLeft,
  lastError: 'invalid-code',
  ...disarmTimers(ctx, 'request'),
});

export const verifierTimedOutPatch = (ctx: CodeFlowContext): Patch => ({
  pendingRequestId: null,
  lastError: 'verifier-timeout',
  ...disarmTimers(ctx, 'request'),
});

/** The code matched: no timer left; the next seq names the flow's effect. */
export const codeConfirmedPatch = (ctx: CodeFlowContext): Patch => ({ pendingRequestId: null, seq: nextSeq(ctx), ...disarmTimers(ctx) });

/** Guard: the event answers the request awaited now (any other reply is stale). */
export const isPendingReply = (ctx: Pick<CodeFlowContext, 'pendingRequestId'>, event: object): boolean =>
  'requestId' in event && ctx.pendingRequestId !== null && event.requestId === ctx.pendingRequestId;

/**
 * A reply to a request the flow has moved past. Request ids are `r<seq>` from the context's
 * sequence, so one issued at or before the current seq and not pending now is never pending again:
 * the runtime may ignore it without reading the stored saga (SagaDefinition.isStale).
 */
export function isStaleReply(ctx: Pick<CodeFlowContext, 'pendingRequestId' | 'seq'>, event: object): boolean {
  if (!('requestId' in event) || typeof event.requestId !== 'string' || event.requestId === ctx.pendingRequestId) return false;
  const issued = /^r(\d+)$/.exec(event.requestId);
  return issued !== null && Number(issued[1]) <= ctx.seq;
}

/** Guard: a resend is left and its cooldown is over (the machine's clock decides). */
export const canResend = (ctx: CodeFlowContext, at: number): boolean =>
  ctx.resends < ctx.maxResends && ctx.resendAvailableAt !== null && at >= ctx.resendAvailableAt;

/** The status-view fields every code flow projects the same way from its context. */
export interface CodeFlowProjection {
  attemptsLeft: number;
  expiresAt: number | null;
  resendAvailableAt: number | null;
  resendsLeft: number;
  lastError: CodeFlowLastError | null;
}

/** `open`: the flow still takes codes (active, and not past the confirmed code). */
export function codeFlowProjection(c: CodeFlowContext, state: string, open: boolean): CodeFlowProjection {
  const resendsLeft = Math.max(0, c.maxResends - c.resends);
  return {
    // The verifier's `locked` reply carries no count; a locked flow has none left.
    attemptsLeft: state === 'locked' ? 0 : c.attemptsLeft,
    expiresAt: open ? c.expiresAt : null,
    resendAvailableAt: state === 'awaitingCode' && resendsLeft > 0 ? c.resendAvailableAt : null,
    resendsLeft,
    lastError: state === 'awaitingCode' ? c.lastError : null,
  };
}
