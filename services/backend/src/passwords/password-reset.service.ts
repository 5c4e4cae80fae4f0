import { randomUUID } from 'node:crypto';
import { codeDigest } from '@ashchat/contracts';
import { SagaConflictError, type SagaEventInput, type SagaWatch } from '@ashchat/saga';
import { AppError } from '../errors/app-error.js';
import type { MailLimits, MailReservation } from '../registration/registration.mail-limit.js';
import type { PasswordHasher } from '../security/password.hasher.js';
import type { PasswordPolicy } from '../security/password.policy.js';
import { normalizeEmail } from '../users/email.js';
import type { UserRepository } from '../users/user.repository.js';
import type { PasswordResetMachine } from './password-reset.machine.js';
import type { PasswordResetStatusView } from './password-reset.saga.js';
import type { PasswordResetRuntime, PasswordResetSagaView } from './password-reset.runtime.js';

/** What the REST layer needs of one reset (times in ms; the view renders ISO strings). */
export interface PasswordReset {
  id: string;
  emailNormalized: string;
  state: string;
  view: PasswordResetStatusView;
}

export type ResetVerifyResult = { kind: 'completed' | 'waiting'; reset: PasswordReset };

export interface PasswordResetSettings {
  verificationCodeSecret: string;
  codeTtlMs: number;
  resendCooldownMs: number;
  maxResends: number;
  verifierRequestTimeoutMs: number;
  /** Bound of the wait for the verifier's answer in `verify`. */
  verifyWaitMs: number;
}

export interface PasswordResetServiceDeps {
  runtime: Pick<PasswordResetRuntime, 'start' | 'send' | 'get' | 'watch'>;
  users: Pick<UserRepository, 'findByEmail'>;
  hasher: Pick<PasswordHasher, 'hash'>;
  passwordPolicy: PasswordPolicy;
  /** Reset mails per address (starts and resends together). */
  mailLimits: MailLimits;
  settings: PasswordResetSettings;
  clock?: () => number;
}

export interface PasswordResetService {
  /** Starts a reset; the same answer (and the same work) whether or not the address has an account. */
  start(email: string): Promise<PasswordReset>;
  get(id: string): Promise<PasswordReset | null>;
  /** Submits a code with the new password and waits (bounded) for the verdict. Refusals throw AppError. */
  verify(id: string, code: string, newPassword: string): Promise<ResetVerifyResult>;
  /** Asks for a new code (the old one stops being valid). Refusals throw AppError. */
  resend(id: string): Promise<PasswordReset>;
}

const toReset = (v: PasswordResetSagaView): PasswordReset => ({ id: v.id, emailNormalized: v.index.emailNormalized, state: v.state, view: v.status });

/** Re-read interval while waiting, in case a change notice was lost (pub/sub is best effort). */
const FALLBACK_POLL_MS = 500;

const retryAfter = (seconds: number): Record<string, string> => ({ 'retry-after': String(Math.max(1, Math.ceil(seconds))) });
const busy = (): AppError => new AppError('CODE_FLOW_BUSY', { headers: retryAfter(1) });

/** The refusal for a reset that no longer takes codes, or null while it still does. */
function closedError(r: PasswordReset): AppError | null {
  switch (r.view.status) {
    case 'completed':
      return new AppError('CODE_FLOW_COMPLETED');
    case 'expired':
      return new AppError('CODE_FLOW_EXPIRED');
    case 'locked':
      return new AppError('CODE_FLOW_LOCKED');
    case 'failed':
      return new AppError('CODE_FLOW_FAILED', { details: { reason: r.view.reason } });
    default:
      return null;
  }
}

/** Throws unless the reset waits for the user (a code was mailed, none is being checked). */
function assertAwaitingCode(r: PasswordReset): void {
  const closed = closedError(r);
  if (closed) throw closed;
  if (r.view.status === 'pending') throw new AppError('CODE_FLOW_PENDING', { headers: retryAfter(1) });
  // As for registrations: a second code while one is being checked is refused, not queued.
  if (r.view.status === 'verifying') throw new AppError('VERIFICATION_IN_PROGRESS', { headers: retryAfter(1) });
}

function resendRefusal(r: PasswordReset, now: number): AppError | null {
  if (r.view.resendsLeft === 0 || r.view.resendAvailableAt === null) return new AppError('RESEND_LIMIT_REACHED');
  const waitMs = r.view.resendAvailableAt - now;
  if (waitMs <= 0) return null;
  return new AppError('RESEND_COOLDOWN', { headers: retryAfter(waitMs / 1_000), details: { resendAvailableAt: new Date(r.view.resendAvailableAt).toISOString() } });
}

/** Gives a counted mail back when none went out; a failed give-back only errs on the safe side. */
async function giveBack(mail: MailReservation): Promise<void> {
  await mail.release().catch(() => undefined);
}

