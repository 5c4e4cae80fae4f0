import t from 'tap';
import { MongoClient, ObjectId } from 'mongodb';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { createConversationRepository, directKey, type ConversationDocument } from './conversation.repository.js';
import { createMessageRepository } from './message.repository.js';

const { mongodbUri } = await getInfra();
const client = await MongoClient.connect(mongodbUri);
const db = client.db(uniqueName('chat_repo'));
t.teardown(async () => {
  await db.dropDatabase();
  await client.close();
});
const conversations = createConversationRepository(db);
const messages = createMessageRepository(db);
// Twice at once, as two instances starting together would.
await Promise.all([conversations.ensureIndexes(), conversations.ensureIndexes(), messages.ensureIndexes(), messages.ensureIndexes()]);

const direct = (a: string, b: string): ConversationDocument => ({
  _id: new ObjectId(),
  key: directKey(a, b),
  type: 'direct',
  name: null,
  ownerId: null,
  createdAt: new Date(),
});

t.test('the pair key does not depend on who asks', async (t) => {
  t.equal(directKey('b', 'a'), directKey('a', 'b'));
  t.not(directKey('a', 'b'), directKey('a', 'c'));
});

t.test('racing inserts of one pair: one conversation, every caller gets it', async (t) => {
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => conversations.insert(i % 2 ? direct('u1', 'u2') : direct('u2', 'u1'))));
  t.same(results.filter((r) => r.outcome === 'created').length, 1);
  t.equal(new Set(results.map((r) => r.conversation._id.toHexString())).size, 1);
  t.equal(await db.collection('conversations').countDocuments({ key: directKey('u1', 'u2') }), 1);
});

t.test('members are added once each, in joining order, and removed', async (t) => {
  const { conversation } = await conversations.insert(direct('m1', 'm2'));
  const now = new Date();
  await Promise.all([conversations.addMembers(conversation._id, ['m1', 'm2'], now), conversations.addMembers(conversation._id, ['m1', 'm2'], now)]);
  t.same((await conversations.membersOf([conversation._id])).get(conversation._id.toHexString()), ['m1', 'm2']);
  t.equal(await conversations.removeMember(conversation._id, 'm2'), true);
  t.equal(await conversations.removeMember(conversation._id, 'm2'), false, 'already gone');
  t.equal(await conversations.membership(conversation._id, 'm2'), null);
});

t.test('my conversations page by last activity without gaps or repeats', async (t) => {
  const ids: ObjectId[] = [];
  for (let i = 0; i < 7; i++) {
    const { conversation } = await conversations.insert(direct('pager', `other-${i}`));
    // Two share an activity time: the id breaks the tie.
    await conversations.addMembers(conversation._id, ['pager'], new Date(1_000 + Math.min(i, 5)));
    ids.push(conversation._id);
  }
  const seen: string[] = [];
  let after: { lastActivityAt: Date; conversationId: ObjectId } | undefined;
  for (;;) {
    const page = await conversations.pageForUser('pager', after, 3);
    seen.push(...page.map((m) => m.conversationId.toHexString()));
    const last = page.at(-1);
    if (page.length < 3 || !last) break;
    after = { lastActivityAt: last.lastActivityAt, conversationId: last.conversationId };
  }
  t.equal(seen.length, 7);
  t.equal(new Set(seen).size, 7);
  t.equal(seen.at(-1), ids[0]?.toHexString(), 'oldest activity last');
  await conversations.touch(ids[0] ?? new ObjectId(), new Date(5_000));
  t.equal((await conversations.pageForUser('pager', undefined, 1))[0]?.conversationId.toHexString(), ids[0]?.toHexString(), 'touched moves first');
  await conversations.touch(ids[0] ?? new ObjectId(), new Date(4_000));
  t.equal((await conversations.membership(ids[0] ?? new ObjectId(), 'pager'))?.lastActivityAt.getTime(), 5_000, 'never back');
});

