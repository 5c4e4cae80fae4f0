/** Binds the pure registration machine to the saga runtime: name, version, projections, replies, timers. */
import {
  ACCOUNT_CREATION_QUEUE,
  AccountCreationRequest,
  CONFIRM_EMAIL_CODE_QUEUE,
  ConfirmEmailCodeRequest,
  type RegistrationStatus,
} from '@ashchat/contracts';
import { defineSaga, type SagaEventInput } from '@ashchat/saga';
import type { SnapshotFrom } from 'xstate';
import { codeFlowProjection, codeReplyToEvent, isStaleReply } from '../sagas/code-flow.kit.js';
import {
  REGISTRATION_MACHINE_VERSION,
  REGISTRATION_TIMERS,
  registrationMachine,
  type RegistrationLastError,
  type RegistrationMachine,
} from './registration.machine.js';

export const REGISTRATION_SAGA_NAME = 'registration';

export type RegistrationFailureReason = 'verifier-failed' | 'verifier-timeout' | 'email-taken';

/** What the REST layer shows (times in ms since epoch; REST renders ISO strings). Stored as `status`. */
export interface RegistrationStatusView {
  status: RegistrationStatus;
  attemptsLeft: number;
  expiresAt: number | null;
  resendAvailableAt: number | null;
  resendsLeft: number;
  /** Why a `failed` registration failed; null otherwise. */
  reason: RegistrationFailureReason | null;
  /** Last recoverable problem while awaiting the code (wrong code, verifier slow). */
  lastError: RegistrationLastError | null;
}

/** Stored as `index` for lookups by the REST layer. */
export interface RegistrationIndex {
  emailNormalized: string;
}

/** REST status (and failure reason) of each machine state; also printed in the generated state chart. */
export const REGISTRATION_STATE_STATUS: Record<string, { status: RegistrationStatus; reason?: RegistrationFailureReason }> = {
  requestingCode: { status: 'pending' },
  awaitingCode: { status: 'awaiting-code' },
  verifyingCode: { status: 'verifying' },
  creatingUser: { status: 'verifying' },
  completed: { status: 'completed' },
  expired: { status: 'expired' },
  locked: { status: 'locked' },
  failed: { status: 'failed', reason: 'verifier-failed' },
  requestTimedOut: { status: 'failed', reason: 'verifier-timeout' },
  emailTaken: { status: 'failed', reason: 'email-taken' },
};

export function registrationStatus(snapshot: SnapshotFrom<RegistrationMachine>): RegistrationStatusView {
  const c = snapshot.context;
  const mapped = REGISTRATION_STATE_STATUS[String(snapshot.value)];
  if (!mapped) throw new Error(`registration state ${String(snapshot.value)} has no status mapping`);
  const open = snapshot.status === 'active' && snapshot.value !== 'creatingUser';
  return {
    status: mapped.status,
    ...codeFlowProjection(c, String(snapshot.value), open),
    reason: mapped.reason ?? null,
  };
}

/** Reply body (validated against RegistrationReply by the consumer) → machine event (the shared code-flow mapping). */
export const registrationReplyToEvent: (body: unknown, meta: { requestId: string }) => SagaEventInput<RegistrationMachine> | null = codeReplyToEvent;

export const registrationSaga = defineSaga({
  name: REGISTRATION_SAGA_NAME,
  version: REGISTRATION_MACHINE_VERSION,
  machine: registrationMachine,
  status: registrationStatus,
  index: (snapshot): RegistrationIndex => ({ emailNormalized: snapshot.context.emailNormalized }),
  indexedFields: ['emailNormalized'],
  messages: { [ACCOUNT_CREATION_QUEUE]: AccountCreationRequest, [CONFIRM_EMAIL_CODE_QUEUE]: ConfirmEmailCodeRequest },
  timerNames: REGISTRATION_TIMERS,
  replyToEvent: registrationReplyToEvent,
  // E.g. the "code sent" reply after the code was submitted: ignored without reading the saga again.
  isStale: (snapshot, event) => isStaleReply(snapshot.context, event),
});

export type RegistrationSaga = typeof registrationSaga;
