import t from 'tap';
import { randomUUID } from 'node:crypto';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, signedInUser } from '../chat/chat.test-support.js';

const app = await buildTestApp(t);
const [ada, bob, cy, dee] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app), signedInUser(app)]);
if (!ada || !bob || !cy || !dee) throw new Error('users');
const direct = await directConversation(ada, bob);
const group = (await ada.call('POST', '/v1/conversations', { type: 'group', name: 'Engine', members: [bob.id] })).json<{ id: string }>().id;
let sends = 0;
const send = (user: typeof ada, conversationId: string) =>
  user.call('POST', `/v1/conversations/${conversationId}/messages`, { body: 'hello', clientMessageId: `block-${(sends += 1)}` });

t.test('block, list with nicknames, unblock; repeats change nothing', async (t) => {
  const blocked = await ada.call('PUT', `/v1/me/blocks/${bob.id}`);
  t.equal(blocked.statusCode, 200);
  t.match(blocked.json(), { userId: bob.id, nickname: bob.nickname, blockedAt: String });
  const again = await ada.call('PUT', `/v1/me/blocks/${bob.id}`);
  t.equal(again.statusCode, 200);
  t.equal(again.json().blockedAt, blocked.json().blockedAt, 'blocking again keeps the first block');
  t.same((await ada.call('GET', '/v1/me/blocks')).json(), { items: [blocked.json()] });
  t.same((await bob.call('GET', '/v1/me/blocks')).json(), { items: [] }, 'Bob does not see who blocked him');
  t.equal(await app.mongo.db.collection('user_blocks').countDocuments({ blockerId: ada.id }), 1, 'one document per pair');
  t.ok(await app.relations.blocks.blockedBetween(bob.id, ada.id), 'either way round');
  t.same([...(await app.relations.blocks.blockedWith(bob.id))], [ada.id]);

  const unblocked = await ada.call('DELETE', `/v1/me/blocks/${bob.id}`);
  t.equal(unblocked.statusCode, 200);
  t.same(unblocked.json(), { userId: bob.id, blocked: false });
  t.same((await ada.call('GET', '/v1/me/blocks')).json(), { items: [] });
  t.equal((await ada.call('DELETE', `/v1/me/blocks/${bob.id}`)).statusCode, 200, 'unblocking again changes nothing');
  t.notOk(await app.relations.blocks.blockedBetween(ada.id, bob.id));
});

t.test('a block refuses the direct chat both ways, over REST; groups are unaffected; unblock restores it', async (t) => {
  t.equal((await ada.call('PUT', `/v1/me/blocks/${bob.id}`)).statusCode, 200);
  for (const [who, other] of [
    [bob, ada],
    [ada, bob],
  ] as const) {
    const create = await who.call('POST', '/v1/conversations', { type: 'direct', members: [other.id] });
    t.equal(create.statusCode, 403, 'the existing direct chat is not answered');
    t.equal(create.json().code, 'USER_BLOCKED');
    const sent = await send(who, direct);
    t.equal(sent.statusCode, 403, 'no send into the direct chat');
    t.equal(sent.json().code, 'USER_BLOCKED');
  }
  t.equal((await send(bob, group)).statusCode, 201, 'Bob still writes in the shared group');
  t.equal((await send(ada, group)).statusCode, 201, 'and so does Ada');

  t.equal((await ada.call('DELETE', `/v1/me/blocks/${bob.id}`)).statusCode, 200);
  const create = await bob.call('POST', '/v1/conversations', { type: 'direct', members: [ada.id] });
  t.equal(create.statusCode, 200, 'the direct chat is there again');
  t.equal(create.json().id, direct);
  t.equal((await send(bob, direct)).statusCode, 201, 'Bob sends into it again');
});

t.test('a block before any direct chat: none can be created, none is stored', async (t) => {
  t.equal((await cy.call('PUT', `/v1/me/blocks/${dee.id}`)).statusCode, 200);
  const refused = await dee.call('POST', '/v1/conversations', { type: 'direct', members: [cy.id] });
  t.equal(refused.statusCode, 403);
  t.equal(refused.json().code, 'USER_BLOCKED');
  t.equal(await app.mongo.db.collection('conversations').countDocuments({ type: 'direct', key: { $regex: dee.id } }), 0);
  t.equal((await cy.call('DELETE', `/v1/me/blocks/${dee.id}`)).statusCode, 200);
  t.equal((await dee.call('POST', '/v1/conversations', { type: 'direct', members: [cy.id] })).statusCode, 201);
});

t.test('refusals: yourself 400, unknown user 404, malformed id 400, anonymous 401', async (t) => {
  const self = await ada.call('PUT', `/v1/me/blocks/${ada.id}`);
  t.equal(self.statusCode, 400);
  t.equal(self.json().code, 'SELF_BLOCK');
  const unknown = await ada.call('PUT', `/v1/me/blocks/${randomUUID()}`);
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().code, 'USER_NOT_FOUND');
  for (const id of ['nope', ada.id.toUpperCase(), '665f1c2ab3d4e5f6a7b8c9d0']) {
    const res = await ada.call('PUT', `/v1/me/blocks/${encodeURIComponent(id)}`);
    t.equal(res.statusCode, 400, id);
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
  const anonymous = await app.inject({ method: 'PUT', url: `/v1/me/blocks/${bob.id}` });
  t.equal(anonymous.statusCode, 401);
  t.same((await ada.call('GET', '/v1/me/blocks')).json(), { items: [] }, 'no refusal stored anything');
});
