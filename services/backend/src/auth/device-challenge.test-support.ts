/** Test-only helpers for the pure device-challenge machine (excluded from the build). */
import type { SnapshotFrom } from 'xstate';
import { machineDriver } from '../sagas/saga-graph.test-support.js';
import { deviceChallengeMachine, type DeviceChallengeEvent, type DeviceChallengeInput, type DeviceChallengeMachine } from './device-challenge.machine.js';

export { sagaEffects, type EmittedAction } from '../sagas/saga-graph.test-support.js';

export type ChallengeSnap = SnapshotFrom<DeviceChallengeMachine>;

export const T0 = 1_700_000_000_000;
export const DIGEST = 'b'.repeat(64);
export const DEVICE_HASH = 'c2hhMjU2LW9mLXRoZS1jbGllbnQtZGV2aWNlLWlkLXh4eA';

export function challengeInput(overrides: Partial<DeviceChallengeInput> = {}): DeviceChallengeInput {
  return {
    challengeId: '7d1e3b5a-9c2f-4e6a-8b0d-1f3e5a7c9b2d',
    userId: '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90',
    email: 'ada@example.org',
    nickname: 'Ada',
    preferredLanguage: 'en',
    deviceIdHash: DEVICE_HASH,
    deviceName: 'Ada’s phone',
    codeTtlMs: 600_000,
    resendCooldownMs: 60_000,
    maxResends: 2,
    requestTimeoutMs: 30_000,
    at: T0,
    ...overrides,
  };
}

export const { begin: beginChallenge, step: stepChallenge } = machineDriver<ChallengeSnap, DeviceChallengeEvent, DeviceChallengeInput>(deviceChallengeMachine, challengeInput);

