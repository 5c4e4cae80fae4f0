/**
 * The `reacted` marker: a page of messages nobody reacted to costs no reaction read; a reacted
 * message (and an old one stored before the marker) still shows its reactions. Real database; the
 * commands are counted from the driver's command monitoring.
 */
import t from 'tap';
import { MongoClient, ObjectId, type CommandStartedEvent } from 'mongodb';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { markUnreacted, toMessageView } from './chat.view.js';
import type { ConversationDocument } from './conversation.repository.js';
import { createMessageRepository } from './message.repository.js';
import { createReactionRepository } from './reaction.repository.js';
import { createReactionService } from './reaction.service.js';

const { mongodbUri } = await getInfra();
const client = await MongoClient.connect(mongodbUri, { monitorCommands: true });
const dbName = uniqueName('reaction_marker');
const db = client.db(dbName);
t.teardown(async () => {
  await db.dropDatabase();
  await client.close();
});
const commands: string[] = [];
client.on('commandStarted', (e: CommandStartedEvent) => {
  if (e.databaseName === dbName) commands.push(`${e.commandName} ${String(e.command[e.commandName])}`);
});

const messages = createMessageRepository(db);
const reactionRepo = createReactionRepository(db);
await Promise.all([messages.ensureIndexes(), reactionRepo.ensureIndexes()]);
const conversation: ConversationDocument = { _id: new ObjectId(), key: uniqueName('group'), type: 'group', name: 'marker', ownerId: 'ada', createdAt: new Date() };
// Membership is not what this test is about: both are members.
const reactions = createReactionService({ messages, reactions: reactionRepo, access: async () => ({ conversation, members: ['ada', 'bob'] }) });

const send = async (i: number) =>
  (await messages.insert({ conversationId: conversation._id, senderId: 'ada', clientMessageId: `c${i}`, body: `m${i}`, mentions: [], language: 'en' }, new Date())).message;
/** A page as the message service hands it over: views marked from their documents. */
const page = async () => (await messages.page(conversation._id, undefined, 50)).map((m) => markUnreacted(toMessageView(m), m));
const counted = async <T>(run: () => Promise<T>): Promise<{ result: T; issued: string[] }> => {
  commands.length = 0;
  const result = await run();
  return { result, issued: [...commands] };
};

t.test('reactions are read only for messages that may carry some', async (t) => {
  const [m0, m1, m2] = [await send(0), await send(1), await send(2)];
  t.equal(m0.reacted, false, 'sent without reactions');

  const none = await counted(async () => reactions.withReactions('bob', await page()));
  t.same(none.issued, ['find messages'], 'a page nobody reacted to: its own find and nothing else');
  t.ok(none.result.every((v) => v.reactions.length === 0));

  await reactions.react('bob', conversation._id.toHexString(), m1._id.toHexString(), '👍');
  t.equal((await messages.findById(conversation._id, m1._id))?.reacted, true, 'the marker is set by the first reaction');
  const some = await counted(async () => reactions.withReactions('ada', await page()));
  t.equal(some.issued.length, 3, 'the page, then the reaction reads');
  t.same(some.result.find((v) => v.id === m1._id.toHexString())?.reactions, [{ emoji: '👍', count: 1, me: false }]);

  // A message stored before the marker existed: missing means "maybe".
  await db.collection('messages').updateOne({ _id: m2._id }, { $unset: { reacted: '' } });
  await reactionRepo.add({ conversationId: conversation._id, messageId: m2._id, userId: 'ada', emoji: '🎉', createdAt: new Date() });
  const old = await reactions.withReactions('ada', await page());
  t.same(old.find((v) => v.id === m2._id.toHexString())?.reactions, [{ emoji: '🎉', count: 1, me: true }]);

  // Taking the last reaction back leaves the marker (never cleared): read, and correctly empty.
  await reactions.unreact('bob', conversation._id.toHexString(), m1._id.toHexString(), '👍');
  const after = await reactions.withReactions('ada', await page());
  t.same(after.find((v) => v.id === m1._id.toHexString())?.reactions, []);
  t.equal((await messages.findById(conversation._id, m0._id))?.reacted, false, 'other messages keep theirs');
});
