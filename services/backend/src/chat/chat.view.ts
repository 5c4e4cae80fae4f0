import type { ConversationView, MessageView } from '@ashchat/contracts';
import type { ConversationDocument } from './conversation.repository.js';
import type { MessageDocument } from './message.repository.js';

export const toMessageView = (m: MessageDocument): MessageView => ({
  id: m._id.toHexString(),
  conversationId: m.conversationId.toHexString(),
  senderId: m.senderId,
  clientMessageId: m.clientMessageId,
  body: m.deletedAt ? null : m.body,
  createdAt: m.createdAt.toISOString(),
  editedAt: m.editedAt?.toISOString() ?? null,
  deletedAt: m.deletedAt?.toISOString() ?? null,
});

export interface ConversationState {
  conversation: ConversationDocument;
  members: string[];
  lastActivityAt: Date;
  lastMessage: MessageDocument | null;
  unreadCount: number;
}

export const toConversationView = (s: ConversationState): ConversationView => ({
  id: s.conversation._id.toHexString(),
  type: s.conversation.type,
  name: s.conversation.name,
  ownerId: s.conversation.ownerId,
  members: s.members,
  createdAt: s.conversation.createdAt.toISOString(),
  lastActivityAt: s.lastActivityAt.toISOString(),
  lastMessage: s.lastMessage ? toMessageView(s.lastMessage) : null,
  unreadCount: s.unreadCount,
});
