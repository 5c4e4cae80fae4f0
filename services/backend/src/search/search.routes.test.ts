import t from 'tap';
import fc from 'fast-check';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, sendMessage, signedInUser, type ChatTestUser } from '../chat/chat.test-support.js';
import { createMessageSearch } from './message.search.js';
import { fold } from './search.words.js';

/*
 * Search against the real server here (FerretDB: the bounded scan). The scan bound is small so a
 * test can hit it; every other case stays below it.
 */
const SCAN_LIMIT = 25;
const app = await buildTestApp(t, { env: { SEARCH_SCAN_LIMIT: String(SCAN_LIMIT) } });
const [ada, bob, cy] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
if (!ada || !bob || !cy) throw new Error('users');
const [ab, ac, bc] = [await directConversation(ada, bob), await directConversation(ada, cy), await directConversation(bob, cy)];

interface Hit {
  conversationId: string;
  message: { id: string; body: string | null; senderId: string; conversationId: string };
  snippet: { text: string; highlights: { start: number; end: number }[] };
}
interface Page {
  items: Hit[];
  nextCursor: string | null;
  complete: boolean;
  scannedUpTo: string | null;
}

const everywhere = (user: ChatTestUser, q: string, extra = '') => user.call('GET', `/v1/search/messages?q=${encodeURIComponent(q)}${extra}`);
const within = (user: ChatTestUser, id: string, q: string, extra = '') =>
  user.call('GET', `/v1/conversations/${id}/messages/search?q=${encodeURIComponent(q)}${extra}`);
const bodies = (page: Page): (string | null)[] => page.items.map((i) => i.message.body);

const cafe = await sendMessage(ada, ab, 'Lunch on Friday at the Café Müller?', 's1');
const works = await sendMessage(bob, ab, 'friday works, lunch at noon', 's2');
await sendMessage(bob, ab, 'Only friday', 's3');
const gone = await sendMessage(ada, ab, 'deleted lunch friday', 's4');
await ada.call('DELETE', `/v1/conversations/${ab}/messages/${gone.id}`);
const edited = await sendMessage(ada, ab, 'original wording', 's5');
await ada.call('PATCH', `/v1/conversations/${ab}/messages/${edited.id}`, { body: 'revised wording' });
const literal = await sendMessage(ada, ab, 'price 5.00 (approx) a.*(b literal', 's6');
await sendMessage(ada, ab, 'decoy 5x00 approx ab', 's7');
const shouting = await sendMessage(cy, ac, 'LUNCH FRIDAY with cy', 's8');
await sendMessage(bob, bc, 'secret lunch friday of bob and cy', 's9');

t.test('the server here has no text index: the bounded scan is the strategy; MongoDB gets the text index', async (t) => {
  t.equal(app.messageSearch.messages.strategy, app.mongo.capabilities.textSearch ? 'text-index' : 'bounded-scan');
  t.equal(createMessageSearch({ capabilities: { textSearch: true }, db: app.mongo.db, scanLimit: 1 }).strategy, 'text-index');
  t.equal(createMessageSearch({ capabilities: { textSearch: false }, db: app.mongo.db, scanLimit: 1 }).strategy, 'bounded-scan');
});

t.test('every word must occur; newest first; only the caller’s conversations; never deleted messages', async (t) => {
  const res = await everywhere(ada, 'lunch friday');
  t.equal(res.statusCode, 200);
  const page = res.json<Page>();
  t.same(bodies(page), ['LUNCH FRIDAY with cy', 'friday works, lunch at noon', 'Lunch on Friday at the Café Müller?']);
  t.same(page.items.map((i) => i.conversationId), [ac, ab, ab]);
  t.match(page, { nextCursor: null, complete: true, scannedUpTo: null });
  t.equal(page.items[0]?.message.id, shouting.id);
  t.same(
    page.items[1]?.snippet.highlights.map((h) => page.items[1]?.snippet.text.slice(h.start, h.end)),
    ['friday', 'lunch'],
    'the snippet marks the words',
  );
  const bobs = (await everywhere(bob, 'lunch friday')).json<Page>();
  t.same(bodies(bobs), ['secret lunch friday of bob and cy', 'friday works, lunch at noon', 'Lunch on Friday at the Café Müller?']);
  const cys = (await everywhere(cy, 'secret')).json<Page>();
  t.same(bodies(cys), ['secret lunch friday of bob and cy']);
  t.same(bodies((await everywhere(ada, 'secret')).json<Page>()), [], 'another pair’s conversation never leaks');
  t.same(bodies((await everywhere(ada, 'deleted')).json<Page>()), [], 'a deleted message is not found');
  t.same(bodies((await everywhere(ada, 'original')).json<Page>()), [], 'the text before an edit is not found');
  t.same(bodies((await everywhere(ada, 'revised')).json<Page>()), ['revised wording']);
});

