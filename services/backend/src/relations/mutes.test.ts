import t from 'tap';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, signedInUser } from '../chat/chat.test-support.js';
import { createMuteService } from './mute.service.js';

const app = await buildTestApp(t);
const [ada, bob, cy] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
if (!ada || !bob || !cy) throw new Error('users');
const direct = await directConversation(ada, bob);
const inAnHour = (): string => new Date(Date.now() + 3_600_000).toISOString();

type ListedConversation = { id: string; muted: boolean; mutedUntil: string | null; unreadCount: number };
async function listed(user: typeof ada, id: string): Promise<ListedConversation | undefined> {
  const res = await user.call('GET', '/v1/conversations');
  return res.json<{ items: ListedConversation[] }>().items.find((c) => c.id === id);
}

t.test('mute until a time, for good, list, unmute; the conversation list shows it', async (t) => {
  t.match(await listed(ada, direct), { muted: false, mutedUntil: null }, 'not muted at first');
  const until = inAnHour();
  const muted = await ada.call('PUT', `/v1/me/mutes/${direct}`, { until });
  t.equal(muted.statusCode, 200);
  t.match(muted.json(), { conversationId: direct, until, mutedAt: String });
  t.match(await listed(ada, direct), { muted: true, mutedUntil: until }, 'the list shows it at once (same instance)');
  t.match(await listed(bob, direct), { muted: false }, 'only for Ada');
  t.same((await app.relations.mutes.mutedConversationIds(ada.id, new Date())).has(direct), true, 'the digest reader sees it');

  const forGood = await ada.call('PUT', `/v1/me/mutes/${direct}`, { until: null });
  t.equal(forGood.statusCode, 200);
  t.match(await listed(ada, direct), { muted: true, mutedUntil: null }, 'muted until unmuted');
  const list = await ada.call('GET', '/v1/me/mutes');
  t.equal(list.statusCode, 200);
  t.match(list.json(), { items: [{ conversationId: direct, until: null }] });
  t.equal(list.json().items.length, 1, 'muting again replaced the first mute');

  const unmuted = await ada.call('DELETE', `/v1/me/mutes/${direct}`);
  t.equal(unmuted.statusCode, 200);
  t.same(unmuted.json(), { conversationId: direct, muted: false });
  t.same((await ada.call('GET', '/v1/me/mutes')).json(), { items: [] });
  t.match(await listed(ada, direct), { muted: false, mutedUntil: null });
  t.equal((await ada.call('DELETE', `/v1/me/mutes/${direct}`)).statusCode, 200, 'unmuting again changes nothing');
});

t.test('muted: unread still counted', async (t) => {
  t.equal((await ada.call('PUT', `/v1/me/mutes/${direct}`, { until: null })).statusCode, 200);
  const before = (await listed(ada, direct))?.unreadCount ?? 0;
  const sent = await bob.call('POST', `/v1/conversations/${direct}/messages`, { body: 'still counted', clientMessageId: 'mute-unread-1' });
  t.equal(sent.statusCode, 201);
  t.match(await listed(ada, direct), { muted: true, unreadCount: before + 1 });
  t.equal((await ada.call('DELETE', `/v1/me/mutes/${direct}`)).statusCode, 200);
});

t.test('a mute ends by itself: read against the clock, nothing to clean up', async (t) => {
  let now = new Date('2030-01-01T12:00:00.000Z');
  const mutes = createMuteService({
    repository: app.relations.repositories.mutes,
    requireMember: (userId, conversationId) => app.chat.access(userId, conversationId),
    announce: async () => undefined,
    clock: () => now,
  });
  await mutes.mute(cy.id, direct, new Date('2030-01-01T13:00:00.000Z')).then(
    () => t.fail('Cy is no member'),
    (err: { code?: string }) => t.equal(err.code, 'CONVERSATION_NOT_FOUND'),
  );
  await mutes.mute(bob.id, direct, new Date('2030-01-01T13:00:00.000Z'));
  t.same([...(await mutes.mutedConversationIds(bob.id, now))], [direct], 'in force before its end');
  t.equal((await mutes.list(bob.id)).items.length, 1);
  now = new Date('2030-01-01T13:00:00.000Z');
  t.same([...(await mutes.mutedConversationIds(bob.id, now))], [], 'ended at its end');
  t.same(await mutes.list(bob.id), { items: [] }, 'an ended mute is not listed');
  t.equal((await mutes.activeMutes(bob.id, now)).size, 0, 'nor shown in the views');
  await mutes.unmute(bob.id, direct);
});

t.test('refusals: non-member 404, past or malformed dates 400, bad ids 400, anonymous 401', async (t) => {
  const outsider = await cy.call('PUT', `/v1/me/mutes/${direct}`, { until: null });
  t.equal(outsider.statusCode, 404);
  t.equal(outsider.json().code, 'CONVERSATION_NOT_FOUND');
  const outsiderDelete = await cy.call('DELETE', `/v1/me/mutes/${direct}`);
  t.equal(outsiderDelete.statusCode, 404);
  t.equal(outsiderDelete.json().code, 'CONVERSATION_NOT_FOUND');
  const unknown = await ada.call('PUT', '/v1/me/mutes/665f1c2ab3d4e5f6a7b8c9d0', { until: null });
  t.equal(unknown.statusCode, 404, 'an unknown conversation answers like a foreign one');
  t.equal(unknown.json().code, 'CONVERSATION_NOT_FOUND');

  const past = await ada.call('PUT', `/v1/me/mutes/${direct}`, { until: new Date(Date.now() - 1_000).toISOString() });
  t.equal(past.statusCode, 400);
  t.equal(past.json().code, 'MUTE_IN_PAST');
  for (const payload of [{}, { until: 'tomorrow' }, { until: 3600 }, { until: null, extra: 1 }, { until: '2030-13-01T00:00:00Z' }]) {
    const res = await ada.call('PUT', `/v1/me/mutes/${direct}`, payload);
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
  const badId = await ada.call('PUT', '/v1/me/mutes/not-an-id', { until: null });
  t.equal(badId.statusCode, 400);
  t.equal(badId.json().code, 'VALIDATION_FAILED');
  const anonymous = await app.inject({ method: 'GET', url: '/v1/me/mutes' });
  t.equal(anonymous.statusCode, 401);
  t.same((await ada.call('GET', '/v1/me/mutes')).json(), { items: [] }, 'no refusal stored anything');
});
