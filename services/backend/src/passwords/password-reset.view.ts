import type { PasswordResetAccepted, PasswordResetView } from '@ashchat/contracts';
import type { PasswordReset } from './password-reset.service.js';

/** Where clients poll a reset (also the `Location` of a new one). */
export const passwordResetStatusUrl = (id: string): string => `/v1/password-resets/${id}`;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The REST view of a reset: ISO times, nothing internal (no state name, no e-mail, no account). */
export function toPasswordResetView(r: PasswordReset): PasswordResetView {
  return {
    resetId: r.id,
    status: r.view.status,
    attemptsLeft: r.view.attemptsLeft,
    expiresAt: iso(r.view.expiresAt),
    resendAvailableAt: iso(r.view.resendAvailableAt),
    resendsLeft: r.view.resendsLeft,
    lastError: r.view.lastError,
    statusUrl: passwordResetStatusUrl(r.id),
  };
}

export function toPasswordResetAccepted(r: PasswordReset): PasswordResetAccepted {
  return { resetId: r.id, status: r.view.status, statusUrl: passwordResetStatusUrl(r.id) };
}
