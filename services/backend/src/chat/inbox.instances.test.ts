import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { uniqueName, waitFor } from '@ashchat/testkit';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, sendMessage, signedInUser, type ChatTestUser } from './chat.test-support.js';

// Two instances on one database and one Redis, as in production. Both caches keep values for five
// minutes here, so only the events can make a change show within the waits below.
const env = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  VERIFICATION_CODE_SECRET: randomBytes(32).toString('hex'),
  MONGODB_DB: `ashchat_test_${randomUUID().slice(0, 8)}`, QUEUE_NAMESPACE: uniqueName('inbox'), INBOX_CACHE_TTL_MS: '300000', SESSION_CACHE_TTL_MS: '300000', MEMBERSHIP_CACHE_TTL_MS: '300000' };
const [appA, appB] = [await buildTestApp(t, { env }), await buildTestApp(t, { env })];
if (!appA || !appB) throw new Error('apps');
const [ada, bob] = [await signedInUser(appA), await signedInUser(appA)];
if (!ada || !bob) throw new Error('users');

/** `user`'s request on another instance. */
const on = (app: FastifyInstance, user: ChatTestUser) => (method: InjectOptions['method'], url: string, payload?: unknown) =>
  app.inject({ method, url, headers: user.session.headers, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) });

interface Page {
  items: { id: string; unreadCount: number; lastMessage: { id: string; body: string | null } | null }[];
}
async function inbox(app: FastifyInstance, user: ChatTestUser): Promise<Page> {
  const res = await on(app, user)('GET', '/v1/conversations');
  if (res.statusCode !== 200) throw new Error(`list: ${res.statusCode} ${res.body}`);
  t.match(res.headers['content-type'], /^application\/json/);
  return res.json<Page>();
}

const conversationId = await directConversation(ada, bob);

t.test("a message sent through one instance shows in the other instance's cached list", async (t) => {
  await sendMessage(ada, conversationId, 'first', randomUUID());
  const before = await inbox(appB, bob);
  t.equal(before.items[0]?.lastMessage?.body, 'first');
  t.equal(before.items[0]?.unreadCount, 1);
  t.same(await inbox(appB, bob), before, 'served again unchanged');
  t.ok(appB.chat.inboxCacheStats.hits >= 1, 'the second read came from the cache');

  const second = await sendMessage(ada, conversationId, 'second', randomUUID());
  const after = await waitFor(
    async () => {
      const page = await inbox(appB, bob);
      return page.items[0]?.lastMessage?.id === second.id ? page : undefined;
    },
    { timeoutMs: 5_000, message: "the new message in B's list" },
  );
  t.equal(after.items[0]?.unreadCount, 2);
});

t.test('a write reads back at once on the instance that made it', async (t) => {
  await inbox(appA, ada);
  const mine = await sendMessage(ada, conversationId, 'third', randomUUID());
  t.equal((await inbox(appA, ada)).items[0]?.lastMessage?.id, mine.id, 'no wait: the cache was dropped before the answer');
  const read = await on(appA, bob)('POST', `/v1/conversations/${conversationId}/read`, { upTo: mine.id });
  t.equal(read.statusCode, 200);
  t.equal((await inbox(appA, bob)).items[0]?.unreadCount, 0);
  await waitFor(async () => (await inbox(appB, bob)).items[0]?.unreadCount === 0, { timeoutMs: 5_000, message: "bob's read in B's list" });
  t.pass("bob's read marker reached B's cache");
});

t.test('signing out on one instance ends the session on the other', async (t) => {
  const cy = await signedInUser(appA);
  t.equal((await on(appB, cy)('GET', '/v1/me')).statusCode, 200, 'B trusts the session (and remembers it)');
  t.equal((await on(appB, cy)('GET', '/v1/me')).statusCode, 200);
  t.equal((await on(appA, cy)('DELETE', '/v1/sessions/current')).statusCode, 204);
  t.equal((await on(appA, cy)('GET', '/v1/me')).statusCode, 401, 'at once where it happened');
  await waitFor(async () => (await on(appB, cy)('GET', '/v1/me')).statusCode === 401, { timeoutMs: 5_000, message: 'B refusing the token' });
  t.pass('B refuses the token of the ended session');
});

t.test("a member removed through one instance can no longer send through the other, whose membership answer was cached", async (t) => {
  const group = await on(appA, ada)('POST', '/v1/conversations', { type: 'group', name: 'Crew', members: [bob.id] });
  t.equal(group.statusCode, 201);
  const groupId = group.json<{ id: string }>().id;
  const send = (text: string) => on(appB, bob)('POST', `/v1/conversations/${groupId}/messages`, { body: text, clientMessageId: randomUUID() });
  t.equal((await send('in')).statusCode, 201, 'B now remembers that bob is a member');
  t.equal((await send('still in')).statusCode, 201);
  t.equal((await on(appA, ada)('DELETE', `/v1/conversations/${groupId}/members/${bob.id}`)).statusCode, 200);
  const refused = await waitFor(
    async () => {
      const res = await send('out?');
      return res.statusCode === 404 ? res : undefined;
    },
    { timeoutMs: 5_000, message: "B refusing bob's send" },
  );
  t.equal(refused.json().code, 'CONVERSATION_NOT_FOUND');
  const stored = await appA.mongo.db.collection('messages').countDocuments({ body: 'out?' });
  t.ok(stored <= 1, 'at most the send that raced the event was stored');
});
