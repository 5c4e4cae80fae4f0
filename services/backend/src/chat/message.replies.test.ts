import t from 'tap';
import { buildTestApp } from '../app.test-support.js';
import { authedWs, listeningApp, type Frame } from '../realtime/ws.test-support.js';
import { directConversation, sendMessage, signedInUser, type ChatTestUser } from './chat.test-support.js';

/** Replies: the quote is stored with the reply; whether the original is deleted is resolved on every read. */

const missingId = '665f1c2ab3d4e5f6a7b8c9d0';
const reply = (user: ChatTestUser, conversation: string, replyTo: unknown, clientMessageId: string, body = 'a reply') =>
  user.call('POST', `/v1/conversations/${conversation}/messages`, { body, clientMessageId, replyTo });

t.test('REST', async (t) => {
  const app = await buildTestApp(t);
  const [ada, bob, cy] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
  if (!ada || !bob || !cy) throw new Error('users');
  const conversation = await directConversation(ada, bob);
  const elsewhere = await directConversation(ada, cy);
  const url = `/v1/conversations/${conversation}/messages`;

  t.test('a reply carries a quote of the original; history shows it too', async (t) => {
    const original = await sendMessage(ada, conversation, 'What time is the meeting?', 'q-1');
    const res = await reply(bob, conversation, original.id, 'r-1', 'At noon');
    t.equal(res.statusCode, 201);
    t.same(res.json().replyTo, { id: original.id, senderId: ada.id, excerpt: 'What time is the meeting?', deleted: false });
    const plain = await sendMessage(ada, conversation, 'no reply', 'plain-1');
    const page = (await ada.call('GET', `${url}?limit=2`)).json();
    t.same(page.items[0].id, plain.id);
    t.equal(page.items[0].replyTo, null, 'a message that is no reply has replyTo null');
    t.same(page.items[1].replyTo, res.json().replyTo, 'history carries the same quote');
  });

  t.test('the excerpt keeps the first 140 graphemes, never splitting one', async (t) => {
    const family = '👨‍👩‍👧';
    const original = await sendMessage(ada, conversation, family.repeat(150), 'long-1');
    const quote = (await reply(bob, conversation, original.id, 'r-long')).json().replyTo;
    t.equal(quote.excerpt, family.repeat(140));
  });

  t.test('deleting the original shows the quote deleted, in history and on later reads', async (t) => {
    const original = await sendMessage(ada, conversation, 'soon gone', 'gone-1');
    const r = (await reply(bob, conversation, original.id, 'r-gone')).json();
    t.equal((await ada.call('DELETE', `${url}/${original.id}`)).statusCode, 200);
    const page = (await bob.call('GET', `${url}?limit=5`)).json();
    const shown = page.items.find((m: { id: string }) => m.id === r.id);
    t.same(shown.replyTo, { id: original.id, senderId: ada.id, excerpt: null, deleted: true }, 'no text of a deleted message');
    const list = (await bob.call('GET', '/v1/conversations')).json();
    const c = list.items.find((i: { id: string }) => i.id === conversation);
    t.equal(c.lastMessage.id, r.id);
    t.equal(c.lastMessage.replyTo.deleted, true, 'the conversation list resolves it as well');
  });

  t.test('replying to a deleted message is allowed: the quote is deleted', async (t) => {
    const original = await sendMessage(ada, conversation, 'deleted first', 'del-first');
    await ada.call('DELETE', `${url}/${original.id}`);
    const res = await reply(bob, conversation, original.id, 'r-del');
    t.equal(res.statusCode, 201);
    t.same(res.json().replyTo, { id: original.id, senderId: ada.id, excerpt: null, deleted: true });
  });

  t.test('refusals', async (t) => {
    const other = await sendMessage(ada, elsewhere, 'in another conversation', 'other-1');
    const cross = await reply(ada, conversation, other.id, 'r-cross');
    t.equal(cross.statusCode, 400);
    t.equal(cross.json().code, 'REPLY_TARGET_NOT_FOUND', 'a message of another conversation');
    const unknown = await reply(ada, conversation, missingId, 'r-unknown');
    t.equal(unknown.statusCode, 400);
    t.equal(unknown.json().code, 'REPLY_TARGET_NOT_FOUND', 'the same answer for no message at all');
    const bad = await reply(ada, conversation, 'not-an-id', 'r-bad');
    t.equal(bad.statusCode, 400);
    t.equal(bad.json().code, 'VALIDATION_FAILED');
    t.equal((await reply(ada, conversation, null, 'r-null')).json().code, 'VALIDATION_FAILED');
    const original = await sendMessage(ada, conversation, 'members only', 'mo-1');
    const outsider = await reply(cy, conversation, original.id, 'r-out');
    t.equal(outsider.statusCode, 404);
    t.equal(outsider.json().code, 'CONVERSATION_NOT_FOUND');
    t.equal(await app.mongo.db.collection('messages').countDocuments({ clientMessageId: { $in: ['r-cross', 'r-unknown', 'r-bad', 'r-null', 'r-out'] } }), 0, 'nothing stored');
  });
});

