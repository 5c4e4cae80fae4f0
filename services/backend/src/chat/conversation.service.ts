import { ObjectId } from 'mongodb';
import { avatarUrlOf, type ChatEvent, type ChatMessageCreated, type ConversationView, type CreateConversationBody, type MemberList, type MemberView } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { UserRepository } from '../users/user.repository.js';
import { createAccessReader, type AccessReader } from './conversation.access.js';
import { decodeActivityCursor, encodeActivityCursor } from './chat.cursor.js';
import { toConversationView, type ConversationState } from './chat.view.js';
import { directKey, type ConversationDocument, type ConversationRepository, type MembershipDocument } from './conversation.repository.js';
import type { MessageRepository } from './message.repository.js';
import type { ChatBlockReader, ChatMuteReader } from './relations.ports.js';
import type { ChatTranslationPort } from './translation.ports.js';
import { readQuotedStates } from './message.quote.js';
import { readTranslationReader, translationFor } from './message.translation.js';
import type { MessageAttachments } from './message.attachments.js';

export interface ChatServiceDeps {
  conversations: ConversationRepository;
  messages: MessageRepository;
  /** Which of the given ids are not users (the users module owns the collection). */
  users: Pick<UserRepository, 'missingIds' | 'nicknamesOf' | 'avatarsOf' | 'findById' | 'translationProfilesOf'>;
  /** Tells members (every device, every instance) about a change, after it is stored. Never throws. */
  events?: { publish(userIds: readonly string[], event: ChatEvent): Promise<void> };
  /** Membership checks (cached by the plugin); read from the repositories when absent. */
  access?: AccessReader;
  /** Resolves once the indexes exist: the idempotent writes rest on the unique ones. */
  indexesReady?: () => Promise<void>;
  /** Publishes `chat.message.created` (ids only) for the digest; never throws, never waits for the broker. */
  messageEvents?: { published(event: Omit<ChatMessageCreated, 'type'>): Promise<void> };
  /** Files sent with messages (files/): claimed on send, deleted with the message. */
  attachments?: MessageAttachments;
  /** Mutes (relations/): the caller's views say which conversations are muted. */
  mutes?: ChatMuteReader;
  /** Blocks (relations/): no direct conversation, and no send into one, between users of a block. */
  blocks?: Pick<ChatBlockReader, 'blockedBetween'>;
  /** Machine translation (translation/): asked for after a send or edit is announced; absent = off. */
  translation?: ChatTranslationPort;
  clock?: () => Date;
}

export interface ConversationService {
  /** A direct conversation is found or created (`created` false when it existed); a group is always new. */
  create(userId: string, body: CreateConversationBody): Promise<{ created: boolean; conversation: ConversationView }>;
  list(userId: string, before: string | undefined, limit: number): Promise<{ items: ConversationView[]; nextCursor: string | null }>;
  addMembers(userId: string, conversationId: string, members: readonly string[]): Promise<ConversationView>;
  removeMember(userId: string, conversationId: string, memberId: string): Promise<void>;
  /** The members (join order) with nicknames and read markers; CONVERSATION_NOT_FOUND unless the caller is one. */
  members(userId: string, conversationId: string): Promise<MemberList>;
}

/** The conversation, if `userId` is a member; otherwise CONVERSATION_NOT_FOUND, as if it did not exist. */
export async function requireMember(
  conversations: ConversationRepository,
  conversationId: string,
  userId: string,
): Promise<{ conversation: ConversationDocument; membership: MembershipDocument }> {
  const id = new ObjectId(conversationId);
  const membership = await conversations.membership(id, userId);
  const conversation = membership ? await conversations.findById(id) : null;
  if (!membership || !conversation) throw new AppError('CONVERSATION_NOT_FOUND');
  return { conversation, membership };
}

