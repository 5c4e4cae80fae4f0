import { signal } from '@preact/signals';
import type { Quote } from '@ashchat/contracts';
import type { ChatMessage } from './chat.model.js';

/** How much of the original the reply bar and a pending reply show before the server's quote arrives. */
const EXCERPT_CHARS = 140;

/** The message the composer of a conversation is replying to (one draft at a time: the open conversation's). */
export const replyDraft = signal<{ conversationId: string; quote: Quote } | null>(null);

export function startReply(m: ChatMessage): void {
  const body = m.body ?? '';
  const excerpt = [...body].slice(0, EXCERPT_CHARS).join('');
  replyDraft.value = { conversationId: m.conversationId, quote: { id: m.id, senderId: m.senderId, excerpt: m.deletedAt ? null : excerpt, deleted: m.deletedAt !== null } };
  // The composer takes the text of the reply.
  document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
}

/** Cancels the reply of this conversation; false if there was none. */
export function cancelReply(conversationId: string): boolean {
  if (replyDraft.value?.conversationId !== conversationId) return false;
  replyDraft.value = null;
  return true;
}

/** The quote to send with the next message of this conversation (and the draft is done). */
export function takeReply(conversationId: string): Quote | null {
  const draft = replyDraft.value;
  if (draft?.conversationId !== conversationId) return null;
  replyDraft.value = null;
  return draft.quote;
}
