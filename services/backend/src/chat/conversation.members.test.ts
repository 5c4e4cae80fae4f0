import t from 'tap';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, sendMessage, signedInUser, type ChatTestUser } from './chat.test-support.js';

const app = await buildTestApp(t);
const [ada, bob, cy, dee] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app), signedInUser(app)]);
if (!ada || !bob || !cy || !dee) throw new Error('users');
const missingId = '665f1c2ab3d4e5f6a7b8c9d0';

interface Member {
  userId: string;
  nickname: string;
  joinedAt?: string;
  lastReadMessageId: string | null;
}

async function members(user: ChatTestUser, conversationId: string): Promise<Member[]> {
  const res = await user.call('GET', `/v1/conversations/${conversationId}/members`);
  if (res.statusCode !== 200) throw new Error(`members: ${res.statusCode} ${res.body}`);
  return res.json<{ items: Member[] }>().items;
}

t.test('GET …/members: the receiver of a direct chat sees both nicknames and read markers; a marker moves after a read', async (t) => {
  const id = await directConversation(ada, bob);
  const before = await members(bob, id);
  t.same(
    before.map((m) => [m.userId, m.nickname, m.lastReadMessageId]),
    [
      [ada.id, ada.nickname, null],
      [bob.id, bob.nickname, null],
    ],
    'join order (the creator first), names, no reads yet',
  );
  t.ok(before.every((m) => typeof m.joinedAt === 'string' && !Number.isNaN(Date.parse(m.joinedAt))));

  const first = await sendMessage(ada, id, 'hello', 'c1');
  const second = await sendMessage(ada, id, 'again', 'c2');
  t.equal((await bob.call('POST', `/v1/conversations/${id}/read`, { upTo: first.id })).statusCode, 200);
  t.same((await members(ada, id)).map((m) => m.lastReadMessageId), [null, first.id], 'the sender sees how far the other has read');
  await bob.call('POST', `/v1/conversations/${id}/read`, { upTo: second.id });
  t.same((await members(ada, id)).find((m) => m.userId === bob.id)?.lastReadMessageId, second.id, 'the marker moved');
  await bob.call('POST', `/v1/conversations/${id}/read`, { upTo: first.id });
  t.same((await members(bob, id)).find((m) => m.userId === bob.id)?.lastReadMessageId, second.id, 'never back');
});

t.test('GET …/members: groups in join order; nicknames as they are now; left and removed members are gone', async (t) => {
  const group = (await ada.call('POST', '/v1/conversations', { type: 'group', name: 'Members', members: [bob.id, cy.id] })).json<{ id: string }>().id;
  await ada.call('POST', `/v1/conversations/${group}/members`, { members: [dee.id] });
  t.same((await members(dee, group)).map((m) => m.userId), [ada.id, bob.id, cy.id, dee.id]);

  t.equal((await cy.call('PATCH', '/v1/me', { nickname: 'Cy Renamed' })).statusCode, 200);
  t.equal((await members(bob, group)).find((m) => m.userId === cy.id)?.nickname, 'Cy Renamed');

  t.equal((await cy.call('DELETE', `/v1/conversations/${group}/members/${cy.id}`)).statusCode, 200);
  t.same((await members(ada, group)).map((m) => m.userId), [ada.id, bob.id, dee.id], 'who left is not listed');
  t.equal((await ada.call('DELETE', `/v1/conversations/${group}/members/${dee.id}`)).statusCode, 200);
  t.same((await members(bob, group)).map((m) => m.userId), [ada.id, bob.id], 'who was removed is not listed');
  const formerly = await dee.call('GET', `/v1/conversations/${group}/members`);
  t.equal(formerly.statusCode, 404, 'a removed member is an outsider');
  t.equal(formerly.json().code, 'CONVERSATION_NOT_FOUND');
});

t.test('GET …/members: outsiders, unknown ids and anonymous callers learn nothing', async (t) => {
  const id = await directConversation(ada, cy);
  for (const [who, url] of [
    [bob, `/v1/conversations/${id}/members`],
    [bob, `/v1/conversations/${missingId}/members`],
  ] as const) {
    const res = await who.call('GET', url);
    t.equal(res.statusCode, 404, url);
    t.same(res.json().code, 'CONVERSATION_NOT_FOUND', 'the same answer for both');
  }
  t.equal((await ada.call('GET', '/v1/conversations/nope/members')).json().code, 'VALIDATION_FAILED');
  const anonymous = await app.inject({ method: 'GET', url: `/v1/conversations/${id}/members` });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.json().code, 'UNAUTHENTICATED');
});

t.test('GET …/members: an account that has left through deletion is not a member', async (t) => {
  const eve = await signedInUser(app);
  const group = (await ada.call('POST', '/v1/conversations', { type: 'group', name: 'Departures', members: [eve.id, bob.id] })).json<{ id: string }>().id;
  t.same((await members(bob, group)).map((m) => m.userId), [ada.id, eve.id, bob.id]);
  // The account deletion's chat step (the saga runs it before the user document goes).
  let progress;
  do progress = await app.chat.departure.leaveConversations(eve.id, 10);
  while (progress.more);
  t.same((await members(bob, group)).map((m) => m.userId), [ada.id, bob.id]);
});
