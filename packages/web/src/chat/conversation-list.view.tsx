import { signal } from '@preact/signals';
import type { ConversationView } from '@ashchat/contracts';
import { useEffect } from 'preact/hooks';
import { session } from '../api/api.js';
import { Link } from '../app/router.js';
import { t } from '../i18n/i18n.js';
import { codeText, conversationTitle, nameOf, timeLabel, type Nicknames } from './chat.format.js';
import type { Chat } from './chat.store.js';
import { NewDirectView, NewGroupView } from './new-conversation.view.js';
import { MutedIcon } from './mute.view.js';
import { MentionBadge } from './mention.view.js';
import { SearchField } from '../search/search.field.js';
import { AvatarFace } from './avatar.view.js';
import { translationDisplay } from './translation.model.js';

/** Which form the list pane shows above the list; kept across routes (the pane is rendered by both chat screens). */
const panel = signal<'none' | 'direct' | 'group'>('none');

/** The conversation list pane: "New chat", "New group", and the conversations by activity. */
export function ConversationListPane({ chat, activeId }: { chat: Chat; activeId: string | null }) {
  const store = chat.conversations;
  const list = store.conversations.value;
  const close = () => (panel.value = 'none');
  const Heading = activeId ? 'h2' : 'h1'; // the open conversation's title is the page's h1

  useEffect(() => {
    if (!store.loaded.value && !store.loading.value) void store.refresh();
  }, [store]);

  return (
    <div class="conv-pane">
      <header class="conv-pane-header">
        <Heading class="conv-pane-title">{t('chat.list.title')}</Heading>
        <div class="conv-pane-actions">
          <button type="button" class="button button-primary button-small" aria-expanded={panel.value === 'direct'} onClick={() => (panel.value = panel.value === 'direct' ? 'none' : 'direct')}>
            {t('chat.list.newDirect')}
          </button>
          <button type="button" class="button button-secondary button-small" aria-expanded={panel.value === 'group'} onClick={() => (panel.value = panel.value === 'group' ? 'none' : 'group')}>
            {t('chat.list.newGroup')}
          </button>
        </div>
      </header>
      <SearchField scope={null} />
      {panel.value === 'direct' && <NewDirectView chat={chat} onClose={close} />}
      {panel.value === 'group' && <NewGroupView chat={chat} onClose={close} />}
      {store.error.value && !store.loaded.value && (
        <p class="conv-note" role="alert">
          {codeText(store.error.value)}{' '}
          <button type="button" class="button button-link button-small" onClick={() => void store.refresh()}>
            {t('chat.history.retry')}
          </button>
        </p>
      )}
      {!store.loaded.value && store.loading.value && list.length === 0 && <p class="conv-note">{t('chat.list.loading')}</p>}
      {store.loaded.value && list.length === 0 && <p class="conv-note conv-empty">{t('chat.list.empty')}</p>}
      {list.length > 0 && (
        <ul class="conv-list" aria-label={t('chat.list.title')}>
          {list.map((c) => (
            <li key={c.id}>
              <ConversationItem chat={chat} c={c} active={c.id === activeId} nicknames={chat.users.nicknames.value} />
            </li>
          ))}
        </ul>
      )}
      {store.hasMore.value && (
        <button type="button" class="button button-link conv-more" disabled={store.loading.value} onClick={() => void store.loadMore()}>
          {t('chat.list.more')}
        </button>
      )}
    </div>
  );
}

function preview(c: ConversationView, nicknames: Nicknames, me: string | null): string {
  const m = c.lastMessage;
  if (!m) return t('chat.list.noMessages');
  // In the reader's language where the conversation shows a translation (its "show original" is per message, there).
  const shown = translationDisplay(m, { mine: m.senderId === me, autoTranslate: session.me.value?.autoTranslate !== false, showOriginal: false });
  const text = m.deletedAt !== null ? t('chat.message.deleted') : shown.kind === 'translated' ? shown.text : (m.body ?? '');
  if (m.senderId === me) return t('chat.list.fromMe', { text });
  return c.type === 'group' ? t('chat.list.fromOther', { name: nameOf(m.senderId, nicknames), text }) : text;
}

function ConversationItem({ chat, c, active, nicknames }: { chat: Chat; c: ConversationView; active: boolean; nicknames: Nicknames }) {
  const me = chat.me.value;
  const title = conversationTitle(c, nicknames, me);
  const other = c.type === 'direct' ? c.members.find((id) => id !== me) : undefined;
  const presence = other && chat.status.value === 'online' ? chat.presence.presences.value[other] : undefined;
  return (
    <Link href={`/c/${c.id}`} class={`conv-item${active ? ' conv-item-active' : ''}${c.unreadCount > 0 ? ' conv-item-unread' : ''}`}>
      <span class="avatar" aria-hidden="true">
        {c.type === 'group' || !other ? '#' : <AvatarFace chat={chat} userId={other} fallback={title.slice(0, 1).toUpperCase()} />}
        {presence && <span class={`presence-dot presence-${presence.status}`} />}
      </span>
      <span class="conv-text">
        <span class="conv-top">
          <span class="conv-title">{title}</span>
          <MutedIcon c={c} />
          {presence && <span class="visually-hidden">{t(presence.status === 'online' ? 'chat.presence.online' : 'chat.presence.offline')}</span>}
          <time class="conv-time" dateTime={c.lastActivityAt}>
            {timeLabel(c.lastActivityAt)}
          </time>
        </span>
        <span class="conv-bottom">
          <span class="conv-preview">{preview(c, nicknames, me)}</span>
          <MentionBadge count={c.unreadMentionCount} />
          {c.unreadCount > 0 && (
            <span class="badge" aria-label={t('chat.list.unread', { count: c.unreadCount })}>
              {c.unreadCount > 99 ? '99+' : c.unreadCount}
            </span>
          )}
        </span>
      </span>
    </Link>
  );
}
