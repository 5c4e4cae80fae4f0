import { randomUUID } from 'node:crypto';
import { codeDigest, type CreateRegistrationBody } from '@ashchat/contracts';
import { SagaConflictError, type SagaEventInput, type SagaWatch } from '@ashchat/saga';
import { AppError } from '../errors/app-error.js';
import type { PasswordHasher } from '../security/password.hasher.js';
import { normalizeEmail } from '../users/email.js';
import type { UserRepository } from '../users/user.repository.js';
import type { RegistrationMachine } from './registration.machine.js';
import type { RegistrationStatusView } from './registration.saga.js';
import type { RegistrationRuntime, RegistrationSagaView } from './registration.runtime.js';

/** What the REST layer needs of one registration (times in ms; the view renders ISO strings). */
export interface Registration {
  id: string;
  emailNormalized: string;
  /** Machine state, e.g. `awaitingCode`. */
  state: string;
  view: RegistrationStatusView;
}

export type VerifyResult = { kind: 'completed'; registration: Registration } | { kind: 'waiting'; registration: Registration };

export interface RegistrationSettings {
  verificationCodeSecret: string;
  codeTtlMs: number;
  resendCooldownMs: number;
  maxResends: number;
  verifierRequestTimeoutMs: number;
  /** Bound of the wait for the verifier's answer in `verify`. */
  verifyWaitMs: number;
}

export interface RegistrationServiceDeps {
  runtime: Pick<RegistrationRuntime, 'start' | 'send' | 'get' | 'watch'>;
  users: Pick<UserRepository, 'existsByEmail'>;
  hasher: Pick<PasswordHasher, 'hash'>;
  settings: RegistrationSettings;
  clock?: () => number;
}

export interface RegistrationService {
  /** Hashes the password, then starts the saga. The same answer whether or not the e-mail has an account. */
  register(body: CreateRegistrationBody): Promise<Registration>;
  get(id: string): Promise<Registration | null>;
  /** Submits a code and waits (bounded) for the verifier's verdict. Refusals throw AppError. */
  verify(id: string, code: string): Promise<VerifyResult>;
  /** Asks for a new code (the old one stops being valid). Refusals throw AppError. */
  resend(id: string): Promise<Registration>;
}

const toRegistration = (v: RegistrationSagaView): Registration => ({
  id: v.id,
  emailNormalized: v.index.emailNormalized,
  state: v.state,
  view: v.status,
});

/** Re-read interval while waiting, in case a change notice was lost (pub/sub is best effort). */
const FALLBACK_POLL_MS = 500;

const retryAfter = (seconds: number): Record<string, string> => ({ 'retry-after': String(Math.max(1, Math.ceil(seconds))) });

/** The refusal for a registration that no longer takes codes, or null while it still does. */
function closedError(r: Registration): AppError | null {
  switch (r.view.status) {
    case 'completed':
      return new AppError('REGISTRATION_ALREADY_COMPLETED');
    case 'expired':
      return new AppError('REGISTRATION_EXPIRED');
    case 'locked':
      return new AppError('REGISTRATION_LOCKED');
    case 'failed':
      return new AppError('REGISTRATION_FAILED', { details: { reason: r.view.reason } });
    default:
      return null;
  }
}

/** Throws unless the registration waits for the user (a code was mailed, none is being checked). */
function assertAwaitingCode(r: Registration): void {
  const closed = closedError(r);
  if (closed) throw closed;
  if (r.view.status === 'pending') throw new AppError('REGISTRATION_PENDING', { headers: retryAfter(1) });
  // Documented choice: a second code while one is being checked is refused, not queued — the
  // client waits for the first verdict (GET the status) instead of racing two codes.
  if (r.view.status === 'verifying') throw new AppError('VERIFICATION_IN_PROGRESS', { headers: retryAfter(1) });
}

