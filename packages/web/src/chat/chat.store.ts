import { effect, signal, untracked, type ReadonlySignal } from '@preact/signals';
import type { ResumeCursor } from '@ashchat/contracts';
import type { Realtime } from '../realtime/realtime.client.js';
import type { Clock } from '../realtime/realtime.env.js';
import { compareIds, otherMembers, presenceTargets } from './chat.model.js';
import type { Http, Me } from './chat.ports.js';
import { createConversationsStore } from './conversations.store.js';
import { createMembersStore } from './members.store.js';
import { createMessagesStore } from './messages.store.js';
import { createPresenceStore } from './presence.store.js';
import { createReactionsStore } from './reactions.store.js';
import { createTypingStore } from './typing.store.js';
import { createTranslationToggles } from './translation.store.js';
import { createUsersStore } from './users.search.js';

export interface ChatOptions {
  http: Http;
  realtime: Realtime;
  /** The signed-in user's id; defaults to the one the connection authenticated as. */
  me?: Me;
  clock?: Clock;
  newId?: () => string;
  /** Defaults to following document.visibilityState. */
  pageVisible?: ReadonlySignal<boolean>;
}

const MAX_RESUME_CURSORS = 500;
const RESUME_TIMEOUT_MS = 30_000;

export type Chat = ReturnType<typeof createChat>;

/**
 * The chat data layer of one signed-in session: stores wired to the connection's events, the resume
 * after every (re)connect, read markers for the conversation on screen, presence of everyone we talk to.
 */
