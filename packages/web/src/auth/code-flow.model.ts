import type { CodeFlowStatus, RegistrationFailureReason } from '@ashchat/contracts';
import type { MessageKey } from '../i18n/i18n.js';

/** What the registration, password-reset and device-challenge views share (the screens show them alike). */
export interface CodeFlowViewLike {
  status: CodeFlowStatus;
  attemptsLeft: number;
  expiresAt: string | null;
  resendAvailableAt: string | null;
  resendsLeft?: number | undefined;
  lastError?: 'invalid-code' | 'verifier-timeout' | null | undefined;
  reason?: RegistrationFailureReason | null | undefined;
}

export interface FlowState {
  /** `over`: expired, locked, failed or denied — only starting again helps. */
  phase: 'sending' | 'awaiting-code' | 'verifying' | 'completed' | 'over';
  /** Why it is over (phase `over`), or the last recoverable problem while awaiting the code. */
  message: MessageKey | null;
  /** Why a failed flow failed, when the server said (registration). */
  reason: MessageKey | null;
  /** Shown after a wrong code (never before one: "5 attempts left" up front only worries people). */
  attemptsLeft: number | null;
  expiresInMs: number | null;
  /** null: no further code can be asked for; otherwise how long until it can (0: now). */
  resendInMs: number | null;
  /** Whether the status may still change without the user doing anything (worth polling or watching). */
  moving: boolean;
}

const OVER: Partial<Record<CodeFlowStatus, MessageKey>> = {
  expired: 'auth.flow.expired',
  locked: 'auth.flow.locked',
  failed: 'auth.flow.failed',
  denied: 'auth.flow.denied',
};

/** The screen's state for a flow's view at `now` (epoch ms). */
export function describeFlow(view: CodeFlowViewLike, now: number): FlowState {
  const until = (iso: string | null): number | null => (iso === null ? null : Math.max(0, Date.parse(iso) - now));
  const over = OVER[view.status];
  const phase: FlowState['phase'] =
    over ? 'over'
    : view.status === 'completed' ? 'completed'
    : view.status === 'verifying' ? 'verifying'
    : view.status === 'pending' ? 'sending'
    : 'awaiting-code';
  const awaiting = phase === 'awaiting-code';
  const noMoreCodes = view.resendsLeft === 0 || view.resendAvailableAt === null;
  const expiresInMs = awaiting ? until(view.expiresAt) : null;
  return {
    // A code whose expiry passed is as good as expired, even before the server says so.
    phase: awaiting && expiresInMs === 0 ? 'over' : phase,
    message:
      over ?? (awaiting && expiresInMs === 0 ? 'auth.flow.expired'
      : awaiting && view.lastError === 'invalid-code' ? 'auth.flow.invalidCode'
      : awaiting && view.lastError === 'verifier-timeout' ? 'auth.flow.verifierTimeout'
      : null),
    reason: view.status === 'failed' && view.reason ? (`auth.reason.${view.reason}` as const) : null,
    attemptsLeft: awaiting && view.lastError === 'invalid-code' ? view.attemptsLeft : null,
    expiresInMs,
    resendInMs: awaiting && !noMoreCodes ? until(view.resendAvailableAt) : null,
    moving: phase === 'sending' || phase === 'verifying',
  };
}

/** A countdown as m:ss (or h:mm:ss), rounded up so it never shows 0:00 while time is left. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
