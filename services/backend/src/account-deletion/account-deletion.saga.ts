/** Binds the pure account-deletion machine to the saga runtime: name, version, projections, its one message. */
import { ACCOUNT_NOTICE_QUEUE, AccountNotice, type AccountDeletionStatus } from '@ashchat/contracts';
import { defineSaga } from '@ashchat/saga';
import type { SnapshotFrom } from 'xstate';
import { ACCOUNT_DELETION_MACHINE_VERSION, accountDeletionMachine, type AccountDeletionMachine } from './account-deletion.machine.js';

export const ACCOUNT_DELETION_SAGA_NAME = 'account-deletion';

/** Stored as `status`: what GET /v1/account-deletions/{id} shows. */
export interface AccountDeletionStatusView {
  status: AccountDeletionStatus;
}

/** Stored as `index`: a repeated DELETE /v1/me finds the deletion already running. */
export interface AccountDeletionIndex {
  userId: string;
}

/** REST status of each machine state; also printed in the generated state chart. */
export const ACCOUNT_DELETION_STATE_STATUS: Record<string, AccountDeletionStatus> = {
  markingUser: 'deleting',
  leavingConversations: 'deleting',
  anonymisingMessages: 'deleting',
  deletingProfile: 'deleting',
  completed: 'completed',
};

export function accountDeletionStatus(snapshot: SnapshotFrom<AccountDeletionMachine>): AccountDeletionStatusView {
  const status = ACCOUNT_DELETION_STATE_STATUS[String(snapshot.value)];
  if (!status) throw new Error(`account-deletion state ${String(snapshot.value)} has no status mapping`);
  return { status };
}

export const accountDeletionSaga = defineSaga({
  name: ACCOUNT_DELETION_SAGA_NAME,
  version: ACCOUNT_DELETION_MACHINE_VERSION,
  machine: accountDeletionMachine,
  status: accountDeletionStatus,
  index: (snapshot): AccountDeletionIndex => ({ userId: snapshot.context.userId }),
  indexedFields: ['userId'],
  messages: { [ACCOUNT_NOTICE_QUEUE]: AccountNotice },
  timerNames: [],
  // One-way: nothing ever replies.
  replyToEvent: () => null,
});

export type AccountDeletionSaga = typeof accountDeletionSaga;
