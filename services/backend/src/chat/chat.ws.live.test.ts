import t from 'tap';
import { directConversation, sendMessage, signedInUser } from './chat.test-support.js';
import { authedWs, connectWs, listeningApp, type Frame } from '../realtime/ws.test-support.js';

/*
 * The post-authentication hold is for clients that resume. With it set to 10 s, a client that only
 * listens must still get its live events at once (issue 16: they came up to 2.5 s late).
 */

const messageIds = (frames: Frame[]): string[] => frames.filter((f) => f.type === 'message.new').map((f) => (f.message as { id: string }).id);
const isMessage = (id: string) => (f: Frame) => f.type === 'message.new' && (f.message as { id: string }).id === id;

t.test('live delivery without the resume hold', async (t) => {
  const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '10000' } });
  const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);
  const conversationId = await directConversation(ada, bob);

  t.test('a client that connects and only listens gets a message sent right after its authentication well before the hold ends', async (t) => {
    const bobWs = await authedWs(t, url, bob.session.accessToken);
    const sent = await sendMessage(ada, conversationId, 'right after auth', 'live-1');
    // Bounded at 5 s, half the hold: a held event would only come with the hold's end (10 s).
    await bobWs.next(isMessage(sent.id), 5_000);
    t.same(messageIds(bobWs.frames), [sent.id], 'delivered once, without any frame from the client');
  });

  t.test('the same with the token in an auth frame', async (t) => {
    const bobWs = await connectWs(t, url);
    bobWs.send({ type: 'auth', requestId: 'a', accessToken: bob.session.accessToken });
    await bobWs.nextOf('auth.ok', 'a');
    const sent = await sendMessage(ada, conversationId, 'right after auth frame', 'live-2');
    await bobWs.next(isMessage(sent.id), 5_000);
    t.pass('delivered');
  });

  t.test('auth with resume: true holds the live events until the resume, which covers them once', async (t) => {
    const before = await sendMessage(ada, conversationId, 'had it', 'live-3');
    const bobWs = await connectWs(t, url);
    bobWs.send({ type: 'auth', requestId: 'a', accessToken: bob.session.accessToken, resume: true });
    await bobWs.nextOf('auth.ok', 'a');
    const missed = await sendMessage(ada, conversationId, 'while reconnecting', 'live-4');
    bobWs.send({ type: 'resume', requestId: 'r', cursors: [{ conversationId, lastMessageId: before.id }] });
    const ack = await bobWs.nextOf('ack', 'r');
    t.match(ack.result, { replayed: 1, incomplete: [], skipped: [] });
    const after = await sendMessage(ada, conversationId, 'after the resume', 'live-5');
    await bobWs.next(isMessage(after.id));
    t.same(messageIds(bobWs.frames), [missed.id, after.id], 'no gap, no duplicate, in order');
  });

  t.test('a resume by position (lastSeq) replays what was stored after it, then the held live events once', async (t) => {
    const before = (await sendMessage(ada, conversationId, 'have it', 'seq-1')) as unknown as { id: string; seq: number };
    t.ok(before.seq > 0, 'stored messages carry their position');
    const missed = await sendMessage(ada, conversationId, 'missed by position', 'seq-2');
    const bobWs = await authedWs(t, url, bob.session.accessToken, { resume: true });
    const live = await sendMessage(ada, conversationId, 'held for the resume', 'seq-3');
    bobWs.send({ type: 'resume', requestId: 'r', cursors: [{ conversationId, lastMessageId: null, lastSeq: before.seq }] });
    const ack = await bobWs.nextOf('ack', 'r');
    t.match(ack.result, { replayed: 2, incomplete: [], skipped: [] });
    const after = await sendMessage(ada, conversationId, 'after it', 'seq-4');
    await bobWs.next(isMessage(after.id));
    t.same(messageIds(bobWs.frames), [missed.id, live.id, after.id], 'no gap, no duplicate, in order');
  });

  t.test('resume may follow auth in the same breath', async (t) => {
    const before = await sendMessage(ada, conversationId, 'had this too', 'live-6');
    const missed = await sendMessage(ada, conversationId, 'missed it', 'live-7');
    const bobWs = await connectWs(t, url);
    bobWs.send({ type: 'auth', accessToken: bob.session.accessToken, resume: true });
    bobWs.send({ type: 'resume', requestId: 'r', cursors: [{ conversationId, lastMessageId: before.id }] });
    await bobWs.nextOf('ack', 'r');
    const after = await sendMessage(ada, conversationId, 'then live', 'live-8');
    await bobWs.next(isMessage(after.id));
    t.same(messageIds(bobWs.frames), [missed.id, after.id]);
  });
});