t.test('WebSocket', async (t) => {
  const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '0' } });
  const [ada, bob, cy] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
  if (!ada || !bob || !cy) throw new Error('users');
  const conversation = await directConversation(ada, bob);
  const elsewhere = await directConversation(ada, cy);
  const [adaWs, bobWs, cyWs] = await Promise.all([
    authedWs(t, url, ada.session.accessToken),
    authedWs(t, url, bob.session.accessToken),
    authedWs(t, url, cy.session.accessToken),
  ]);
  const isNew = (id: string) => (f: Frame) => f.type === 'message.new' && (f.message as { id: string }).id === id;

  t.test('message.send with replyTo: acked and delivered with the quote', async (t) => {
    const original = await sendMessage(bob, conversation, 'ping?', 'ws-q-1');
    adaWs.send({ type: 'message.send', requestId: 'w1', conversationId: conversation, body: 'pong', clientMessageId: 'ws-r-1', replyTo: original.id });
    const ack = await adaWs.nextOf('ack', 'w1');
    const { message } = ack.result as { message: { id: string; replyTo: unknown } };
    t.same(message.replyTo, { id: original.id, senderId: bob.id, excerpt: 'ping?', deleted: false });
    const event = await bobWs.next(isNew(message.id));
    t.same((event.message as { replyTo: unknown }).replyTo, message.replyTo, 'the live event carries the quote');
  });

  t.test('resume shows a quote deleted when the original was deleted meanwhile', async (t) => {
    const before = await sendMessage(ada, conversation, 'marker', 'ws-marker');
    const original = await sendMessage(bob, conversation, 'to be deleted', 'ws-q-2');
    const r = await reply(ada, conversation, original.id, 'ws-r-2');
    await bob.call('DELETE', `/v1/conversations/${conversation}/messages/${original.id}`);
    const late = await authedWs(t, url, bob.session.accessToken);
    late.send({ type: 'resume', requestId: 'res', cursors: [{ conversationId: conversation, lastMessageId: before.id }] });
    const replayed = await late.next(isNew(r.json().id));
    t.same((replayed.message as { replyTo: unknown }).replyTo, { id: original.id, senderId: bob.id, excerpt: null, deleted: true });
    await late.nextOf('ack', 'res');
  });

  t.test('refusals as error frames with the REST codes', async (t) => {
    const other = await sendMessage(ada, elsewhere, 'elsewhere', 'ws-other');
    adaWs.send({ type: 'message.send', requestId: 'x1', conversationId: conversation, body: 'x', clientMessageId: 'ws-x1', replyTo: other.id });
    t.equal((await adaWs.nextOf('error', 'x1')).code, 'REPLY_TARGET_NOT_FOUND');
    adaWs.send({ type: 'message.send', requestId: 'x2', conversationId: conversation, body: 'x', clientMessageId: 'ws-x2', replyTo: 'nope' });
    t.equal((await adaWs.nextOf('error', 'x2')).code, 'VALIDATION_FAILED');
    cyWs.send({ type: 'message.send', requestId: 'x3', conversationId: conversation, body: 'x', clientMessageId: 'ws-x3', replyTo: other.id });
    t.equal((await cyWs.nextOf('error', 'x3')).code, 'CONVERSATION_NOT_FOUND');
  });
});
