import t from 'tap';
import { MongoClient, ObjectId } from 'mongodb';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { assertUsesIndex, isFerretDb, type QueryPath } from '../explain.test-support.js';
import { CONVERSATION_INDEXES, createConversationRepository, memberKey } from './conversation.repository.js';
import { createMessageRepository, MESSAGE_INDEXES } from './message.repository.js';

/*
 * Every query the chat repositories run, explained on the test server.
 *
 * - MongoDB: the winning plan has an index stage (IXSCAN, IDHACK or their EXPRESS_ forms) and no
 *   COLLSCAN.
 * - FerretDB 1.x on PostgreSQL answers explain with the PostgreSQL plan (`queryPlanner.Plan`) and
 *   flags saying whether it pushed the filter and sort down into SQL. It filters documents with
 *   jsonb containment (`@>`), which its expression indexes do not serve, so its plans are sequential
 *   scans whatever the indexes: an IXSCAN cannot be asserted there. What is asserted instead: the
 *   answer is FerretDB's shape, and `filterPushdown` is what FerretDB 1.24 gives each query (the
 *   equality part of the filter runs in PostgreSQL, not in FerretDB), so a query rewritten into a
 *   shape FerretDB filters in memory fails here. The indexes themselves are asserted on both
 *   servers by their key patterns.
 */

const { mongodbUri } = await getInfra();
const client = await MongoClient.connect(mongodbUri);
const db = client.db(uniqueName('chat_indexes'));
t.teardown(async () => {
  await db.dropDatabase();
  await client.close();
});
await createConversationRepository(db).ensureIndexes();
await createMessageRepository(db).ensureIndexes();
// users belongs to another module (empty here); FerretDB explains a missing collection differently.
await db.createCollection('users');

const ferret = await isFerretDb(db);

const c = new ObjectId();
const m = new ObjectId();
const user = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';
const since = new Date();

const paths: QueryPath[] = [
  {
    name: 'messages: a page below a cursor',
    command: { find: 'messages', filter: { conversationId: c, _id: { $lt: m } }, sort: { conversationId: 1, _id: -1 }, limit: 51 },
    ferretPushdown: true,
  },
  {
    name: 'messages: those after a cursor, oldest first (WebSocket resume)',
    command: { find: 'messages', filter: { conversationId: c, _id: { $gt: m } }, sort: { conversationId: 1, _id: 1 }, limit: 101 },
    ferretPushdown: true,
  },
  { name: 'messages: the newest', command: { find: 'messages', filter: { conversationId: c }, sort: { conversationId: 1, _id: -1 }, limit: 1 }, ferretPushdown: true },
  { name: 'messages: one by id', command: { find: 'messages', filter: { conversationId: c, _id: m } }, ferretPushdown: true },
  {
    name: 'messages: the stored one of a retried send',
    command: { find: 'messages', filter: { conversationId: c, senderId: user, clientMessageId: 'x' } },
    ferretPushdown: true,
  },
  {
    name: 'messages: unread count',
    command: { count: 'messages', query: { conversationId: c, _id: { $gt: m }, senderId: { $ne: user }, deletedAt: null } },
    ferretPushdown: false,
  },
  {
    name: 'messages: edit',
    command: { update: 'messages', updates: [{ q: { conversationId: c, _id: m, deletedAt: null }, u: { $set: { body: 'x' } } }] },
    // FerretDB 1.24 reports no pushdown for any explained update.
    ferretPushdown: false,
  },
  { name: 'conversations: by id', command: { find: 'conversations', filter: { _id: c } }, ferretPushdown: true },
  { name: 'conversations: by ids', command: { find: 'conversations', filter: { _id: { $in: [c, m] } } }, ferretPushdown: false },
  { name: 'conversations: by pair key', command: { find: 'conversations', filter: { key: 'direct:a:b' } }, ferretPushdown: true },
  { name: 'members: one membership', command: { find: 'conversation_members', filter: { _id: memberKey(c, user) } }, ferretPushdown: true },
  {
    name: 'members: of conversations',
    command: { find: 'conversation_members', filter: { conversationId: { $in: [c, m] } }, sort: { conversationId: 1, joinedAt: 1 } },
    ferretPushdown: false,
  },
  {
    name: 'members: my conversations by activity',
    command: {
      find: 'conversation_members',
      filter: { userId: user, $or: [{ lastActivityAt: { $lt: since } }, { lastActivityAt: since, conversationId: { $lt: c } }] },
      sort: { userId: 1, lastActivityAt: -1, conversationId: -1 },
      limit: 51,
    },
    ferretPushdown: true,
  },
  {
    name: "members: a user's conversation ids (presence.subscribe)",
    command: { find: 'conversation_members', filter: { userId: user }, projection: { _id: 0, conversationId: 1 } },
    ferretPushdown: true,
  },
  {
    name: 'members: which users share one of these conversations (presence.subscribe)',
    command: { distinct: 'conversation_members', key: 'userId', query: { conversationId: { $in: [c, m] }, userId: { $in: [user] } } },
    ferretPushdown: false,
  },
  {
    name: 'members: touch',
    command: { update: 'conversation_members', updates: [{ q: { conversationId: c, lastActivityAt: { $lt: since } }, u: { $set: { lastActivityAt: since } }, multi: true }] },
    ferretPushdown: false,
  },
  { name: 'reads: one marker', command: { find: 'conversation_reads', filter: { _id: memberKey(c, user) } }, ferretPushdown: true },
  { name: 'users: which exist', command: { find: 'users', filter: { _id: { $in: [user] } }, projection: { _id: 1 } }, ferretPushdown: false },
];


t.test('the indexes exist with their key patterns', async (t) => {
  const keys = async (collection: string): Promise<Record<string, unknown>> =>
    Object.fromEntries((await db.collection(collection).listIndexes().toArray()).map((i) => [i.name as string, i.key]));
  t.match(await keys('messages'), {
    [MESSAGE_INDEXES.byConversation]: { conversationId: 1, _id: -1 },
    [MESSAGE_INDEXES.idempotency]: { conversationId: 1, senderId: 1, clientMessageId: 1 },
  });
  t.match(await keys('conversations'), { [CONVERSATION_INDEXES.key]: { key: 1 } });
  t.match(await keys('conversation_members'), {
    [CONVERSATION_INDEXES.membersByUser]: { userId: 1, lastActivityAt: -1, conversationId: -1 },
    [CONVERSATION_INDEXES.membersByConversation]: { conversationId: 1, joinedAt: 1 },
  });
  const unique = (await db.collection('messages').listIndexes().toArray()).find((i) => i.name === MESSAGE_INDEXES.idempotency);
  t.equal(unique?.unique, true, 'idempotent sends rest on a unique index');
  const key = (await db.collection('conversations').listIndexes().toArray()).find((i) => i.name === CONVERSATION_INDEXES.key);
  t.equal(key?.unique, true, 'one direct conversation per pair rests on a unique index');
});

for (const path of paths) t.test(`explain: ${path.name}`, (t) => assertUsesIndex(t, db, ferret, path));
