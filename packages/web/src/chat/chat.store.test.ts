import t from 'tap';
import { signal } from '@preact/signals';
import type { ConversationView, MessageView } from '@ashchat/contracts';
import type { Realtime, RealtimeStatus } from '../realtime/realtime.client.js';
import type { ServerFrame } from '../realtime/realtime.protocol.js';
import type { Http } from './chat.ports.js';
import { createChat } from './chat.store.js';
import { messageId as id, messageView } from './message.fixture.test-support.js';

/** The wiring of the stores to the connection's events and resume, with in-memory stand-ins of both ports. */
const ME = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const A = 'a'.repeat(24);
const B = 'b'.repeat(24);
const msg = (n: number, conversationId: string, senderId = BOB): MessageView => messageView(n, { conversationId, senderId, clientMessageId: `c${n}` });
const conv = (cid: string, last: MessageView | null): ConversationView => ({
  id: cid,
  type: 'direct',
  name: null,
  ownerId: null,
  members: [ME, BOB],
  createdAt: '2026-01-01T00:00:00.000Z',
  lastActivityAt: last?.createdAt ?? '2026-01-01T00:00:00.000Z',
  lastMessage: last,
  unreadCount: 0,
  unreadMentionCount: 0,
  muted: false,
  mutedUntil: null,
});

function setup(answers: Record<string, unknown>, status: RealtimeStatus = 'connecting', pageVisible = signal(true)) {
  const listeners = new Map<string, (f: ServerFrame) => void>();
  const hooks: Array<() => Promise<void> | void> = [];
  const frames: Array<Record<string, unknown>> = [];
  const paths: string[] = [];
  const realtime = {
    status: signal<RealtimeStatus>(status),
    userId: signal<string | null>(ME),
    on: (type: string, fn: (f: ServerFrame) => void) => (listeners.set(type, fn), () => listeners.delete(type)),
    onResume: (hook: () => Promise<void>) => (hooks.push(hook), () => {}),
    request: async (frame: Record<string, unknown>) => (frames.push(frame), answers[frame.type as string] ?? {}),
    close: () => {},
  } as unknown as Realtime;
  const pages: Record<string, unknown> = {};
  const http: Http = { request: async <T>(_m: string, path: string) => (paths.push(path), (pages[path.split('?')[0]!] ?? { items: [], nextCursor: null }) as T) };
  const chat = createChat({ http, realtime, newId: () => 'u1', pageVisible });
  t.teardown(() => chat.dispose());
  const emit = (frame: unknown) => listeners.get((frame as ServerFrame).type)!(frame as ServerFrame);
  return { chat, frames, paths, pages, emit, resume: () => Promise.all(hooks.map((h) => h())) };
}

t.test('resume sends a cursor per conversation, reloads incomplete ones, drops skipped ones, re-follows presence', async (t) => {
  const s = setup({ resume: { replayed: 0, incomplete: [A], skipped: [B] }, 'presence.subscribe': { presences: [], unavailable: [] } });
  s.pages['/v1/conversations'] = { items: [conv(A, msg(3, A)), conv(B, null)], nextCursor: null };
  s.pages[`/v1/conversations/${A}/messages`] = { items: [msg(5, A), msg(4, A)], nextCursor: null };
  await s.chat.conversations.refresh();
  await s.chat.messages.loadOlder(A);
  s.frames.length = 0;
  s.paths.length = 0;
  await s.resume();
  t.same(s.frames[0], {
    type: 'resume',
    cursors: [
      { conversationId: A, lastMessageId: id(5), lastSeq: 5 },
      { conversationId: B, lastMessageId: null },
    ],
  });
  t.same(
    s.chat.conversations.conversations.value.map((c) => c.id),
    [A],
    'the skipped conversation is gone',
  );
  t.ok(s.paths.includes(`/v1/conversations/${A}/messages?limit=50`), 'the incomplete history is paged again');
  t.same(s.frames[1], { type: 'presence.subscribe', userIds: [BOB] });
});

