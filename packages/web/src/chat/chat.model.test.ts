import t from 'tap';
import type { ConversationView, MessageView } from '@ashchat/contracts';
import {
  applyMessageToConversation,
  applyReceipt,
  markUnsent,
  mergeConversations,
  mergeMessages,
  newestStoredId,
  newerVersion,
  pendingMessage,
  presenceTargets,
  seenUpTo,
  sortConversations,
  type ChatMessage,
} from './chat.model.js';
import { messageId as id, messageView } from './message.fixture.test-support.js';

const ME = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const CONV = 'c'.repeat(24);

const msg = (n: number, over: Partial<MessageView> = {}): MessageView => messageView(n, { senderId: BOB, ...over });
const ids = (list: readonly ChatMessage[]) => list.map((m) => m.id);

t.test('pages, live events and replays merge into one ordered list without duplicates', async (t) => {
  const newestPage = [msg(30), msg(29), msg(28)]; // REST pages are newest first
  let list = mergeMessages([], newestPage);
  t.same(ids(list), [id(28), id(29), id(30)]);
  list = mergeMessages(list, [msg(31)]); // live
  list = mergeMessages(list, [msg(27), msg(26)]); // an older page, prepended
  list = mergeMessages(list, [msg(30), msg(31), msg(32)]); // a resume replay overlapping what we have
  t.same(ids(list), [26, 27, 28, 29, 30, 31, 32].map(id));
  t.ok(list.every((m) => m.state === 'sent'));
  t.equal(newestStoredId(list), id(32));
});

t.test('an edit or deletion is kept even when an older view of the message arrives later', async (t) => {
  const edited = msg(5, { body: 'edited', editedAt: '2026-01-01T01:00:00.000Z' });
  const deleted = msg(5, { body: null, deletedAt: '2026-01-01T02:00:00.000Z' });
  let list = mergeMessages([], [edited]);
  list = mergeMessages(list, [msg(5)]);
  t.equal(list[0]!.body, 'edited');
  list = mergeMessages(list, [deleted]);
  list = mergeMessages(list, [edited]);
  t.equal(list[0]!.body, null);
  t.equal(newerVersion(msg(5, { editedAt: '2026-01-01T01:00:00.000Z', body: 'a' }), msg(5, { editedAt: '2026-01-01T03:00:00.000Z', body: 'b' })).body, 'b');
});

t.test('optimistic send: the pending message is replaced once, whether the ack or the event comes first', async (t) => {
  const pending = pendingMessage(CONV, ME, 'hi', 'uuid-1', new Date());
  const stored = msg(40, { senderId: ME, clientMessageId: 'uuid-1', body: 'hi' });
  const base = mergeMessages([], [msg(39)]);

  const withPending = [...base, pending];
  t.same(withPending.map((m) => m.state), ['sent', 'pending']);

  // event first, then the ack (the same stored message again)
  let a = mergeMessages(withPending, [stored]);
  a = mergeMessages(a, [stored]);
  // ack first, then the event
  let b = mergeMessages(withPending, [stored]);
  b = mergeMessages(b, [stored]);
  for (const list of [a, b]) {
    t.same(ids(list), [id(39), id(40)]);
    t.equal(list.filter((m) => m.clientMessageId === 'uuid-1').length, 1);
  }
});

t.test('unsent messages stay after the stored ones, in the order written, even when older stored ones arrive', async (t) => {
  let list: ChatMessage[] = [pendingMessage(CONV, ME, 'one', 'u1', new Date()), pendingMessage(CONV, ME, 'two', 'u2', new Date())];
  list = mergeMessages(list, [msg(3), msg(1)]);
  t.same(
    list.map((m) => m.clientMessageId),
    ['cm-1', 'cm-3', 'u1', 'u2'],
  );
  list = mergeMessages(list, [msg(4, { senderId: ME, clientMessageId: 'u2', body: 'two' })]);
  t.same(
    list.map((m) => m.clientMessageId),
    ['cm-1', 'cm-3', 'u2', 'u1'],
  );
});

t.test('a failed send is retried with the same clientMessageId and never duplicated', async (t) => {
  let list: ChatMessage[] = [pendingMessage(CONV, ME, 'hello', 'u9', new Date())];
  list = markUnsent(list, 'u9', 'failed', 'NETWORK_ERROR');
  t.equal(list[0]!.state, 'failed');
  t.equal(list[0]!.error, 'NETWORK_ERROR');
  list = markUnsent(list, 'u9', 'pending');
  t.equal(list[0]!.state, 'pending');
  t.equal(list[0]!.error, undefined);
  // the first attempt did reach the server: the retry answers the stored message (created: false) — one copy
  const stored = msg(10, { senderId: ME, clientMessageId: 'u9', body: 'hello' });
  list = mergeMessages(mergeMessages(list, [stored]), [stored]);
  t.same(ids(list), [id(10)]);
});