t.test('not found: an empty, complete page', async (t) => {
  const res = await everywhere(ada, 'dinner');
  t.equal(res.statusCode, 200);
  t.same(res.json(), { items: [], nextCursor: null, complete: true, scannedUpTo: null });
  const lonely = await signedInUser(app);
  t.same((await everywhere(lonely, 'lunch')).json(), { items: [], nextCursor: null, complete: true, scannedUpTo: null }, 'no conversations');
});

t.test('case and accents do not matter, either way round', async (t) => {
  for (const q of ['cafe muller', 'CAFÉ', 'MÜLLER', 'Cafe\u0301', 'mUlLeR']) {
    t.same(bodies((await everywhere(ada, q)).json<Page>()), [cafe.body], q);
  }
});

t.test('one conversation: its messages only; non-members and unknown ids get 404', async (t) => {
  const res = await within(ada, ab, 'lunch');
  t.equal(res.statusCode, 200);
  t.same(bodies(res.json<Page>()), [works.body, cafe.body]);
  for (const [user, id] of [[cy, ab], [ada, bc], [ada, '665f1c2ab3d4e5f6a7b8c9d0']] as const) {
    const refused = await within(user, id, 'lunch');
    t.equal(refused.statusCode, 404);
    t.equal(refused.json().code, 'CONVERSATION_NOT_FOUND');
  }
  t.equal((await within(ada, 'nope', 'lunch')).json().code, 'VALIDATION_FAILED');
});

t.test('regex metacharacters are matched as themselves', async (t) => {
  t.same(bodies((await everywhere(ada, '.*(')).json<Page>()), [literal.body]);
  t.same(bodies((await everywhere(ada, 'a.*(b')).json<Page>()), [literal.body]);
  t.same(bodies((await everywhere(ada, '5.00')).json<Page>()), [literal.body], 'the dot is not any character');
  t.same(bodies((await everywhere(ada, '(approx)')).json<Page>()), [literal.body]);
  for (const q of ['((', '.+', '[a-z]+', '\\d+', '^$', 'a|b', '(?i)x', '.{1,}']) {
    const res = await everywhere(ada, q);
    t.equal(res.statusCode, 200, q);
    t.same(bodies(res.json<Page>()), [], q);
  }
});

t.test('bad queries: 400 with a stable code; no token: 401', async (t) => {
  for (const q of ['a', 'a b c', ' é ', '?']) t.equal((await everywhere(ada, q)).json().code, 'INVALID_SEARCH_QUERY', q);
  t.equal((await within(ada, ab, 'x')).json().code, 'INVALID_SEARCH_QUERY');
  t.equal((await everywhere(ada, '')).json().code, 'VALIDATION_FAILED');
  t.equal((await everywhere(ada, 'x'.repeat(201))).json().code, 'VALIDATION_FAILED');
  t.equal((await everywhere(ada, 'x'.repeat(200))).statusCode, 200);
  t.equal((await ada.call('GET', '/v1/search/messages')).json().code, 'VALIDATION_FAILED');
  t.equal((await everywhere(ada, 'lunch', '&limit=51')).json().code, 'VALIDATION_FAILED');
  t.equal((await everywhere(ada, 'lunch', '&before=e30')).json().code, 'INVALID_CURSOR');
  t.equal((await everywhere(ada, 'lunch\u0000x')).statusCode, 400);
  t.equal((await app.inject({ method: 'GET', url: '/v1/search/messages?q=lunch' })).statusCode, 401);
  t.equal((await app.inject({ method: 'GET', url: `/v1/conversations/${ab}/messages/search?q=lunch` })).statusCode, 401);
});