t.test('live events reach the list and the history: order, unread count, typing ended, membership', async (t) => {
  const s = setup({});
  s.pages['/v1/conversations'] = { items: [conv(A, msg(3, A)), conv(B, msg(4, B))], nextCursor: null };
  await s.chat.conversations.refresh();
  s.chat.messages.history(A);
  s.emit({ type: 'typing', conversationId: A, userId: BOB, state: 'start', expiresInMs: 5000 });
  t.same(s.chat.typing.typingIn(A).value, [BOB]);
  s.emit({ type: 'message.new', conversationId: A, message: msg(6, A) });
  s.emit({ type: 'message.new', conversationId: A, message: msg(6, A) }); // a REST retry announces it twice
  const [first] = s.chat.conversations.conversations.value;
  t.equal(first!.id, A, 'moved to the top');
  t.equal(first!.unreadCount, 1, 'counted once');
  t.same(s.chat.typing.typingIn(A).value, [], 'the message ended the typing indicator');
  t.same(
    s.chat.messages.history(A).value.messages.map((m) => m.id),
    [id(6)],
  );
  s.emit({ type: 'conversation.updated', conversationId: B, members: [BOB] });
  t.same(
    s.chat.conversations.conversations.value.map((c) => c.id),
    [A],
    'a conversation we were removed from leaves the list',
  );
});

t.test("message.translated reaches the list's preview of that last message, and nothing else", async (t) => {
  const s = setup({});
  s.pages['/v1/conversations'] = { items: [conv(A, msg(3, A)), conv(B, msg(4, B))], nextCursor: null };
  await s.chat.conversations.refresh();
  const translation = { language: 'es', status: 'translated', text: 'hola', via: [], reason: null };
  s.emit({ type: 'message.translated', conversationId: A, messageId: id(3), translation });
  s.emit({ type: 'message.translated', conversationId: B, messageId: id(2), translation }); // not B's last message
  const byId = s.chat.conversations.byId.value;
  t.same(byId.get(A)!.lastMessage!.translation, translation, "A's preview has it");
  t.equal(byId.get(B)!.lastMessage!.translation, null, "B's last message is another one: unchanged");
});

t.test('the conversation on screen is marked read up to its newest message', async (t) => {
  const s = setup({ 'message.read': { conversationId: A, lastReadMessageId: id(7), unreadCount: 0 } }, 'online');
  s.pages['/v1/conversations'] = { items: [{ ...conv(A, msg(3, A)), unreadCount: 2 }], nextCursor: null };
  await s.chat.conversations.refresh();
  s.chat.conversations.setVisible(A);
  s.emit({ type: 'message.new', conversationId: A, message: msg(7, A) });
  await new Promise((resolve) => setImmediate(resolve));
  t.same(
    s.frames.filter((f) => f.type === 'message.read').map((f) => f.upTo),
    [id(3), id(7)],
  );
  t.equal(s.chat.conversations.conversations.value[0]!.unreadCount, 0);
});

t.test('a history opened before its page arrived gets no replay-everything cursor, but its newest page again', async (t) => {
  const s = setup({ resume: { replayed: 0, incomplete: [], skipped: [] } });
  s.pages[`/v1/conversations/${B}/messages`] = { items: [msg(9, B)], nextCursor: null };
  s.chat.messages.history(B); // the screen of /c/B is open, its first page not answered yet
  await s.resume();
  t.same(s.frames[0], { type: 'resume', cursors: [] });
  t.ok(s.paths.includes(`/v1/conversations/${B}/messages?limit=50`));
  await new Promise((resolve) => setImmediate(resolve));
  t.same(
    s.chat.messages.history(B).value.messages.map((m) => m.id),
    [id(9)],
  );
});

t.test('in a hidden page the conversation on screen is not read: its messages count unread until the page shows', async (t) => {
  const visible = signal(false);
  const s = setup({ 'message.read': { conversationId: A, lastReadMessageId: id(7), unreadCount: 0 } }, 'online', visible);
  s.pages['/v1/conversations'] = { items: [conv(A, msg(3, A))], nextCursor: null };
  await s.chat.conversations.refresh();
  s.chat.conversations.setVisible(A);
  s.emit({ type: 'message.new', conversationId: A, message: msg(7, A) });
  t.equal(s.chat.conversations.conversations.value[0]!.unreadCount, 1);
  t.same(s.frames.filter((f) => f.type === 'message.read'), []);
  visible.value = true;
  await new Promise((resolve) => setImmediate(resolve));
  t.same(
    s.frames.filter((f) => f.type === 'message.read').map((f) => f.upTo),
    [id(7)],
  );
  t.equal(s.chat.conversations.conversations.value[0]!.unreadCount, 0);
});

