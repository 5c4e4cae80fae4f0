import type { SagaEffectHandler, SagaRuntime, SagaView } from '@ashchat/saga';
import type { PasswordResetMachine } from './password-reset.machine.js';
import { SET_PASSWORD_EFFECT } from './password-reset.machine.js';
import type { PasswordResetIndex, PasswordResetStatusView } from './password-reset.saga.js';
import { setPasswordEffect, type SetPasswordEffectDeps } from './set-password.effect.js';

export type PasswordResetRuntime = SagaRuntime<PasswordResetMachine, PasswordResetStatusView, PasswordResetIndex>;
export type PasswordResetSagaView = SagaView<PasswordResetMachine, PasswordResetStatusView, PasswordResetIndex>;

/** Collection of password-reset saga documents. */
export const PASSWORD_RESETS_COLLECTION = 'password_resets';

/** The reset's one local effect (setPassword), by name. */
export function passwordResetEffects(d: Omit<SetPasswordEffectDeps, 'clock'> & { clock?: () => number }): Record<string, SagaEffectHandler> {
  return { [SET_PASSWORD_EFFECT]: setPasswordEffect({ users: d.users, revokeSessions: d.revokeSessions, clock: d.clock ?? Date.now }) };
}
