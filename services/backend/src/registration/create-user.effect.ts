import type { SagaEffectHandler } from '@ashchat/saga';
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
    return { type: 'USER_CREATED', userId: result.user._id };
  };
}