t.test('members: opening a conversation names its members and seeds "seen" (as after a reload); the list names unknown direct peers once', async (t) => {
  const CY = '00000000-0000-4000-8000-000000000003';
  const s = setup({});
  s.pages['/v1/conversations'] = { items: [conv(A, msg(5, A, ME)), { ...conv(B, null), members: [CY, ME] }], nextCursor: null };
  s.pages[`/v1/conversations/${A}/messages`] = { items: [msg(5, A, ME), msg(4, A, ME)], nextCursor: null };
  s.pages[`/v1/conversations/${A}/members`] = { items: [{ userId: ME, nickname: 'Me', lastReadMessageId: id(5) }, { userId: BOB, nickname: 'Bob', lastReadMessageId: id(4) }] };
  s.pages[`/v1/conversations/${B}/members`] = { items: [{ userId: CY, nickname: 'Cy', lastReadMessageId: null }, { userId: ME, nickname: 'Me', lastReadMessageId: null }] };
  s.chat.users.remember([{ id: BOB, nickname: 'Bob' }]); // learnt earlier (a search): only Cy is unknown
  await s.chat.conversations.refresh();
  await new Promise((resolve) => setImmediate(resolve));
  t.same(
    s.paths.filter((p) => p.endsWith('/members')),
    [`/v1/conversations/${B}/members`],
    'only the direct chat whose peer has no name',
  );
  t.equal(s.chat.users.nicknames.value[CY], 'Cy', 'the person who wrote first is named');

  await s.chat.messages.loadOlder(A);
  t.equal(s.chat.messages.seen(A).value, null, 'no receipt event since the reload');
  s.chat.conversations.setVisible(A);
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(s.chat.messages.seen(A).value, id(4), 'the marker from the members list');
  t.equal(s.chat.members.of(A).value.items?.length, 2);

  s.emit({ type: 'receipt.updated', conversationId: A, userId: BOB, lastReadMessageId: id(5) });
  t.equal(s.chat.messages.seen(A).value, id(5));
  await s.chat.members.load(A); // an older list (Bob at 4) does not move the marker back
  t.equal(s.chat.messages.seen(A).value, id(5));

  s.paths.length = 0;
  s.emit({ type: 'conversation.updated', conversationId: A, members: [ME, BOB] });
  s.emit({ type: 'conversation.updated', conversationId: 'c'.repeat(24), members: [ME] });
  await new Promise((resolve) => setImmediate(resolve));
  t.same(
    s.paths.filter((p) => p.endsWith('/members')),
    [`/v1/conversations/${A}/members`],
    'a membership change reloads the lists we hold, not others',
  );
  s.pages['/v1/conversations'] = { items: [conv(A, msg(5, A, ME)), { ...conv(B, null), members: [CY, ME] }], nextCursor: null };
  await s.chat.conversations.refresh();
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(s.paths.filter((p) => p === `/v1/conversations/${B}/members`).length, 0, 'a named peer is not asked for again');
});

t.test("members: a group's last sender nobody named yet is named once (the list's preview), a known one is not asked for", async (t) => {
  const CY = '00000000-0000-4000-8000-000000000003';
  const s = setup({});
  const group = (cid: string, last: MessageView): ConversationView => ({ ...conv(cid, last), type: 'group', name: 'Engine room', ownerId: ME, members: [ME, BOB, CY] });
  s.pages['/v1/conversations'] = { items: [group(A, msg(7, A, CY)), group(B, msg(6, B, BOB))], nextCursor: null };
  s.pages[`/v1/conversations/${A}/members`] = { items: [ME, BOB, CY].map((userId, i) => ({ userId, nickname: ['Me', 'Bob', 'Cy'][i], lastReadMessageId: null })) };
  s.chat.users.remember([{ id: BOB, nickname: 'Bob' }]);
  await s.chat.conversations.refresh();
  await new Promise((resolve) => setImmediate(resolve));
  t.same(
    s.paths.filter((p) => p.endsWith('/members')),
    [`/v1/conversations/${A}/members`],
    'only the group whose last sender (Cy) has no name; Bob is known',
  );
  t.equal(s.chat.users.nicknames.value[CY], 'Cy');
});
