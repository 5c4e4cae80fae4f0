import { randomUUID } from 'node:crypto';
import t from 'tap';
import { directConversation, signedInUser, type ChatTestUser } from './chat.test-support.js';
import { authedWs, listeningApp, type Frame, type TestWsClient } from '../realtime/ws.test-support.js';

/*
 * presence.subscribe through the real app, Redis and the MongoDB-protocol server. "Nothing arrives
 * about X" is bounded by an event that comes later on the same path: X's change is first seen by
 * someone allowed to follow X, and only then does an allowed user of the subscriber change. On one
 * instance every presence event travels on the same Redis subscriber connection, in publish order,
 * so an event about X sent to the subscriber would have arrived before that later one.
 */

type Snapshot = { presences: Array<{ userId: string; status: string; lastSeen: string | null }>; unavailable: string[] };

const presenceOf = (userId: string, status?: string) => (f: Frame) => f.type === 'presence' && f.userId === userId && (status === undefined || f.status === status);
const about = (client: TestWsClient, userId: string): Frame[] => client.frames.filter((f) => f.type === 'presence' && f.userId === userId);

async function subscribe(client: TestWsClient, requestId: string, userIds: string[]): Promise<Snapshot> {
  client.send({ type: 'presence.subscribe', requestId, userIds });
  return (await client.nextOf('ack', requestId)).result as Snapshot;
}

t.test('presence.subscribe follows only users who share a conversation with the subscriber', async (t) => {
  const { app, url } = await listeningApp(t);
  const signed = (): Promise<ChatTestUser> => signedInUser(app);
  const [ada, bob, eve, frank] = await Promise.all([signed(), signed(), signed(), signed()]);
  await directConversation(ada, bob);
  // Eve shares nothing with Ada; Frank follows her, which bounds the waits below.
  await directConversation(eve, frank);

  t.test('a stranger and a made-up id get the same answer and nothing later; a partner gets both', async (t) => {
    const madeUp = randomUUID();
    const eveWs = await authedWs(t, url, eve.session.accessToken);
    const bobWs = await authedWs(t, url, bob.session.accessToken);
    const frankWs = await authedWs(t, url, frank.session.accessToken);
    t.match((await subscribe(frankWs, 'f', [eve.id])).presences, [{ userId: eve.id, status: 'online' }], 'Eve is online (what a leak would tell)');

    const adaWs = await authedWs(t, url, ada.session.accessToken);
    const snapshot = await subscribe(adaWs, 's', [bob.id, eve.id, madeUp, ada.id]);
    t.same(
      snapshot.presences.map((p) => [p.userId, p.status]),
      [
        [bob.id, 'online'],
        [ada.id, 'online'],
      ],
      'the partner and Ada herself',
    );
    t.same(snapshot.unavailable, [eve.id, madeUp], 'the stranger and the made-up id, alike');
    t.same(await subscribe(adaWs, 'eve', [eve.id]), { presences: [], unavailable: [eve.id] }, 'the stranger alone');
    t.same(await subscribe(adaWs, 'made-up', [madeUp]), { presences: [], unavailable: [madeUp] }, 'answers as the made-up id alone');

    await subscribe(adaWs, 'again', [bob.id, eve.id, madeUp]);
    eveWs.ws.close(1000);
    await frankWs.next(presenceOf(eve.id, 'offline'));
    bobWs.ws.close(1000);
    const bobOffline = await adaWs.next(presenceOf(bob.id, 'offline'));
    t.type(bobOffline.lastSeen, 'string', "the partner's change arrives with its last seen");
    t.same(about(adaWs, eve.id), [], 'nothing about the stranger going offline');
    t.same(about(adaWs, madeUp), []);
  });

  t.test('removed from the only shared conversation: no more events; added back: followed again', async (t) => {
    const [olga, gus] = await Promise.all([signed(), signed()]);
    const created = await olga.call('POST', '/v1/conversations', { type: 'group', name: 'shared', members: [ada.id, gus.id] });
    t.equal(created.statusCode, 201);
    const group = created.json<{ id: string }>().id;
    await directConversation(gus, frank);
    const gusWs = await authedWs(t, url, gus.session.accessToken);
    const bobWs = await authedWs(t, url, bob.session.accessToken);
    const frankWs = await authedWs(t, url, frank.session.accessToken);
    await subscribe(frankWs, 'f', [gus.id]);
    const adaWs = await authedWs(t, url, ada.session.accessToken);
    const snapshot = await subscribe(adaWs, 's', [gus.id, bob.id]);
    t.same(snapshot.presences.map((p) => p.userId), [gus.id, bob.id], 'Gus is followed while in the group');

    t.equal((await olga.call('DELETE', `/v1/conversations/${group}/members/${gus.id}`)).statusCode, 200);
    await adaWs.next((f) => f.type === 'conversation.updated' && f.conversationId === group);
    // The new check is queued behind the frames received before it: this pong comes after it.
    adaWs.send({ type: 'ping', requestId: 'after-removal' });
    await adaWs.nextOf('pong', 'after-removal');
    const before = about(adaWs, gus.id).length;
    gusWs.ws.close(1000);
    await frankWs.next(presenceOf(gus.id, 'offline'));
    bobWs.ws.close(1000);
    await adaWs.next(presenceOf(bob.id, 'offline'));
    t.equal(about(adaWs, gus.id).length, before, 'nothing about Gus after he left the only shared conversation');

    t.equal((await olga.call('POST', `/v1/conversations/${group}/members`, { members: [gus.id] })).statusCode, 200);
    const back = await adaWs.next(presenceOf(gus.id));
    t.match(back, { status: 'offline', lastSeen: String }, 'added back: his current presence, without a new subscribe');
  });
});