t.test('seen: the newest of my messages another member has read up to', async (t) => {
  const list = mergeMessages([], [msg(1, { senderId: ME }), msg(2), msg(3, { senderId: ME }), msg(4, { senderId: ME })]);
  t.equal(seenUpTo(list, {}, ME), null);
  t.equal(seenUpTo(list, { [ME]: id(4) }, ME), null, 'my own marker is not "seen"');
  t.equal(seenUpTo(list, { [BOB]: id(2) }, ME), id(1));
  t.equal(seenUpTo(list, { [BOB]: id(3) }, ME), id(3));
  t.equal(seenUpTo(list, { [BOB]: id(9) }, ME), id(4));
  let markers = applyReceipt({}, BOB, id(3));
  markers = applyReceipt(markers, BOB, id(2));
  t.equal(markers[BOB], id(3), 'markers never move back');
});

function conv(n: number, over: Partial<ConversationView> = {}): ConversationView {
  return {
    id: id(1000 + n),
    type: 'direct',
    name: null,
    ownerId: null,
    members: [ME, BOB],
    createdAt: '2026-01-01T00:00:00.000Z',
    lastActivityAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    lastMessage: null,
    unreadCount: 0,
    unreadMentionCount: 0,
    muted: false,
    mutedUntil: null,
    ...over,
  };
}

t.test('conversations: ordered by activity; a new message moves one up and counts unread unless visible or mine', async (t) => {
  const list = sortConversations([conv(1), conv(3), conv(2)]);
  t.same(
    list.map((c) => c.id),
    [conv(3).id, conv(2).id, conv(1).id],
  );
  const m = msg(50, { conversationId: conv(1).id, createdAt: '2026-01-02T00:00:00.000Z' });
  const bumped = applyMessageToConversation(conv(1), m, { me: ME, isNew: true, visible: false });
  t.equal(bumped.unreadCount, 1);
  t.equal(bumped.lastMessage?.id, m.id);
  t.equal(sortConversations([...list.slice(0, 2), bumped])[0]!.id, conv(1).id);
  t.equal(applyMessageToConversation(conv(1), m, { me: ME, isNew: true, visible: true }).unreadCount, 0);
  t.equal(applyMessageToConversation(conv(1), { ...m, senderId: ME }, { me: ME, isNew: true, visible: false }).unreadCount, 0);
  // the same message again (a replay) does not count twice; an edit of it updates the preview
  t.equal(applyMessageToConversation(bumped, m, { me: ME, isNew: true, visible: false }).unreadCount, 1);
  const edited = applyMessageToConversation(bumped, { ...m, body: 'x', editedAt: '2026-01-03T00:00:00.000Z' }, { me: ME, isNew: false, visible: false });
  t.equal(edited.lastMessage?.body, 'x');
  // an older message does not replace the last one
  t.equal(applyMessageToConversation(bumped, msg(49, { conversationId: conv(1).id }), { me: ME, isNew: true, visible: false }), bumped);
});

t.test('a server page does not roll back a newer last message we already got live', async (t) => {
  const live = conv(1, { lastMessage: msg(60), lastActivityAt: '2026-01-05T00:00:00.000Z', unreadCount: 2 });
  const stale = conv(1, { lastMessage: msg(59), unreadCount: 1 });
  const merged = mergeConversations([live], [stale, conv(2)]);
  t.equal(merged.length, 2);
  const one = merged.find((c) => c.id === conv(1).id)!;
  t.equal(one.lastMessage?.id, id(60));
  t.equal(one.unreadCount, 2);
  const fresh = conv(1, { lastMessage: msg(61), unreadCount: 3, lastActivityAt: '2026-01-06T00:00:00.000Z' });
  t.equal(mergeConversations([live], [fresh])[0]!.unreadCount, 3);
});

t.test("the last message's translation stays in the preview when a live copy or an older page of the same message comes", async (t) => {
  const es = { language: 'es' as const, status: 'translated' as const, text: 'Buenos días', via: [], reason: null };
  const translated = msg(70, { conversationId: conv(1).id, language: 'en', translation: es });
  const c = conv(1, { lastMessage: translated });
  const replayed = applyMessageToConversation(c, { ...translated, translation: null }, { me: ME, isNew: true, visible: false });
  t.same(replayed.lastMessage?.translation, es, 'a replayed message.new (no translation) keeps it');
  const page = mergeConversations([c], [conv(1, { lastMessage: { ...translated, translation: { ...es, status: 'pending', text: null } } })]);
  t.same(page[0]!.lastMessage?.translation, es, 'a page read while it was pending keeps it');
  const edited = applyMessageToConversation(c, { ...translated, body: 'Hi', editedAt: '2026-01-03T00:00:00.000Z', translation: null }, { me: ME, isNew: false, visible: false });
  t.equal(edited.lastMessage?.translation, null, 'an edit drops the old text\'s translation');
});

t.test('presence follows the other members of every conversation, each once, within the limit', async (t) => {
  const carol = '00000000-0000-4000-8000-000000000003';
  const targets = presenceTargets([conv(1), conv(2, { type: 'group', members: [ME, BOB, carol] })], ME);
  t.same(targets, [BOB, carol]);
  t.same(presenceTargets([conv(2, { members: [ME, BOB, carol] })], ME, 1), [BOB]);
});
