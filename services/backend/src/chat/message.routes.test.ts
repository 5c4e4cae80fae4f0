import t from 'tap';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';

const app = await buildTestApp(t);
const [ada, bob, cy] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
if (!ada || !bob || !cy) throw new Error('users');
const conversation = await directConversation(ada, bob);
const url = `/v1/conversations/${conversation}/messages`;
const missingId = '665f1c2ab3d4e5f6a7b8c9d0';

t.test('POST …/messages: sends as the caller, once per clientMessageId', async (t) => {
  const sent = await ada.call('POST', url, { body: 'Hello', clientMessageId: 'hello-1' });
  t.equal(sent.statusCode, 201);
  t.match(sent.json(), { id: /^[0-9a-f]{24}$/, conversationId: conversation, senderId: ada.id, body: 'Hello', editedAt: null, deletedAt: null });
  const retry = await ada.call('POST', url, { body: 'Hello (retried)', clientMessageId: 'hello-1' });
  t.equal(retry.statusCode, 200);
  t.same(retry.json(), sent.json(), 'the stored message, unchanged');
  const bobsOwn = await bob.call('POST', url, { body: 'Hi', clientMessageId: 'hello-1' });
  t.equal(bobsOwn.statusCode, 201, 'client ids are per sender');
  t.equal(bobsOwn.json().senderId, bob.id);
});

t.test('POST …/messages: concurrent retries store one message', async (t) => {
  const answers = await Promise.all(Array.from({ length: 10 }, () => ada.call('POST', url, { body: 'Once', clientMessageId: 'once' })));
  t.same(answers.map((a) => a.statusCode).filter((s) => s === 201), [201]);
  t.ok(answers.every((a) => a.statusCode === 200 || a.statusCode === 201));
  t.equal(new Set(answers.map((a) => a.json().id)).size, 1);
  t.equal(await app.mongo.db.collection('messages').countDocuments({ clientMessageId: 'once' }), 1);
});

t.test('POST …/messages: refusals', async (t) => {
  const forged = await ada.call('POST', url, { body: 'x', clientMessageId: 'f', senderId: bob.id });
  t.equal(forged.statusCode, 400, 'the sender is never a body field');
  t.equal(forged.json().code, 'VALIDATION_FAILED');
  t.equal((await ada.call('POST', url, { body: '   ', clientMessageId: 'blank' })).json().code, 'VALIDATION_FAILED');
  t.equal((await ada.call('POST', url, { body: 'x' })).json().code, 'VALIDATION_FAILED');
  const outsider = await cy.call('POST', url, { body: 'x', clientMessageId: 'c' });
  t.equal(outsider.statusCode, 404);
  t.equal(outsider.json().code, 'CONVERSATION_NOT_FOUND');
  t.equal((await ada.call('POST', `/v1/conversations/${missingId}/messages`, { body: 'x', clientMessageId: 'c' })).statusCode, 404);
  t.equal((await app.inject({ method: 'POST', url, payload: { body: 'x', clientMessageId: 'c' } })).statusCode, 401);
});

t.test('GET …/messages: newest first, members only', async (t) => {
  const res = await bob.call('GET', `${url}?limit=2`);
  t.equal(res.statusCode, 200);
  const page = res.json();
  t.equal(page.items.length, 2);
  t.ok(page.items[0].id > page.items[1].id, 'newest first');
  const rest = (await bob.call('GET', `${url}?limit=100&before=${page.nextCursor}`)).json();
  t.equal(rest.nextCursor, null);
  t.equal(page.items.length + rest.items.length, 3);
  t.equal((await cy.call('GET', url)).statusCode, 404);
  t.equal((await bob.call('GET', `${url}?limit=101`)).json().code, 'VALIDATION_FAILED');
  t.equal((await bob.call('GET', `${url}?before=e30`)).json().code, 'INVALID_CURSOR');
  t.equal((await app.inject({ method: 'GET', url })).statusCode, 401);
});

