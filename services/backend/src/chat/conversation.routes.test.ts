import t from 'tap';
import { randomUUID } from 'node:crypto';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';

const app = await buildTestApp(t);
const [ada, bob, cy, dee] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app), signedInUser(app)]);
if (!ada || !bob || !cy || !dee) throw new Error('users');
const missingId = '665f1c2ab3d4e5f6a7b8c9d0';

t.test('POST /v1/conversations: a direct conversation is created once per pair', async (t) => {
  const first = await ada.call('POST', '/v1/conversations', { type: 'direct', members: [bob.id] });
  t.equal(first.statusCode, 201);
  const view = first.json();
  t.match(view, { id: /^[0-9a-f]{24}$/, type: 'direct', name: null, ownerId: null, unreadCount: 0, lastMessage: null });
  t.same([...view.members].sort(), [ada.id, bob.id].sort());
  const again = await bob.call('POST', '/v1/conversations', { type: 'direct', members: [ada.id] });
  t.equal(again.statusCode, 200, 'the other side asking answers the existing one');
  t.equal(again.json().id, view.id);
});

t.test('POST /v1/conversations: concurrent creates of one pair end with one conversation', async (t) => {
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? cy : dee).call('POST', '/v1/conversations', { type: 'direct', members: [i % 2 ? dee.id : cy.id] })));
  t.same(answers.map((a) => a.statusCode).filter((s) => s === 201), [201], 'exactly one 201');
  t.ok(answers.every((a) => a.statusCode === 200 || a.statusCode === 201));
  t.equal(new Set(answers.map((a) => a.json().id)).size, 1, 'one id');
  t.equal(await app.mongo.db.collection('conversations').countDocuments({ type: 'direct', key: { $regex: cy.id } }), 1);
});

t.test('POST /v1/conversations: refusals', async (t) => {
  const self = await ada.call('POST', '/v1/conversations', { type: 'direct', members: [ada.id] });
  t.match(self, { statusCode: 400 });
  t.equal(self.json().code, 'SELF_CONVERSATION');
  const ghost = randomUUID();
  const missing = await ada.call('POST', '/v1/conversations', { type: 'group', name: 'Ghosts', members: [bob.id, ghost] });
  t.equal(missing.statusCode, 404);
  t.match(missing.json(), { code: 'MEMBERS_NOT_FOUND', details: { userIds: [ghost] } });
  for (const payload of [{ type: 'direct', members: [] }, { type: 'direct', members: [bob.id, cy.id] }, { type: 'group', members: [] }, { type: 'x' }, { type: 'direct', members: ['nope'] }]) {
    const res = await ada.call('POST', '/v1/conversations', payload);
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
  const anonymous = await app.inject({ method: 'POST', url: '/v1/conversations', payload: { type: 'direct', members: [bob.id] } });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.json().code, 'UNAUTHENTICATED');
});