t.test('paging with the cursor: every match once, newest first', async (t) => {
  const sent: string[] = [];
  for (let i = 0; i < 12; i++) sent.push((await sendMessage(ada, ac, `page needle ${i}`, `p${i}`)).id);
  for (const path of [(extra: string) => everywhere(ada, 'needle', extra), (extra: string) => within(ada, ac, 'needle', extra)]) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = (await path(`&limit=5${cursor ? `&before=${cursor}` : ''}`)).json<Page>();
      t.ok(page.complete);
      seen.push(...page.items.map((i) => i.message.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    t.equal(pages, 3);
    t.same(seen, [...sent].reverse(), 'no duplicates, no misses, newest first');
  }
});

t.test('the scan bound: said in the answer, and the cursor searches on below it', async (t) => {
  const room = await directConversation(bob, cy);
  const needles = new Map<number, string>();
  for (let i = 0; i < SCAN_LIMIT + 15; i++) {
    const m = await sendMessage(bob, room, i % 20 === 0 || i === SCAN_LIMIT + 14 ? `bound needle ${i}` : `filler ${i}`, `b${i}`);
    if (m.body.startsWith('bound')) needles.set(i, m.id);
  }
  t.same([...needles.keys()], [0, 20, 39]);
  const first = (await within(cy, room, 'bound needle', '&limit=10')).json<Page>();
  t.same(first.items.map((i) => i.message.id), [needles.get(39), needles.get(20)]);
  t.equal(first.complete, false, 'the newest 25 were searched, older ones were not');
  t.type(first.scannedUpTo, 'string');
  t.type(first.nextCursor, 'string');
  const second = (await within(cy, room, 'bound needle', `&limit=10&before=${first.nextCursor}`)).json<Page>();
  t.same(second.items.map((i) => i.message.id), [needles.get(0)]);
  t.match(second, { complete: true, nextCursor: null, scannedUpTo: null });
  const full = (await within(cy, room, 'filler', '&limit=3')).json<Page>();
  t.equal(full.items.length, 3);
  t.equal(full.complete, true, 'a full page within the window is complete down to its cursor');
});

t.test('conversations in several $in batches: the same matches and the same bound as in one', async (t) => {
  const ids = (await app.chat.repositories.conversations.conversationIdsOf(ada.id)).sort((a, b) => a.toHexString().localeCompare(b.toHexString()));
  t.ok(ids.length >= 2, 'Ada is in several conversations');
  const request = { words: ['needle'], conversationIds: ids, beforeId: undefined, limit: 50 };
  for (const scanLimit of [5, 100]) {
    const one = await createMessageSearch({ capabilities: { textSearch: false }, db: app.mongo.db, scanLimit }).find(request);
    const split = await createMessageSearch({ capabilities: { textSearch: false }, db: app.mongo.db, scanLimit, batchSize: 1 }).find(request);
    t.same(split.matches.map((m) => m._id.toHexString()), one.matches.map((m) => m._id.toHexString()), `scan limit ${scanLimit}: same matches`);
    t.same(split.scannedDownTo?.toHexString(), one.scannedDownTo?.toHexString(), `scan limit ${scanLimit}: same window`);
    t.equal(one.scannedDownTo === null, scanLimit === 100);
  }
});

t.test('any query: never a 5xx; every hit has every word and is the caller’s (fast-check)', async (t) => {
  const mine = new Set([ab, ac]);
  const q = fc.oneof(
    fc.string({ minLength: 0, maxLength: 210 }),
    fc.string({ unit: fc.constantFrom(...'lunch friday café MÜLLER .*()[]{}|\\^$+?-"'.split('')), minLength: 1, maxLength: 40 }),
    fc.constantFrom('lunch', 'friday lunch', 'secret', 'needle page'),
  );
  await fc.assert(
    fc.asyncProperty(q, async (text) => {
      const res = await everywhere(ada, text);
      if (res.statusCode >= 500) return false;
      if (res.statusCode !== 200) return res.statusCode === 400;
      const words = fold(text).split(/\s+/u).filter((w) => [...w].length >= 2);
      return res.json<Page>().items.every((hit) => mine.has(hit.conversationId) && hit.message.body !== null && words.every((w) => fold(hit.message.body ?? '').includes(w)));
    }),
    { numRuns: 60 },
  );
  t.pass('no 5xx, no stranger’s message, no partial match');
});
