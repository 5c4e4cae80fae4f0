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
import { CODE_FLOW_ERROR_CODES, codeFlowRefusals, waitWhile } from '../sagas/code-flow.service.js';

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

const refusals = codeFlowRefusals(CODE_FLOW_ERROR_CODES);
const busy = (): AppError => refusals.busy();
const assertAwaitingCode = (r: PasswordReset): void => refusals.assertAwaitingCode(r.view);

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
      if (err instanceof SagaConflictError) throw refusals.busy(err);
      throw err;
    }
  }

  /** Follows the reset while `stillWaiting` holds, until `deadline` (see waitWhile). */
  const follow = (watch: SagaWatch<PasswordResetSagaView>, id: string, first: PasswordReset, stillWaiting: (r: PasswordReset) => boolean, deadline: number) =>
    waitWhile({ watch, first, stillWaiting, deadline, clock, fromView: toReset, reload: () => load(id) });

  function verdict(r: PasswordReset): ResetVerifyResult {
    if (r.view.status === 'completed') return { kind: 'completed', reset: r };
    if (r.view.status === 'verifying') return { kind: 'waiting', reset: r };
    throw refusals.afterVerification(r.view);
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
        current = await follow(watch, id, current, (r) => r.view.status === 'pending', deadline);
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
        return verdict(await follow(watch, id, submitted.reset, (r) => r.view.status === 'verifying', deadline));
      } finally {
        watch.close();
      }
    },

    async resend(id) {
      const current = await load(id);
      assertAwaitingCode(current);
      const early = refusals.resend(current.view, clock());
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
      throw refusals.resend(result.reset.view, clock()) ?? busy();
    },
  };
}
