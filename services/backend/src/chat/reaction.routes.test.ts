import t from 'tap';
import { MAX_REACTION_EMOJIS } from '@ashchat/contracts';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, sendMessage, signedInUser, type ChatTestUser } from './chat.test-support.js';

const app = await buildTestApp(t);
const [ada, bob, cy] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
if (!ada || !bob || !cy) throw new Error('users');
const conversation = await directConversation(ada, bob);
const missingId = '665f1c2ab3d4e5f6a7b8c9d0';
const THUMBS = '👍';

const reactionUrl = (messageId: string, emoji: string, conversationId = conversation): string =>
  `/v1/conversations/${conversationId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;
type Reactions = Array<{ emoji: string; count: number; me: boolean }>;

/** The message's reactions as `user` reads them on the newest page. */
async function reactionsOn(user: ChatTestUser, messageId: string, conversationId = conversation): Promise<Reactions> {
  const page = await user.call('GET', `/v1/conversations/${conversationId}/messages?limit=100`);
  const message = page.json<{ items: Array<{ id: string; reactions: Reactions }> }>().items.find((m) => m.id === messageId);
  if (!message) throw new Error(`message ${messageId} not on the page`);
  return message.reactions;
}

t.test('PUT and DELETE: idempotent, counted per member, `me` per reader', async (t) => {
  const message = await sendMessage(ada, conversation, 'react to me', 'r-1');
  const first = await ada.call('PUT', reactionUrl(message.id, THUMBS));
  t.equal(first.statusCode, 200);
  t.same(first.json(), { emoji: THUMBS, count: 1, me: true });
  const again = await ada.call('PUT', reactionUrl(message.id, THUMBS));
  t.equal(again.statusCode, 200, 'a repeat answers the same');
  t.same(again.json(), { emoji: THUMBS, count: 1, me: true });
  t.same((await bob.call('PUT', reactionUrl(message.id, THUMBS))).json(), { emoji: THUMBS, count: 2, me: true });
  t.equal((await bob.call('PUT', reactionUrl(message.id, '🇩🇪'))).statusCode, 200, 'a flag is one emoji');
  t.equal((await bob.call('PUT', reactionUrl(message.id, '👩🏽‍💻'))).statusCode, 200, 'so is a ZWJ sequence with a skin tone');
  const kiss = '👩🏻‍❤️‍💋‍👨🏼'; // among the longest RGI sequences: 105 characters URL-encoded
  t.equal((await bob.call('PUT', reactionUrl(message.id, kiss))).statusCode, 200, 'so is one of the longest sequences');
  t.equal((await bob.call('DELETE', reactionUrl(message.id, kiss))).statusCode, 204);

  t.same(await reactionsOn(ada, message.id), [
    { emoji: THUMBS, count: 2, me: true },
    { emoji: '👩🏽‍💻', count: 1, me: false },
    { emoji: '🇩🇪', count: 1, me: false },
  ].sort((a, b) => (a.emoji < b.emoji ? -1 : 1)));
  t.same((await reactionsOn(bob, message.id)).find((r) => r.emoji === THUMBS), { emoji: THUMBS, count: 2, me: true });

  const removed = await ada.call('DELETE', reactionUrl(message.id, THUMBS));
  t.equal(removed.statusCode, 204);
  t.equal(removed.body, '');
  t.equal((await ada.call('DELETE', reactionUrl(message.id, THUMBS))).statusCode, 204, 'removing an absent one is fine too');
  t.same((await reactionsOn(ada, message.id)).find((r) => r.emoji === THUMBS), { emoji: THUMBS, count: 1, me: false });
  t.equal(await app.mongo.db.collection('reactions').countDocuments({ messageId: { $exists: true }, emoji: THUMBS, userId: bob.id }), 1);

  const edited = await ada.call('PATCH', `/v1/conversations/${conversation}/messages/${message.id}`, { body: 'edited' });
  t.same(edited.json().reactions.find((r: { emoji: string }) => r.emoji === THUMBS), { emoji: THUMBS, count: 1, me: false }, 'an edit answers the reactions too');
});

t.test('a new message starts without reactions; the conversation list shows them empty', async (t) => {
  const res = await ada.call('POST', `/v1/conversations/${conversation}/messages`, { body: 'fresh', clientMessageId: 'r-fresh' });
  t.same(res.json().reactions, []);
});

t.test('refusals: not one emoji, not a member, unknown or deleted message', async (t) => {
  const message = await sendMessage(ada, conversation, 'guarded', 'r-2');
  for (const bad of ['a', 'ok', '👍👍', '\uFE0F', '\u200d', '1', ' 👍', '👍 ', '<b>', '\u0000']) {
    const res = await ada.call('PUT', reactionUrl(message.id, bad));
    t.equal(res.statusCode, 400, `PUT ${JSON.stringify(bad)}`);
    t.equal(res.json().code, 'INVALID_EMOJI', `PUT ${JSON.stringify(bad)}`);
    t.equal((await ada.call('DELETE', reactionUrl(message.id, bad))).json().code, 'INVALID_EMOJI', `DELETE ${JSON.stringify(bad)}`);
  }
  const badId = await ada.call('PUT', `/v1/conversations/${conversation}/messages/nope/reactions/${encodeURIComponent(THUMBS)}`);
  t.equal(badId.json().code, 'VALIDATION_FAILED', 'a bad message id is a validation failure, not an emoji one');

  for (const method of ['PUT', 'DELETE'] as const) {
    const outsider = await cy.call(method, reactionUrl(message.id, THUMBS));
    t.equal(outsider.statusCode, 404, `${method} by a non-member`);
    t.equal(outsider.json().code, 'CONVERSATION_NOT_FOUND');
    t.equal((await ada.call(method, reactionUrl(missingId, THUMBS))).json().code, 'MESSAGE_NOT_FOUND', `${method} on an unknown message`);
    t.equal((await ada.call(method, reactionUrl(message.id, THUMBS, missingId))).json().code, 'CONVERSATION_NOT_FOUND');
  }
  const anonymous = await app.inject({ method: 'PUT', url: reactionUrl(message.id, THUMBS) });
  t.equal(anonymous.statusCode, 401);

  t.equal((await bob.call('PUT', reactionUrl(message.id, THUMBS))).statusCode, 200);
  t.equal((await ada.call('DELETE', `/v1/conversations/${conversation}/messages/${message.id}`)).statusCode, 200);
  const onDeleted = await bob.call('PUT', reactionUrl(message.id, '🎉'));
  t.equal(onDeleted.statusCode, 409);
  t.equal(onDeleted.json().code, 'MESSAGE_DELETED');
  t.equal((await bob.call('DELETE', reactionUrl(message.id, THUMBS))).statusCode, 204, 'taking one back stays possible');
  t.same(await reactionsOn(bob, message.id), [], 'a deleted message shows none');
  t.equal(await app.mongo.db.collection('reactions').countDocuments({ _id: { $regex: `^${message.id}:` } } as never), 0, 'and keeps none');
});

t.test(`at most ${MAX_REACTION_EMOJIS} different emojis per message; the ones there stay open to others`, async (t) => {
  const message = await sendMessage(ada, conversation, 'popular', 'r-3');
  const emojis = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂🤗'];
  t.ok(emojis.length > MAX_REACTION_EMOJIS);
  for (const emoji of emojis.slice(0, MAX_REACTION_EMOJIS)) t.equal((await ada.call('PUT', reactionUrl(message.id, emoji))).statusCode, 200);
  const over = await ada.call('PUT', reactionUrl(message.id, emojis[MAX_REACTION_EMOJIS]!));
  t.equal(over.statusCode, 409);
  t.equal(over.json().code, 'REACTION_LIMIT_REACHED');
  t.same((await bob.call('PUT', reactionUrl(message.id, emojis[0]!))).json(), { emoji: emojis[0], count: 2, me: true });
  t.equal((await reactionsOn(bob, message.id)).length, MAX_REACTION_EMOJIS);
});

t.test('20 members reacting to one message at once: every reaction counted once', async (t) => {
  const crowd = await Promise.all(Array.from({ length: 19 }, () => signedInUser(app)));
  const created = await ada.call('POST', '/v1/conversations', { type: 'group', name: 'Crowd', members: crowd.map((u) => u.id) });
  t.equal(created.statusCode, 201);
  const group = created.json<{ id: string }>().id;
  const message = await sendMessage(ada, group, 'everyone react', 'r-crowd');
  const everyone = [ada, ...crowd];
  // Each member twice (a retry racing the first attempt), all at once.
  const answers = await Promise.all([...everyone, ...everyone].map((u) => u.call('PUT', reactionUrl(message.id, '🎉', group))));
  t.same(new Set(answers.map((a) => a.statusCode)), new Set([200]));
  t.same(await reactionsOn(ada, message.id, group), [{ emoji: '🎉', count: 20, me: true }]);
  t.equal(await app.mongo.db.collection('reactions').countDocuments({ emoji: '🎉', userId: { $in: everyone.map((u) => u.id) } }), 20);
  // And all taking it back at once leaves none.
  const removals = await Promise.all(everyone.map((u) => u.call('DELETE', reactionUrl(message.id, '🎉', group))));
  t.same(new Set(removals.map((a) => a.statusCode)), new Set([204]));
  t.same(await reactionsOn(crowd[0]!, message.id, group), []);
});

t.test('a deleted account takes its reactions with it', async (t) => {
  const message = await sendMessage(ada, conversation, 'bye', 'r-4');
  await ada.call('PUT', reactionUrl(message.id, '👋'));
  await bob.call('PUT', reactionUrl(message.id, '👋'));
  const bobs = await app.mongo.db.collection('reactions').countDocuments({ userId: bob.id });
  t.ok(bobs > 0);
  t.equal(await app.chat.departure.deleteReactions(bob.id), bobs);
  t.equal(await app.mongo.db.collection('reactions').countDocuments({ userId: bob.id }), 0);
  t.same(await reactionsOn(ada, message.id), [{ emoji: '👋', count: 1, me: true }]);
});
