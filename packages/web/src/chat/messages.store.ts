import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { MessagePage, MessageTranslation, MessageView, Quote, ReadState } from '@ashchat/contracts';
import type { Realtime } from '../realtime/realtime.client.js';
import { applyReceipt, compareIds, markUnsent, mergeMessages, newestStoredId, pendingMessage, seenUpTo, type ChatMessage, type ReadMarkers } from './chat.model.js';
import { enc, errorCode, isTransient, type Http, type Me } from './chat.ports.js';
import { resumeSeq } from './resume.cursor.js';
import { applyTranslation } from './translation.model.js';

/** One conversation's history as loaded so far: older pages are prepended as the user scrolls up. */
export interface History {
  messages: ChatMessage[];
  /** `before` for the next older page; null once the oldest message is loaded. */
  nextCursor: string | null;
  /** Whether the newest page has been loaded (until then `messages` may hold only live ones). */
  loaded: boolean;
  loading: boolean;
  error: string | null;
}

export const PAGE_SIZE = 50;
const SEND_TIMEOUT_MS = 15_000;
const EMPTY: History = { messages: [], nextCursor: null, loaded: false, loading: false, error: null };

export interface MessagesStoreOptions {
  http: Http;
  realtime: Pick<Realtime, 'status' | 'request'>;
  me: Me;
  /** A stored message of ours or another's reached the client (the conversation list shows it as last). */
  onStored?(message: MessageView, isNew: boolean): void;
  /** The server answered a read marker move with the read state (the list shows the unread count). */
  onReadState?(state: ReadState): void;
  /** A page of history arrived (its per-reader parts, e.g. reactions, are current as of now). */
  onPage?(items: readonly MessageView[]): void;
  newId?(): string;
  now?(): Date;
}

export type MessagesStore = ReturnType<typeof createMessagesStore>;

