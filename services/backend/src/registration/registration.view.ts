import type { RegistrationAccepted, RegistrationView } from '@ashchat/contracts';
import type { Registration } from './registration.service.js';

/** Where clients poll a registration (also the `Location` of a new one). */
export const registrationStatusUrl = (id: string): string => `/v1/registrations/${id}`;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The REST view of a registration: ISO times, nothing internal (no state name, no e-mail). */
export function toRegistrationView(r: Registration): RegistrationView {
  return {
    registrationId: r.id,
    status: r.view.status,
    attemptsLeft: r.view.attemptsLeft,
    expiresAt: iso(r.view.expiresAt),
    resendAvailableAt: iso(r.view.resendAvailableAt),
    statusUrl: registrationStatusUrl(r.id),
    resendsLeft: r.view.resendsLeft,
    reason: r.view.reason,
    lastError: r.view.lastError,
  };
}

export function toRegistrationAccepted(r: Registration): RegistrationAccepted {
  return { registrationId: r.id, status: r.view.status, statusUrl: registrationStatusUrl(r.id) };
}
