import type { AccountDeletionView } from '@ashchat/contracts';
import type { AccountDeletion } from './account-deletion.service.js';

/** Where anyone holding the id follows a deletion (no token: the account goes). */
export const accountDeletionStatusUrl = (id: string): string => `/v1/account-deletions/${id}`;

export const toAccountDeletionView = (d: AccountDeletion): AccountDeletionView => ({
  deletionId: d.id,
  status: d.view.status,
  statusUrl: accountDeletionStatusUrl(d.id),
});
