/** Test-only helpers for the pure registration machine (excluded from the build). */
import type { SnapshotFrom } from 'xstate';
import { machineDriver } from '../sagas/saga-graph.test-support.js';
import {
  registrationMachine,
  type RegistrationEvent,
  type RegistrationInput,
  type RegistrationMachine,
} from './registration.machine.js';

export { sagaEffects, type EmittedAction } from '../sagas/saga-graph.test-support.js';

export type Snap = SnapshotFrom<RegistrationMachine>;

export const T0 = 1_700_000_000_000;
export const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
export const DIGEST = 'a'.repeat(64);

export function input(overrides: Partial<RegistrationInput> = {}): RegistrationInput {
  return {
    registrationId: '0b7c2f0e-5d1a-4c3e-9f7a-2b1c3d4e5f60',
    email: 'Ada@Example.org',
    emailNormalized: 'ada@example.org',
    nickname: 'ada',
    preferredLanguage: 'en',
    passwordHash: HASH,
    accountExists: false,
    codeTtlMs: 600_000,
    resendCooldownMs: 60_000,
    maxResends: 2,
    requestTimeoutMs: 30_000,
    at: T0,
    ...overrides,
  };
}

export const { begin, step } = machineDriver<Snap, RegistrationEvent, RegistrationInput>(registrationMachine, input);

export const timeoutOf = (s: Snap, timer: 'request' | 'expiry', at?: number): RegistrationEvent => {
  const t = s.context.timers[timer];
  if (!t) throw new Error(`timer ${timer} is not armed in ${String(s.value)}`);
  return { type: 'saga.timeout', timer, token: t.token, at: at ?? t.at };
};

/** A reply event for the request currently pending. */
export function reply(s: Snap, type: 'CODE_SENT' | 'CODE_CONFIRMED' | 'CODE_LOCKED' | 'CODE_EXPIRED', at = T0 + 1_000): RegistrationEvent {
  if (!s.context.pendingRequestId) throw new Error(`no pending request in ${String(s.value)}`);
  return { type, requestId: s.context.pendingRequestId, at };
}

/** Walks start → code sent → awaiting the code. */
export function awaiting(overrides: Partial<RegistrationInput> = {}): Snap {
  const [s0] = begin(overrides);
  return step(s0, reply(s0, 'CODE_SENT'))[0];
}

/** Walks start → … → verifying a submitted code. */
export function verifying(overrides: Partial<RegistrationInput> = {}): Snap {
  return step(awaiting(overrides), { type: 'CODE_SUBMITTED', codeDigest: DIGEST, at: T0 + 2_000 })[0];
}

/** Every key of a JSON value, recursively (to prove a value carries no secret-looking field). */
export function allKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => allKeys(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allKeys(v, out);
    }
  }
  return out;
}