export function createPasswordResetService(deps: PasswordResetServiceDeps): PasswordResetService {
  const { runtime, settings } = deps;
  const clock = deps.clock ?? Date.now;

  async function load(id: string): Promise<PasswordReset> {
    const view = await runtime.get(id);
    if (!view) throw new AppError('PASSWORD_RESET_NOT_FOUND');
    return toReset(view);
  }

  async function send(id: string, event: SagaEventInput<PasswordResetMachine>): Promise<{ reset: PasswordReset; changed: boolean }> {
    try {
      const { view, changed } = await runtime.send(id, event);
      return { reset: toReset(view), changed };
    } catch (err) {
      if (err instanceof SagaConflictError) throw new AppError('CODE_FLOW_BUSY', { headers: retryAfter(1), cause: err });
      throw err;
    }
  }

  /** Follows the saga while `stillWaiting` holds, until `deadline` (notices are hints: it re-reads too). */
  async function waitWhile(
    watch: SagaWatch<PasswordResetSagaView>,
    id: string,
    first: PasswordReset,
    stillWaiting: (r: PasswordReset) => boolean,
    deadline: number,
  ): Promise<PasswordReset> {
    let current = first;
    while (stillWaiting(current) && clock() < deadline) {
      const change = await watch.next(Math.min(FALLBACK_POLL_MS, Math.max(0, deadline - clock())));
      current = change?.view ? toReset(change.view) : await load(id);
    }
    return current;
  }

  function verdict(r: PasswordReset): ResetVerifyResult {
    if (r.view.status === 'completed') return { kind: 'completed', reset: r };
    if (r.view.status === 'verifying') return { kind: 'waiting', reset: r };
    const closed = closedError(r);
    if (closed) throw closed;
    if (r.view.lastError === 'invalid-code') throw new AppError('INVALID_CODE', { details: { attemptsLeft: r.view.attemptsLeft } });
    if (r.view.lastError === 'verifier-timeout') throw new AppError('VERIFIER_UNAVAILABLE', { headers: retryAfter(1) });
    // Another request moved the reset on meanwhile (e.g. a resend): nothing to report for this code.
    throw busy();
  }

  return {
    async start(email) {
      const emailNormalized = normalizeEmail(email);
      // Counted for every address, with or without account: the limit itself reveals nothing.
      const mail = await deps.mailLimits.reserve(emailNormalized);
      try {
        const user = await deps.users.findByEmail(emailNormalized);
        const id = randomUUID();
        const { view } = await runtime.start(id, {
          resetId: id,
          // The account's own spelling when there is one; an unknown address is never mailed.
          email: user?.email ?? email,
          emailNormalized,
          userId: user?._id ?? null,
          nickname: user?.nickname ?? null,
          preferredLanguage: user?.preferredLanguage ?? 'en',
          accountExists: user !== null,
          codeTtlMs: settings.codeTtlMs,
          resendCooldownMs: settings.resendCooldownMs,
          maxResends: settings.maxResends,
          requestTimeoutMs: settings.verifierRequestTimeoutMs,
        });
        return toReset(view);
      } catch (err) {
        await giveBack(mail);
        throw err;
      }
    },

    async get(id) {
      const view = await runtime.get(id);
      return view ? toReset(view) : null;
    },

    async verify(id, code, newPassword) {
      const deadline = clock() + settings.verifyWaitMs;
      // Watching starts before the first read: a change between the read and the wait still wakes us.
      const watch = runtime.watch(id);
      try {
        let current = await load(id);
        // The password rule first: a weak password never spends the code (nor an attempt).
        const rule = deps.passwordPolicy.check(newPassword, current.emailNormalized);
        if (!rule.ok) throw new AppError('WEAK_PASSWORD', { details: { reason: rule.reason } });
        // The mail may arrive before the verifier's reply does: give that reply a moment.
        current = await waitWhile(watch, id, current, (r) => r.view.status === 'pending', deadline);
        assertAwaitingCode(current);
        // Only the hash enters the saga; the plain password ends with this request.
        const passwordHash = await deps.hasher.hash(newPassword);
        const submitted = await send(id, {
          type: 'CODE_SUBMITTED',
          codeDigest: codeDigest(settings.verificationCodeSecret, id, code),
          passwordHash,
        });
        if (!submitted.changed) {
          assertAwaitingCode(submitted.reset);
          throw busy();
        }
        return verdict(await waitWhile(watch, id, submitted.reset, (r) => r.view.status === 'verifying', deadline));
      } finally {
        watch.close();
      }
    },

    async resend(id) {
      const current = await load(id);
      assertAwaitingCode(current);
      const early = resendRefusal(current, clock());
      if (early) throw early;
      const mail = await deps.mailLimits.reserve(current.emailNormalized);
      let result: Awaited<ReturnType<typeof send>>;
      try {
        result = await send(id, { type: 'RESEND_REQUESTED' });
      } catch (err) {
        await giveBack(mail);
        throw err;
      }
      if (result.changed) return result.reset;
      await giveBack(mail);
      assertAwaitingCode(result.reset);
      throw resendRefusal(result.reset, clock()) ?? busy();
    },
  };
}
