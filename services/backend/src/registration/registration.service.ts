import { randomUUID } from 'node:crypto';
import { codeDigest, type CreateRegistrationBody } from '@ashchat/contracts';
import { SagaConflictError, type SagaEventInput, type SagaWatch } from '@ashchat/saga';
import { AppError } from '../errors/app-error.js';
import type { PasswordHasher } from '../security/password.hasher.js';
import type { PasswordPolicy } from '../security/password.policy.js';
import { normalizeEmail } from '../users/email.js';
import { hashClientDeviceId } from '../devices/device-id.js';
import type { UserRepository } from '../users/user.repository.js';
import type { RegistrationMachine } from './registration.machine.js';
import type { MailLimits, MailReservation } from './registration.mail-limit.js';
import type { RegistrationStatusView } from './registration.saga.js';
import type { RegistrationRuntime, RegistrationSagaView } from './registration.runtime.js';
import { codeFlowRefusals, waitWhile } from '../sagas/code-flow.service.js';

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
  runtime: Pick<RegistrationRuntime, 'start' | 'send' | 'get' | 'peek' | 'watch'>;
  users: Pick<UserRepository, 'existsByEmail'>;
  hasher: Pick<PasswordHasher, 'hash'>;
  passwordPolicy: PasswordPolicy;
  /** Verification mails per address (registrations and resends together). */
  mailLimits: MailLimits;
  settings: RegistrationSettings;
  clock?: () => number;
}

export interface RegistrationService {
  /**
   * Refuses an obviously weak password (400 WEAK_PASSWORD), counts the mail against the address,
   * hashes the password, then starts the saga. The same answer whether or not the e-mail has an account.
   */
  register(body: CreateRegistrationBody): Promise<Registration>;
  get(id: string): Promise<Registration | null>;
  /** A guess at the registration from this instance's last write (SagaRuntime.peek), else a read: for verify only. */
  peek(id: string): Promise<Registration | null>;
  /**
   * Submits a code and waits (bounded) for the verifier's verdict. Refusals throw AppError. The
   * device named (the client's own id, hashed at once) becomes trusted with the account.
   * `guess`: the registration as the caller just peeked at it (the route does, for its rate limit);
   * acted upon only when it takes a code (awaiting it, or its "code sent" reply still on the way),
   * which spares reading the same document again.
   */
  verify(id: string, code: string, device?: { deviceId?: string | undefined; deviceName?: string | undefined }, guess?: Registration | null): Promise<VerifyResult>;
  /** Asks for a new code (the old one stops being valid). Refusals throw AppError. */
  resend(id: string): Promise<Registration>;
}

const toRegistration = (v: RegistrationSagaView): Registration => ({
  id: v.id,
  emailNormalized: v.index.emailNormalized,
  state: v.state,
  view: v.status,
});

const refusals = codeFlowRefusals({
  completed: 'REGISTRATION_ALREADY_COMPLETED',
  expired: 'REGISTRATION_EXPIRED',
  locked: 'REGISTRATION_LOCKED',
  failed: 'REGISTRATION_FAILED',
  pending: 'REGISTRATION_PENDING',
  busy: 'REGISTRATION_BUSY',
});
const assertAwaitingCode = (r: Registration): void => refusals.assertAwaitingCode(r.view);
/**
 * A code is taken while the code is awaited, and also while the verifier's "code sent" reply is
 * still on its way (`pending`): the mail can arrive first (the verifier mails, then replies).
 */
const assertTakesCode = (r: Registration): void => {
  if (r.view.status !== 'pending') assertAwaitingCode(r);
};
const takesCode = (r: Registration): boolean => {
  try {
    assertTakesCode(r);
    return true;
  } catch {
    return false;
  }
};

/** Gives a counted mail back when none went out; a failed give-back only errs on the safe side. */
async function giveBack(mail: MailReservation): Promise<void> {
  await mail.release().catch(() => undefined);
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
      if (err instanceof SagaConflictError) throw refusals.busy(err);
      throw err;
    }
  }

  /** Follows the registration while `stillWaiting` holds, until `deadline` (see waitWhile). */
  const follow = (watch: SagaWatch<RegistrationSagaView>, id: string, first: Registration, stillWaiting: (r: Registration) => boolean, deadline: number) =>
    waitWhile({ watch, first, stillWaiting, deadline, clock, fromView: toRegistration, reload: () => load(id) });

  /** Maps the state after a verification to the answer. */
  function verdict(r: Registration): VerifyResult {
    if (r.view.status === 'completed') return { kind: 'completed', registration: r };
    if (r.view.status === 'verifying') return { kind: 'waiting', registration: r };
    throw refusals.afterVerification(r.view);
  }

  return {
    async register(body) {
      // The password rule comes first: a refusal costs no mail from the address's allowance.
      const verdict = deps.passwordPolicy.check(body.password, body.email);
      if (!verdict.ok) throw new AppError('WEAK_PASSWORD', { details: { reason: verdict.reason } });
      const emailNormalized = normalizeEmail(body.email);
      // Every registration mails the address (a code, or a notice when it has an account), so it is
      // counted whether or not the account exists (nothing to learn from the limit), before the costly hash.
      const mail = await deps.mailLimits.reserve(emailNormalized);
      try {
        // Before anything is stored or looked up: only the hash ever leaves this function.
        const passwordHash = await deps.hasher.hash(body.password);
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
      } catch (err) {
        await giveBack(mail);
        throw err;
      }
    },

    async get(id) {
      const view = await runtime.get(id);
      return view ? toRegistration(view) : null;
    },

    async peek(id) {
      const view = await runtime.peek(id);
      return view ? toRegistration(view) : null;
    },

    async verify(id, code, device = {}, guess) {
      const deadline = clock() + settings.verifyWaitMs;
      // Watching starts before the submission: the verdict applied meanwhile still wakes us.
      const watch = runtime.watch(id);
      try {
        // A guess that takes a code is submitted to at once: if it is stale, the version-guarded
        // write misses and the saga decides on the stored state (the answer below says what it was).
        // Any other guess may be wrong in a way no write would catch (a refusal): read.
        const current = guess && takesCode(guess) ? guess : await load(id);
        assertTakesCode(current);
        const submitted = await send(id, {
          type: 'CODE_SUBMITTED',
          codeDigest: codeDigest(settings.verificationCodeSecret, id, code),
          ...(device.deviceId ? { device: { deviceIdHash: hashClientDeviceId(device.deviceId), name: device.deviceName ?? null } } : {}),
        });
        if (!submitted.changed) {
          // The state moved between our read and our write (expiry, a concurrent submission).
          assertTakesCode(submitted.registration);
          throw refusals.busy();
        }
        return verdict(await follow(watch, id, submitted.registration, (r) => r.view.status === 'verifying', deadline));
      } finally {
        watch.close();
      }
    },

    async resend(id) {
      const current = await load(id);
      assertAwaitingCode(current);
      // Cooldown and resend limit answer first: asking too early never spends the address's allowance.
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
      if (result.changed) return result.registration;
      // The machine's guard refused (its clock decides): no mail goes out; say why.
      await giveBack(mail);
      const now = result.registration;
      assertAwaitingCode(now);
      throw refusals.resend(now.view, clock()) ?? refusals.busy();
    },
  };
}
