import { Type, type Static } from '@sinclair/typebox';
import { described, Email, LineString, Uuid } from './common.schema.js';
import { codeFlowFields, CodeFlowStatus, VerificationCode } from './code-flow.http.js';

const EXAMPLE_ID = '5c0e7a2b-1f3d-4c8e-9a6b-2d4f6e8a0b1c';
const EXAMPLE_STATUS_URL = `/v1/password-resets/${EXAMPLE_ID}`;

/** A new password: the same rules as at registration (10–256 characters, not an obviously weak one). */
export const NewPassword = LineString({
  minLength: 10,
  maxLength: 256,
  description: 'The new password, 10–256 characters; only its argon2id hash is kept',
  examples: ['another horse battery staple'],
});

export const CreatePasswordResetBody = Type.Object(
  { email: described(Email, 'Address of the account whose password was forgotten') },
  {
    $id: 'CreatePasswordResetBody',
    additionalProperties: false,
    description: 'Starts a password reset: a code is mailed to the address if it has an account.',
    examples: [{ email: 'ada@example.org' }],
  },
);
export type CreatePasswordResetBody = Static<typeof CreatePasswordResetBody>;

export const PasswordResetParams = Type.Object(
  { id: described(Uuid, 'The `resetId` that POST /v1/password-resets answered with (lower-case UUID)') },
  { additionalProperties: false },
);
export type PasswordResetParams = Static<typeof PasswordResetParams>;

const resetId = described(Uuid, 'Identifies the password reset (lower-case UUID)');

export const PasswordResetAccepted = Type.Object(
  { resetId, status: CodeFlowStatus, statusUrl: codeFlowFields.statusUrl },
  {
    $id: 'PasswordResetAccepted',
    description: 'The reset was started. The same answer whether or not the address has an account; only an account’s owner gets a mail.',
    examples: [{ resetId: EXAMPLE_ID, status: 'pending', statusUrl: EXAMPLE_STATUS_URL }],
  },
);
export type PasswordResetAccepted = Static<typeof PasswordResetAccepted>;

export const PasswordResetView = Type.Object(
  { resetId, ...codeFlowFields },
  {
    $id: 'PasswordResetView',
    description: 'A password reset as its client sees it (nothing internal: no e-mail, no hash).',
    examples: [
      {
        resetId: EXAMPLE_ID,
        status: 'awaiting-code',
        attemptsLeft: 5,
        expiresAt: '2026-01-01T12:15:00.000Z',
        resendAvailableAt: '2026-01-01T12:01:00.000Z',
        resendsLeft: 3,
        lastError: null,
        statusUrl: EXAMPLE_STATUS_URL,
      },
    ],
  },
);
export type PasswordResetView = Static<typeof PasswordResetView>;

export const VerifyPasswordResetBody = Type.Object(
  { code: VerificationCode, newPassword: NewPassword },
  {
    $id: 'VerifyPasswordResetBody',
    additionalProperties: false,
    description: 'The mailed code and the new password.',
    examples: [{ code: '042917', newPassword: 'another horse battery staple' }],
  },
);
export type VerifyPasswordResetBody = Static<typeof VerifyPasswordResetBody>;
