import { Type, type Static } from '@sinclair/typebox';
import { described, IsoDateTime, LineString, Uuid } from './common.schema.js';
import { codeFlowFields, VerificationCode } from './code-flow.http.js';

const EXAMPLE_CHALLENGE = '7d1e3b5a-9c2f-4e6a-8b0d-1f3e5a7c9b2d';
const EXAMPLE_SESSION = '9b1d4f6a-2c3e-4a5b-8d7f-0e1a2b3c4d5e';
const EXAMPLE_DEVICE = '2a4c6e8f-1b3d-4f5a-9c7e-0d2f4a6b8c1e';

/**
 * The client's own stable id of the device (e.g. a UUID kept in local storage), sent at every sign-in.
 * Treat it like a credential: the server keeps only its digest, and it is never shown again.
 */
export const ClientDeviceId = Type.String({
  pattern: '^[A-Za-z0-9_-]{16,128}$',
  description: 'Stable id the client keeps for this device (16–128 of A–Z a–z 0–9 _ -, e.g. a UUID); only its digest is stored',
  examples: ['0f8c2b7e-4d1a-4b9e-a3c5-6e7f8a9b0c1d'],
});
export const DeviceName = LineString({ minLength: 1, maxLength: 100, description: 'Label for this device, shown in session and device lists and in mails', examples: ['Ada’s laptop'] });

export const ChallengeParams = Type.Object(
  { id: described(Uuid, 'The `challengeId` that POST /v1/sessions answered with (lower-case UUID)') },
  { additionalProperties: false },
);
export type ChallengeParams = Static<typeof ChallengeParams>;

const challengeId = described(Uuid, 'Identifies the device challenge (lower-case UUID)');

/** POST /v1/sessions from a device the account has not verified: no tokens yet, a code is mailed. */
export const DeviceVerificationRequired = Type.Object(
  {
    challengeId,
    status: Type.Literal('device-verification-required'),
    statusUrl: LineString({ description: 'Where to poll the challenge (relative URL)', examples: [`/v1/sessions/challenges/${EXAMPLE_CHALLENGE}`] }),
  },
  {
    $id: 'DeviceVerificationRequired',
    description: 'The password was right but this device is new to the account: a code was mailed to the account’s address; submit it to POST /v1/sessions/challenges/{id}.',
    examples: [{ challengeId: EXAMPLE_CHALLENGE, status: 'device-verification-required', statusUrl: `/v1/sessions/challenges/${EXAMPLE_CHALLENGE}` }],
  },
);
export type DeviceVerificationRequired = Static<typeof DeviceVerificationRequired>;

export const DeviceChallengeView = Type.Object(
  { challengeId, ...codeFlowFields, deviceName: Type.Union([DeviceName, Type.Null()], { description: 'The device that asked to sign in' }) },
  {
    $id: 'DeviceChallengeView',
    description: 'A device challenge as its client sees it.',
    examples: [
      {
        challengeId: EXAMPLE_CHALLENGE,
        status: 'awaiting-code',
        attemptsLeft: 5,
        expiresAt: '2026-01-01T12:10:00.000Z',
        resendAvailableAt: '2026-01-01T12:01:00.000Z',
        resendsLeft: 3,
        lastError: null,
        statusUrl: `/v1/sessions/challenges/${EXAMPLE_CHALLENGE}`,
        deviceName: 'Ada’s laptop',
      },
    ],
  },
);
export type DeviceChallengeView = Static<typeof DeviceChallengeView>;

export const VerifyDeviceChallengeBody = Type.Object(
  { code: VerificationCode },
  { $id: 'VerifyDeviceChallengeBody', additionalProperties: false, description: 'The code from the device mail.', examples: [{ code: '042917' }] },
);
export type VerifyDeviceChallengeBody = Static<typeof VerifyDeviceChallengeBody>;

export const DenyDeviceChallengeBody = Type.Object(
  { token: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'The token of the mail’s "this was not me" link' }) },
  {
    $id: 'DenyDeviceChallengeBody',
    additionalProperties: false,
    description: 'Refuses a device challenge from its mail’s link: the device gets no session. The token can only refuse, never sign in.',
    examples: [{ token: 'q3Jx0b1mYV9mZ3k2QmN1c0RzZ1l0a1l6b2p3a2Z0cXc' }],
  },
);
export type DenyDeviceChallengeBody = Static<typeof DenyDeviceChallengeBody>;

export const SessionView = Type.Object(
  {
    sessionId: described(Uuid, 'Identifies the session (the `sid` of its access tokens)'),
    deviceId: Type.Union([described(Uuid, 'The trusted device it runs on (see GET /v1/devices)'), Type.Null()]),
    deviceName: Type.Union([DeviceName, Type.Null()]),
    createdAt: described(IsoDateTime, 'When the session started (the sign-in)'),
    lastUsedAt: described(IsoDateTime, 'When its tokens were last issued (sign-in or refresh; clients refresh every few minutes while in use)'),
    current: Type.Boolean({ description: 'Whether this is the session of the request’s access token' }),
  },
  { $id: 'SessionView', description: 'One active session (one signed-in device or browser).' },
);
export type SessionView = Static<typeof SessionView>;

export const SessionList = Type.Object(
  { sessions: Type.Array(SessionView, { description: 'Active sessions, newest first' }) },
  {
    $id: 'SessionList',
    description: 'The caller’s active sessions.',
    examples: [
      {
        sessions: [
          {
            sessionId: EXAMPLE_SESSION,
            deviceId: EXAMPLE_DEVICE,
            deviceName: 'Ada’s laptop',
            createdAt: '2026-01-01T12:00:00.000Z',
            lastUsedAt: '2026-01-01T12:45:00.000Z',
            current: true,
          },
        ],
      },
    ],
  },
);
export type SessionList = Static<typeof SessionList>;

export const SessionParams = Type.Object({ id: described(Uuid, 'A `sessionId` from GET /v1/sessions') }, { additionalProperties: false });
export type SessionParams = Static<typeof SessionParams>;

export const DeviceView = Type.Object(
  {
    deviceId: described(Uuid, 'Identifies the trusted device (not the client’s own device id, which is never shown)'),
    name: Type.Union([DeviceName, Type.Null()]),
    trustedAt: described(IsoDateTime, 'When the device was verified (registration or a device challenge)'),
    lastSeenAt: described(IsoDateTime, 'When it last signed in'),
    current: Type.Boolean({ description: 'Whether the request comes from this device' }),
  },
  { $id: 'DeviceView', description: 'A device the account trusts: signing in from it needs no mailed code.' },
);
export type DeviceView = Static<typeof DeviceView>;

export const DeviceList = Type.Object(
  { devices: Type.Array(DeviceView, { description: 'Trusted devices, most recently seen first' }) },
  {
    $id: 'DeviceList',
    description: 'The devices the caller’s account trusts.',
    examples: [{ devices: [{ deviceId: EXAMPLE_DEVICE, name: 'Ada’s laptop', trustedAt: '2026-01-01T12:00:00.000Z', lastSeenAt: '2026-01-02T08:00:00.000Z', current: true }] }],
  },
);
export type DeviceList = Static<typeof DeviceList>;

export const DeviceParams = Type.Object({ id: described(Uuid, 'A `deviceId` from GET /v1/devices') }, { additionalProperties: false });
export type DeviceParams = Static<typeof DeviceParams>;
