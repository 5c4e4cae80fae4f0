import t from 'tap';
import fc from 'fast-check';
import { ObjectId } from 'mongodb';
import { buildTestApp } from '../app.test-support.js';
import { createTestUser } from '../users/user.test-support.js';
import { createResumeReader } from './resume.reader.js';

const app = await buildTestApp(t);
await app.chat.indexesReady();
const reader = createResumeReader(app.chat.repositories);
const [alice, bob, eve] = await Promise.all([createTestUser(app), createTestUser(app), createTestUser(app)]);

async function group(owner: string, members: string[]): Promise<string> {
  const { conversation } = await app.chat.conversations.create(owner, { type: 'group', name: 'resume', members });
  return conversation.id;
}
let sequence = 0;
async function send(userId: string, conversationId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  // One after another: each id is above the previous one, as in a live conversation.
  for (let i = 0; i < n; i += 1) {
    const { message } = await app.chat.messages.send(userId, conversationId, { body: `m${i}`, clientMessageId: `c-${(sequence += 1)}` });
    ids.push(message.id);
  }
  return ids;
}

const first = await group(alice.id, [bob.id]);
const firstIds = await send(alice.id, first, 6);
const second = await group(bob.id, [alice.id]);
const secondIds = await send(bob.id, second, 3);
const private_ = await group(eve.id, []);
await send(eve.id, private_, 2);

t.test('what came after each cursor, conversation by conversation, oldest first', async (t) => {
  const r = await reader.missed(
    bob.id,
    [
      { conversationId: first, lastMessageId: firstIds[2]! },
      { conversationId: second, lastMessageId: null },
    ],
    10,
  );
  t.same(
    r.messages.map((m) => m.id),
    [...firstIds.slice(3), ...secondIds],
  );
  t.same(r.messages.map((m) => m.conversationId), [first, first, first, second, second, second]);
  t.same(r.incomplete, []);
  t.same(r.skipped, []);
  t.same((await reader.missed(bob.id, [{ conversationId: first, lastMessageId: firstIds.at(-1)! }], 10)).messages, [], 'nothing after the newest');
});

t.test('bounded: per conversation and in total; what did not fit is reported incomplete', async (t) => {
  const perConversation = await reader.missed(bob.id, [{ conversationId: first, lastMessageId: null }], 4);
  t.same(perConversation.messages.map((m) => m.id), firstIds.slice(0, 4), 'the oldest missed come first');
  t.same(perConversation.incomplete, [first]);
  const exact = await reader.missed(bob.id, [{ conversationId: first, lastMessageId: firstIds[1]! }], 4);
  t.same(exact.messages.map((m) => m.id), firstIds.slice(2), 'exactly the limit is complete');
  t.same(exact.incomplete, []);

  const total = await reader.missed(
    bob.id,
    [
      { conversationId: first, lastMessageId: firstIds[3]! },
      { conversationId: second, lastMessageId: null },
    ],
    10,
    3,
  );
  t.same(total.messages.map((m) => m.id), [...firstIds.slice(4), secondIds[0]]);
  t.same(total.incomplete, [second]);
});

t.test('conversations the user is not in, unknown ones and malformed ids are skipped without a trace of their content', async (t) => {
  const r = await reader.missed(
    bob.id,
    [
      { conversationId: private_, lastMessageId: null },
      { conversationId: new ObjectId().toHexString(), lastMessageId: null },
      { conversationId: 'not-an-id', lastMessageId: null },
      { conversationId: first, lastMessageId: 'zz' },
      { conversationId: second, lastMessageId: secondIds[1]! },
    ],
    10,
  );
  t.same(r.messages.map((m) => m.id), [secondIds[2]]);
  t.equal(r.skipped.length, 4);
  t.ok(r.skipped.includes(private_));
  t.notOk(r.messages.some((m) => m.conversationId === private_));
});

t.test('repeated cursors of one conversation: the oldest counts, no message twice', async (t) => {
  const r = await reader.missed(
    bob.id,
    [
      { conversationId: first, lastMessageId: firstIds[4]! },
      { conversationId: first, lastMessageId: firstIds[1]! },
    ],
    10,
  );
  t.same(r.messages.map((m) => m.id), firstIds.slice(2));
});

t.test('edited and deleted messages come in their current state', async (t) => {
  const conversation = await group(alice.id, [bob.id]);
  const [kept, edited, deleted] = await send(alice.id, conversation, 3);
  await app.chat.messages.edit(alice.id, conversation, edited!, 'changed');
  await app.chat.messages.remove(alice.id, conversation, deleted!);
  const r = await reader.missed(bob.id, [{ conversationId: conversation, lastMessageId: null }], 10);
  t.same(r.messages.map((m) => [m.id, m.body]), [
    [kept, 'm0'],
    [edited, 'changed'],
    [deleted, null],
  ]);
  t.ok(r.messages[2]!.deletedAt);
});

t.test('any cursor and limits: ascending, after the cursor, within the limits, members only (fast-check)', async (t) => {
  const all = [...firstIds, ...secondIds];
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ conversationId: fc.constantFrom(first, second, private_), lastMessageId: fc.option(fc.constantFrom(...all), { nil: null }) }), { maxLength: 5 }),
      fc.integer({ min: 0, max: 7 }),
      fc.integer({ min: 0, max: 20 }),
      async (cursors, limit, maxTotal) => {
        const r = await reader.missed(bob.id, cursors, limit, maxTotal);
        const ids = r.messages.map((m) => m.id);
        if (new Set(ids).size !== ids.length) return false;
        if (ids.length > maxTotal) return false;
        if (r.messages.some((m) => m.conversationId === private_)) return false;
        for (const c of [first, second]) {
          const mine = r.messages.filter((m) => m.conversationId === c).map((m) => m.id);
          if (mine.length > limit) return false;
          if (mine.some((id, i) => i > 0 && id <= mine[i - 1]!)) return false;
          const own = cursors.filter((x) => x.conversationId === c);
          if (own.length === 0) {
            if (mine.length > 0) return false;
            continue;
          }
          const floor = own.some((x) => x.lastMessageId === null) ? '' : own.map((x) => x.lastMessageId!).sort()[0]!;
          const expected = (c === first ? firstIds : secondIds).filter((id) => id > floor);
          // A prefix of what was missed, and flagged incomplete exactly when it is not all of it.
          if (mine.some((id, i) => id !== expected[i])) return false;
          if ((mine.length < expected.length) !== r.incomplete.includes(c)) return false;
        }
        return true;
      },
    ),
    { numRuns: 60 },
  );
  t.pass('property held');
});
