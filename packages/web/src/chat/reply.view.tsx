import type { Quote } from '@ashchat/contracts';
import { t } from '../i18n/i18n.js';
import type { ChatMessage } from './chat.model.js';
import { nameOf } from './chat.format.js';
import type { Chat } from './chat.store.js';
import { cancelReply, replyDraft, startReply } from './reply.store.js';
import './replies.css';

/** The "Reply" action of a stored message that is not deleted. */
export function ReplyAction({ message }: { message: ChatMessage }) {
  if (message.state !== 'sent' || message.deletedAt !== null) return null;
  return (
    <button type="button" class="button button-link button-small msg-reply" onClick={() => startReply(message)}>
      {t('chat.reply.action')}
    </button>
  );
}

/** Above the composer while replying: who and what is answered, and a button (or Escape in the field) to cancel. */
export function ReplyBar({ chat, conversationId }: { chat: Chat; conversationId: string }) {
  const draft = replyDraft.value;
  if (draft?.conversationId !== conversationId) return null;
  const name = nameOf(draft.quote.senderId, chat.users.nicknames.value);
  return (
    <div class="reply-bar" role="status">
      <div class="reply-bar-text">
        <p class="reply-bar-title">{t('chat.reply.replyingTo', { name })}</p>
        <p class="reply-bar-excerpt">{draft.quote.excerpt ?? t('chat.reply.deleted')}</p>
      </div>
      <button type="button" class="button button-link button-small" aria-label={t('chat.reply.cancel')} onClick={() => cancelReply(conversationId)}>
        <span aria-hidden="true">✕</span>
      </button>
    </div>
  );
}

/** The quote above a reply's text; a click shows the original when it is loaded. */
export function QuoteView({ chat, quote }: { chat: Chat; quote: Quote | null }) {
  if (!quote) return null;
  const name = nameOf(quote.senderId, chat.users.nicknames.value);
  const text = quote.deleted || quote.excerpt === null ? t('chat.reply.deleted') : quote.excerpt;
  return (
    <button type="button" class={`msg-quote${quote.deleted ? ' msg-quote-deleted' : ''}`} aria-label={t('chat.reply.quote', { name, text })} onClick={() => showOriginal(quote.id)}>
      <span class="msg-quote-name">{name}</span>
      <span class="msg-quote-text">{text}</span>
    </button>
  );
}

function showOriginal(id: string): void {
  const row = document.getElementById(`msg-${id}`);
  if (!row) return;
  row.scrollIntoView({ block: 'center' });
  row.classList.add('msg-flash');
  row.addEventListener('animationend', () => row.classList.remove('msg-flash'), { once: true });
}
