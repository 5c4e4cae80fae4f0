import t from 'tap';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';
import { authedWs, connectWs, listeningApp, type Frame } from '../realtime/ws.test-support.js';

const messageIds = (frames: Frame[]): string[] => frames.filter((f) => f.type === 'message.new').map((f) => (f.message as { id: string }).id);

t.test('resume and presence', async (t) => {
  const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '10000', WS_RESUME_MAX_MESSAGES: '3' } });
  const [ada, bob, carol] = await Promise.all([signedInUser(app), signedInUser(app), signedInUser(app)]);
  const conversationId = await directConversation(ada, bob);
  const other = await directConversation(ada, carol);

  t.test('a reconnecting client gets what it missed once, in order, then the live events', async (t) => {
    const seen = await sendMessage(ada, conversationId, 'seen before', 'r-0');
    const missed = [await sendMessage(ada, conversationId, 'missed 1', 'r-1'), await sendMessage(ada, conversationId, 'missed 2', 'r-2')];
    // Connected (header auth, `ashchat.resume` offered) but not resumed yet: the live event waits in the post-auth hold.
    const bobWs = await authedWs(t, url, bob.session.accessToken, { resume: true });
    const live = await sendMessage(ada, conversationId, 'sent while reconnecting', 'r-3');
    bobWs.send({ type: 'resume', requestId: 'res', cursors: [{ conversationId, lastMessageId: seen.id }, { conversationId: other, lastMessageId: null }] });
    const ack = await bobWs.nextOf('ack', 'res');
    t.same(ack.result, { replayed: 3, incomplete: [], skipped: [other] }, 'a conversation bob is not in is skipped, unread');
    const after = await sendMessage(ada, conversationId, 'after the resume', 'r-4');
    await bobWs.next((f) => f.type === 'message.new' && (f.message as { id: string }).id === after.id);
    t.same(messageIds(bobWs.frames), [...missed.map((m) => m.id), live.id, after.id], 'no gap, no duplicate, in order');
    const ackIndex = bobWs.frames.findIndex((f) => f.type === 'ack');
    t.same(messageIds(bobWs.frames.slice(0, ackIndex)), [...missed, live].map((m) => m.id), 'the replay comes before its ack');
    t.notOk(bobWs.frames.some((f) => f !== ack && JSON.stringify(f).includes(other)), 'nothing of the skipped conversation beyond its id in the ack');
  });

  t.test('a replayed message whose live event reaches the instance after the replay is not sent again', async (t) => {
    const seen = await sendMessage(ada, conversationId, 'late seen', 'l-0');
    const replayed = await sendMessage(ada, conversationId, 'late replayed', 'l-1');
    const bobWs = await authedWs(t, url, bob.session.accessToken, { resume: true });
    bobWs.send({ type: 'resume', requestId: 'late', cursors: [{ conversationId, lastMessageId: seen.id }] });
    t.same((await bobWs.nextOf('ack', 'late')).result, { replayed: 1, incomplete: [], skipped: [] });
    // The message's own publish, arriving late (stored before the replay read it, published to this instance after).
    await app.userEvents.publish([bob.id], { type: 'message.new', conversationId, message: replayed } as never);
    const after = await sendMessage(ada, conversationId, 'late after', 'l-2');
    await bobWs.next((f) => f.type === 'message.new' && (f.message as { id: string }).id === after.id);
    t.same(messageIds(bobWs.frames), [replayed.id, after.id], 'the replayed message once, then the new one');
  });

  t.test('more than WS_RESUME_MAX_MESSAGES: the conversation is reported incomplete', async (t) => {
    const bobWs = await authedWs(t, url, bob.session.accessToken);
    bobWs.send({ type: 'resume', requestId: 'all', cursors: [{ conversationId, lastMessageId: null }] });
    const ack = await bobWs.nextOf('ack', 'all');
    t.same(ack.result, { replayed: 3, incomplete: [conversationId], skipped: [] });
    t.equal(messageIds(bobWs.frames).length, 3, 'the three oldest');
  });

  t.test('a client that declared a resume but sends another frame: held events go out with it', async (t) => {
    const bobWs = await authedWs(t, url, bob.session.accessToken, { resume: true });
    const sent = await sendMessage(ada, conversationId, 'held', 'h-1');
    bobWs.send({ type: 'ping', requestId: 'release' });
    await bobWs.nextOf('pong', 'release');
    await bobWs.next((f) => f.type === 'message.new' && (f.message as { id: string }).id === sent.id);
    t.pass('delivered');
  });

  t.test('presence.subscribe answers the current presence, then changes', async (t) => {
    const adaWs = await authedWs(t, url, ada.session.accessToken);
    adaWs.send({ type: 'ping' });
    const carolWs = await authedWs(t, url, carol.session.accessToken);
    adaWs.send({ type: 'presence.subscribe', requestId: 'p', userIds: [carol.id, bob.id, carol.id] });
    const ack = await adaWs.nextOf('ack', 'p');
    const presences = (ack.result as { presences: Array<{ userId: string; status: string }> }).presences;
    t.match(Object.fromEntries(presences.map((p) => [p.userId, p.status])), { [carol.id]: 'online' });
    carolWs.ws.close(1000);
    const offline = await adaWs.next((f) => f.type === 'presence' && f.userId === carol.id && f.status === 'offline');
    t.type(offline.lastSeen, 'string');
    const again = await connectWs(t, url, { token: carol.session.accessToken });
    await again.nextOf('auth.ok');
    await adaWs.next((f) => f.type === 'presence' && f.userId === carol.id && f.status === 'online');
    adaWs.send({ type: 'presence.subscribe', requestId: 'none', userIds: [] });
    t.same((await adaWs.nextOf('ack', 'none')).result, { presences: [], unavailable: [] }, 'an empty list ends the subscription');
  });
});
