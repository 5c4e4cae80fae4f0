import { DELETED_USER_ID } from '@ashchat/contracts';
import type { SagaEffectHandler } from '@ashchat/saga';
import type { Db } from 'mongodb';
import type { AccountDepartureService } from '../chat/account-departure.service.js';
import type { UserRepository } from '../users/user.repository.js';
import {
  ANONYMISE_MESSAGES_EFFECT,
  DELETE_PROFILE_EFFECT,
  LEAVE_CONVERSATIONS_EFFECT,
  MARK_USER_EFFECT,
  type AccountDeletionEffectPayload,
} from './account-deletion.machine.js';

/**
 * Saga documents of the account's other flows, deleted once finished: registrations by id and
 * address, password resets and device challenges by user or address (whichever their index has).
 * A collection that does not exist is simply empty. Unfinished ones are left to run out on their own.
 */
export const PERSONAL_SAGA_COLLECTIONS = ['password_resets', 'device_challenges'] as const;
const REGISTRATIONS = 'registrations';
const FILE_BATCH = 100;

export interface AccountDeletionEffectsDeps {
  users: Pick<UserRepository, 'markDeleting' | 'deleteById'>;
  sessions: { revokeAllSessions(userId: string): Promise<void>; deleteAllOf(userId: string): Promise<number> };
  devices: { deleteAllOf(userId: string): Promise<number> };
  departure: AccountDepartureService;
  /** The account's uploads and avatar (files/); each call repeatable. */
  files?: {
    deleteUploads(userId: string, limit: number): Promise<{ more: boolean }>;
    deleteAvatar(userId: string): Promise<void>;
  };
  /** The account's mutes and blocks, either side (relations/); repeatable. */
  relations?: { forget(userId: string): Promise<void> };
  /** The account's digest saga (digest/); repeatable. */
  digest?: { forget(userId: string): Promise<void> };
  /** Resolves once the chat indexes exist (the sender index the anonymising batches use). */
  chatReady: () => Promise<void>;
  db: Db;
  clock?: () => number;
}

type Payload = AccountDeletionEffectPayload;
const payloadOf = (p: Record<string, unknown>): Payload => p as unknown as Payload;

/**
 * The saga's steps, by effect name. Each is idempotent and bounded (one batch per run): the relay
 * runs one again if a crash interrupted it, possibly while a slow first run still goes on, so every
 * write is keyed or conditional. A failure throws, and the relay retries later.
 */
export function accountDeletionEffects(d: AccountDeletionEffectsDeps): Record<string, SagaEffectHandler> {
  const clock = d.clock ?? Date.now;
  return {
    [MARK_USER_EFFECT]: async (payload, { effectId }) => {
      const { userId } = payloadOf(payload);
      await d.users.markDeleting(userId, new Date(clock()));
      // After the mark: a sign-in racing it either is refused or its session is revoked here.
      await d.sessions.revokeAllSessions(userId);
      return { type: 'USER_MARKED', effectId };
    },
    [LEAVE_CONVERSATIONS_EFFECT]: async (payload, { effectId }) => {
      const { userId, batchSize } = payloadOf(payload);
      const { done, more } = await d.departure.leaveConversations(userId, batchSize);
      return { type: 'CONVERSATIONS_LEFT', effectId, count: done, more };
    },
    [ANONYMISE_MESSAGES_EFFECT]: async (payload, { effectId }) => {
      const { userId, batchSize } = payloadOf(payload);
      await d.chatReady();
      const { done, more } = await d.departure.anonymiseMessages(userId, DELETED_USER_ID, batchSize);
      return { type: 'MESSAGES_ANONYMISED', effectId, count: done, more };
    },
    [DELETE_PROFILE_EFFECT]: async (payload, { effectId }) => {
      const { userId, registrationId, emailNormalized } = payloadOf(payload);
      await d.devices.deleteAllOf(userId);
      await d.sessions.deleteAllOf(userId);
      await d.departure.deleteReadMarkers(userId);
      await d.departure.deleteReactions(userId);
      await d.relations?.forget(userId);
      await d.digest?.forget(userId);
      if (d.files) {
        // Bounded batches until none is left; a repeat after a crash starts on what is still there.
        while ((await d.files.deleteUploads(userId, FILE_BATCH)).more);
        await d.files.deleteAvatar(userId);
      }
      const registrations = d.db.collection<{ _id: string }>(REGISTRATIONS);
      await registrations.deleteOne({ _id: registrationId });
      await registrations.deleteMany({ final: true, 'index.emailNormalized': emailNormalized });
      for (const name of PERSONAL_SAGA_COLLECTIONS) {
        await d.db.collection(name).deleteMany({ final: true, $or: [{ 'index.userId': userId }, { 'index.emailNormalized': emailNormalized }] });
      }
      // Last: the address is free for a new registration once everything else of the account is gone.
      await d.users.deleteById(userId);
      return { type: 'PROFILE_DELETED', effectId };
    },
  };
}
