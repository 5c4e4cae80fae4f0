import t from 'tap';
import { buildTestApp } from '../app.test-support.js';
import { authedWs, listeningApp, type Frame } from '../realtime/ws.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';
import type { FastifyInstance } from 'fastify';
import type { ChatTestUser } from './chat.test-support.js';

/** Mentions: `@nickname` resolved to members at sending and on edit; unread mentions counted per member. */

async function named(app: FastifyInstance, nickname: string): Promise<ChatTestUser> {
  const user = await createTestUser(app, { nickname });
  const session = await loginAs(app, user);
  return {
    ...user,
    session,
    call: (method, url, payload) => app.inject({ method, url, headers: session.headers, ...(payload === undefined ? {} : { payload: payload as object }) }),
  };
}

async function group(owner: ChatTestUser, members: ChatTestUser[]): Promise<string> {
  const res = await owner.call('POST', '/v1/conversations', { type: 'group', name: 'Engine', members: members.map((m) => m.id) });
  if (res.statusCode !== 201) throw new Error(`group: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

const send = async (user: ChatTestUser, conversation: string, body: string, clientMessageId: string) => {
  const res = await user.call('POST', `/v1/conversations/${conversation}/messages`, { body, clientMessageId });
  if (res.statusCode !== 201) throw new Error(`send: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string; mentions: string[] }>();
};

const counts = async (user: ChatTestUser, conversation: string) => {
  const list = (await user.call('GET', '/v1/conversations')).json<{ items: { id: string; unreadCount: number; unreadMentionCount: number }[] }>();
  const c = list.items.find((i) => i.id === conversation);
  return { unread: c?.unreadCount, mentions: c?.unreadMentionCount };
};

t.test('REST', async (t) => {
  const app = await buildTestApp(t);
  const ada = await named(app, 'Ada Lovelace');
  const ad = await named(app, 'Ada');
  const bob = await named(app, 'Bob');
  const outsider = await named(app, 'Eve');
  const room = await group(ada, [ad, bob]);
  const url = `/v1/conversations/${room}/messages`;

  t.test('resolves members, longest nickname first, case and width folded, each once', async (t) => {
    const m = await send(bob, room, 'hi @ada lovelace and @ADA, also @Ada again and ＠bob', 'm-1');
    t.same(new Set(m.mentions), new Set([ada.id, ad.id, bob.id]));
    t.equal(m.mentions.length, 3, 'repeated names once');
  });

  t.test('non-members and addresses are ignored', async (t) => {
    const m = await send(ada, room, 'ask @Eve or mail bob@example.org or @Bobby', 'm-2');
    t.same(m.mentions, [], `${outsider.nickname} is not a member; an address or a longer word is no mention`);
  });

  t.test('edit resolves again; delete empties them', async (t) => {
    const m = await send(ada, room, 'nobody yet', 'm-3');
    const edited = await ada.call('PATCH', `${url}/${m.id}`, { body: 'now @Bob!' });
    t.same(edited.json().mentions, [bob.id]);
    const deleted = await ada.call('DELETE', `${url}/${m.id}`);
    t.same(deleted.json().mentions, []);
  });

  t.test('unreadMentionCount goes up with mentions and down with the read marker', async (t) => {
    const other = await group(ada, [bob]);
    t.same(await counts(bob, other), { unread: 0, mentions: 0 });
    await send(ada, other, 'plain', 'u-1');
    const first = await send(ada, other, '@Bob look', 'u-2');
    const second = await send(ada, other, 'and @bob here', 'u-3');
    await send(bob, other, '@Bob talking to myself', 'u-4');
    t.same(await counts(bob, other), { unread: 3, mentions: 2 }, 'own messages do not count');
    t.same(await counts(ada, other), { unread: 1, mentions: 0 });
    const read = await bob.call('POST', `/v1/conversations/${other}/read`, { upTo: first.id });
    t.match(read.json(), { unreadCount: 1, unreadMentionCount: 1 });
    t.same(await counts(bob, other), { unread: 1, mentions: 1 });
    await ada.call('DELETE', `/v1/conversations/${other}/messages/${second.id}`);
    t.same(await counts(bob, other), { unread: 0, mentions: 0 }, 'a deleted mention is no longer counted');
  });
});

t.test('WebSocket', async (t) => {
  const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '0' } });
  const ada = await named(app, 'Ada');
  const bob = await named(app, 'Bob');
  const room = await group(ada, [bob]);
  const [adaWs, bobWs] = await Promise.all([authedWs(t, url, ada.session.accessToken), authedWs(t, url, bob.session.accessToken)]);

  t.test('message.send resolves mentions; the event carries them; message.read answers the mention count', async (t) => {
    adaWs.send({ type: 'message.send', requestId: 's1', conversationId: room, body: '@bob @bob @nobody', clientMessageId: 'ws-m-1' });
    const { message } = (await adaWs.nextOf('ack', 's1')).result as { message: { id: string; mentions: string[] } };
    t.same(message.mentions, [bob.id]);
    const event = await bobWs.next((f: Frame) => f.type === 'message.new' && (f.message as { id: string }).id === message.id);
    t.same((event.message as { mentions: string[] }).mentions, [bob.id]);
    t.same(await counts(bob, room), { unread: 1, mentions: 1 });
    bobWs.send({ type: 'message.read', requestId: 'r1', conversationId: room, upTo: message.id });
    t.match((await bobWs.nextOf('ack', 'r1')).result, { unreadCount: 0, unreadMentionCount: 0 });
  });
});
