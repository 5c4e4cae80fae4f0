import type { DigestConversation, PresenceEvent } from '@ashchat/contracts';
import type { SagaEffectHandler } from '@ashchat/saga';
import type { ObjectId } from 'mongodb';
import type { ConversationRepository } from '../chat/conversation.repository.js';
import type { MessageDocument, MessageRepository } from '../chat/message.repository.js';
import type { UserRepository } from '../users/user.repository.js';
import type { ComposeDigestPayload, ComposedDigest, DigestEvent } from './digest.machine.js';
import { COMPOSE_DIGEST_EFFECT } from './digest.machine.js';

/**
 * The user's muted conversations (the relations module's `mutes`). A port so that the digest does
 * not depend on how mutes are stored; without one nothing counts as muted.
 */
export interface MuteReader {
  mutedConversationIds(userId: string, now: Date): Promise<Set<string>>;
}

export interface DigestComposerDeps {
  users: Pick<UserRepository, 'findById' | 'nicknamesOf'>;
  conversations: Pick<ConversationRepository, 'pageForUser' | 'findByIds' | 'membersOf' | 'readMarkers'>;
  messages: Pick<MessageRepository, 'page' | 'countUnread'>;
  presence: { get(userIds: readonly string[]): Promise<PresenceEvent[]> };
  /** Asked at each composition: the relations module may be registered after this one. */
  mutes: () => MuteReader | undefined;
  clock?: () => number;
}

/** Conversations looked at (most recently active first), listed in a mail, and excerpts per conversation. */
export const DIGEST_SCAN_CONVERSATIONS = 100;
export const DIGEST_LIST_CONVERSATIONS = 20;
export const DIGEST_EXCERPTS = 3;
/** Latest messages per conversation looked at for mentions and excerpts. */
const SCAN_MESSAGES = 100;
const EXCERPT_CHARS = 200;
const NAME_CHARS = 100;
/** Only deleted accounts have no nickname (tombstones keep their slot in the conversation). */
const UNKNOWN_SENDER = 'Deleted account';

type Outcome = Extract<DigestEvent, { type: 'DIGEST_COMPOSED' | 'DIGEST_DEFERRED' | 'DIGEST_SKIPPED' }>;
export type ComposeResult = DistributiveOmit<Outcome, 'at' | 'effectId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);
const mentionsOf = (m: MessageDocument): readonly string[] => (m as MessageDocument & { mentions?: string[] }).mentions ?? [];

/**
 * Decides, when the digest timer fired, whether a mail goes out and what it says — all from fresh
 * reads: the account (gone? opted out?), presence (online now, or back online within the delay?),
 * then every non-muted conversation with unread messages from others. Muted conversations are
 * skipped before any of their messages is read, so none of their text can reach the queue.
 */
export function createDigestComposer(d: DigestComposerDeps) {
  const clock = d.clock ?? Date.now;

  async function unreadIn(userId: string, conversationId: ObjectId, marker: ObjectId | undefined) {
    const [unreadCount, latest] = await Promise.all([d.messages.countUnread(conversationId, userId, marker), d.messages.page(conversationId, undefined, SCAN_MESSAGES)]);
    const unread = latest.filter((m) => m.senderId !== userId && m.deletedAt === null && m.body !== null && (!marker || m._id.toHexString() > marker.toHexString()));
    return { unreadCount, mentionCount: unread.filter((m) => mentionsOf(m).includes(userId)).length, latest: unread.slice(0, DIGEST_EXCERPTS).reverse() };
  }

  async function compose(userId: string, delayMs: number): Promise<ComposeResult> {
    const user = await d.users.findById(userId);
    if (!user || user.deletingSince) return { type: 'DIGEST_SKIPPED', reason: 'user-gone' };
    if (user.digestEmails === false) return { type: 'DIGEST_SKIPPED', reason: 'opted-out' };
    const [presence] = await d.presence.get([userId]);
    if (presence?.status === 'online') return { type: 'DIGEST_SKIPPED', reason: 'online' };
    const now = clock();
    const offlineSince = presence?.lastSeen ? Date.parse(presence.lastSeen) : 0;
    if (offlineSince + delayMs > now) return { type: 'DIGEST_DEFERRED', until: offlineSince + delayMs };

    const muted = (await d.mutes()?.mutedConversationIds(userId, new Date(now))) ?? new Set<string>();
    const memberships = (await d.conversations.pageForUser(userId, undefined, DIGEST_SCAN_CONVERSATIONS)).filter((m) => !muted.has(m.conversationId.toHexString()));
    const ids = memberships.map((m) => m.conversationId);
    const markers = await d.conversations.readMarkers(userId, ids);
    const found = await Promise.all(memberships.map(async (m) => ({ id: m.conversationId, ...(await unreadIn(userId, m.conversationId, markers.get(m.conversationId.toHexString()))) })));
    const withUnread = found.filter((c) => c.unreadCount > 0);
    if (withUnread.length === 0) return { type: 'DIGEST_SKIPPED', reason: 'nothing-unread' };

    const listed = withUnread.slice(0, DIGEST_LIST_CONVERSATIONS);
    const [docs, members] = await Promise.all([d.conversations.findByIds(listed.map((c) => c.id)), d.conversations.membersOf(listed.map((c) => c.id))]);
    const byId = new Map(docs.map((c) => [c._id.toHexString(), c]));
    const people = new Set<string>([...listed.flatMap((c) => c.latest.map((m) => m.senderId)), ...[...members.values()].flat()]);
    people.delete(userId);
    const nicknames = await d.users.nicknamesOf([...people]);

    const conversations: DigestConversation[] = listed.map((c) => {
      const key = c.id.toHexString();
      const doc = byId.get(key);
      const others = (members.get(key) ?? []).filter((id) => id !== userId).map((id) => nicknames.get(id)).filter((n): n is string => n !== undefined);
      const name = (doc?.type === 'group' && doc.name ? doc.name : others.join(', ')) || UNKNOWN_SENDER;
      return {
        conversationId: key,
        name: cut(name, NAME_CHARS),
        unreadCount: c.unreadCount,
        mentionCount: Math.min(c.mentionCount, c.unreadCount),
        excerpts: c.latest.map((m) => ({ sender: nicknames.get(m.senderId) ?? UNKNOWN_SENDER, text: cut(m.body ?? '', EXCERPT_CHARS), at: m.createdAt.getTime() })),
      };
    });
    const mail: ComposedDigest = {
      email: user.email,
      nickname: user.nickname,
      preferredLanguage: user.preferredLanguage,
      conversations,
      moreConversations: withUnread.length - listed.length,
    };
    return { type: 'DIGEST_COMPOSED', mail };
  }

  return { compose };
}

/** The saga's one local effect. Reads only, so running it again after a crash is harmless. */
export function digestEffects(composer: ReturnType<typeof createDigestComposer>): Record<string, SagaEffectHandler> {
  return {
    [COMPOSE_DIGEST_EFFECT]: async (payload, { effectId }) => {
      const { userId, delayMs } = payload as unknown as ComposeDigestPayload;
      return { ...(await composer.compose(userId, delayMs)), effectId };
    },
  };
}
