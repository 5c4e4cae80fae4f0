/**
 * Two instances on one database and one Redis: a deletion run on one drops what the other cached
 * of the affected members (their conversation lists keep values for five minutes here, so only the
 * chat events can make the change show within the waits below).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { DELETED_USER_ID } from '@ashchat/contracts';
import { uniqueName, waitFor } from '@ashchat/testkit';
import { signedInUser } from '../chat/chat.test-support.js';
import { startDeletionApp, waitForCompleted } from './account-deletion.app.test-support.js';

const env = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  VERIFICATION_CODE_SECRET: randomBytes(32).toString('hex'),
  MONGODB_DB: `ashchat_test_${randomUUID().slice(0, 8)}`,
  QUEUE_NAMESPACE: uniqueName('deletion-instances'),
  INBOX_CACHE_TTL_MS: '300000',
  MEMBERSHIP_CACHE_TTL_MS: '300000',
};

interface Item {
  id: string;
  ownerId: string | null;
  members: string[];
  lastMessage: { senderId: string; body: string | null } | null;
}

t.test("another instance's cached lists show the deletion: owner handed over, member gone, tombstones", async (t) => {
  const one = await startDeletionApp(t, { env });
  const two = await startDeletionApp(t, { env });
  const [ada, bob] = [await signedInUser(one), await signedInUser(one)];
  const group = (await ada.call('POST', '/v1/conversations', { type: 'group', name: 'Cached', members: [bob.id] })).json<{ id: string }>().id;
  t.equal((await ada.call('POST', `/v1/conversations/${group}/messages`, { body: 'last words', clientMessageId: randomUUID() })).statusCode, 201);
  const list = async (): Promise<Item | undefined> =>
    (await two.inject({ method: 'GET', url: '/v1/conversations', headers: bob.session.headers })).json<{ items: Item[] }>().items.find((c) => c.id === group);
  t.match(await list(), { ownerId: ada.id, members: [ada.id, bob.id], lastMessage: { senderId: ada.id, body: 'last words' } }, 'cached on instance two');

  const started = await ada.call('DELETE', '/v1/me', { password: ada.password });
  t.equal(started.statusCode, 202);
  await waitForCompleted(one, started.json<{ deletionId: string }>().deletionId);

  const seen = await waitFor(
    async () => {
      const item = await list();
      return item?.ownerId === bob.id && item.lastMessage?.senderId === DELETED_USER_ID ? item : undefined;
    },
    { timeoutMs: 10_000, message: 'instance two to drop its cached list' },
  );
  t.match(seen, { ownerId: bob.id, members: [bob.id], lastMessage: { senderId: DELETED_USER_ID, body: null } });
});
