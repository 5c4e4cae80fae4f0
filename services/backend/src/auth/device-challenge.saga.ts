/** Binds the pure device-challenge machine to the saga runtime: name, version, projections, replies, timers. */
import { CONFIRM_CODE_QUEUE, ConfirmCodeRequest, DEVICE_CODE_QUEUE, DeviceCodeRequest, type CodeFlowStatus } from '@ashchat/contracts';
import { defineSaga, type SagaEffectHandler, type SagaEventInput, type SagaRuntime, type SagaView } from '@ashchat/saga';
import type { SnapshotFrom } from 'xstate';
import { codeFlowProjection, codeReplyToEvent } from '../sagas/code-flow.kit.js';
import type { DeviceRepository } from '../devices/device.repository.js';
import {
  DEVICE_CHALLENGE_MACHINE_VERSION,
  DEVICE_CHALLENGE_TIMERS,
  deviceChallengeMachine,
  TRUST_DEVICE_EFFECT,
  type DeviceChallengeLastError,
  type DeviceChallengeMachine,
  type TrustDevicePayload,
} from './device-challenge.machine.js';

export const DEVICE_CHALLENGE_SAGA_NAME = 'device-challenge';
/** Collection of device-challenge saga documents. */
export const DEVICE_CHALLENGES_COLLECTION = 'device_challenges';

export type DeviceChallengeFailureReason = 'verifier-failed' | 'verifier-timeout';

/** What the REST layer shows (times in ms since epoch; REST renders ISO strings). Stored as `status`. */
export interface DeviceChallengeStatusView {
  status: CodeFlowStatus;
  attemptsLeft: number;
  expiresAt: number | null;
  resendAvailableAt: number | null;
  resendsLeft: number;
  reason: DeviceChallengeFailureReason | null;
  lastError: DeviceChallengeLastError | null;
  deviceName: string | null;
  /** The trusted device's public id once `completed` (the session is issued for it). */
  deviceId: string | null;
}

/** Stored as `index`: whose challenge it is. */
export interface DeviceChallengeIndex {
  userId: string;
}

export type DeviceChallengeRuntime = SagaRuntime<DeviceChallengeMachine, DeviceChallengeStatusView, DeviceChallengeIndex>;
export type DeviceChallengeSagaView = SagaView<DeviceChallengeMachine, DeviceChallengeStatusView, DeviceChallengeIndex>;

/** REST status (and failure reason) of each machine state; also printed in the generated state chart. */
export const DEVICE_CHALLENGE_STATE_STATUS: Record<string, { status: CodeFlowStatus; reason?: DeviceChallengeFailureReason }> = {
  requestingCode: { status: 'pending' },
  awaitingCode: { status: 'awaiting-code' },
  verifyingCode: { status: 'verifying' },
  trustingDevice: { status: 'verifying' },
  completed: { status: 'completed' },
  expired: { status: 'expired' },
  locked: { status: 'locked' },
  failed: { status: 'failed', reason: 'verifier-failed' },
  requestTimedOut: { status: 'failed', reason: 'verifier-timeout' },
  denied: { status: 'denied' },
};

export function deviceChallengeStatus(snapshot: SnapshotFrom<DeviceChallengeMachine>): DeviceChallengeStatusView {
  const c = snapshot.context;
  const mapped = DEVICE_CHALLENGE_STATE_STATUS[String(snapshot.value)];
  if (!mapped) throw new Error(`device challenge state ${String(snapshot.value)} has no status mapping`);
  const open = snapshot.status === 'active' && snapshot.value !== 'trustingDevice';
  return {
    status: mapped.status,
    ...codeFlowProjection(c, String(snapshot.value), open),
    reason: mapped.reason ?? null,
    deviceName: c.deviceName,
    deviceId: c.deviceId,
  };
}

/** Reply body (validated against CodeFlowReply by the consumer) → machine event (the shared code-flow mapping). */
export const deviceChallengeReplyToEvent: (body: unknown, meta: { requestId: string }) => SagaEventInput<DeviceChallengeMachine> | null = codeReplyToEvent;

export const deviceChallengeSaga = defineSaga({
  name: DEVICE_CHALLENGE_SAGA_NAME,
  version: DEVICE_CHALLENGE_MACHINE_VERSION,
  machine: deviceChallengeMachine,
  status: deviceChallengeStatus,
  index: (snapshot): DeviceChallengeIndex => ({ userId: snapshot.context.userId }),
  indexedFields: ['userId'],
  messages: { [DEVICE_CODE_QUEUE]: DeviceCodeRequest, [CONFIRM_CODE_QUEUE]: ConfirmCodeRequest },
  timerNames: DEVICE_CHALLENGE_TIMERS,
  replyToEvent: deviceChallengeReplyToEvent,
});

export interface TrustDeviceEffectDeps {
  devices: Pick<DeviceRepository, 'trust'>;
  /** Resolves once the unique (userId, deviceIdHash) index exists: a repeat after a crash trusts once. */
  indexesReady: () => Promise<void>;
  clock?: () => number;
}

/** The challenge's one local effect (trustDevice), by name. Idempotent: the device is trusted once. */
export function deviceChallengeEffects(d: TrustDeviceEffectDeps): Record<string, SagaEffectHandler> {
  const clock = d.clock ?? Date.now;
  const trustDevice: SagaEffectHandler = async (payload) => {
    const p = payload as unknown as TrustDevicePayload;
    await d.indexesReady();
    const device = await d.devices.trust({ userId: p.userId, deviceIdHash: p.deviceIdHash, name: p.deviceName }, new Date(clock()));
    return { type: 'DEVICE_TRUSTED', deviceId: device._id };
  };
  return { [TRUST_DEVICE_EFFECT]: trustDevice };
}
