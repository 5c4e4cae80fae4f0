import type { DeviceChallengeView } from '@ashchat/contracts';
import type { DeviceChallenge } from './device-challenge.service.js';

/** Where a device challenge is polled and answered (also the `Location` of the 202 sign-in). */
export const deviceChallengeUrl = (id: string): string => `/v1/sessions/challenges/${id}`;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The REST view: ISO times, nothing internal (no state name, no account, no device digest). */
export function toDeviceChallengeView(c: DeviceChallenge): DeviceChallengeView {
  return {
    challengeId: c.id,
    status: c.view.status,
    attemptsLeft: c.view.attemptsLeft,
    expiresAt: iso(c.view.expiresAt),
    resendAvailableAt: iso(c.view.resendAvailableAt),
    resendsLeft: c.view.resendsLeft,
    lastError: c.view.lastError,
    statusUrl: deviceChallengeUrl(c.id),
    deviceName: c.view.deviceName,
  };
}
