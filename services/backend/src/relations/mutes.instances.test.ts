import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { uniqueName, waitFor } from '@ashchat/testkit';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, signedInUser, type ChatTestUser } from '../chat/chat.test-support.js';

// Two instances on one database and one Redis; their list caches keep values for five minutes, so
// only the `mute.updated` event can make a mute set on A show in B's cached list within the wait.
const env = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  VERIFICATION_CODE_SECRET: randomBytes(32).toString('hex'),
  MONGODB_DB: `ashchat_test_${randomUUID().slice(0, 8)}`,
  QUEUE_NAMESPACE: uniqueName('mutes'),
  INBOX_CACHE_TTL_MS: '300000',
  SESSION_CACHE_TTL_MS: '300000',
  MEMBERSHIP_CACHE_TTL_MS: '300000',
};
const [appA, appB] = [await buildTestApp(t, { env }), await buildTestApp(t, { env })];
if (!appA || !appB) throw new Error('apps');
const [ada, bob] = [await signedInUser(appA), await signedInUser(appA)];
if (!ada || !bob) throw new Error('users');
const conversationId = await directConversation(ada, bob);

async function mutedOn(app: FastifyInstance, user: ChatTestUser): Promise<boolean | undefined> {
  const res = await app.inject({ method: 'GET', url: '/v1/conversations', headers: user.session.headers });
  return res.json<{ items: Array<{ id: string; muted: boolean }> }>().items.find((c) => c.id === conversationId)?.muted;
}

t.test("a mute set on one instance shows in the other instance's cached list, and so does unmuting", async (t) => {
  t.equal(await mutedOn(appB, ada), false);
  t.equal(await mutedOn(appB, ada), false, 'read again: cached on B');
  t.ok(appB.chat.inboxCacheStats.hits >= 1, 'the second read came from the cache');
  t.equal((await ada.call('PUT', `/v1/me/mutes/${conversationId}`, { until: null })).statusCode, 200, 'muted through A');
  await waitFor(async () => ((await mutedOn(appB, ada)) === true ? true : undefined), { timeoutMs: 5_000, message: "the mute in B's list" });
  t.equal((await ada.call('DELETE', `/v1/me/mutes/${conversationId}`)).statusCode, 200, 'unmuted through A');
  await waitFor(async () => ((await mutedOn(appB, ada)) === false ? true : undefined), { timeoutMs: 5_000, message: "the unmute in B's list" });
  t.pass('both changes reached B');
});
