import { signal, type ReadonlySignal } from '@preact/signals';
import type { MessageSearchHit, MessageSearchPage } from '@ashchat/contracts';
import { enc, errorCode, type Http } from '../chat/chat.ports.js';

/** Results per request; the server allows up to 50. */
export const SEARCH_PAGE_SIZE = 20;

export interface SearchState {
  /** The query searched for (trimmed); '' before the first search. */
  query: string;
  /** The conversation searched in; null for every conversation. */
  scope: string | null;
  items: readonly MessageSearchHit[];
  nextCursor: string | null;
  /** false: the last page searched only part of the messages (bounded scan); older ones lie below nextCursor. */
  complete: boolean;
  loading: boolean;
  /** The error code of the last request (INVALID_SEARCH_QUERY also without asking). */
  error: string | null;
}

const EMPTY: SearchState = { query: '', scope: null, items: [], nextCursor: null, complete: true, loading: false, error: null };

/** The server's rule, checked before asking: at least one word of two or more characters. */
export function isSearchable(query: string): boolean {
  return query.split(/\s+/u).some((w) => [...w].length >= 2);
}

export function searchPath(query: string, scope: string | null, cursor: string | null): string {
  const base = scope ? `/v1/conversations/${enc(scope)}/messages/search` : '/v1/search/messages';
  return `${base}?q=${enc(query)}&limit=${SEARCH_PAGE_SIZE}${cursor ? `&before=${enc(cursor)}` : ''}`;
}

/** Appends a page, keeping the first of any message already shown (pages never repeat one; a retry might). */
export function appendPage(items: readonly MessageSearchHit[], page: MessageSearchPage): MessageSearchHit[] {
  const seen = new Set(items.map((i) => i.message.id));
  return [...items, ...page.items.filter((i) => !seen.has(i.message.id))];
}

export type SearchStore = ReturnType<typeof createSearchStore>;

/** Message search: one query at a time (a newer one wins over an answer still on its way), "load more" by cursor. */
export function createSearchStore(http: Http) {
  const state = signal<SearchState>(EMPTY);
  let generation = 0;

  async function ask(cursor: string | null): Promise<void> {
    const mine = ++generation;
    const { query, scope } = state.value;
    state.value = { ...state.value, loading: true, error: null };
    try {
      const page = await http.request<MessageSearchPage>('GET', searchPath(query, scope, cursor));
      if (mine !== generation) return;
      state.value = {
        ...state.value,
        items: cursor ? appendPage(state.value.items, page) : page.items,
        nextCursor: page.nextCursor,
        complete: page.complete,
        loading: false,
      };
    } catch (error) {
      if (mine !== generation) return;
      state.value = { ...state.value, loading: false, error: errorCode(error) };
    }
  }

  /** Starts a new search (results of the previous one are dropped). */
  function search(rawQuery: string, scope: string | null): Promise<void> {
    const query = rawQuery.trim();
    generation++;
    if (!isSearchable(query)) {
      state.value = { ...EMPTY, query, scope, error: query === '' ? null : 'INVALID_SEARCH_QUERY' };
      return Promise.resolve();
    }
    state.value = { ...EMPTY, query, scope };
    return ask(null);
  }

  /** The next page of the current search (nothing when there is none or one is loading). */
  function loadMore(): Promise<void> {
    const { nextCursor, loading } = state.value;
    if (!nextCursor || loading) return Promise.resolve();
    return ask(nextCursor);
  }

  return { state: state as ReadonlySignal<SearchState>, search, loadMore };
}