export function createChat(options: ChatOptions) {
  const { http, realtime } = options;
  const me = options.me ?? realtime.userId;
  const users = createUsersStore(http);
  const page = options.pageVisible ? { visible: options.pageVisible, stop: () => {} } : documentVisibility();
  const conversations = createConversationsStore({ http, me, pageVisible: page.visible });
  const reactions = createReactionsStore({ http, me });
  const messages = createMessagesStore({
    http,
    realtime,
    me,
    onPage: reactions.seed,
    onStored: conversations.applyMessage,
    onReadState: conversations.applyReadState,
    ...(options.newId ? { newId: options.newId } : {}),
  });
  const members = createMembersStore({
    http,
    onLoaded(conversationId, items) {
      users.remember(items.map((m) => ({ id: m.userId, nickname: m.nickname, avatarUrl: m.avatarUrl })));
      // Markers only move forward: a list older than a live receipt changes nothing.
      for (const m of items) if (m.lastReadMessageId) messages.applyReceiptEvent(conversationId, m.userId, m.lastReadMessageId);
    },
  });
  const presence = createPresenceStore(realtime);
  const typing = createTypingStore(realtime, options.clock);
  const translations = createTranslationToggles(conversations.visibleId);

  const off = [
    realtime.on('message.new', (e) => {
      messages.applyStored(e.message, true);
      typing.messageFrom(e.conversationId, e.message.senderId);
    }),
    realtime.on('message.edited', (e) => messages.applyStored(e.message, false)),
    realtime.on('message.deleted', (e) => messages.applyStored(e.message, false)),
    realtime.on('message.translated', (e) => {
      messages.applyTranslated(e.conversationId, e.messageId, e.translation);
      conversations.applyTranslated(e.conversationId, e.messageId, e.translation);
    }),
    realtime.on('receipt.updated', (e) =>
      e.userId === me.value ? conversations.applyOwnRead(e.conversationId, e.lastReadMessageId) : messages.applyReceiptEvent(e.conversationId, e.userId, e.lastReadMessageId),
    ),
    realtime.on('conversation.updated', (e) => {
      conversations.applyUpdated(e);
      if (me.value && !e.members.includes(me.value)) {
        messages.forget(e.conversationId);
        members.forget(e.conversationId);
      } else if (members.known(e.conversationId)) void members.load(e.conversationId); // who joined, and their names
    }),
    realtime.on('reaction.updated', (e) => reactions.apply(e)),
    realtime.on('typing', (e) => typing.apply(e)),
    realtime.on('presence', (e) => presence.apply(e)),
    realtime.onResume(resume),
  ];

  /** The newest message we hold per conversation: from its loaded history or the list's last message, whichever is newer. */
  function cursors(unloaded: readonly string[]): ResumeCursor[] {
    const newest = messages.newestIds();
    // Positions (commit order) where we have them: from the history held, else the list's last message.
    const seqs = messages.resumeSeqs();
    const withSeq = (cursor: ResumeCursor, seq: number | undefined): ResumeCursor => (seq === undefined ? cursor : { ...cursor, lastSeq: seq });
    const out: ResumeCursor[] = [];
    for (const c of conversations.conversations.value) {
      const fromHistory = newest.get(c.id) ?? null;
      const fromList = c.lastMessage?.id ?? null;
      const lastMessageId = fromHistory && (!fromList || compareIds(fromHistory, fromList) > 0) ? fromHistory : fromList;
      const listSeq = c.lastMessage && c.lastMessage.seq > 0 ? c.lastMessage.seq : undefined;
      out.push(withSeq({ conversationId: c.id, lastMessageId }, seqs.has(c.id) ? seqs.get(c.id) : listSeq));
    }
    // Histories of conversations the list does not show (yet): opened by URL before the list arrived.
    // (Not those still loading: a null cursor would replay their whole history; catchUp covers them.)
    for (const [conversationId, lastMessageId] of newest)
      if (!conversations.byId.value.has(conversationId) && !unloaded.includes(conversationId)) out.unshift(withSeq({ conversationId, lastMessageId }, seqs.get(conversationId)));
    return out.slice(0, MAX_RESUME_CURSORS); // the list is most recent first: the rest are the least active
  }

  /** First frame of every connection: replay what we missed, then re-follow presence, then reload the list. */
  async function resume(): Promise<void> {
    typing.reset();
    const unloaded = messages.notLoaded();
    const result = await realtime.request({ type: 'resume', cursors: cursors(unloaded) }, { beforeOnline: true, timeoutMs: RESUME_TIMEOUT_MS });
    for (const id of result.skipped) {
      conversations.remove(id);
      messages.forget(id);
    }
    for (const id of result.incomplete) void messages.reload(id);
    for (const id of unloaded) if (!result.incomplete.includes(id)) void messages.catchUp(id);
    await presence.resubscribe();
    // Receipts sent while we were away are not replayed: the list on screen brings the markers.
    const open = conversations.visibleId.value;
    if (open) void members.load(open);
    members.retryFailed();
    // Conversations created while away (and the first load): listed after the connection is up, so nothing falls between.
    void conversations.refresh();
  }

  const effects = [
    // Sends that failed for want of a connection go out again once it is back (same clientMessageId).
    effect(() => {
      if (realtime.status.value === 'online') messages.retryTransient();
    }),
    effect(() => presence.follow(presenceTargets(conversations.conversations.value, me.value))),
    // The conversation opened: its members' names and read markers ("seen" right after a reload).
    effect(() => {
      const id = conversations.visibleId.value;
      if (id) untracked(() => void members.load(id));
    }),
    // Conversations in the list whose title or preview names someone unknown (a direct chat begun by the
    // other member; a group's last sender): each asked once.
    effect(() => {
      const names = users.nicknames.value;
      const myId = me.value;
      const unknown = (id: string): boolean => id !== myId && names[id] === undefined;
      const unnamed = conversations.conversations.value
        .filter((c) => (c.type === 'direct' && otherMembers(c, myId).some(unknown)) || (c.lastMessage !== null && unknown(c.lastMessage.senderId)))
        .map((c) => c.id);
      if (unnamed.length > 0) untracked(() => members.ensure(unnamed));
    }),
    // The conversation on screen is read up to its newest message, as messages arrive.
    effect(() => {
      const id = conversations.readingId.value;
      if (!id) return;
      const lastFromList = conversations.byId.value.get(id)?.lastMessage?.id ?? null;
      void messages.history(id).value;
      void messages.markRead(id, lastFromList);
    }),
  ];

  return {
    status: realtime.status,
    me,
    conversations,
    messages,
    reactions,
    presence,
    typing,
    users,
    members,
    translations,
    dispose(): void {
      for (const f of off) f();
      for (const f of effects) f();
      typing.dispose();
      translations.dispose();
      page.stop();
    },
  };
}

/** document.visibilityState as a signal (always visible where there is no document, as in node tests). */
function documentVisibility(): { visible: ReadonlySignal<boolean>; stop(): void } {
  const doc = (globalThis as { document?: Document }).document;
  const visible = signal(doc?.visibilityState !== 'hidden');
  if (!doc) return { visible, stop: () => {} };
  const update = () => (visible.value = doc.visibilityState !== 'hidden');
  doc.addEventListener('visibilitychange', update);
  return { visible, stop: () => doc.removeEventListener('visibilitychange', update) };
}
