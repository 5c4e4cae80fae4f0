import t from 'tap';
import { startDeletionApp } from '../account-deletion/account-deletion.app.test-support.js';
import { waitForCompleted } from '../account-deletion/account-deletion.app.test-support.js';
import { directConversation, signedInUser } from '../chat/chat.test-support.js';

/* A deleted account leaves no mute and no block behind, on either side of a block. */
t.test('account deletion removes the account’s mutes and its blocks, both ways', async (t) => {
  const app = await startDeletionApp(t);
  const [ada, bob, cy] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
  const direct = await directConversation(ada, bob);
  t.equal((await ada.call('PUT', `/v1/me/mutes/${direct}`, { until: null })).statusCode, 200);
  t.equal((await bob.call('PUT', `/v1/me/mutes/${direct}`, { until: null })).statusCode, 200);
  t.equal((await ada.call('PUT', `/v1/me/blocks/${cy.id}`)).statusCode, 200);
  t.equal((await cy.call('PUT', `/v1/me/blocks/${ada.id}`)).statusCode, 200);
  t.equal((await bob.call('PUT', `/v1/me/blocks/${cy.id}`)).statusCode, 200);

  const deletion = await ada.call('DELETE', '/v1/me', { password: ada.password });
  t.equal(deletion.statusCode, 202, deletion.body);
  await waitForCompleted(app, deletion.json<{ deletionId: string }>().deletionId);

  const db = app.mongo.db;
  t.equal(await db.collection('conversation_mutes').countDocuments({ userId: ada.id }), 0, 'her mutes are gone');
  t.equal(await db.collection('user_blocks').countDocuments({ $or: [{ blockerId: ada.id }, { blockedId: ada.id }] }), 0, 'her blocks and those of her are gone');
  t.equal(await db.collection('conversation_mutes').countDocuments({ userId: bob.id }), 1, 'Bob’s mute stays');
  t.same((await bob.call('GET', '/v1/me/blocks')).json<{ items: Array<{ userId: string }> }>().items.map((b) => b.userId), [cy.id], 'Bob’s block stays');
});
