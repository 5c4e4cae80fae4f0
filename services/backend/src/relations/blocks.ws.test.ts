import t from 'tap';
import { directConversation, signedInUser, type ChatTestUser } from '../chat/chat.test-support.js';
import { authedWs, listeningApp, type Frame, type TestWsClient } from '../realtime/ws.test-support.js';

/*
 * Blocks over the WebSocket, through the real app, Redis and the MongoDB-protocol server. "Nothing
 * arrives" is always bounded by a later event that does arrive on the same path (see
 * chat.ws.presence.test.ts): on one instance a user's events, and all presence events, each travel
 * on one Redis subscriber connection in publish order.
 */
const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '0' } });
const signed = (): Promise<ChatTestUser> => signedInUser(app);
const [ada, bob, carl, dee] = await Promise.all([signed(), signed(), signed(), signed()]);
const direct = await directConversation(ada, bob);
// Carl shares a group with Ada and Bob: his events bound the waits. Dee follows Ada only.
const group = (await carl.call('POST', '/v1/conversations', { type: 'group', name: 'Engine', members: [ada.id, bob.id] })).json<{ id: string }>().id;
await directConversation(dee, ada);

const presenceOf = (userId: string, status?: string) => (f: Frame) => f.type === 'presence' && f.userId === userId && (status === undefined || f.status === status);
const typingOf = (userId: string, conversationId: string) => (f: Frame) => f.type === 'typing' && f.userId === userId && f.conversationId === conversationId;
const about = (client: TestWsClient, match: (f: Frame) => boolean): Frame[] => client.frames.filter(match);
let requests = 0;
const rid = (): string => `r${(requests += 1)}`;

async function subscribe(client: TestWsClient, userIds: string[]): Promise<{ presences: Array<{ userId: string }>; unavailable: string[] }> {
  const requestId = rid();
  client.send({ type: 'presence.subscribe', requestId, userIds });
  return (await client.nextOf('ack', requestId)).result as { presences: Array<{ userId: string }>; unavailable: string[] };
}

async function typing(client: TestWsClient, conversationId: string, state: 'start' | 'stop'): Promise<void> {
  const requestId = rid();
  client.send({ type: `typing.${state}`, requestId, conversationId });
  await client.nextOf('ack', requestId);
}

/** Waits until `client`'s connection has handled every event published to it so far (a forwarded one after them, then a pong). */
async function settled(client: TestWsClient, user: ChatTestUser): Promise<void> {
  const created = await carl.call('POST', '/v1/conversations', { type: 'group', name: 'marker', members: [user.id] });
  const id = created.json<{ id: string }>().id;
  await client.next((f) => f.type === 'conversation.updated' && f.conversationId === id);
  const requestId = rid();
  client.send({ type: 'ping', requestId });
  await client.nextOf('pong', requestId);
}

t.test('message.send into the direct chat is refused both ways with USER_BLOCKED; the group is not', async (t) => {
  const [adaWs, bobWs] = await Promise.all([authedWs(t, url, ada.session.accessToken), authedWs(t, url, bob.session.accessToken)]);
  t.equal((await ada.call('PUT', `/v1/me/blocks/${bob.id}`)).statusCode, 200);
  for (const [client, name] of [
    [bobWs, 'bob'],
    [adaWs, 'ada'],
  ] as const) {
    const requestId = rid();
    client.send({ type: 'message.send', requestId, conversationId: direct, body: 'hi', clientMessageId: `ws-blocked-${name}` });
    const error = await client.nextOf('error', requestId);
    t.equal(error.code, 'USER_BLOCKED', `${name}: refused`);
  }
  const requestId = rid();
  bobWs.send({ type: 'message.send', requestId, conversationId: group, body: 'in the group', clientMessageId: 'ws-group-bob' });
  t.match((await bobWs.nextOf('ack', requestId)).result, { created: true }, 'the group is unaffected');
  t.equal((await ada.call('DELETE', `/v1/me/blocks/${bob.id}`)).statusCode, 200);
  const after = rid();
  bobWs.send({ type: 'message.send', requestId: after, conversationId: direct, body: 'hi again', clientMessageId: 'ws-unblocked-bob' });
  t.match((await bobWs.nextOf('ack', after)).result, { created: true }, 'unblocked: sent');
});

t.test('typing from a blocker does not reach the blocked user, in any conversation; unblock restores it', async (t) => {
  const [adaWs, bobWs, carlWs] = await Promise.all([
    authedWs(t, url, ada.session.accessToken),
    authedWs(t, url, bob.session.accessToken),
    authedWs(t, url, carl.session.accessToken),
  ]);
  t.equal((await ada.call('PUT', `/v1/me/blocks/${bob.id}`)).statusCode, 200);
  await typing(adaWs, group, 'start');
  await typing(adaWs, direct, 'start');
  await carlWs.next(typingOf(ada.id, group));
  t.pass('Carl, in the group, sees Ada typing');
  await typing(carlWs, group, 'start');
  await bobWs.next(typingOf(carl.id, group));
  t.same(about(bobWs, (f) => f.type === 'typing' && f.userId === ada.id), [], 'nothing of Ada reached Bob before Carl’s later typing');

  t.equal((await ada.call('DELETE', `/v1/me/blocks/${bob.id}`)).statusCode, 200);
  await typing(adaWs, group, 'stop');
  await bobWs.next(typingOf(ada.id, group));
  t.pass('unblocked: Bob sees Ada typing again');
});

t.test('presence: a block hides the blocker at once (snapshot and live); unblock shows her again at once', async (t) => {
  const bobWs = await authedWs(t, url, bob.session.accessToken);
  const carlWs = await authedWs(t, url, carl.session.accessToken);
  const deeWs = await authedWs(t, url, dee.session.accessToken);
  let adaWs = await authedWs(t, url, ada.session.accessToken);
  await subscribe(deeWs, [ada.id]);
  const before = await subscribe(bobWs, [ada.id, carl.id]);
  t.same(before.presences.map((p) => p.userId), [ada.id, carl.id], 'before: Bob follows Ada');

  t.equal((await ada.call('PUT', `/v1/me/blocks/${bob.id}`)).statusCode, 200);
  await settled(bobWs, bob);
  // Ada goes offline: Dee sees it; then Carl goes offline, which Bob sees. Ada's change came first.
  adaWs.ws.close(1000);
  await deeWs.next(presenceOf(ada.id, 'offline'));
  carlWs.ws.close(1000);
  await bobWs.next(presenceOf(carl.id, 'offline'));
  t.same(about(bobWs, presenceOf(ada.id, 'offline')), [], 'Bob did not see Ada go offline');
  const snapshot = await subscribe(bobWs, [ada.id, carl.id]);
  t.same(snapshot.unavailable, [ada.id], 'a new snapshot lists Ada as unavailable, like a stranger');
  t.same(snapshot.presences.map((p) => p.userId), [carl.id]);
  const adaSide = await subscribe(await authedWs(t, url, ada.session.accessToken), [bob.id]);
  t.same(adaSide.unavailable, [bob.id], 'Ada does not see Bob either');

  t.equal((await ada.call('DELETE', `/v1/me/blocks/${bob.id}`)).statusCode, 200);
  const back = await bobWs.next(presenceOf(ada.id));
  t.equal(back.status, 'online', 'unblocked: her current presence arrives without a new subscribe');
  adaWs = await authedWs(t, url, ada.session.accessToken);
  t.ok(adaWs, 'connected');
});
