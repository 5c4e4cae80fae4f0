import t from 'tap';
import type { MessageSearchHit, MessageSearchPage } from '@ashchat/contracts';
import type { Http } from '../chat/chat.ports.js';
import { appendPage, createSearchStore, isSearchable, searchPath } from './search.store.js';

/** The search store alone, over an in-memory stand-in of the HTTP port whose answers the test releases. */
const C = 'c'.repeat(24);
const hit = (n: number): MessageSearchHit => ({
  conversationId: C,
  message: {
    id: n.toString(16).padStart(24, '0'),
    conversationId: C,
    senderId: '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90',
    clientMessageId: `m${n}`,
    body: `needle ${n}`,
    createdAt: '2026-01-01T12:00:00.000Z',
    editedAt: null,
    deletedAt: null,
  } as MessageSearchHit['message'],
  snippet: { text: `needle ${n}`, highlights: [{ start: 0, end: 6 }] },
});
const page = (ns: number[], nextCursor: string | null, complete = true): MessageSearchPage => ({ items: ns.map(hit), nextCursor, complete, scannedUpTo: complete ? null : C });

function setup() {
  const calls: Array<{ path: string; answer(p: MessageSearchPage): void; fail(code: string): void }> = [];
  const http: Http = {
    request: <T>(_m: string, path: string) =>
      new Promise<T>((resolve, reject) => {
        calls.push({ path, answer: (p) => resolve(p as T), fail: (code) => reject(Object.assign(new Error(code), { code })) });
      }),
  };
  return { store: createSearchStore(http), calls };
}

t.test('isSearchable and searchPath: the server’s rule and its two routes', async (t) => {
  t.ok(isSearchable('lunch'));
  t.ok(isSearchable('a bc'));
  t.notOk(isSearchable('a b c'));
  t.notOk(isSearchable('   '));
  t.equal(searchPath('a&b c', null, null), '/v1/search/messages?q=a%26b%20c&limit=20');
  t.equal(searchPath('x y', C, 'cur_1'), `/v1/conversations/${C}/messages/search?q=x%20y&limit=20&before=cur_1`);
});

t.test('search, then load more: pages appended without repeats; the bound as the latest page reports it', async (t) => {
  const s = setup();
  const first = s.store.search('  needle ', null);
  t.match(s.store.state.value, { query: 'needle', loading: true, items: [] });
  s.calls[0]!.answer(page([9, 8], 'p2', false));
  await first;
  t.match(s.store.state.value, { loading: false, nextCursor: 'p2', complete: false, error: null });
  const more = s.store.loadMore();
  void s.store.loadMore();
  t.equal(s.calls.length, 2, 'one load at a time');
  t.equal(s.calls[1]!.path, '/v1/search/messages?q=needle&limit=20&before=p2');
  s.calls[1]!.answer(page([8, 7], null, true));
  await more;
  t.same(s.store.state.value.items.map((i) => i.message.body), ['needle 9', 'needle 8', 'needle 7']);
  t.match(s.store.state.value, { nextCursor: null, complete: true }, 'everything older was searched');
  await s.store.loadMore();
  t.equal(s.calls.length, 2, 'nothing more to load');
});

t.test('a newer search wins over an older answer; errors are kept as codes; bad queries are not sent', async (t) => {
  const s = setup();
  const old = s.store.search('lunch', null);
  const fresh = s.store.search('dinner', C);
  s.calls[1]!.answer(page([1], null));
  s.calls[0]!.answer(page([2, 3], null));
  await Promise.all([old, fresh]);
  t.match(s.store.state.value, { query: 'dinner', scope: C });
  t.same(s.store.state.value.items.map((i) => i.message.body), ['needle 1']);
  const failing = s.store.search('boom', null);
  s.calls[2]!.fail('NETWORK_ERROR');
  await failing;
  t.match(s.store.state.value, { error: 'NETWORK_ERROR', loading: false, items: [] });
  await s.store.search('a b', null);
  t.equal(s.calls.length, 3, 'not asked');
  t.match(s.store.state.value, { error: 'INVALID_SEARCH_QUERY', query: 'a b' });
  t.same(appendPage([hit(1)], page([1, 2], null)).length, 2);
});
