import { randomUUID, timingSafeEqual } from 'node:crypto';
import { challengeDenialToken, codeDigest, type SessionTokens } from '@ashchat/contracts';
import { SagaConflictError, type SagaEventInput, type SagaWatch } from '@ashchat/saga';
import { AppError } from '../errors/app-error.js';
import type { DeviceRepository } from '../devices/device.repository.js';
import type { DeviceChallengeMachine } from './device-challenge.machine.js';
import type { DeviceChallengeRuntime, DeviceChallengeSagaView, DeviceChallengeStatusView } from './device-challenge.saga.js';
import type { DeviceChallengeRequest, SessionService } from './session.service.js';
import { CODE_FLOW_ERROR_CODES, codeFlowRefusals, waitWhile } from '../sagas/code-flow.service.js';

/** What the REST layer needs of one challenge (times in ms; the view renders ISO strings). */
export interface DeviceChallenge {
  id: string;
  userId: string;
  state: string;
  view: DeviceChallengeStatusView;
}

export type ChallengeVerifyResult = { kind: 'signed-in'; tokens: SessionTokens } | { kind: 'waiting'; challenge: DeviceChallenge };

export interface DeviceChallengeSettings {
  verificationCodeSecret: string;
  codeTtlMs: number;
  resendCooldownMs: number;
  maxResends: number;
  verifierRequestTimeoutMs: number;
  /** Bound of the wait for the verifier's answer in `verify`. */
  verifyWaitMs: number;
}

export interface DeviceChallengeServiceDeps {
  runtime: Pick<DeviceChallengeRuntime, 'start' | 'send' | 'get' | 'watch'>;
  devices: Pick<DeviceRepository, 'findOwned'>;
  sessions: Pick<SessionService, 'startVerifiedSession'>;
  settings: DeviceChallengeSettings;
  clock?: () => number;
}

export interface DeviceChallengeService {
  /** Starts a challenge for a right password from an untrusted device (a code is mailed); its id. */
  start(request: DeviceChallengeRequest): Promise<string>;
  get(id: string): Promise<DeviceChallenge | null>;
  /** Submits a code and waits (bounded); a right one trusts the device and answers the session's tokens, once. */
  verify(id: string, code: string): Promise<ChallengeVerifyResult>;
  /** Asks for a new code (the old one stops being valid). */
  resend(id: string): Promise<DeviceChallenge>;
  /** The mail's "this was not me": ends the challenge `denied` (INVALID_DENIAL_TOKEN for a wrong token). */
  deny(id: string, token: string): Promise<DeviceChallenge>;
}

const toChallenge = (v: DeviceChallengeSagaView): DeviceChallenge => ({ id: v.id, userId: v.index.userId, state: v.state, view: v.status });
const refusals = codeFlowRefusals(CODE_FLOW_ERROR_CODES);
const busy = (cause?: unknown): AppError => refusals.busy(cause);
const assertAwaitingCode = (c: DeviceChallenge): void => refusals.assertAwaitingCode(c.view);

