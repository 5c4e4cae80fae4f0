import type { ConversationView, MessageView } from '@ashchat/contracts';
import type { ConversationDocument } from './conversation.repository.js';
import type { MessageDocument } from './message.repository.js';
import { toQuote, type QuotedStates } from './message.quote.js';

/**
 * Views of messages known to carry no reaction (`reacted: false`): kept beside the view, not in it
 * (MessageView is the contract), so the reaction service can skip reading for them. Any other view
 * (an old message without the marker, a copy) counts as "maybe".
 */
const unreacted = new WeakSet<MessageView>();
export const markUnreacted = <T extends MessageView>(view: T, m: Pick<MessageDocument, 'reacted'>): T => {
  if (m.reacted === false) unreacted.add(view);
  return view;
};
export const mayHaveReactions = (view: MessageView): boolean => !unreacted.has(view);

/** `quoted`: the originals' current state (readQuotedStates); without it a quote shows as stored. */
export const toMessageView = (m: MessageDocument, quoted?: QuotedStates): MessageView => ({
  id: m._id.toHexString(),
  conversationId: m.conversationId.toHexString(),
  senderId: m.senderId,
  clientMessageId: m.clientMessageId,
  body: m.deletedAt ? null : m.body,
  createdAt: m.createdAt.toISOString(),
  editedAt: m.editedAt?.toISOString() ?? null,
  deletedAt: m.deletedAt?.toISOString() ?? null,
  // Messages stored before positions existed have none (message.position.ts).
  seq: m.seq ?? 0,
  // Per reader, so filled in by the reaction service where a reader is known (pages, edits); none otherwise.
  reactions: [],
  replyTo: toQuote(m.replyTo, quoted),
  mentions: m.deletedAt ? [] : (m.mentions ?? []),
  // A deleted message's files are deleted with it (files/).
  attachments: m.deletedAt ? [] : (m.attachments ?? []),
  language: m.language ?? null,
  // Per reader (message.translation.ts): filled where a reader is known (pages, resume, answers); events carry none.
  translation: null,
});

export interface ConversationState {
  conversation: ConversationDocument;
  members: string[];
  lastActivityAt: Date;
  lastMessage: MessageDocument | null;
  unreadCount: number;
  unreadMentionCount: number;
  /** The caller's mute in force (relations/), if any: `until` null is until unmuted. */
  mute?: { until: Date | null } | undefined;
  /** The state of the message lastMessage quotes, if it is a reply. */
  quoted?: QuotedStates | undefined;
}

export const toConversationView = (s: ConversationState): ConversationView => ({
  id: s.conversation._id.toHexString(),
  type: s.conversation.type,
  name: s.conversation.name,
  ownerId: s.conversation.ownerId,
  members: s.members,
  createdAt: s.conversation.createdAt.toISOString(),
  lastActivityAt: s.lastActivityAt.toISOString(),
  lastMessage: s.lastMessage ? toMessageView(s.lastMessage, s.quoted) : null,
  unreadCount: s.unreadCount,
  unreadMentionCount: s.unreadMentionCount,
  muted: s.mute !== undefined,
  mutedUntil: s.mute?.until?.toISOString() ?? null,
});
