import t from 'tap';
import { Redis } from 'ioredis';
import { MongoClient, ObjectId } from 'mongodb';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { toMessageView } from './chat.view.js';
import { createMessagePositions } from './message.position.js';
import { createMessageRepository, type MessageDocument, type MessageRepositoryOptions } from './message.repository.js';

/*
 * Two repositories on one database and one Redis stand for two instances. The interleaving of
 * issue 16 is forced through the repository's test seam (no sleeps): the send with the smaller id
 * waits, before taking its position, until the one with the larger id is stored.
 */

const infra = await getInfra();
const client = await MongoClient.connect(infra.mongodbUri);
const db = client.db(uniqueName('chat_position'));
const redis = new Redis(infra.redisUri);
const keyPrefix = uniqueName('pos');
t.teardown(async () => {
  await db.dropDatabase();
  await client.close();
  await redis.quit();
});

const instance = (beforeInsert?: MessageRepositoryOptions['beforeInsert']) =>
  createMessageRepository(db, 'messages', { positions: (messages) => createMessagePositions({ redis, messages, keyPrefix }), beforeInsert });
const send = (repo: ReturnType<typeof instance>, conversationId: ObjectId, clientMessageId: string) =>
  repo.insert({ conversationId, senderId: 'u', clientMessageId, body: clientMessageId }, new Date()).then((r) => r.message);

await instance().ensureIndexes();

t.test('a message with a smaller id stored after one with a larger id comes after it in position: resume by position finds it', async (t) => {
  const conversationId = new ObjectId();
  let storedB!: () => void;
  const bStored = new Promise<void>((resolve) => (storedB = resolve));
  // Instance A: its send waits, with its id already taken, until B's send is stored.
  const a = instance(async (docs) => {
    if (docs.some((d) => d.clientMessageId === 'smaller-id')) await bStored;
  });
  const b = instance();
  const slow = send(a, conversationId, 'smaller-id');
  const fast = await send(b, conversationId, 'larger-id');
  storedB();
  const late = await slow;

  t.ok(late._id.toHexString() < fast._id.toHexString(), 'the late one has the smaller id (the interleaving happened)');
  t.ok(late.seq! > fast.seq!, 'but the larger position: positions follow the order of storing');
  const byId = await a.after(conversationId, fast._id, 10);
  t.notOk(
    byId.some((m) => m._id.equals(late._id)),
    'resuming by id after the one the client saw misses it (the old cursor)',
  );
  const byPosition = await a.afterPosition(conversationId, fast.seq!, 10);
  t.same(
    byPosition.map((m) => m.clientMessageId),
    ['smaller-id'],
    'resuming by position after the one the client saw finds it',
  );
  t.equal(toMessageView(late).seq, late.seq, 'views carry the position');
});

t.test('concurrent sends from two instances into one conversation: positions 1..n, each once', async (t) => {
  const conversationId = new ObjectId();
  const [a, b] = [instance(), instance()];
  const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i % 2 === 0 ? a : b, conversationId, `c-${i}`)));
  t.same(
    sent.map((m) => m.seq).sort((x, y) => x! - y!),
    Array.from({ length: 30 }, (_, i) => i + 1),
  );
  const replay = await a.afterPosition(conversationId, 0, 100);
  t.same(
    replay.map((m) => m.seq),
    Array.from({ length: 30 }, (_, i) => i + 1),
    'read back in position order',
  );
});

t.test('a counter Redis lost continues after the stored positions', async (t) => {
  const conversationId = new ObjectId();
  const repo = instance();
  await send(repo, conversationId, 'one');
  await send(repo, conversationId, 'two');
  await redis.del(`${keyPrefix}:seq:${conversationId.toHexString()}`);
  t.equal((await send(repo, conversationId, 'three')).seq, 3);
});

t.test('messages stored before positions existed: seq 0 in views, left out of a resume by position', async (t) => {
  const conversationId = new ObjectId();
  const legacy: MessageDocument = {
    _id: new ObjectId(),
    conversationId,
    senderId: 'u',
    clientMessageId: 'legacy',
    body: 'old',
    createdAt: new Date(),
    editedAt: null,
    deletedAt: null,
  };
  await db.collection<MessageDocument>('messages').insertOne(legacy);
  const repo = instance();
  t.equal(toMessageView(legacy).seq, 0);
  const next = await send(repo, conversationId, 'new');
  t.equal(next.seq, 1, 'the first position of the conversation');
  t.same(
    (await repo.afterPosition(conversationId, 0, 10)).map((m) => m.clientMessageId),
    ['new'],
  );
});
