import t from 'tap';
import { signal } from '@preact/signals';
import type { MessageView } from '@ashchat/contracts';
import type { Realtime, RealtimeStatus } from '../realtime/realtime.client.js';
import type { Http } from './chat.ports.js';
import { createMessagesStore } from './messages.store.js';
import { messageId as id, messageView } from './message.fixture.test-support.js';

/**
 * The store's own logic with the connection and the API replaced by in-memory stand-ins of its ports
 * (the stand-ins answer as the server's contract says; the real round trips are in the browser tests).
 */
const ME = '00000000-0000-4000-8000-000000000001';
const CONV = 'c'.repeat(24);
const stored = (n: number, clientMessageId: string, body = 'hi'): MessageView =>
  messageView(n, { clientMessageId, body, createdAt: '2026-01-01T00:00:00.000Z' });

function setup(status: RealtimeStatus = 'online') {
  const frames: Array<{ frame: Record<string, unknown>; resolve(v: unknown): void; reject(e: unknown): void }> = [];
  const calls: Array<{ method: string; path: string; body: unknown; resolve(v: unknown): void; reject(e: unknown): void }> = [];
  const connection = signal<RealtimeStatus>(status);
  const realtime = {
    status: connection,
    request: (frame: Record<string, unknown>) => new Promise((resolve, reject) => frames.push({ frame, resolve, reject })),
  } as unknown as Pick<Realtime, 'status' | 'request'>;
  const http: Http = { request: <T>(method: string, path: string, body?: unknown) => new Promise<T>((resolve, reject) => calls.push({ method, path, body, resolve: resolve as (v: unknown) => void, reject })) };
  let n = 0;
  const store = createMessagesStore({ http, realtime, me: signal(ME), newId: () => `u${++n}` });
  const messages = () => store.history(CONV).value.messages.map((m) => [m.state, m.clientMessageId, m.id]);
  return { store, frames, calls, connection, messages };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

t.test('a send shows at once as pending; the live event and then the ack leave one stored message', async (t) => {
  const { store, frames, messages } = setup();
  store.send(CONV, 'hi');
  t.same(messages(), [['pending', 'u1', 'pending:u1']]);
  t.same(frames[0]!.frame, { type: 'message.send', conversationId: CONV, body: 'hi', clientMessageId: 'u1' });
  store.applyStored(stored(5, 'u1'), true); // message.new overtook the ack
  frames[0]!.resolve({ created: true, message: stored(5, 'u1') });
  await tick();
  t.same(messages(), [['sent', 'u1', id(5)]]);
});

t.test('a failed send is marked failed; retry sends the same clientMessageId (over REST when offline)', async (t) => {
  const { store, frames, calls, connection, messages } = setup();
  store.send(CONV, 'hello');
  frames[0]!.reject({ code: 'DISCONNECTED' });
  await tick();
  t.same(messages(), [['failed', 'u1', 'pending:u1']]);
  t.equal(store.history(CONV).value.messages[0]!.error, 'DISCONNECTED');
  connection.value = 'connecting';
  store.retry(CONV, 'u1');
  t.same(messages(), [['pending', 'u1', 'pending:u1']]);
  t.same(calls[0]!.body, { body: 'hello', clientMessageId: 'u1' });
  t.equal(calls[0]!.path, `/v1/conversations/${CONV}/messages`);
  // the first attempt had reached the server after all: it answers the stored message, and so does the event
  calls[0]!.resolve(stored(7, 'u1', 'hello'));
  store.applyStored(stored(7, 'u1', 'hello'), true);
  await tick();
  t.same(messages(), [['sent', 'u1', id(7)]]);
});

t.test('after a reconnect only sends that failed for the connection are retried', async (t) => {
  const { store, frames, messages } = setup();
  store.send(CONV, 'a');
  store.send(CONV, 'b');
  frames[0]!.reject({ code: 'TIMEOUT' });
  frames[1]!.reject({ code: 'VALIDATION_FAILED' });
  await tick();
  store.retryTransient();
  t.same(messages(), [
    ['pending', 'u1', 'pending:u1'],
    ['failed', 'u2', 'pending:u2'],
  ]);
  t.same(frames[2]!.frame.clientMessageId, 'u1');
});

t.test('history pages: newest first, then older ones before them, and none after the last page', async (t) => {
  const { store, calls, messages } = setup();
  const first = store.loadOlder(CONV);
  t.equal(calls[0]!.path, `/v1/conversations/${CONV}/messages?limit=50`);
  calls[0]!.resolve({ items: [stored(9, 'c9'), stored(8, 'c8')], nextCursor: 'cur1' });
  await first;
  const second = store.loadOlder(CONV);
  t.equal(calls[1]!.path, `/v1/conversations/${CONV}/messages?limit=50&before=cur1`);
  calls[1]!.resolve({ items: [stored(7, 'c7')], nextCursor: null });
  await second;
  t.same(
    messages().map((m) => m[2]),
    [id(7), id(8), id(9)],
  );
  await store.loadOlder(CONV);
  t.equal(calls.length, 2, 'no request past the oldest page');
});

t.test('read markers: sent once per newer message; "seen" follows the other member\'s receipts', async (t) => {
  const { store, frames } = setup();
  store.applyStored(stored(3, 'c3'), true);
  void store.markRead(CONV);
  void store.markRead(CONV);
  t.equal(frames.length, 0, 'no history yet: nothing to mark');
  store.history(CONV);
  store.applyStored(stored(3, 'c3'), true);
  void store.markRead(CONV);
  void store.markRead(CONV);
  t.equal(frames.length, 1);
  t.same(frames[0]!.frame, { type: 'message.read', conversationId: CONV, upTo: id(3) });
  t.equal(store.seen(CONV).value, null);
  store.applyReceiptEvent(CONV, '00000000-0000-4000-8000-000000000002', id(3));
  t.equal(store.seen(CONV).value, id(3));
});