export function createRegistrationService(deps: RegistrationServiceDeps): RegistrationService {
  const { runtime, settings } = deps;
  const clock = deps.clock ?? Date.now;

  async function load(id: string): Promise<Registration> {
    const view = await runtime.get(id);
    if (!view) throw new AppError('REGISTRATION_NOT_FOUND');
    return toRegistration(view);
  }

  async function send(id: string, event: SagaEventInput<RegistrationMachine>): Promise<{ registration: Registration; changed: boolean }> {
    try {
      const { view, changed } = await runtime.send(id, event);
      return { registration: toRegistration(view), changed };
    } catch (err) {
      if (err instanceof SagaConflictError) throw new AppError('REGISTRATION_BUSY', { headers: retryAfter(1), cause: err });
      throw err;
    }
  }

  /**
   * Follows the saga while `stillWaiting` holds, until `deadline`: a change committed here comes with
   * its view; one applied by another instance (it may consume the reply) is re-read. Notices are
   * hints, so it also re-reads every FALLBACK_POLL_MS. Returns the last state seen.
   */
  async function waitWhile(
    watch: SagaWatch<RegistrationSagaView>,
    id: string,
    first: Registration,
    stillWaiting: (r: Registration) => boolean,
    deadline: number,
  ): Promise<Registration> {
    let current = first;
    while (stillWaiting(current) && clock() < deadline) {
      const change = await watch.next(Math.min(FALLBACK_POLL_MS, Math.max(0, deadline - clock())));
      current = change?.view ? toRegistration(change.view) : await load(id);
    }
    return current;
  }

  /** Maps the state after a verification to the answer. */
  function verdict(r: Registration): VerifyResult {
    if (r.view.status === 'completed') return { kind: 'completed', registration: r };
    if (r.view.status === 'verifying') return { kind: 'waiting', registration: r };
    const closed = closedError(r);
    if (closed) throw closed;
    if (r.view.status === 'awaiting-code' && r.view.lastError === 'invalid-code') {
      throw new AppError('INVALID_CODE', { details: { attemptsLeft: r.view.attemptsLeft } });
    }
    if (r.view.status === 'awaiting-code' && r.view.lastError === 'verifier-timeout') {
      throw new AppError('VERIFIER_UNAVAILABLE', { headers: retryAfter(1) });
    }
    // Another request moved the registration on meanwhile (e.g. a resend): nothing to report for this code.
    throw new AppError('REGISTRATION_BUSY', { headers: retryAfter(1) });
  }

  return {
    async register(body) {
      // First, before anything is stored or looked up: only the hash ever leaves this function.
      const passwordHash = await deps.hasher.hash(body.password);
      const emailNormalized = normalizeEmail(body.email);
      const accountExists = await deps.users.existsByEmail(emailNormalized);
      const id = randomUUID();
      const { view } = await runtime.start(id, {
        registrationId: id,
        email: body.email,
        emailNormalized,
        nickname: body.nickname,
        preferredLanguage: body.preferredLanguage,
        passwordHash,
        accountExists,
        codeTtlMs: settings.codeTtlMs,
        resendCooldownMs: settings.resendCooldownMs,
        maxResends: settings.maxResends,
        requestTimeoutMs: settings.verifierRequestTimeoutMs,
      });
      return toRegistration(view);
    },

    async get(id) {
      const view = await runtime.get(id);
      return view ? toRegistration(view) : null;
    },

    async verify(id, code) {
      const deadline = clock() + settings.verifyWaitMs;
      // Watching starts before the first read: a change between the read and the wait still wakes us.
      const watch = runtime.watch(id);
      try {
        let current = await load(id);
        // The mail may arrive before the verifier's reply does: give that reply a moment.
        current = await waitWhile(watch, id, current, (r) => r.view.status === 'pending', deadline);
        assertAwaitingCode(current);
        const submitted = await send(id, { type: 'CODE_SUBMITTED', codeDigest: codeDigest(settings.verificationCodeSecret, id, code) });
        if (!submitted.changed) {
          // The state moved between our read and our write (expiry, a concurrent submission).
          assertAwaitingCode(submitted.registration);
          throw new AppError('REGISTRATION_BUSY', { headers: retryAfter(1) });
        }
        return verdict(await waitWhile(watch, id, submitted.registration, (r) => r.view.status === 'verifying', deadline));
      } finally {
        watch.close();
      }
    },

    async resend(id) {
      const current = await load(id);
      assertAwaitingCode(current);
      if (current.view.resendsLeft === 0) throw new AppError('RESEND_LIMIT_REACHED');
      const result = await send(id, { type: 'RESEND_REQUESTED' });
      if (result.changed) return result.registration;
      // The machine's guard refused: say why.
      const now = result.registration;
      assertAwaitingCode(now);
      if (now.view.resendsLeft === 0 || now.view.resendAvailableAt === null) throw new AppError('RESEND_LIMIT_REACHED');
      const waitMs = now.view.resendAvailableAt - clock();
      throw new AppError('RESEND_COOLDOWN', {
        headers: retryAfter(waitMs / 1_000),
        details: { resendAvailableAt: new Date(now.view.resendAvailableAt).toISOString() },
      });
    },
  };
}