export function createConversationService(deps: ChatServiceDeps): ConversationService {
  const { conversations, messages, users } = deps;
  const clock = deps.clock ?? (() => new Date());
  const access = deps.access ?? createAccessReader(conversations);

  async function assertUsers(ids: readonly string[]): Promise<void> {
    const missing = await users.missingIds(ids);
    if (missing.length > 0) throw new AppError('MEMBERS_NOT_FOUND', { details: { userIds: missing } });
  }

  /** The caller's view of the given memberships (one conversation each), in their order. */
  async function views(userId: string, memberships: readonly MembershipDocument[]): Promise<ConversationView[]> {
    const ids = memberships.map((m) => m.conversationId);
    const [docs, membersOf, markers, mutes] = await Promise.all([
      conversations.findByIds(ids),
      conversations.membersOf(ids),
      conversations.readMarkers(userId, ids),
      deps.mutes?.activeMutes(userId, clock()),
    ]);
    const byId = new Map(docs.map((d) => [d._id.toHexString(), d]));
    const states = await Promise.all(
      memberships.map(async (m): Promise<ConversationState | null> => {
        const key = m.conversationId.toHexString();
        const conversation = byId.get(key);
        if (!conversation) return null;
        const [lastMessage, unreadCount, unreadMentionCount] = await Promise.all([
          messages.latest(m.conversationId),
          messages.countUnread(m.conversationId, userId, markers.get(key)),
          messages.countUnreadMentions(m.conversationId, userId, markers.get(key)),
        ]);
        const quoted = await readQuotedStates(messages, [lastMessage]);
        const mute = mutes?.has(key) ? { until: mutes.get(key) ?? null } : undefined;
        return { conversation, members: membersOf.get(key) ?? [], lastActivityAt: m.lastActivityAt, lastMessage, unreadCount, unreadMentionCount, quoted, mute };
      }),
    );
    const shown = states.filter((s): s is ConversationState => s !== null);
    // The previews in the reader's language, as history shows them; the reader's profile (cached) is read
    // only when some last message of another member has translations at all.
    const translatable = shown.some((s) => s.lastMessage?.translations && s.lastMessage.senderId !== userId);
    const reader = translatable ? await readTranslationReader(users, userId) : null;
    return shown.map((s) => {
      const view = toConversationView(s);
      return s.lastMessage && view.lastMessage && reader ? { ...view, lastMessage: { ...view.lastMessage, translation: translationFor(s.lastMessage, reader) } } : view;
    });
  }

  /** conversation.updated to the members now and to those who just left. */
  async function announceMembers(conversationId: ObjectId, alsoTell: readonly string[] = []): Promise<void> {
    if (!deps.events) return;
    const members = (await conversations.membersOf([conversationId])).get(conversationId.toHexString()) ?? [];
    await deps.events.publish([...members, ...alsoTell], { type: 'conversation.updated', conversationId: conversationId.toHexString(), members });
  }

  async function viewOf(userId: string, conversationId: ObjectId): Promise<ConversationView> {
    const membership = await conversations.membership(conversationId, userId);
    const [view] = membership ? await views(userId, [membership]) : [];
    if (!view) throw new AppError('CONVERSATION_NOT_FOUND');
    return view;
  }

  return {
    async create(userId, body) {
      await deps.indexesReady?.();
      const now = clock();
      const _id = new ObjectId();
      if (body.type === 'direct') {
        const other = body.members[0] ?? '';
        if (other === userId) throw new AppError('SELF_CONVERSATION');
        await assertUsers([other]);
        // Either way round, and also for a pair whose conversation exists: 403 (not 404), since both already see it in their lists.
        if (await deps.blocks?.blockedBetween(userId, other)) throw new AppError('USER_BLOCKED');
        const { outcome, conversation } = await conversations.insert({ _id, key: directKey(userId, other), type: 'direct', name: null, ownerId: null, createdAt: now });
        // Also on 'existing': completes a create that stopped between the two writes.
        await conversations.addMembers(conversation._id, [userId, other], conversation.createdAt);
        if (outcome === 'created') await announceMembers(conversation._id);
        return { created: outcome === 'created', conversation: await viewOf(userId, conversation._id) };
      }
      const others = [...new Set(body.members)].filter((id) => id !== userId);
      await assertUsers(others);
      const { conversation } = await conversations.insert({ _id, key: `group:${_id.toHexString()}`, type: 'group', name: body.name, ownerId: userId, createdAt: now });
      await conversations.addMembers(conversation._id, [userId, ...others], now);
      await announceMembers(conversation._id);
      return { created: true, conversation: await viewOf(userId, conversation._id) };
    },

    async list(userId, before, limit) {
      const after = before === undefined ? undefined : decodeActivityCursor(before);
      const page = await conversations.pageForUser(userId, after, limit + 1);
      const more = page.length > limit;
      const shown = page.slice(0, limit);
      const last = shown.at(-1);
      return {
        items: await views(userId, shown),
        nextCursor: more && last ? encodeActivityCursor({ lastActivityAt: last.lastActivityAt, conversationId: last.conversationId }) : null,
      };
    },

    async addMembers(userId, conversationId, members) {
      const { conversation } = await requireMember(conversations, conversationId, userId);
      if (conversation.type === 'direct') throw new AppError('DIRECT_CONVERSATION_FIXED');
      if (conversation.ownerId !== userId) throw new AppError('NOT_CONVERSATION_OWNER');
      const added = [...new Set(members)].filter((id) => id !== userId);
      await assertUsers(added);
      await conversations.addMembers(conversation._id, added, clock());
      await announceMembers(conversation._id);
      return viewOf(userId, conversation._id);
    },

    async removeMember(userId, conversationId, memberId) {
      const { conversation } = await requireMember(conversations, conversationId, userId);
      if (conversation.type === 'direct') throw new AppError('DIRECT_CONVERSATION_FIXED');
      const leaving = memberId === userId;
      if (!leaving && conversation.ownerId !== userId) throw new AppError('NOT_CONVERSATION_OWNER');
      if (leaving && conversation.ownerId === userId) {
        const members = (await conversations.membersOf([conversation._id])).get(conversation._id.toHexString()) ?? [];
        if (members.some((id) => id !== userId)) throw new AppError('OWNER_CANNOT_LEAVE');
      }
      if (!(await conversations.removeMember(conversation._id, memberId))) throw new AppError('MEMBER_NOT_FOUND');
      await announceMembers(conversation._id, [memberId]);
    },

    async members(userId, conversationId) {
      // The (cached) access check gives the member ids; the rest are three `_id` lookups, whatever the group's size.
      const { conversation, members: ids } = await access(userId, conversationId);
      const [memberships, nicknames, markers, avatars] = await Promise.all([
        conversations.memberships(conversation._id, ids),
        users.nicknamesOf(ids),
        conversations.membersReadMarkers(conversation._id, ids),
        users.avatarsOf(ids),
      ]);
      const joined = new Map(memberships.map((m) => [m.userId, m.joinedAt]));
      const items: MemberView[] = [];
      for (const id of ids) {
        const joinedAt = joined.get(id);
        const nickname = nicknames.get(id);
        // Gone since the cached list was read (left, removed), or an account whose deletion has finished.
        if (!joinedAt || nickname === undefined) continue;
        items.push({
          userId: id,
          nickname,
          avatarUrl: avatarUrlOf(id, avatars.get(id)),
          joinedAt: joinedAt.toISOString(),
          lastReadMessageId: markers.get(id)?.toHexString() ?? null,
        });
      }
      return { items };
    },
  };
}
