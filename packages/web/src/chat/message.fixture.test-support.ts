import type { MessageView } from '@ashchat/contracts';

// Test data for the chat's unit tests; nothing in the app imports it, so it never reaches the bundle.

/** The 24-hex id of message `n` (ids order as the numbers do). */
export const messageId = (n: number): string => n.toString(16).padStart(24, '0');

/**
 * Message `n` as the server sends it: id and seq from `n`, written `n` seconds into 2026 by
 * …0001 in conversation 'ccc…', no language or translation; `over` sets what a test cares about.
 */
export function messageView(n: number, over: Partial<MessageView> = {}): MessageView {
  return {
    id: messageId(n),
    conversationId: 'c'.repeat(24),
    senderId: '00000000-0000-4000-8000-000000000001',
    clientMessageId: `cm-${n}`,
    body: `m${n}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    editedAt: null,
    deletedAt: null,
    seq: n,
    reactions: [],
    replyTo: null,
    mentions: [],
    attachments: [],
    language: null,
    translation: null,
    ...over,
  };
}
