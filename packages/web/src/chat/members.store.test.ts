import t from 'tap';
import type { MemberView } from '@ashchat/contracts';
import type { Http } from './chat.ports.js';
import { createMembersStore } from './members.store.js';

/** The members store alone, over an in-memory stand-in of the HTTP port whose answers the test releases. */
const A = 'a'.repeat(24);
const B = 'b'.repeat(24);
const C = 'c'.repeat(24);
const member = (userId: string, nickname: string, lastReadMessageId: string | null = null): MemberView => ({ userId, nickname, avatarUrl: null, lastReadMessageId });

function setup(concurrency = 4) {
  const calls: Array<{ path: string; answer(items: MemberView[]): void; fail(code: string): void }> = [];
  const http: Http = {
    request: <T>(_m: string, path: string) =>
      new Promise<T>((resolve, reject) => {
        calls.push({ path, answer: (items) => resolve({ items } as T), fail: (code) => reject(Object.assign(new Error(code), { code })) });
      }),
  };
  const loaded: Array<[string, string[]]> = [];
  const store = createMembersStore({ http, concurrency, onLoaded: (id, items) => loaded.push([id, items.map((m) => m.nickname)]) });
  return { store, calls, loaded };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

t.test('load: one request for concurrent callers; the list and onLoaded follow the answer', async (t) => {
  const s = setup();
  const first = s.store.load(A);
  const second = s.store.load(A);
  t.equal(s.calls.length, 1, 'shared');
  t.equal(s.calls[0]!.path, `/v1/conversations/${A}/members`);
  t.same(s.store.of(A).value, { items: null, loading: true, error: null });
  s.calls[0]!.answer([member('u1', 'Ada'), member('u2', 'Bob', A)]);
  await Promise.all([first, second]);
  t.same(s.store.of(A).value.items?.map((m) => m.nickname), ['Ada', 'Bob']);
  t.same(s.loaded, [[A, ['Ada', 'Bob']]]);
  void s.store.load(A);
  t.equal(s.calls.length, 2, 'a later load asks again (fresh markers)');
});

t.test('ensure: each conversation once, a few at a time; failures are asked again only after retryFailed', async (t) => {
  const s = setup(2);
  s.store.ensure([A, B, C]);
  s.store.ensure([A, B, C]);
  t.same(
    s.calls.map((c) => c.path.split('/')[3]),
    [A, B],
    'two at once',
  );
  s.calls[0]!.answer([member('u1', 'Ada')]);
  s.calls[1]!.fail('NETWORK_ERROR');
  await tick();
  t.equal(s.calls.length, 3, 'the third starts as one ends');
  s.calls[2]!.answer([]);
  await tick();
  s.store.ensure([A, B, C]);
  t.equal(s.calls.length, 3, 'nothing asked twice, not even the failed one');
  t.equal(s.store.of(B).value.error, 'NETWORK_ERROR');
  s.store.retryFailed();
  s.store.ensure([A, B, C]);
  t.same(s.calls.slice(3).map((c) => c.path.split('/')[3]), [B], 'after a reconnect the failed one only');
});

t.test('forget: an answer arriving after the conversation was forgotten is dropped; known() tells what was asked', async (t) => {
  const s = setup();
  t.equal(s.store.known(A), false);
  const pending = s.store.load(A);
  t.equal(s.store.known(A), true);
  s.store.forget(A);
  t.equal(s.store.known(A), false);
  s.calls[0]!.answer([member('u1', 'Ada')]);
  await pending;
  t.same(s.loaded, [], 'no names or markers from a conversation we left');
  t.equal(s.store.known(A), false);
});
