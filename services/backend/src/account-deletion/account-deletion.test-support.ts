/** Test-only helpers for the pure account-deletion machine (excluded from the build). */
import type { SnapshotFrom } from 'xstate';
import { machineDriver } from '../sagas/saga-graph.test-support.js';
import { accountDeletionMachine, type AccountDeletionEvent, type AccountDeletionInput, type AccountDeletionMachine } from './account-deletion.machine.js';

export { sagaEffects, type EmittedAction } from '../sagas/saga-graph.test-support.js';

export type Snap = SnapshotFrom<AccountDeletionMachine>;

export const T0 = 1_700_000_000_000;
export const EMAIL = 'Ada@Example.org';
export const NICKNAME = 'ada lovelace';

export function input(overrides: Partial<AccountDeletionInput> = {}): AccountDeletionInput {
  return {
    deletionId: '5d3c1a7b-9d2f-4b6e-8a0c-3f5d7b9e1a2c',
    userId: '0b7c2f0e-5d1a-4c3e-9f7a-2b1c3d4e5f60',
    registrationId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    email: EMAIL,
    emailNormalized: 'ada@example.org',
    nickname: NICKNAME,
    preferredLanguage: 'en',
    batchSize: 10,
    at: T0,
    ...overrides,
  };
}

export const { begin, step } = machineDriver<Snap, AccountDeletionEvent, AccountDeletionInput>(accountDeletionMachine, input);

/** The result of the effect the saga awaits, as the effect would return it. */
export function result(s: Snap, extra: { more?: boolean; count?: number } = {}, at = T0 + 1_000): AccountDeletionEvent {
  const effectId = s.context.pendingEffectId;
  if (!effectId) throw new Error(`no pending effect in ${String(s.value)}`);
  switch (s.value) {
    case 'markingUser':
      return { type: 'USER_MARKED', effectId, at };
    case 'leavingConversations':
      return { type: 'CONVERSATIONS_LEFT', effectId, count: extra.count ?? 1, more: extra.more ?? false, at };
    case 'anonymisingMessages':
      return { type: 'MESSAGES_ANONYMISED', effectId, count: extra.count ?? 1, more: extra.more ?? false, at };
    case 'deletingProfile':
      return { type: 'PROFILE_DELETED', effectId, at };
    default:
      throw new Error(`no effect awaited in ${String(s.value)}`);
  }
}
