import { t } from '../i18n/i18n.js';
import { ChatLayout } from './chat.layout.view.js';

/** The conversation list at `/` (on wide screens beside a hint to pick a conversation). */
export function ConversationsScreen() {
  return <ChatLayout conversationId={null}>{() => <p class="chat-placeholder">{t('chat.list.pick')}</p>}</ChatLayout>;
}