t.test('groups: the owner adds and removes members; members leave; others see nothing', async (t) => {
  const created = await ada.call('POST', '/v1/conversations', { type: 'group', name: 'Engine', members: [bob.id] });
  t.equal(created.statusCode, 201);
  const group = created.json();
  t.match(group, { type: 'group', name: 'Engine', ownerId: ada.id, members: [ada.id, bob.id] });
  const url = `/v1/conversations/${group.id}/members`;

  const outsider = await cy.call('POST', url, { members: [dee.id] });
  t.equal(outsider.statusCode, 404, 'a non-member learns nothing');
  t.equal(outsider.json().code, 'CONVERSATION_NOT_FOUND');
  const notOwner = await bob.call('POST', url, { members: [cy.id] });
  t.equal(notOwner.statusCode, 403);
  t.equal(notOwner.json().code, 'NOT_CONVERSATION_OWNER');
  const added = await ada.call('POST', url, { members: [cy.id, dee.id] });
  t.equal(added.statusCode, 200);
  t.same(added.json().members, [ada.id, bob.id, cy.id, dee.id]);
  t.equal((await ada.call('POST', url, { members: [randomUUID()] })).json().code, 'MEMBERS_NOT_FOUND');
  t.equal((await ada.call('POST', url, { members: [] })).json().code, 'VALIDATION_FAILED');
  t.equal((await ada.call('POST', `/v1/conversations/${missingId}/members`, { members: [cy.id] })).statusCode, 404);
  t.equal((await app.inject({ method: 'POST', url, payload: { members: [cy.id] } })).statusCode, 401);

  const bobRemovesCy = await bob.call('DELETE', `${url}/${cy.id}`);
  t.equal(bobRemovesCy.json().code, 'NOT_CONVERSATION_OWNER');
  const removed = await ada.call('DELETE', `${url}/${cy.id}`);
  t.equal(removed.statusCode, 200);
  t.same(removed.json(), { conversationId: group.id, userId: cy.id });
  t.equal((await ada.call('DELETE', `${url}/${cy.id}`)).json().code, 'MEMBER_NOT_FOUND');
  t.equal((await cy.call('DELETE', `${url}/${dee.id}`)).statusCode, 404, 'a removed member is an outsider');
  const left = await dee.call('DELETE', `${url}/${dee.id}`);
  t.equal(left.statusCode, 200, 'a member leaves');
  t.equal((await ada.call('DELETE', `${url}/${ada.id}`)).json().code, 'OWNER_CANNOT_LEAVE');
  t.equal((await ada.call('DELETE', `${url}/not-a-uuid`)).json().code, 'VALIDATION_FAILED');
  t.equal((await app.inject({ method: 'DELETE', url: `${url}/${bob.id}` })).statusCode, 401);

  const direct = await directConversation(ada, dee);
  t.equal((await ada.call('POST', `/v1/conversations/${direct}/members`, { members: [cy.id] })).json().code, 'DIRECT_CONVERSATION_FIXED');
  t.equal((await ada.call('DELETE', `/v1/conversations/${direct}/members/${dee.id}`)).json().code, 'DIRECT_CONVERSATION_FIXED');
});

t.test('GET /v1/conversations: mine, by last activity, with unread counts and last message, paginated', async (t) => {
  const eve = await signedInUser(app);
  const ids: string[] = [];
  for (const other of [ada, bob, cy]) ids.push(await directConversation(eve, other));
  // Activity order: bob's conversation, then ada's, then cy's (newest first).
  await sendMessage(cy, ids[2] ?? '', 'hi', 'm1');
  await sendMessage(ada, ids[0] ?? '', 'one', 'm2');
  await sendMessage(ada, ids[0] ?? '', 'two', 'm3');
  await sendMessage(eve, ids[1] ?? '', 'mine', 'm4');

  const first = await eve.call('GET', '/v1/conversations?limit=2');
  t.equal(first.statusCode, 200);
  const page = first.json();
  t.same(page.items.map((c: { id: string }) => c.id), [ids[1], ids[0]]);
  t.match(page.items[0], { unreadCount: 0, lastMessage: { body: 'mine', senderId: eve.id } });
  t.match(page.items[1], { unreadCount: 2, lastMessage: { body: 'two' } });
  t.type(page.nextCursor, 'string');
  // Activity while paging: an already-listed conversation moving to the top is not listed again.
  await sendMessage(ada, ids[0] ?? '', 'three', 'm5');
  const second = (await eve.call('GET', `/v1/conversations?limit=2&before=${page.nextCursor}`)).json();
  t.same(second.items.map((c: { id: string }) => c.id), [ids[2]]);
  t.equal(second.nextCursor, null);
  t.same((await eve.call('GET', '/v1/conversations?limit=1')).json().items.map((c: { id: string }) => c.id), [ids[0]], 'it is on top of the first page');

  t.same((await dee.call('GET', '/v1/conversations')).json().items.map((c: { id: string }) => c.id).includes(ids[0]), false, 'only my own');
  t.equal((await eve.call('GET', '/v1/conversations?limit=0')).json().code, 'VALIDATION_FAILED');
  t.equal((await eve.call('GET', '/v1/conversations?before=bm90LWpzb24')).json().code, 'INVALID_CURSOR');
  t.equal((await app.inject({ method: 'GET', url: '/v1/conversations' })).statusCode, 401);
});
