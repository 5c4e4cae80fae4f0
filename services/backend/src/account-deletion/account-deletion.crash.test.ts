/**
 * Crash safety: a backend KILLED in the middle of a deletion (held in its anonymising step, some
 * batches done) leaves it half done; a new backend on the same database finishes it on its own.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { DELETED_USER_ID } from '@ashchat/contracts';
import { startEntry, waitFor, within } from '@ashchat/testkit';
import { testEnv } from '../app.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';
import { ACCOUNT_DELETIONS_COLLECTION } from './account-deletion.plugin.js';
import { startDeletionApp, withToken } from './account-deletion.app.test-support.js';

const heldEntry = fileURLToPath(new URL('./account-deletion.crash-child.test-support.ts', import.meta.url));
const serverEntry = fileURLToPath(new URL('../server.ts', import.meta.url));
const MESSAGES = 40;
const BATCH = 10;

t.test('a deletion interrupted by SIGKILL is finished by the next backend', async (t) => {
  const env = await testEnv({ SAGA_RELAY_INTERVAL_MS: '200', QUEUE_NAMESPACE: `test.deletion-crash.${randomUUID().slice(0, 8)}` });
  // The seeding instance never runs deletions: no relay, and it starts none.
  const seed = await startDeletionApp(t, { env, accountDeletion: { background: false } });
  const ada = await createTestUser(seed);
  const bob = await createTestUser(seed);
  const adaToken = (await loginAs(seed, ada)).accessToken;
  const asAda = withToken(seed, adaToken);
  const direct = (await asAda('POST', '/v1/conversations', { type: 'direct', members: [bob.id] })).json<{ id: string }>().id;
  const group = (await asAda('POST', '/v1/conversations', { type: 'group', name: 'Crash club', members: [bob.id] })).json<{ id: string }>().id;
  for (let i = 0; i < MESSAGES; i++) {
    const res = await asAda('POST', `/v1/conversations/${i % 4 === 0 ? group : direct}/messages`, { body: `message ${i}`, clientMessageId: `c-${i}` });
    if (res.statusCode !== 201) throw new Error(`send: ${res.statusCode} ${res.body}`);
  }
  const messages = seed.mongo.db.collection('messages');
  const deletions = seed.mongo.db.collection<{ _id: string; state: string; final: boolean }>(ACCOUNT_DELETIONS_COLLECTION);

  const held = startEntry(heldEntry, { ...env, HOLD_AFTER_BATCHES: '2', DELETION_BATCH_SIZE: String(BATCH) });
  t.teardown(() => held.child.kill('SIGKILL'));
  const [, heldUrl] = await held.waitForOutput(/LISTENING (\S+)/, 60_000);
  const res = await fetch(`${heldUrl}/v1/me`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${adaToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ password: ada.password }),
  });
  t.equal(res.status, 202);
  const { deletionId } = (await res.json()) as { deletionId: string };
  await held.waitForOutput(/HELD after 2 batches/, 30_000);
  held.child.kill('SIGKILL');
  t.equal(await within(held.exited, 15_000, 'the killed backend exits'), 'SIGKILL');

  // Half done: sessions gone, groups left, two batches of tombstones, the rest still Ada's.
  t.match(await deletions.findOne({ _id: deletionId }), { state: 'anonymisingMessages', final: false });
  t.equal(await messages.countDocuments({ senderId: DELETED_USER_ID }), 2 * BATCH);
  t.equal(await messages.countDocuments({ senderId: ada.id }), MESSAGES - 2 * BATCH);
  t.ok(await seed.users.repository.findById(ada.id), 'the profile is still there');

  const next = startEntry(serverEntry, { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  t.teardown(() => next.child.kill('SIGKILL'));
  const [, url] = await next.waitForOutput(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  await waitFor(
    async () => {
      const status = await fetch(`${url}/v1/account-deletions/${deletionId}`);
      return status.status === 200 && ((await status.json()) as { status: string }).status === 'completed';
    },
    { timeoutMs: 30_000, intervalMs: 100, message: 'the deletion to complete after the restart' },
  );

  t.equal(await messages.countDocuments({ senderId: ada.id }), 0, 'every message anonymised');
  t.equal(await messages.countDocuments({ senderId: DELETED_USER_ID }), MESSAGES);
  t.equal(await seed.users.repository.findById(ada.id), null, 'the profile is gone');
  const page = (await withToken(seed, (await loginAs(seed, bob)).accessToken)('GET', '/v1/conversations')).json<{ items: Array<{ id: string; ownerId: string | null; members: string[] }> }>();
  t.match(page.items.find((c) => c.id === group), { ownerId: bob.id, members: [bob.id] });
  t.match(page.items.find((c) => c.id === direct), { members: [bob.id] });
  const signIn = await seed.inject({ method: 'POST', url: '/v1/sessions', payload: { email: ada.email, password: ada.password, deviceId: ada.deviceId } });
  t.equal(signIn.statusCode, 401);

  next.child.kill('SIGTERM');
  t.equal(await within(next.exited, 15_000, 'exit after SIGTERM'), 0, next.stderr());
});
