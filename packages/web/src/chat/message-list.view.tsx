import type { ConversationView } from '@ashchat/contracts';
import { t } from '../i18n/i18n.js';
import type { ChatMessage } from './chat.model.js';
import { codeText, nameOf } from './chat.format.js';
import type { Chat } from './chat.store.js';
import { MessageRow } from './message.view.js';
import { VirtualList } from './virtual-list.view.js';

// Pending and sent versions of one message share the key, so the row stays in place when the ack arrives.
const keyOf = (m: ChatMessage) => `${m.senderId}:${m.clientMessageId}`;

/** The history of one conversation: virtualised, older pages loaded when scrolled near the top. */
export function MessageList({ chat, conversationId, conversation, bottomRequest }: { chat: Chat; conversationId: string; conversation: ConversationView | undefined; bottomRequest: number }) {
  const history = chat.messages.history(conversationId).value;
  const seenId = chat.messages.seen(conversationId).value;
  const me = chat.me.value;
  const nicknames = chat.users.nicknames.value;
  const group = conversation?.type === 'group';

  const header = (
    <div class="history-edge">
      {history.loading ? (
        <p class="history-note" role="status">
          {t('chat.history.loading')}
        </p>
      ) : history.error ? (
        <p class="history-note history-error" role="alert">
          {codeText(history.error)}{' '}
          <button type="button" class="button button-link button-small" onClick={() => void chat.messages.loadOlder(conversationId)}>
            {t('chat.history.retry')}
          </button>
        </p>
      ) : history.loaded && history.nextCursor === null ? (
        <p class="history-note">{history.messages.length === 0 ? t('chat.history.empty') : t('chat.history.start')}</p>
      ) : null}
    </div>
  );

  return (
    <VirtualList
      items={history.messages}
      keyOf={keyOf}
      label={t('chat.history.label')}
      header={header}
      bottomRequest={bottomRequest}
      onNearTop={() => {
        const h = chat.messages.history(conversationId).value;
        if (!h.loading && !h.error && (!h.loaded || h.nextCursor !== null)) void chat.messages.loadOlder(conversationId);
      }}
      renderRow={(m, i) => {
        const mine = m.senderId === me;
        const previous = history.messages[i - 1];
        const showSender = group && !mine && previous?.senderId !== m.senderId;
        return <MessageRow chat={chat} message={m} mine={mine} sender={showSender ? nameOf(m.senderId, nicknames) : null} seen={seenId !== null && m.id === seenId} />;
      }}
    />
  );
}
