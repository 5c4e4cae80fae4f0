import { Type, type Static } from '@sinclair/typebox';
import { described, LineString, Uuid } from './common.schema.js';
import { NewPassword } from './password-reset.http.js';

const EXAMPLE_DELETION = '1e3c5a7b-9d2f-4b6e-8a0c-3f5d7b9e1a2c';

const CurrentPassword = LineString({ minLength: 1, maxLength: 256, description: 'The account’s current password', examples: ['correct horse battery staple'] });

export const ChangePasswordBody = Type.Object(
  { currentPassword: CurrentPassword, newPassword: NewPassword },
  {
    $id: 'ChangePasswordBody',
    additionalProperties: false,
    description: 'Changes the password of the signed-in account; every other session ends.',
    examples: [{ currentPassword: 'correct horse battery staple', newPassword: 'another horse battery staple' }],
  },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const DeleteAccountBody = Type.Object(
  { password: CurrentPassword },
  { $id: 'DeleteAccountBody', additionalProperties: false, description: 'The password, to confirm that the account is to be deleted.', examples: [{ password: 'correct horse battery staple' }] },
);
export type DeleteAccountBody = Static<typeof DeleteAccountBody>;

export const AccountDeletionStatus = Type.Union([Type.Literal('deleting'), Type.Literal('completed')], {
  $id: 'AccountDeletionStatus',
  description: '`deleting` (sessions are ended, groups left, messages anonymised, the profile removed, in that order), `completed` (nothing of the account remains; the address may register again)',
});
export type AccountDeletionStatus = Static<typeof AccountDeletionStatus>;

export const AccountDeletionView = Type.Object(
  {
    deletionId: described(Uuid, 'Identifies the deletion'),
    status: AccountDeletionStatus,
    statusUrl: LineString({ description: 'Where to follow the deletion (relative URL; needs no token, the account is gone)', examples: [`/v1/account-deletions/${EXAMPLE_DELETION}`] }),
  },
  {
    $id: 'AccountDeletionView',
    description: 'An account deletion. Once started it finishes, even across restarts.',
    examples: [{ deletionId: EXAMPLE_DELETION, status: 'deleting', statusUrl: `/v1/account-deletions/${EXAMPLE_DELETION}` }],
  },
);
export type AccountDeletionView = Static<typeof AccountDeletionView>;

export const AccountDeletionParams = Type.Object({ id: described(Uuid, 'The `deletionId` that DELETE /v1/me answered with') }, { additionalProperties: false });
export type AccountDeletionParams = Static<typeof AccountDeletionParams>;

/** Shown as the author of a deleted account's messages (their bodies are removed). */
export const DELETED_USER_ID = '00000000-0000-0000-0000-000000000000';
