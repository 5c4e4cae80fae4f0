/**
 * The service-side rules every "mailed code" flow shares (registration, password reset, device
 * challenge): which refusal a state earns, the resend refusals, the answer after a submitted code,
 * and the bounded wait for the verifier. Parameterised by the flow's error codes, so each flow keeps
 * its own REST answers (REGISTRATION_* vs CODE_FLOW_*).
 */
import type { ErrorCode } from '@ashchat/contracts';
import type { SagaWatch } from '@ashchat/saga';
import { AppError } from '../errors/app-error.js';
import type { CodeFlowLastError } from './code-flow.kit.js';

/** The fields of a flow's status view these rules read. */
export interface CodeFlowStatusFields {
  status: string;
  attemptsLeft: number;
  resendAvailableAt: number | null;
  resendsLeft: number;
  reason: string | null;
  lastError: CodeFlowLastError | null;
}

/** A flow's own codes for the refusals that differ between flows. */
export interface CodeFlowErrorCodes {
  completed: ErrorCode;
  expired: ErrorCode;
  locked: ErrorCode;
  failed: ErrorCode;
  /** Only flows with a `denied` status (the device challenge). */
  denied?: ErrorCode;
  pending: ErrorCode;
  busy: ErrorCode;
}

/** The codes of the password reset and the device challenge (the registration keeps its REGISTRATION_* ones). */
export const CODE_FLOW_ERROR_CODES: CodeFlowErrorCodes = {
  completed: 'CODE_FLOW_COMPLETED',
  expired: 'CODE_FLOW_EXPIRED',
  locked: 'CODE_FLOW_LOCKED',
  failed: 'CODE_FLOW_FAILED',
  denied: 'CODE_FLOW_DENIED',
  pending: 'CODE_FLOW_PENDING',
  busy: 'CODE_FLOW_BUSY',
};

/** Re-read interval while waiting, in case a change notice was lost (pub/sub is best effort). */
const FALLBACK_POLL_MS = 500;

export const retryAfter = (seconds: number): Record<string, string> => ({ 'retry-after': String(Math.max(1, Math.ceil(seconds))) });

export interface CodeFlowRefusals {
  /** Another request got in between: try again in a second. */
  busy(cause?: unknown): AppError;
  /** The refusal for a flow that no longer takes codes, or null while it still does. */
  closed(view: CodeFlowStatusFields): AppError | null;
  /** Throws unless the flow waits for the user (a code was mailed, none is being checked). */
  assertAwaitingCode(view: CodeFlowStatusFields): void;
  /** Why a flow awaiting its code cannot have another one now, or null if it can. */
  resend(view: CodeFlowStatusFields, now: number): AppError | null;
  /** After a submitted code that neither completed nor is still being checked: the refusal that says why. */
  afterVerification(view: CodeFlowStatusFields): AppError;
}

export function codeFlowRefusals(codes: CodeFlowErrorCodes): CodeFlowRefusals {
  const busy = (cause?: unknown): AppError => new AppError(codes.busy, { headers: retryAfter(1), ...(cause ? { cause } : {}) });

  function closed(view: CodeFlowStatusFields): AppError | null {
    switch (view.status) {
      case 'completed':
        return new AppError(codes.completed);
      case 'expired':
        return new AppError(codes.expired);
      case 'locked':
        return new AppError(codes.locked);
      case 'failed':
        return new AppError(codes.failed, { details: { reason: view.reason } });
      case 'denied':
        return codes.denied ? new AppError(codes.denied) : null;
      default:
        return null;
    }
  }

  return {
    busy,
    closed,
    assertAwaitingCode(view) {
      const refusal = closed(view);
      if (refusal) throw refusal;
      if (view.status === 'pending') throw new AppError(codes.pending, { headers: retryAfter(1) });
      // Documented choice: a second code while one is being checked is refused, not queued — the
      // client waits for the first verdict (GET the status) instead of racing two codes.
      if (view.status === 'verifying') throw new AppError('VERIFICATION_IN_PROGRESS', { headers: retryAfter(1) });
    },
    resend(view, now) {
      if (view.resendsLeft === 0 || view.resendAvailableAt === null) return new AppError('RESEND_LIMIT_REACHED');
      const waitMs = view.resendAvailableAt - now;
      if (waitMs <= 0) return null;
      return new AppError('RESEND_COOLDOWN', {
        headers: retryAfter(waitMs / 1_000),
        details: { resendAvailableAt: new Date(view.resendAvailableAt).toISOString() },
      });
    },
    afterVerification(view) {
      const refusal = closed(view);
      if (refusal) return refusal;
      if (view.status === 'awaiting-code' && view.lastError === 'invalid-code') {
        return new AppError('INVALID_CODE', { details: { attemptsLeft: view.attemptsLeft } });
      }
      if (view.status === 'awaiting-code' && view.lastError === 'verifier-timeout') {
        return new AppError('VERIFIER_UNAVAILABLE', { headers: retryAfter(1) });
      }
      // Another request moved the flow on meanwhile (e.g. a resend): nothing to report for this code.
      return busy();
    },
  };
}

export interface WaitWhileOptions<V, T> {
  watch: SagaWatch<V>;
  first: T;
  stillWaiting: (current: T) => boolean;
  deadline: number;
  clock: () => number;
  /** The flow's item from a view committed here. */
  fromView: (view: V) => T;
  /** Re-reads the flow (a change applied by another instance, or a lost notice). */
  reload: () => Promise<T>;
}

/**
 * Follows the saga while `stillWaiting` holds, until `deadline`: a change committed here comes with
 * its view; one applied by another instance (it may consume the reply) is re-read. Notices are
 * hints, so it also re-reads every FALLBACK_POLL_MS. Returns the last state seen.
 */
export async function waitWhile<V, T>(o: WaitWhileOptions<V, T>): Promise<T> {
  let current = o.first;
  while (o.stillWaiting(current) && o.clock() < o.deadline) {
    const change = await o.watch.next(Math.min(FALLBACK_POLL_MS, Math.max(0, o.deadline - o.clock())));
    current = change?.view ? o.fromView(change.view) : await o.reload();
  }
  return current;
}
