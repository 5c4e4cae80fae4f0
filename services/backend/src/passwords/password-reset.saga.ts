/** Binds the pure password-reset machine to the saga runtime: name, version, projections, replies, timers. */
import {
  ACCOUNT_NOTICE_QUEUE,
  AccountNotice,
  CONFIRM_CODE_QUEUE,
  ConfirmCodeRequest,
  PASSWORD_RESET_CODE_QUEUE,
  PasswordResetCodeRequest,
  type CodeFlowStatus,
} from '@ashchat/contracts';
import { defineSaga, type SagaEventInput } from '@ashchat/saga';
import type { SnapshotFrom } from 'xstate';
import { codeFlowProjection, codeReplyToEvent } from '../sagas/code-flow.kit.js';
import {
  PASSWORD_RESET_MACHINE_VERSION,
  PASSWORD_RESET_TIMERS,
  passwordResetMachine,
  type PasswordResetLastError,
  type PasswordResetMachine,
} from './password-reset.machine.js';

export const PASSWORD_RESET_SAGA_NAME = 'password-reset';

export type PasswordResetFailureReason = 'verifier-failed' | 'verifier-timeout' | 'user-gone';

/** What the REST layer shows (times in ms since epoch; REST renders ISO strings). Stored as `status`. */
export interface PasswordResetStatusView {
  status: CodeFlowStatus;
  attemptsLeft: number;
  expiresAt: number | null;
  resendAvailableAt: number | null;
  resendsLeft: number;
  /** Why a `failed` reset failed (the CODE_FLOW_FAILED details); null otherwise. */
  reason: PasswordResetFailureReason | null;
  lastError: PasswordResetLastError | null;
}

/** Stored as `index`: the address counts the per-address rate limits and the password rule compares with it. */
export interface PasswordResetIndex {
  emailNormalized: string;
}

/** REST status (and failure reason) of each machine state; also printed in the generated state chart. */
export const PASSWORD_RESET_STATE_STATUS: Record<string, { status: CodeFlowStatus; reason?: PasswordResetFailureReason }> = {
  requestingCode: { status: 'pending' },
  awaitingCode: { status: 'awaiting-code' },
  verifyingCode: { status: 'verifying' },
  changingPassword: { status: 'verifying' },
  completed: { status: 'completed' },
  expired: { status: 'expired' },
  locked: { status: 'locked' },
  failed: { status: 'failed', reason: 'verifier-failed' },
  requestTimedOut: { status: 'failed', reason: 'verifier-timeout' },
  userGone: { status: 'failed', reason: 'user-gone' },
};

export function passwordResetStatus(snapshot: SnapshotFrom<PasswordResetMachine>): PasswordResetStatusView {
  const c = snapshot.context;
  const mapped = PASSWORD_RESET_STATE_STATUS[String(snapshot.value)];
  if (!mapped) throw new Error(`password-reset state ${String(snapshot.value)} has no status mapping`);
  const open = snapshot.status === 'active' && snapshot.value !== 'changingPassword';
  return {
    status: mapped.status,
    ...codeFlowProjection(c, String(snapshot.value), open),
    reason: mapped.reason ?? null,
  };
}

/** Reply body (validated against CodeFlowReply by the consumer) → machine event (the shared code-flow mapping). */
export const passwordResetReplyToEvent: (body: unknown, meta: { requestId: string }) => SagaEventInput<PasswordResetMachine> | null = codeReplyToEvent;

export const passwordResetSaga = defineSaga({
  name: PASSWORD_RESET_SAGA_NAME,
  version: PASSWORD_RESET_MACHINE_VERSION,
  machine: passwordResetMachine,
  status: passwordResetStatus,
  index: (snapshot): PasswordResetIndex => ({ emailNormalized: snapshot.context.emailNormalized }),
  indexedFields: ['emailNormalized'],
  messages: {
    [PASSWORD_RESET_CODE_QUEUE]: PasswordResetCodeRequest,
    [CONFIRM_CODE_QUEUE]: ConfirmCodeRequest,
    [ACCOUNT_NOTICE_QUEUE]: AccountNotice,
  },
  timerNames: PASSWORD_RESET_TIMERS,
  replyToEvent: passwordResetReplyToEvent,
});

export type PasswordResetSaga = typeof passwordResetSaga;