t.test('PATCH and DELETE …/messages/:messageId: own messages only; delete is soft', async (t) => {
  const message = await sendMessage(ada, conversation, 'Typo', 'edit-me');
  const one = `${url}/${message.id}`;
  t.equal((await bob.call('PATCH', one, { body: 'Hijack' })).json().code, 'NOT_MESSAGE_SENDER');
  t.equal((await bob.call('DELETE', one)).json().code, 'NOT_MESSAGE_SENDER');
  t.equal((await cy.call('PATCH', one, { body: 'x' })).json().code, 'CONVERSATION_NOT_FOUND');
  t.equal((await cy.call('DELETE', one)).statusCode, 404);
  t.equal((await ada.call('PATCH', one, { body: '' })).json().code, 'VALIDATION_FAILED');
  t.equal((await ada.call('PATCH', `${url}/${missingId}`, { body: 'x' })).json().code, 'MESSAGE_NOT_FOUND');
  t.equal((await ada.call('DELETE', `${url}/zz`)).json().code, 'VALIDATION_FAILED');
  t.equal((await app.inject({ method: 'PATCH', url: one, payload: { body: 'x' } })).statusCode, 401);
  t.equal((await app.inject({ method: 'DELETE', url: one })).statusCode, 401);

  const edited = await ada.call('PATCH', one, { body: 'Fixed' });
  t.equal(edited.statusCode, 200);
  t.match(edited.json(), { body: 'Fixed', editedAt: String, deletedAt: null });
  const deleted = await ada.call('DELETE', one);
  t.equal(deleted.statusCode, 200);
  t.match(deleted.json(), { id: message.id, body: null, deletedAt: String });
  t.same((await ada.call('DELETE', one)).json(), deleted.json(), 'deleting again changes nothing');
  t.equal((await ada.call('PATCH', one, { body: 'Back' })).json().code, 'MESSAGE_DELETED');
  const stored = await app.mongo.db.collection('messages').findOne({ clientMessageId: 'edit-me' });
  t.equal(stored?.body, null, 'the body is removed from the database');
  const listed = (await bob.call('GET', `${url}?limit=1`)).json().items[0];
  t.match(listed, { id: message.id, body: null });
});

t.test('POST …/read: the marker moves forward only; unread counts follow it', async (t) => {
  const room = await directConversation(bob, cy);
  const sent = [];
  for (let i = 0; i < 4; i++) sent.push(await sendMessage(bob, room, `m${i}`, `read-${i}`));
  const unread = async (): Promise<number> =>
    (await cy.call('GET', '/v1/conversations')).json().items.find((c: { id: string }) => c.id === room).unreadCount;
  t.equal(await unread(), 4);
  const read = `/v1/conversations/${room}/read`;
  const third = await cy.call('POST', read, { upTo: sent[2]?.id });
  t.equal(third.statusCode, 200);
  t.same(third.json(), { conversationId: room, lastReadMessageId: sent[2]?.id, unreadCount: 1, unreadMentionCount: 0 });
  const back = await cy.call('POST', read, { upTo: sent[0]?.id });
  t.same(back.json(), { conversationId: room, lastReadMessageId: sent[2]?.id, unreadCount: 1, unreadMentionCount: 0 }, 'never back');
  t.equal(await unread(), 1);
  t.equal((await cy.call('POST', read, { upTo: missingId })).json().code, 'MESSAGE_NOT_FOUND');
  t.equal((await cy.call('POST', read, { upTo: 'x' })).json().code, 'VALIDATION_FAILED');
  t.equal((await ada.call('POST', read, { upTo: sent[3]?.id })).json().code, 'CONVERSATION_NOT_FOUND');
  t.equal((await app.inject({ method: 'POST', url: read, payload: { upTo: sent[3]?.id } })).statusCode, 401);
  const all = await Promise.all(sent.map((m) => cy.call('POST', read, { upTo: m.id })));
  t.ok(all.every((r) => r.statusCode === 200));
  t.equal(await unread(), 0, 'concurrent marks end at the newest');
});
