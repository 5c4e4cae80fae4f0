import t from 'tap';
import { MongoClient, ObjectId } from 'mongodb';
import type { ChatEvent } from '@ashchat/contracts';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { createAccountDepartureService } from './account-departure.service.js';
import { createConversationRepository, directKey } from './conversation.repository.js';
import { createMessageRepository } from './message.repository.js';

const { mongodbUri } = await getInfra();
const client = await MongoClient.connect(mongodbUri);
const db = client.db(uniqueName('chat_departure'));
t.teardown(async () => {
  await db.dropDatabase();
  await client.close();
});
const conversations = createConversationRepository(db);
const messages = createMessageRepository(db);
await Promise.all([conversations.ensureIndexes(), messages.ensureIndexes()]);
const published: Array<{ userIds: readonly string[]; event: ChatEvent }> = [];
const departure = createAccountDepartureService({
  conversations,
  messages,
  events: { publish: async (userIds, event) => void published.push({ userIds, event }) },
});
const GONE = '00000000-0000-0000-0000-000000000000';

async function group(owner: string, others: string[]): Promise<ObjectId> {
  const _id = new ObjectId();
  await conversations.insert({ _id, key: `group:${_id.toHexString()}`, type: 'group', name: 'g', ownerId: owner, createdAt: new Date() });
  await conversations.addMembers(_id, [owner, ...others], new Date());
  return _id;
}

t.test('leaving, repeated and raced: ownership to the earliest-joined, empty ones closed, direct keys dropped', async (t) => {
  const owned = await group('ada', ['cy', 'bob']);
  const solo = await group('ada', []);
  const bobs = await group('bob', ['ada']);
  const directId = new ObjectId();
  await conversations.insert({ _id: directId, key: directKey('ada', 'bob'), type: 'direct', name: null, ownerId: null, createdAt: new Date() });
  await conversations.addMembers(directId, ['ada', 'bob'], new Date());
  await messages.insert({ conversationId: solo, senderId: 'ada', clientMessageId: 'x', body: 'note' }, new Date());
  await conversations.markRead(directId, 'ada', new ObjectId());

  // Two runs at once (the relay re-running a step a slow first run still works on), then batches of one.
  await Promise.all([departure.leaveConversations('ada', 2), departure.leaveConversations('ada', 2)]);
  let progress;
  do progress = await departure.leaveConversations('ada', 1);
  while (progress.more);

  t.equal((await conversations.pageForUser('ada', undefined, 10)).length, 0, 'no membership left');
  t.equal((await conversations.findById(owned))?.ownerId, 'cy');
  t.same((await conversations.membersOf([owned])).get(owned.toHexString()), ['cy', 'bob']);
  t.equal((await conversations.findById(bobs))?.ownerId, 'bob');
  t.equal(await conversations.findById(solo), null, 'the solo group is closed');
  t.equal(await db.collection('messages').countDocuments({ conversationId: solo }), 0);
  t.notMatch((await conversations.findById(directId))?.key, /ada/, 'the direct key no longer names the user');
  t.equal(await db.collection('conversation_reads').countDocuments({ _id: { $regex: ':ada$' } } as never), 0);
  t.ok(published.some((p) => p.event.type === 'conversation.updated' && p.event.conversationId === owned.toHexString() && p.event.ownerId === 'cy' && p.userIds.includes('bob')));
});

t.test('anonymising, repeated and raced: every message a tombstone once, others untouched', async (t) => {
  const c = await group('bob', ['eve']);
  const deletedAt = new Date(Date.UTC(2020, 0, 1));
  for (let i = 0; i < 7; i++) await messages.insert({ conversationId: c, senderId: 'eve', clientMessageId: `m${i}`, body: `text ${i}` }, new Date());
  const removed = (await messages.insert({ conversationId: c, senderId: 'eve', clientMessageId: 'old', body: 'x' }, new Date())).message;
  await messages.softDelete(c, removed._id, deletedAt);
  await messages.insert({ conversationId: c, senderId: 'bob', clientMessageId: 'm0', body: 'bob' }, new Date());

  await Promise.all([departure.anonymiseMessages('eve', GONE, 3), departure.anonymiseMessages('eve', GONE, 3)]);
  let progress;
  do progress = await departure.anonymiseMessages('eve', GONE, 3);
  while (progress.more);

  t.equal(await db.collection('messages').countDocuments({ senderId: 'eve' }), 0);
  const tombstones = await db.collection('messages').find({ conversationId: c, senderId: GONE }).toArray();
  t.equal(tombstones.length, 8);
  for (const m of tombstones) t.match(m, { body: null, clientMessageId: `deleted:${(m._id as ObjectId).toHexString()}`, deletedAt: Date });
  t.same(tombstones.find((m) => (m._id as ObjectId).equals(removed._id))?.deletedAt, deletedAt, 'an earlier deletion time is kept');
  t.match(await db.collection('messages').findOne({ conversationId: c, senderId: 'bob' }), { body: 'bob', deletedAt: null });
  t.same(await departure.anonymiseMessages('eve', GONE, 3), { done: 0, more: false });
});
