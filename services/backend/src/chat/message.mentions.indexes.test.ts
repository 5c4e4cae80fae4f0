import t from 'tap';
import { MongoClient, ObjectId } from 'mongodb';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { assertUsesIndex, isFerretDb } from '../explain.test-support.js';
import { createMessageRepository, MESSAGE_INDEXES } from './message.repository.js';

/* The queries replies and mentions add, explained as chat.indexes.test.ts explains the others. */

const { mongodbUri } = await getInfra();
const client = await MongoClient.connect(mongodbUri);
const db = client.db(uniqueName('mention_indexes'));
t.teardown(async () => {
  await db.dropDatabase();
  await client.close();
});
await createMessageRepository(db).ensureIndexes();
const ferret = await isFerretDb(db);
const c = new ObjectId();
const m = new ObjectId();
const user = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';

t.test('the mentions index exists with its key pattern', async (t) => {
  const keys = Object.fromEntries((await db.collection('messages').listIndexes().toArray()).map((i) => [i.name as string, i.key]));
  t.same(keys[MESSAGE_INDEXES.mentions], { conversationId: 1, mentions: 1, _id: 1 });
});

t.test('explain: unread mentions after the read marker', (t) =>
  assertUsesIndex(t, db, ferret, {
    name: 'messages: unread mentions',
    command: { count: 'messages', query: { conversationId: c, mentions: user, _id: { $gt: m }, senderId: { $ne: user }, deletedAt: null } },
    ferretPushdown: false,
  }),
);

t.test('explain: the originals quoted by a page of replies', (t) =>
  assertUsesIndex(t, db, ferret, {
    name: 'messages: quoted states',
    command: { find: 'messages', filter: { _id: { $in: [c, m] } }, projection: { _id: 1, senderId: 1, deletedAt: 1 } },
    ferretPushdown: false,
  }),
);
