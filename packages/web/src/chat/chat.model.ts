import type { ConversationView, MessageView, Quote } from '@ashchat/contracts';
import { keepTranslation } from './translation.model.js';

/**
 * Pure chat logic: merging messages from REST pages, live events, resume replays and optimistic sends
 * into one ordered list without duplicates; conversation order; read receipts. No I/O, no signals.
 */

/** A message as the client shows it: a stored one, or one of ours still on its way (or failed). */
export interface ChatMessage extends MessageView {
  state: 'sent' | 'pending' | 'failed';
  /** Why sending failed (an error code), for the failed state. */
  error?: string;
}

/** Message ids are 24 hex digits that grow with the time of sending: comparing them as strings orders them. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Of two views of the same stored message, the later state: a deletion is final, a later edit wins. */
export function newerVersion(a: MessageView, b: MessageView): MessageView {
  if (a.deletedAt !== null || b.deletedAt !== null) return a.deletedAt !== null && b.deletedAt === null ? a : b;
  if (a.editedAt !== null && (b.editedAt === null || a.editedAt > b.editedAt)) return a;
  return b;
}

export function pendingMessage(
  conversationId: string,
  senderId: string,
  body: string,
  clientMessageId: string,
  now: Date,
  replyTo: Quote | null = null,
  attachments: MessageView['attachments'] = [],
): ChatMessage {
  return {
    id: `pending:${clientMessageId}`,
    conversationId,
    senderId,
    clientMessageId,
    body,
    createdAt: now.toISOString(),
    editedAt: null,
    deletedAt: null,
    seq: 0,
    reactions: [],
    replyTo,
    mentions: [],
    attachments,
    // Own messages are never translated; the language is the server's to record.
    language: null,
    translation: null,
    state: 'pending',
  };
}

/**
 * Merges stored messages (any order, any source, repeats allowed) into a list: stored messages in id
 * order, each once and in its latest state, then our unsent ones in the order they were written. A stored
 * message replaces the pending one with its clientMessageId, whichever of ack and event came first.
 */
export function mergeMessages(list: readonly ChatMessage[], incoming: readonly MessageView[]): ChatMessage[] {
  if (incoming.length === 0) return list as ChatMessage[];
  const stored = new Map<string, MessageView>();
  const unsent: ChatMessage[] = [];
  for (const m of list) {
    if (m.state === 'sent') stored.set(m.id, m);
    else unsent.push(m);
  }
  for (const m of incoming) {
    const known = stored.get(m.id);
    stored.set(m.id, known ? keepTranslation(known, newerVersion(known, m)) : m);
  }
  const all = [...stored.values()];
  const sent = all.sort((a, b) => compareIds(a.id, b.id)).map((m): ChatMessage => toSent(m));
  // Unsent messages are always ours and their ids random UUIDs: the clientMessageId alone identifies the send.
  const delivered = new Set(all.map((m) => m.clientMessageId));
  const stillUnsent = unsent.filter((p) => !delivered.has(p.clientMessageId));
  return [...sent, ...stillUnsent];
}

function toSent(m: MessageView): ChatMessage {
  const { id, conversationId, senderId, clientMessageId, body, createdAt, editedAt, deletedAt, seq, reactions, replyTo, mentions, attachments, language, translation } = m;
  return {
    id,
    conversationId,
    senderId,
    clientMessageId,
    body,
    createdAt,
    editedAt,
    deletedAt,
    seq,
    reactions,
    replyTo,
    mentions,
    attachments: attachments ?? [],
    language: language ?? null,
    translation: translation ?? null,
    state: 'sent',
  };
}

/** Sets the state of our unsent message with this clientMessageId (pending ⇄ failed). */
export function markUnsent(list: readonly ChatMessage[], clientMessageId: string, state: 'pending' | 'failed', error?: string): ChatMessage[] {
  return list.map((m) => (m.state !== 'sent' && m.clientMessageId === clientMessageId ? { ...m, state, ...(error ? { error } : { error: undefined }) } : m));
}

/** The newest stored message id of a list, the cursor for resume and read markers. */
export function newestStoredId(list: readonly ChatMessage[]): string | null {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.state === 'sent') return list[i]!.id;
  return null;
}

