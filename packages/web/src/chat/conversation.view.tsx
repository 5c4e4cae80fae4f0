import { useEffect, useRef, useState } from 'preact/hooks';
import { Link } from '../app/router.js';
import { t } from '../i18n/i18n.js';
import { conversationTitle, nameOf, timeLabel, typingText } from './chat.format.js';
import type { Chat } from './chat.store.js';
import { Composer } from './composer.view.js';
import { GroupInfo } from './group-info.view.js';
import { MessageList } from './message-list.view.js';
import { searchHref } from '../search/search.field.js';
import { MuteControl } from './mute.view.js';
import { BlockControl, BlockedNotice } from './block.view.js';
import { UserAvatar } from './avatar.view.js';

/** One conversation: header (back, title, presence or members, group info), history, typing line, composer. */
export function ConversationView({ chat, conversationId }: { chat: Chat; conversationId: string }) {
  const [bottomRequest, setBottomRequest] = useState(0);
  const [infoOpen, setInfoOpen] = useState(false);
  const conversation = chat.conversations.byId.value.get(conversationId);
  const me = chat.me.value;
  const nicknames = chat.users.nicknames.value;
  const typing = chat.typing.typingIn(conversationId).value.filter((id) => id !== me);
  // Known once, gone now: we left or were removed; nothing of it is loaded any more.
  const known = useRef(false);
  if (conversation) known.current = true;
  const gone = known.current && !conversation;
  // (Not read once gone: reading would create its history again, and a reconnect would try to catch it up.)
  const historyError = gone ? null : chat.messages.history(conversationId).value.error;

  // On screen: the store reads it (while the page is visible) and loads its members' names and markers.
  useEffect(() => {
    chat.conversations.setVisible(conversationId);
    return () => {
      if (chat.conversations.visibleId.value === conversationId) chat.conversations.setVisible(null);
    };
  }, [chat, conversationId]);

  const notFound = gone || (historyError === 'CONVERSATION_NOT_FOUND' && !conversation);
  const title = conversation ? conversationTitle(conversation, nicknames, me) : notFound ? t('chat.conversation.notFound') : t('chat.conversation.loading');
  const other = conversation?.type === 'direct' ? conversation.members.find((id) => id !== me) : undefined;
  // Presence is only as fresh as our own connection: not shown while it is down.
  const presence = other && chat.status.value === 'online' ? chat.presence.presences.value[other] : undefined;
  const subtitle =
    conversation?.type === 'group'
      ? t('chat.group.memberCount', { count: conversation.members.length })
      : presence?.status === 'online'
        ? t('chat.presence.online')
        : presence?.lastSeen
          ? t('chat.presence.lastSeen', { time: timeLabel(presence.lastSeen) })
          : presence
            ? t('chat.presence.offline')
            : '';

  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <header class="conversation-header">
        <Link href="/" class="conversation-back" aria-label={t('chat.conversation.back')}>
          <span aria-hidden="true">←</span>
        </Link>
        {other && <UserAvatar chat={chat} userId={other} name={title} size={36} />}
        <div class="conversation-heading">
          <h1 id="conversation-title">{title}</h1>
          {subtitle && (
            <p class="conversation-subtitle">
              {presence && <span class={`presence-dot presence-${presence.status}`} aria-hidden="true" />}
              {subtitle}
            </p>
          )}
        </div>
        {conversation && (
          <Link href={searchHref('', conversationId)} class="button button-secondary button-small" aria-label={t('search.open.label')}>
            {t('search.open')}
          </Link>
        )}
        {conversation && <MuteControl chat={chat} conversation={conversation} />}
        {other && <BlockControl chat={chat} userId={other} />}
        {conversation?.type === 'group' && (
          <button type="button" class="button button-secondary button-small" aria-expanded={infoOpen} onClick={() => setInfoOpen(!infoOpen)}>
            {t('chat.group.info')}
          </button>
        )}
      </header>
      {other && <BlockedNotice chat={chat} userId={other} />}
      {notFound ? (
        <p class="conversation-empty">{t('chat.conversation.notFoundHint')}</p>
      ) : (
        <>
          <MessageList chat={chat} conversationId={conversationId} conversation={conversation} bottomRequest={bottomRequest} />
          <p class="typing-line" aria-live="polite">
            {typingText(typing.map((id) => nameOf(id, nicknames)))}
          </p>
          <Composer chat={chat} conversationId={conversationId} onSent={() => setBottomRequest((n) => n + 1)} />
        </>
      )}
      {infoOpen && conversation?.type === 'group' && <GroupInfo chat={chat} conversation={conversation} onClose={() => setInfoOpen(false)} />}
    </section>
  );
}
