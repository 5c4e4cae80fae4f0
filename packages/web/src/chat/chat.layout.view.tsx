import type { ComponentChildren } from 'preact';
import { t } from '../i18n/i18n.js';
import { activeChat } from './chat.active.js';
import type { Chat } from './chat.store.js';
import { ConversationListPane } from './conversation-list.view.js';
import './chat.css';

/**
 * The chat screens' frame: the list and the open conversation side by side on wide screens; on narrow
 * ones only one of them (the conversation has a back link to the list).
 */
export function ChatLayout({ conversationId, children }: { conversationId: string | null; children: (chat: Chat) => ComponentChildren }) {
  const chat = activeChat.value?.chat;
  if (!chat) return <p class="loading chat-loading">{t('app.loading')}</p>;
  return (
    <div class={`chat-layout ${conversationId ? 'chat-layout-conversation' : 'chat-layout-list'}`}>
      <nav class="chat-sidebar" aria-label={t('chat.list.title')}>
        <ConversationListPane chat={chat} activeId={conversationId} />
      </nav>
      <main class="chat-main">{children(chat)}</main>
    </div>
  );
}
