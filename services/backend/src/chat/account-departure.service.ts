import type { ObjectId } from 'mongodb';
import type { ChatEvent } from '@ashchat/contracts';
import type { ConversationRepository, MembershipDocument } from './conversation.repository.js';
import type { MessageRepository } from './message.repository.js';
import type { ReactionRepository } from './reaction.repository.js';

export interface AccountDepartureDeps {
  conversations: ConversationRepository;
  messages: MessageRepository;
  /** The chat plugin's publisher: drops this instance's caches at once, other instances' when the event arrives. */
  events: { publish(userIds: readonly string[], event: ChatEvent): Promise<void> };
  /** Reactions (reaction.repository.ts): a closed conversation's, and the user's own. */
  reactions?: Pick<ReactionRepository, 'deleteAllIn' | 'deleteAllBy'>;
  clock?: () => Date;
}

/** How far one call got: `more` while something may be left for the next call. */
export interface DepartureProgress {
  done: number;
  more: boolean;
}

/**
 * What chat does when an account goes (the account-deletion saga calls it step by step). Each call
 * handles one bounded batch and is safe to repeat, in part or whole, after a crash: every write is
 * keyed or conditional, and the user's own membership — the handle a repeat finds its work by — is
 * removed last.
 */
export interface AccountDepartureService {
  /**
   * Takes the user out of up to `limit` conversations: a group the user owns passes to the member who
   * joined earliest, a conversation nobody else is in is closed (messages, read markers, memberships,
   * the conversation), a direct conversation loses its pair key (it names the user).
   */
  leaveConversations(userId: string, limit: number): Promise<DepartureProgress>;
  /** Turns up to `limit` messages the user sent into tombstones of `replacementId`. */
  anonymiseMessages(userId: string, replacementId: string, limit: number): Promise<DepartureProgress>;
  /** Deletes the user's read markers left anywhere. */
  deleteReadMarkers(userId: string): Promise<number>;
  /** Deletes the user's reactions everywhere (the counts others see drop by them). */
  deleteReactions(userId: string): Promise<number>;
}

export function createAccountDepartureService(deps: AccountDepartureDeps): AccountDepartureService {
  const { conversations, messages, events } = deps;
  const clock = deps.clock ?? (() => new Date());

  async function membersOf(conversationId: ObjectId): Promise<string[]> {
    return (await conversations.membersOf([conversationId])).get(conversationId.toHexString()) ?? [];
  }

  async function close(conversationId: ObjectId): Promise<void> {
    await messages.deleteAllIn(conversationId);
    await deps.reactions?.deleteAllIn(conversationId);
    await conversations.purge(conversationId);
  }

  async function leave(userId: string, m: MembershipDocument): Promise<void> {
    const id = m.conversationId;
    const conversation = await conversations.findById(id);
    const others = (await membersOf(id)).filter((u) => u !== userId);
    if (!conversation || others.length === 0) {
      // Nobody else can read it (or a repeat finds it half closed): close it for good.
      await close(id);
      await events.publish([userId], { type: 'conversation.updated', conversationId: id.toHexString(), members: [] });
      return;
    }
    let ownerId: string | null | undefined;
    if (conversation.type === 'group' && conversation.ownerId === userId) {
      // `others` is in joining order: the longest-standing member takes over.
      await conversations.setOwner(id, userId, others[0]!);
      ownerId = others[0]!;
    }
    if (conversation.key.startsWith('direct:')) await conversations.rekey(id, `direct-left:${id.toHexString()}`);
    await conversations.removeMember(id, userId);
    await events.publish([...others, userId], {
      type: 'conversation.updated',
      conversationId: id.toHexString(),
      members: others,
      ...(ownerId !== undefined ? { ownerId } : {}),
    });
  }

  return {
    async leaveConversations(userId, limit) {
      const page = await conversations.pageForUser(userId, undefined, limit);
      for (const m of page) await leave(userId, m);
      return { done: page.length, more: page.length === limit };
    },

    async anonymiseMessages(userId, replacementId, limit) {
      const { count, conversationIds } = await messages.anonymiseSentBy(userId, replacementId, limit, clock());
      // No per-message event (there may be thousands): the members' lists and caches are refreshed per conversation.
      const members = conversationIds.length > 0 ? await conversations.membersOf(conversationIds) : new Map<string, string[]>();
      for (const [conversationId, users] of members) {
        if (users.length > 0) await events.publish(users, { type: 'conversation.updated', conversationId, members: users });
      }
      // A message still on its way when the sessions ended may land after a batch: one more look costs a query.
      return { done: count, more: count > 0 };
    },

    deleteReadMarkers(userId) {
      return conversations.deleteReadMarkersOf(userId);
    },

    async deleteReactions(userId) {
      return (await deps.reactions?.deleteAllBy(userId)) ?? 0;
    },
  };
}