/** Constant-time comparison of the presented denial token with the one the secret derives. */
function denialTokenMatches(secret: string, id: string, token: string): boolean {
  const expected = Buffer.from(challengeDenialToken(secret, id));
  const presented = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

export function createDeviceChallengeService(deps: DeviceChallengeServiceDeps): DeviceChallengeService {
  const { runtime, settings } = deps;
  const clock = deps.clock ?? Date.now;

  async function load(id: string): Promise<DeviceChallenge> {
    const view = await runtime.get(id);
    if (!view) throw new AppError('DEVICE_CHALLENGE_NOT_FOUND');
    return toChallenge(view);
  }

  async function send(id: string, event: SagaEventInput<DeviceChallengeMachine>): Promise<{ challenge: DeviceChallenge; changed: boolean }> {
    try {
      const { view, changed } = await runtime.send(id, event);
      return { challenge: toChallenge(view), changed };
    } catch (err) {
      if (err instanceof SagaConflictError) throw busy(err);
      throw err;
    }
  }

  /** Follows the challenge while `stillWaiting` holds, until `deadline` (see waitWhile). */
  const follow = (watch: SagaWatch<DeviceChallengeSagaView>, id: string, first: DeviceChallenge, stillWaiting: (c: DeviceChallenge) => boolean, deadline: number) =>
    waitWhile({ watch, first, stillWaiting, deadline, clock, fromView: toChallenge, reload: () => load(id) });

  /** The state after this request's code → its answer; a confirmed code gets the session, once. */
  async function verdict(c: DeviceChallenge): Promise<ChallengeVerifyResult> {
    if (c.view.status === 'completed' && c.view.deviceId) {
      const device = await deps.devices.findOwned(c.userId, c.view.deviceId);
      // Untrusted again in the moment between: the owner decided; no session.
      if (!device) throw new AppError('CODE_FLOW_DENIED');
      return { kind: 'signed-in', tokens: await deps.sessions.startVerifiedSession(c.userId, device, c.id) };
    }
    if (c.view.status === 'verifying') return { kind: 'waiting', challenge: c };
    throw refusals.afterVerification(c.view);
  }

  return {
    async start({ user, deviceIdHash, deviceName }) {
      const id = randomUUID();
      await runtime.start(id, {
        challengeId: id,
        userId: user._id,
        email: user.email,
        nickname: user.nickname,
        preferredLanguage: user.preferredLanguage,
        deviceIdHash,
        deviceName,
        codeTtlMs: settings.codeTtlMs,
        resendCooldownMs: settings.resendCooldownMs,
        maxResends: settings.maxResends,
        requestTimeoutMs: settings.verifierRequestTimeoutMs,
      });
      return id;
    },

    async get(id) {
      const view = await runtime.get(id);
      return view ? toChallenge(view) : null;
    },

    async verify(id, code) {
      const deadline = clock() + settings.verifyWaitMs;
      // Watching starts before the first read: a change between the read and the wait still wakes us.
      const watch = runtime.watch(id);
      try {
        let current = await load(id);
        current = await follow(watch, id, current, (c) => c.view.status === 'pending', deadline);
        assertAwaitingCode(current);
        const submitted = await send(id, { type: 'CODE_SUBMITTED', codeDigest: codeDigest(settings.verificationCodeSecret, id, code) });
        if (!submitted.changed) {
          assertAwaitingCode(submitted.challenge);
          throw busy();
        }
        return await verdict(await follow(watch, id, submitted.challenge, (c) => c.view.status === 'verifying', deadline));
      } finally {
        watch.close();
      }
    },

    async resend(id) {
      const current = await load(id);
      assertAwaitingCode(current);
      const early = refusals.resend(current.view, clock());
      if (early) throw early;
      const result = await send(id, { type: 'RESEND_REQUESTED' });
      if (result.changed) return result.challenge;
      assertAwaitingCode(result.challenge);
      throw refusals.resend(result.challenge.view, clock()) ?? busy();
    },

    async deny(id, token) {
      // The token first: a wrong one learns nothing, not even whether the challenge exists.
      if (!denialTokenMatches(settings.verificationCodeSecret, id, token)) throw new AppError('INVALID_DENIAL_TOKEN');
      const current = await load(id);
      if (current.view.status === 'denied') return current;
      if (current.view.status === 'completed') throw new AppError('CODE_FLOW_COMPLETED');
      const result = await send(id, { type: 'DENIED' });
      if (result.changed || result.challenge.view.status === 'denied') return result.challenge;
      // Confirmed meanwhile (or being trusted): too late to refuse; the owner can untrust the device.
      if (result.challenge.view.status === 'completed' || result.challenge.state === 'trustingDevice') throw new AppError('CODE_FLOW_COMPLETED');
      // Already over otherwise (expired, locked, failed): nothing left to refuse.
      return result.challenge;
    },
  };
}
