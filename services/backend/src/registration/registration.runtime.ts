import type { SagaEffectCompensation, SagaEffectHandler, SagaRuntime, SagaView } from '@ashchat/saga';
import type { DeviceRepository } from '../devices/device.repository.js';
import type { UserRepository } from '../users/user.repository.js';
import { createUserEffect, undoCreateUser } from './create-user.effect.js';
import { CREATE_USER_EFFECT, type RegistrationMachine } from './registration.machine.js';
import type { RegistrationIndex, RegistrationStatusView } from './registration.saga.js';

export type RegistrationRuntime = SagaRuntime<RegistrationMachine, RegistrationStatusView, RegistrationIndex>;
export type RegistrationSagaView = SagaView<RegistrationMachine, RegistrationStatusView, RegistrationIndex>;

/** Collection of registration saga documents. */
export const REGISTRATIONS_COLLECTION = 'registrations';

export interface RegistrationEffectsDeps {
  users: UserRepository;
  indexesReady: () => Promise<void>;
  devices: Pick<DeviceRepository, 'trust' | 'deleteAllOf'>;
  devicesReady: () => Promise<void>;
  clock?: () => number;
}

/** The registration's one local effect (createUser), by name. */
export function registrationEffects(d: RegistrationEffectsDeps): Record<string, SagaEffectHandler> {
  return { [CREATE_USER_EFFECT]: createUserEffect({ users: d.users, indexesReady: d.indexesReady, devices: d.devices, devicesReady: d.devicesReady, clock: d.clock ?? Date.now }) };
}

/** The undo of an inline createUser run whose transition was never stored (create-user.effect.ts). */
export function registrationCompensations(d: Pick<RegistrationEffectsDeps, 'users' | 'devices'>): Record<string, SagaEffectCompensation> {
  return { [CREATE_USER_EFFECT]: undoCreateUser({ users: d.users, devices: d.devices }) };
}
