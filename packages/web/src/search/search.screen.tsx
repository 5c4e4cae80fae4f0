import type { MessageSearchHit } from '@ashchat/contracts';
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { http } from '../api/api.js';
import { Link, query } from '../app/router.js';
import { t } from '../i18n/i18n.js';
import { ChatLayout } from '../chat/chat.layout.view.js';
import { codeText, conversationTitle, nameOf, timeLabel } from '../chat/chat.format.js';
import type { Chat } from '../chat/chat.store.js';
import { SearchField } from './search.field.js';
import { createSearchStore } from './search.store.js';

/** One store for the page: the results survive going to a found message and back. */
const store = createSearchStore(http);

/**
 * Search results at `/search?q=` (every chat) and `/c/:conversationId/search?q=` (one chat), beside
 * the list on wide screens. ChatLayout is told a conversation is open (the scope, or 'search') so
 * that on narrow screens the results, not the list, fill the screen.
 */
export function SearchScreen({ conversationId }: { conversationId: string | null }) {
  const q = query.value.get('q') ?? '';
  return (
    <ChatLayout conversationId={conversationId ?? 'search'}>
      {(chat) => <SearchResults key={`${conversationId ?? ''}:${q}`} chat={chat} scope={conversationId} q={q} />}
    </ChatLayout>
  );
}

function SearchResults({ chat, scope, q }: { chat: Chat; scope: string | null; q: string }) {
  const state = store.state.value;
  const nicknames = chat.users.nicknames.value;
  const me = chat.me.value;
  const byId = chat.conversations.byId.value;
  const scoped = scope ? byId.get(scope) : undefined;

  // Every visit searches afresh (another user may have signed in; new messages may match).
  useEffect(() => {
    void store.search(q, scope);
  }, [q, scope]);

  // Senders we have no name for yet: their conversations' member lists name them.
  useEffect(() => {
    const unknown = state.items.filter((i) => nicknames[i.message.senderId] === undefined).map((i) => i.conversationId);
    if (unknown.length > 0) chat.members.ensure([...new Set(unknown)]);
  }, [chat, state.items, nicknames]);

  const current = state.query === q.trim() && state.scope === scope;
  const title = scope ? t('search.title.conversation', { name: scoped ? conversationTitle(scoped, nicknames, me) : t('search.result.chat') }) : t('search.title.all');
  const conversationName = (hit: MessageSearchHit): string => {
    const c = byId.get(hit.conversationId);
    return c ? conversationTitle(c, nicknames, me) : t('search.result.chat');
  };

  return (
    <section class="search-screen" aria-labelledby="search-title">
      <header class="conversation-header">
        <Link href={scope ? `/c/${scope}` : '/'} class="conversation-back search-back" aria-label={t(scope ? 'search.back.conversation' : 'search.back.list')}>
          <span aria-hidden="true">←</span>
        </Link>
        <div class="conversation-heading">
          <h1 id="search-title">{title}</h1>
        </div>
      </header>
      <div class="search-body">
        <SearchField scope={scope} initial={q} autoFocus={q.trim() === ''} />
        <p class="search-status" role="status">
          {!current || state.loading
            ? state.items.length === 0 && q.trim() !== ''
              ? t('search.loading')
              : ''
            : state.error
              ? codeText(state.error)
              : state.query === ''
                ? t('search.hint')
                : state.items.length === 0
                  ? t('search.none', { query: state.query })
                  : t('search.count', { count: state.items.length })}
        </p>
        {current && state.error && state.error !== 'INVALID_SEARCH_QUERY' && (
          <button type="button" class="button button-link button-small" onClick={() => void (state.nextCursor && state.items.length > 0 ? store.loadMore() : store.search(q, scope))}>
            {t('search.retry')}
          </button>
        )}
        {current && state.items.length > 0 && (
          <ul class="search-results" aria-label={t('search.results')}>
            {state.items.map((hit) => (
              <li key={hit.message.id}>
                <Link href={`/c/${hit.conversationId}`} class="search-hit">
                  <span class="search-hit-top">
                    <span class="search-hit-from">{t('search.result.from', { name: nameOf(hit.message.senderId, nicknames), conversation: conversationName(hit) })}</span>
                    <time class="search-hit-time" dateTime={hit.message.createdAt}>
                      {timeLabel(hit.message.createdAt)}
                    </time>
                  </span>
                  <Snippet hit={hit} />
                </Link>
              </li>
            ))}
          </ul>
        )}
        {current && !state.complete && <p class="search-limited">{t('search.limited')}</p>}
        {current && state.nextCursor && (
          <button type="button" class="button button-secondary search-more" disabled={state.loading} onClick={() => void store.loadMore()}>
            {t(state.complete ? 'search.more' : 'search.moreOlder')}
          </button>
        )}
      </div>
    </section>
  );
}

/** The snippet with the found words marked. */
function Snippet({ hit }: { hit: MessageSearchHit }) {
  const { text, highlights } = hit.snippet;
  const parts: ComponentChildren[] = [];
  let at = 0;
  for (const h of highlights) {
    if (h.start < at || h.end > text.length) continue;
    if (h.start > at) parts.push(text.slice(at, h.start));
    parts.push(<mark key={h.start}>{text.slice(h.start, h.end)}</mark>);
    at = h.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <span class="search-hit-snippet">{parts}</span>;
}
