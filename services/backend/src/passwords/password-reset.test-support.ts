/** Test-only helpers for the pure password-reset machine (excluded from the build). */
import type { SnapshotFrom } from 'xstate';
import { machineDriver, type EmittedAction } from '../sagas/saga-graph.test-support.js';
import { passwordResetMachine, type PasswordResetEvent, type PasswordResetInput, type PasswordResetMachine } from './password-reset.machine.js';

export { sagaEffects, type EmittedAction } from '../sagas/saga-graph.test-support.js';

export type Snap = SnapshotFrom<PasswordResetMachine>;

export const T0 = 1_700_000_000_000;
export const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$bmV3aGFzaG5ld2hhc2g';
export const DIGEST = 'b'.repeat(64);
export const RESET_ID = '3d6f8a1b-2c4e-4f60-8a9b-0c1d2e3f4a5b';

export function input(overrides: Partial<PasswordResetInput> = {}): PasswordResetInput {
  return {
    resetId: RESET_ID,
    email: 'Ada@Example.org',
    emailNormalized: 'ada@example.org',
    userId: 'user-ada',
    nickname: 'ada',
    preferredLanguage: 'en',
    accountExists: true,
    codeTtlMs: 900_000,
    resendCooldownMs: 60_000,
    maxResends: 2,
    requestTimeoutMs: 30_000,
    at: T0,
    ...overrides,
  };
}

export const { begin, step } = machineDriver<Snap, PasswordResetEvent, PasswordResetInput>(passwordResetMachine, input);

export const timeoutOf = (s: Snap, timer: 'request' | 'expiry', at?: number): PasswordResetEvent => {
  const armed = s.context.timers[timer];
  if (!armed) throw new Error(`timer ${timer} is not armed in ${String(s.value)}`);
  return { type: 'saga.timeout', timer, token: armed.token, at: at ?? armed.at };
};

/** A reply event for the request currently pending. */
export function reply(s: Snap, type: 'CODE_SENT' | 'CODE_CONFIRMED' | 'CODE_LOCKED' | 'CODE_EXPIRED', at = T0 + 1_000): PasswordResetEvent {
  if (!s.context.pendingRequestId) throw new Error(`no pending request in ${String(s.value)}`);
  return { type, requestId: s.context.pendingRequestId, at };
}

export const submit = (at = T0 + 2_000): PasswordResetEvent => ({ type: 'CODE_SUBMITTED', codeDigest: DIGEST, passwordHash: HASH, at });

export function awaiting(overrides: Partial<PasswordResetInput> = {}): Snap {
  const [s0] = begin(overrides);
  return step(s0, reply(s0, 'CODE_SENT'))[0];
}

export function verifying(overrides: Partial<PasswordResetInput> = {}): Snap {
  return step(awaiting(overrides), submit())[0];
}

export function changing(overrides: Partial<PasswordResetInput> = {}): [Snap, EmittedAction[]] {
  const v = verifying(overrides);
  return step(v, reply(v, 'CODE_CONFIRMED', T0 + 3_000));
}
