import type { SagaEffectCompensation, SagaEffectHandler } from '@ashchat/saga';
import type { DeviceRepository } from '../devices/device.repository.js';
import type { UserRepository } from '../users/user.repository.js';
import type { CreateUserPayload } from './registration.machine.js';

export interface CreateUserEffectDeps {
  users: UserRepository;
  /** Resolves once the unique e-mail index exists: without it two races could both insert. */
  indexesReady: () => Promise<void>;
  devices: Pick<DeviceRepository, 'trust'>;
  /** Resolves once the unique (userId, deviceIdHash) index exists: a repeat trusts the device once. */
  devicesReady: () => Promise<void>;
  clock: () => number;
}

/**
 * The saga's `createUser` effect. Idempotent by registration id (the user's `_id`): a repeat after a
 * crash finds its own user and reports success again. A lost race for the e-mail becomes
 * USER_CONFLICT; any other failure throws, and the saga's relay runs the effect again later.
 * The device that submitted the right code is trusted with the new account (once: a unique index).
 */
export function createUserEffect(deps: CreateUserEffectDeps): SagaEffectHandler {
  return async (payload) => {
    const p = payload as unknown as CreateUserPayload;
    await deps.indexesReady();
    const result = await deps.users.insert(
      {
        _id: p.registrationId,
        registrationId: p.registrationId,
        email: p.email,
        emailNormalized: p.emailNormalized,
        nickname: p.nickname,
        preferredLanguage: p.preferredLanguage,
        passwordHash: p.passwordHash,
      },
      new Date(deps.clock()),
    );
    if (result.outcome === 'email-taken') return { type: 'USER_CONFLICT' };
    if (p.device) {
      await deps.devicesReady();
      await deps.devices.trust({ userId: result.user._id, deviceIdHash: p.device.deviceIdHash, name: p.device.name }, new Date(deps.clock()));
    }
    return { type: 'USER_CREATED', userId: result.user._id, created: result.outcome === 'created' };
  };
}

/**
 * Undoes an inline createUser run whose `completed` was never stored (the registration changed
 * under it, see the README): the user goes only if this run inserted it and the registration ended
 * without completing, so no later run can need it. A registration still open keeps the user: the
 * verifier confirmed one of its codes, and its next createUser finds that user as its own.
 */
export function undoCreateUser(deps: { users: Pick<UserRepository, 'deleteById'>; devices: Pick<DeviceRepository, 'deleteAllOf'> }): SagaEffectCompensation {
  return async (run, stored) => {
    const result = run.result as { type?: string; userId?: string; created?: boolean } | null;
    if (result?.type !== 'USER_CREATED' || result.created !== true || !result.userId) return;
    if (!stored.final || stored.state === 'completed') return;
    await deps.devices.deleteAllOf(result.userId);
    await deps.users.deleteById(result.userId);
  };
}