/** Conversations most recently active first (ties: newer id first), as the server lists them. */
export function sortConversations(list: readonly ConversationView[]): ConversationView[] {
  return [...list].sort((a, b) => (a.lastActivityAt === b.lastActivityAt ? compareIds(b.id, a.id) : a.lastActivityAt < b.lastActivityAt ? 1 : -1));
}

/** Merges server views into the list: a view replaces ours, unless ours already knows a newer last message. */
export function mergeConversations(list: readonly ConversationView[], incoming: readonly ConversationView[]): ConversationView[] {
  const byId = new Map(list.map((c) => [c.id, c]));
  for (const c of incoming) {
    const known = byId.get(c.id);
    const keepOurs = known?.lastMessage && (!c.lastMessage || compareIds(known.lastMessage.id, c.lastMessage.id) > 0);
    if (keepOurs && known) byId.set(c.id, { ...c, lastMessage: known.lastMessage, lastActivityAt: known.lastActivityAt, unreadCount: known.unreadCount, unreadMentionCount: known.unreadMentionCount });
    // The same last message: a page read before its translation arrived must not take the translation back.
    else if (known?.lastMessage && c.lastMessage?.id === known.lastMessage.id) byId.set(c.id, { ...c, lastMessage: keepTranslation(known.lastMessage, c.lastMessage) });
    else byId.set(c.id, c);
  }
  return sortConversations([...byId.values()]);
}

/**
 * A stored message reaches the conversation list: it becomes the last message (if newer, or the same one
 * in a newer state), moves the conversation up, and counts as unread if it is another member's new
 * message in a conversation the user is not looking at.
 */
export function applyMessageToConversation(c: ConversationView, m: MessageView, opts: { me: string | null; isNew: boolean; visible: boolean }): ConversationView {
  const last = c.lastMessage;
  if (last && last.id === m.id) return { ...c, lastMessage: keepTranslation(last, newerVersion(last, m)) };
  if (last && compareIds(last.id, m.id) > 0) return c;
  if (!opts.isNew) return c; // an edit of a message older than the last one changes nothing here
  const unread = m.senderId !== opts.me && !opts.visible && m.deletedAt === null ? c.unreadCount + 1 : c.unreadCount;
  const mentioned = unread > c.unreadCount && opts.me !== null && m.mentions.includes(opts.me);
  const activity = m.createdAt > c.lastActivityAt ? m.createdAt : c.lastActivityAt;
  return { ...c, lastMessage: m, lastActivityAt: activity, unreadCount: unread, unreadMentionCount: c.unreadMentionCount + (mentioned ? 1 : 0) };
}

/** Read markers of a conversation: member id → the newest message that member has read. */
export type ReadMarkers = Readonly<Record<string, string>>;

/** Markers only move forward. */
export function applyReceipt(markers: ReadMarkers, userId: string, lastReadMessageId: string): ReadMarkers {
  const known = markers[userId];
  return known && compareIds(known, lastReadMessageId) >= 0 ? markers : { ...markers, [userId]: lastReadMessageId };
}

/** "Seen": the newest of my stored messages that another member's read marker has reached, or null. */
export function seenUpTo(messages: readonly ChatMessage[], markers: ReadMarkers, me: string | null): string | null {
  let furthest: string | null = null;
  for (const [userId, id] of Object.entries(markers)) if (userId !== me && (furthest === null || compareIds(id, furthest) > 0)) furthest = id;
  if (furthest === null) return null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.state === 'sent' && m.senderId === me && compareIds(m.id, furthest) <= 0) return m.id;
  }
  return null;
}

/** The other members of a conversation (for a direct one: the one other person). */
export function otherMembers(c: ConversationView, me: string | null): string[] {
  return c.members.filter((id) => id !== me);
}

/** Everyone to follow the presence of: the other members of all conversations, at most `max` (the protocol's limit). */
export function presenceTargets(conversations: readonly ConversationView[], me: string | null, max = 100): string[] {
  const ids = new Set<string>();
  for (const c of conversations) for (const id of otherMembers(c, me)) if (ids.size < max) ids.add(id);
  return [...ids].sort();
}