t.test('the read marker moves forward only', async (t) => {
  const c = new ObjectId();
  const [a, b, d] = [new ObjectId(), new ObjectId(), new ObjectId()];
  t.same(await conversations.markRead(c, 'r', b), b);
  t.same(await conversations.markRead(c, 'r', a), b, 'an older message does not move it back');
  t.same(await conversations.markRead(c, 'r', d), d);
  t.same((await conversations.readMarkers('r', [c])).get(c.toHexString()), d);
});

t.test('a send is stored once per (conversation, sender, clientMessageId)', async (t) => {
  const c = new ObjectId();
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) => messages.insert({ conversationId: c, senderId: 's', clientMessageId: 'same', body: `try ${i}` }, new Date())),
  );
  t.equal(results.filter((r) => r.outcome === 'created').length, 1);
  t.equal(new Set(results.map((r) => r.message._id.toHexString())).size, 1);
  const other = await messages.insert({ conversationId: c, senderId: 'other', clientMessageId: 'same', body: 'x' }, new Date());
  t.equal(other.outcome, 'created', 'another sender may use the same client id');
});

t.test('sends arriving together are stored together, each new one once and each retry answered with the stored one', async (t) => {
  const c = new ObjectId();
  const send = (id: string) => messages.insert({ conversationId: c, senderId: 's', clientMessageId: id, body: id }, new Date());
  // The first goes alone; the other 15 queue behind it and go as one batch with 5 duplicates in it.
  const ids = ['k0', ...Array.from({ length: 10 }, (_, i) => `k${i % 5}`), 'k5', 'k6', 'k7', 'k8', 'k9'];
  const results = await Promise.all(ids.map(send));
  t.same(results.map((r) => r.message.clientMessageId), ids, 'each caller gets its own message');
  t.equal(results.filter((r) => r.outcome === 'created').length, 10, 'ten distinct sends created');
  for (const id of new Set(ids)) t.equal(new Set(results.filter((r) => r.message.clientMessageId === id).map((r) => r.message._id.toHexString())).size, 1, `${id}: one stored message`);
  t.equal((await messages.page(c, undefined, 100)).length, 10);
});

t.test('a document the server cannot store fails alone, not the sends batched with it', async (t) => {
  const c = new ObjectId();
  const send = (id: string, body: string) => messages.insert({ conversationId: c, senderId: 's', clientMessageId: id, body }, new Date());
  // The first goes alone; the rest queue behind it and go as one batch, a NUL body in the middle.
  // FerretDB on PostgreSQL refuses U+0000 and fails the whole insertMany without saying which one;
  // MongoDB stores it. Either way, every other send is stored. (The REST and WebSocket edges refuse
  // such text before it gets here; this is the store's own guarantee.)
  const bodies = ['first', 'a', 'b', 'x\u0000y', 'c', 'd'];
  const results = await Promise.allSettled(bodies.map((body, i) => send(`n${i}`, body)));
  for (const [i, r] of results.entries()) {
    if (i !== 3) t.equal(r.status, 'fulfilled', `${bodies[i]}: stored`);
  }
  const stored = (await messages.page(c, undefined, 100)).map((m) => m.body);
  t.same(stored.filter((b) => b !== 'x\u0000y').sort(), ['a', 'b', 'c', 'd', 'first'], 'the five others are in the conversation');
});

t.test('unread counts: others’ messages after the marker, deleted ones excluded', async (t) => {
  const c = new ObjectId();
  const send = async (sender: string, n: number) => (await messages.insert({ conversationId: c, senderId: sender, clientMessageId: `u${n}`, body: 'x' }, new Date())).message;
  const first = await send('them', 1);
  await send('me', 2);
  const third = await send('them', 3);
  await send('them', 4);
  t.equal(await messages.countUnread(c, 'me', undefined), 3);
  t.equal(await messages.countUnread(c, 'me', first._id), 2);
  await messages.softDelete(c, third._id, new Date());
  t.equal(await messages.countUnread(c, 'me', first._id), 1);
  t.equal((await messages.edit(c, third._id, 'y', new Date())), null, 'a deleted message is not edited');
  t.match(await messages.findById(c, third._id), { body: null, deletedAt: Date });
});
