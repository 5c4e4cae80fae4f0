import { Type, type Static } from '@sinclair/typebox';
import { described, Email, LineString } from './common.schema.js';
import { ClientDeviceId, DeviceName } from './devices.http.js';

const EXAMPLE_ACCESS =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzZjJiOGMxZS03YTRkLTRlOWItOWM2MS0wZDVlMmY3YThiOTAiLCJzaWQiOiI5YjFkIn0.c2lnbmF0dXJl';
const EXAMPLE_REFRESH = 'q3Jx0b1mYV9mZ3k2QmN1c0RzZ1l0a1l6b2p3a2Z0cXc';

/** An opaque refresh token: 32 random bytes, base64url (43 characters). */
export const RefreshToken = LineString({
  minLength: 1,
  maxLength: 256,
  description: 'The opaque refresh token from the last sign-in or refresh (only its digest is stored)',
  examples: [EXAMPLE_REFRESH],
});

export const CreateSessionBody = Type.Object(
  {
    email: described(Email, 'Address of the account'),
    password: LineString({ minLength: 1, maxLength: 256, description: 'Password of the account', examples: ['correct horse battery staple'] }),
    deviceId: described(ClientDeviceId, `${ClientDeviceId.description}. A device the account has not verified gets a mailed code first (202)`),
    deviceName: Type.Optional(DeviceName),
  },
  {
    $id: 'CreateSessionBody',
    additionalProperties: false,
    description: 'Credentials to sign in with; every sign-in starts a session of its own (one per device).',
    examples: [{ email: 'ada@example.org', password: 'correct horse battery staple', deviceId: '0f8c2b7e-4d1a-4b9e-a3c5-6e7f8a9b0c1d', deviceName: 'Ada’s laptop' }],
  },
);
export type CreateSessionBody = Static<typeof CreateSessionBody>;

export const RefreshSessionBody = Type.Object(
  { refreshToken: RefreshToken },
  {
    $id: 'RefreshSessionBody',
    additionalProperties: false,
    description: 'A refresh token to exchange for new tokens. Each refresh token works once: presenting a used one again ends the session.',
    examples: [{ refreshToken: EXAMPLE_REFRESH }],
  },
);
export type RefreshSessionBody = Static<typeof RefreshSessionBody>;

export const SessionTokens = Type.Object(
  {
    accessToken: LineString({ description: 'JWT to send as `Authorization: Bearer <accessToken>`', examples: [EXAMPLE_ACCESS] }),
    refreshToken: described(RefreshToken, 'Opaque token for POST /v1/sessions/refresh; works once (each refresh answers a new one)'),
    expiresIn: Type.Integer({ minimum: 1, description: 'Seconds until the access token expires', examples: [900] }),
    tokenType: Type.Literal('Bearer', { description: 'Always `Bearer`' }),
  },
  {
    $id: 'SessionTokens',
    description: 'The tokens of a session: a short-lived access token and a single-use refresh token.',
    examples: [{ accessToken: EXAMPLE_ACCESS, refreshToken: EXAMPLE_REFRESH, expiresIn: 900, tokenType: 'Bearer' }],
  },
);
export type SessionTokens = Static<typeof SessionTokens>;