export function createMessagesStore(options: MessagesStoreOptions) {
  const { http, realtime, me } = options;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const now = options.now ?? (() => new Date());
  const histories = new Map<string, Signal<History>>();
  const markers = signal<Readonly<Record<string, ReadMarkers>>>({});
  const readSent = new Map<string, string>();

  function slot(conversationId: string): Signal<History> {
    let s = histories.get(conversationId);
    if (!s) histories.set(conversationId, (s = signal(EMPTY)));
    return s;
  }
  const update = (conversationId: string, change: (h: History) => Partial<History>) => {
    const s = slot(conversationId);
    s.value = { ...s.value, ...change(s.value) };
  };

  /** Loads the newest page (first call) or the next older one; does nothing while loading or at the start. */
  async function loadOlder(conversationId: string): Promise<void> {
    const h = slot(conversationId).value;
    if (h.loading || (h.loaded && h.nextCursor === null)) return;
    update(conversationId, () => ({ loading: true, error: null }));
    const query = `limit=${PAGE_SIZE}${h.loaded && h.nextCursor ? `&before=${enc(h.nextCursor)}` : ''}`;
    try {
      const page = await http.request<MessagePage>('GET', `/v1/conversations/${enc(conversationId)}/messages?${query}`);
      options.onPage?.(page.items);
      update(conversationId, (cur) => ({ messages: mergeMessages(cur.messages, page.items), nextCursor: page.nextCursor, loaded: true, loading: false }));
    } catch (error) {
      update(conversationId, () => ({ loading: false, error: errorCode(error) }));
    }
  }

  /**
   * Merges the newest page into a history whose first load may have been answered from before the
   * connection (re)started: such a page can miss messages that neither it, the replay nor live events carry.
   */
  async function catchUp(conversationId: string): Promise<void> {
    try {
      const page = await http.request<MessagePage>('GET', `/v1/conversations/${enc(conversationId)}/messages?limit=${PAGE_SIZE}`);
      options.onPage?.(page.items);
      update(conversationId, (cur) =>
        cur.loaded ? { messages: mergeMessages(cur.messages, page.items) } : { messages: mergeMessages(cur.messages, page.items), nextCursor: page.nextCursor, loaded: true },
      );
    } catch {
      // the next resume tries again
    }
  }

  /** Conversations whose newest page has not arrived yet (their resume cursor cannot come from the history). */
  function notLoaded(): string[] {
    return [...histories].filter(([, s]) => !s.value.loaded).map(([conversationId]) => conversationId);
  }

  /** Starts the history over from the newest page (after a resume could not replay everything), keeping unsent messages. */
  async function reload(conversationId: string): Promise<void> {
    update(conversationId, (h) => ({ ...EMPTY, messages: h.messages.filter((m) => m.state !== 'sent') }));
    await loadOlder(conversationId);
  }

  /** A stored message from any source: REST answer, ack, live event or resume replay. */
  function applyStored(message: MessageView, isNew: boolean): void {
    if (histories.has(message.conversationId)) update(message.conversationId, (h) => ({ messages: mergeMessages(h.messages, [message]) }));
    options.onStored?.(message, isNew);
  }

  /** A `message.translated` event: the reader's translation of a message we hold (others need nothing). */
  function applyTranslated(conversationId: string, messageId: string, translation: MessageTranslation): void {
    if (histories.has(conversationId)) update(conversationId, (h) => ({ messages: applyTranslation(h.messages, messageId, translation) }));
  }

  /** `replyTo`: the quote of the message answered (shown at once; the server stores its own). */
  /** `attachments`: uploaded files (attachments.store.ts) sent with it; the body may then be empty. */
  function send(conversationId: string, body: string, replyTo: Quote | null = null, attachments: MessageView['attachments'] = []): string {
    const clientMessageId = newId();
    update(conversationId, (h) => ({ messages: [...h.messages, pendingMessage(conversationId, me.value ?? '', body, clientMessageId, now(), replyTo, attachments)] }));
    void deliver(conversationId, clientMessageId, body, replyTo?.id, attachments.map((a) => a.id));
    return clientMessageId;
  }

  /** Sends over the connection when it is up, else over REST; the server keeps one message per clientMessageId. */
  async function deliver(conversationId: string, clientMessageId: string, text: string, replyTo?: string, attachmentIds: string[] = []): Promise<void> {
    // A message of files alone has no text (the server refuses an empty one).
    const reply = { ...(replyTo === undefined ? {} : { replyTo }), ...(attachmentIds.length > 0 ? { attachmentIds } : {}), ...(text ? { body: text } : {}) };
    try {
      const message =
        realtime.status.value === 'online'
          ? (await realtime.request({ type: 'message.send', conversationId, clientMessageId, ...reply }, { queue: true, timeoutMs: SEND_TIMEOUT_MS })).message
          : await http.request<MessageView>('POST', `/v1/conversations/${enc(conversationId)}/messages`, { clientMessageId, ...reply });
      applyStored(message, true);
    } catch (error) {
      update(conversationId, (h) => ({ messages: markUnsent(h.messages, clientMessageId, 'failed', errorCode(error)) }));
    }
  }

  /** Sends a failed message again with the same clientMessageId, so a send that did arrive is not stored twice. */
  function retry(conversationId: string, clientMessageId: string): void {
    const m = slot(conversationId).value.messages.find((x) => x.state === 'failed' && x.clientMessageId === clientMessageId);
    if (!m || m.body === null) return;
    update(conversationId, (h) => ({ messages: markUnsent(h.messages, clientMessageId, 'pending') }));
    void deliver(conversationId, clientMessageId, m.body, m.replyTo?.id, m.attachments.map((a) => a.id));
  }

  /** After a reconnect: retries the sends that failed for the connection's sake (not those the server refused). */
  function retryTransient(): void {
    for (const [conversationId, s] of histories)
      for (const m of s.value.messages) if (m.state === 'failed' && isTransient(m.error ?? '')) retry(conversationId, m.clientMessageId);
  }

  /** Drops a failed message the user gave up on. */
  function discard(conversationId: string, clientMessageId: string): void {
    update(conversationId, (h) => ({ messages: h.messages.filter((m) => m.state === 'sent' || m.clientMessageId !== clientMessageId) }));
  }

  async function edit(conversationId: string, messageId: string, body: string): Promise<void> {
    applyStored(await http.request<MessageView>('PATCH', `/v1/conversations/${enc(conversationId)}/messages/${enc(messageId)}`, { body }), false);
  }

  async function remove(conversationId: string, messageId: string): Promise<void> {
    applyStored(await http.request<MessageView>('DELETE', `/v1/conversations/${enc(conversationId)}/messages/${enc(messageId)}`), false);
  }

  /** Moves our read marker to the newest message we have (when the conversation is on screen). */
  async function markRead(conversationId: string, newestKnown: string | null = null): Promise<void> {
    const fromHistory = newestStoredId(slot(conversationId).value.messages);
    const upTo = fromHistory && (!newestKnown || compareIds(fromHistory, newestKnown) > 0) ? fromHistory : newestKnown;
    const sent = readSent.get(conversationId);
    if (!upTo || (sent && compareIds(sent, upTo) >= 0)) return;
    readSent.set(conversationId, upTo);
    try {
      const state =
        realtime.status.value === 'online'
          ? await realtime.request({ type: 'message.read', conversationId, upTo })
          : await http.request<ReadState>('POST', `/v1/conversations/${enc(conversationId)}/read`, { upTo });
      options.onReadState?.(state);
    } catch {
      if (readSent.get(conversationId) === upTo) readSent.delete(conversationId); // try again on the next occasion
    }
  }

  function applyReceiptEvent(conversationId: string, userId: string, lastReadMessageId: string): void {
    const current = markers.value[conversationId] ?? {};
    const next = applyReceipt(current, userId, lastReadMessageId);
    if (next !== current) markers.value = { ...markers.value, [conversationId]: next };
  }

  /** The newest stored message id per conversation we hold history of (resume cursors). */
  function newestIds(): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const [conversationId, s] of histories) out.set(conversationId, newestStoredId(s.value.messages));
    return out;
  }

  /** Per conversation we hold history of, the position up to which we hold every message (resume.cursor.ts). */
  function resumeSeqs(): Map<string, number | undefined> {
    const out = new Map<string, number | undefined>();
    for (const [conversationId, s] of histories) out.set(conversationId, resumeSeq(s.value.messages));
    return out;
  }

  /** Forgets a conversation we are no longer a member of. */
  function forget(conversationId: string): void {
    histories.delete(conversationId);
    readSent.delete(conversationId);
  }

  const seenCache = new Map<string, ReadonlySignal<string | null>>();
  /** The id of my newest message another member has read ("seen" is shown at it), or null. */
  function seen(conversationId: string): ReadonlySignal<string | null> {
    let c = seenCache.get(conversationId);
    if (!c) seenCache.set(conversationId, (c = computed(() => seenUpTo(slot(conversationId).value.messages, markers.value[conversationId] ?? {}, me.value))));
    return c;
  }

  return {
    history: (conversationId: string): ReadonlySignal<History> => slot(conversationId),
    markers: markers as ReadonlySignal<Readonly<Record<string, ReadMarkers>>>,
    seen,
    loadOlder,
    reload,
    catchUp,
    notLoaded,
    applyStored,
    applyTranslated,
    send,
    retry,
    retryTransient,
    discard,
    edit,
    remove,
    markRead,
    applyReceiptEvent,
    newestIds,
    resumeSeqs,
    forget,
  };
}
