import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { ConversationPage, ConversationUpdatedEvent, ConversationView, MemberRemoved, MessageTranslation, MessageView, ReadState } from '@ashchat/contracts';
import { applyMessageToConversation, compareIds, mergeConversations, sortConversations } from './chat.model.js';
import { enc, errorCode, type Http, type Me } from './chat.ports.js';

export const CONVERSATION_PAGE_SIZE = 50;

export interface ConversationsStoreOptions {
  http: Http;
  me: Me;
  /** Whether the page is in view (document.visibilityState): a conversation on screen in a hidden tab is not being read. */
  pageVisible?: ReadonlySignal<boolean>;
}

export type ConversationsStore = ReturnType<typeof createConversationsStore>;

/** The user's conversations, most recently active first, kept up to date by live events. */
export function createConversationsStore({ http, me, pageVisible = signal(true) }: ConversationsStoreOptions) {
  const list = signal<ConversationView[]>([]);
  const loaded = signal(false);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const nextCursor = signal<string | null>(null);
  /** The conversation on screen: its new messages are read, not unread. */
  const visibleId = signal<string | null>(null);
  /** The conversation being read: on screen, in a visible page. */
  const readingId = computed(() => (pageVisible.value ? visibleId.value : null));
  let refreshing: Promise<void> | null = null;

  const byId = computed(() => new Map(list.value.map((c) => [c.id, c])));

  const set = (items: ConversationView[]) => (list.value = sortConversations(items));
  const patch = (id: string, change: (c: ConversationView) => ConversationView) => {
    const c = byId.value.get(id);
    if (c) set(list.value.map((x) => (x.id === id ? change(x) : x)));
  };

  async function fetchPage(before: string | null): Promise<ConversationPage> {
    const query = `limit=${CONVERSATION_PAGE_SIZE}${before ? `&before=${enc(before)}` : ''}`;
    return http.request<ConversationPage>('GET', `/v1/conversations?${query}`);
  }

  /** Loads (or reloads) the first page, merged with what live events already told us. Concurrent calls share one request. */
  function refresh(): Promise<void> {
    refreshing ??= (async () => {
      loading.value = true;
      try {
        const page = await fetchPage(null);
        list.value = mergeConversations(list.value, page.items);
        if (!loaded.value) nextCursor.value = page.nextCursor;
        loaded.value = true;
        error.value = null;
      } catch (e) {
        error.value = errorCode(e);
      } finally {
        loading.value = false;
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loading.value) return;
    loading.value = true;
    try {
      const page = await fetchPage(nextCursor.value);
      list.value = mergeConversations(list.value, page.items);
      nextCursor.value = page.nextCursor;
    } catch (e) {
      error.value = errorCode(e);
    } finally {
      loading.value = false;
    }
  }

  /** A stored message: last message, activity order and unread count; an unknown conversation is fetched. */
  function applyMessage(message: MessageView, isNew: boolean): void {
    const c = byId.value.get(message.conversationId);
    if (!c) {
      if (isNew) void refresh();
      return;
    }
    patch(c.id, (x) => applyMessageToConversation(x, message, { me: me.value, isNew, visible: readingId.value === x.id }));
  }

  /** A `message.translated` event: the last message's preview shows the translation too. */
  function applyTranslated(conversationId: string, messageId: string, translation: MessageTranslation): void {
    const last = byId.value.get(conversationId)?.lastMessage;
    if (last?.id === messageId && last.deletedAt === null) patch(conversationId, (c) => ({ ...c, lastMessage: { ...last, translation } }));
  }

  function applyUpdated(event: ConversationUpdatedEvent): void {
    const myId = me.value;
    if (myId && !event.members.includes(myId)) return void remove(event.conversationId);
    if (!byId.value.has(event.conversationId)) return void refresh(); // created with us in it
    patch(event.conversationId, (c) => ({ ...c, members: event.members, ...(event.ownerId !== undefined ? { ownerId: event.ownerId } : {}) }));
  }

  /** Our own read marker moved (here or on another device). */
  function applyOwnRead(conversationId: string, lastReadMessageId: string): void {
    patch(conversationId, (c) => (c.lastMessage && compareIds(lastReadMessageId, c.lastMessage.id) >= 0 ? { ...c, unreadCount: 0, unreadMentionCount: 0 } : c));
  }

  function applyReadState(state: ReadState): void {
    patch(state.conversationId, (c) => ({ ...c, unreadCount: state.unreadCount, unreadMentionCount: state.unreadMentionCount }));
  }

  function remove(conversationId: string): void {
    if (byId.value.has(conversationId)) list.value = list.value.filter((c) => c.id !== conversationId);
    if (visibleId.value === conversationId) visibleId.value = null;
  }

  function upsert(view: ConversationView): ConversationView {
    list.value = mergeConversations(list.value, [view]);
    return byId.value.get(view.id) ?? view;
  }

  /** Finds or creates the direct conversation with another user. */
  async function startDirect(userId: string): Promise<ConversationView> {
    return upsert(await http.request<ConversationView>('POST', '/v1/conversations', { type: 'direct', members: [userId] }));
  }

  async function createGroup(name: string, members: string[]): Promise<ConversationView> {
    return upsert(await http.request<ConversationView>('POST', '/v1/conversations', { type: 'group', name, members }));
  }

  async function addMembers(conversationId: string, members: string[]): Promise<ConversationView> {
    return upsert(await http.request<ConversationView>('POST', `/v1/conversations/${enc(conversationId)}/members`, { members }));
  }

  async function removeMember(conversationId: string, userId: string): Promise<void> {
    const removed = await http.request<MemberRemoved>('DELETE', `/v1/conversations/${enc(conversationId)}/members/${enc(userId)}`);
    if (removed.userId === me.value) remove(conversationId);
    else patch(conversationId, (c) => ({ ...c, members: c.members.filter((id) => id !== removed.userId) }));
  }

  async function leave(conversationId: string): Promise<void> {
    const myId = me.value;
    if (myId) await removeMember(conversationId, myId);
  }

  function setVisible(conversationId: string | null): void {
    visibleId.value = conversationId;
  }

  return {
    conversations: list as ReadonlySignal<ConversationView[]>,
    byId: byId as ReadonlySignal<Map<string, ConversationView>>,
    loaded: loaded as ReadonlySignal<boolean>,
    loading: loading as ReadonlySignal<boolean>,
    error: error as ReadonlySignal<string | null>,
    hasMore: computed(() => nextCursor.value !== null),
    visibleId: visibleId as ReadonlySignal<string | null>,
    readingId,
    totalUnread: computed(() => list.value.reduce((n, c) => n + c.unreadCount, 0)),
    refresh,
    loadMore,
    applyMessage,
    applyTranslated,
    applyUpdated,
    applyOwnRead,
    applyReadState,
    remove,
    startDirect,
    createGroup,
    addMembers,
    removeMember,
    leave,
    setVisible,
  };
}
