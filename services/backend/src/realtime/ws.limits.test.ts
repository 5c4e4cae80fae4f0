import type { Socket } from 'node:net';
import t from 'tap';
import { WebSocket } from 'ws';
import { WS_CLOSE_CODES, WS_SUBPROTOCOL, WS_BEARER_PREFIX } from '@ashchat/contracts';
import { authedWs, connectWs, listeningApp, TestWsClient, signedInUser } from './ws.test-support.js';

t.test('limits', async (t) => {
  const { app, url } = await listeningApp(t, {
    env: {
      WS_MESSAGES_PER_SECOND: '1',
      WS_MESSAGES_BURST: '3',
      WS_RATE_LIMIT_STRIKES: '5',
      WS_MAX_FRAME_BYTES: '4096',
      WS_SEND_BUFFER_BYTES: '65536',
      WS_RESUME_HOLD_MS: '0',
    },
  });
  const ada = await signedInUser(app);

  t.test('frames over the rate are refused with RATE_LIMITED; a client that keeps on is closed with 4029', async (t) => {
    // The header authenticates without spending a frame of the bucket (3 at once, then 1/s).
    const client = await authedWs(t, url, ada.session.accessToken);
    for (const id of ['a', 'b', 'c', 'd']) client.send({ type: 'ping', requestId: id });
    for (const id of ['a', 'b', 'c']) await client.nextOf('pong', id);
    const refused = await client.nextOf('error', 'd');
    t.equal(refused.code, 'RATE_LIMITED');
    t.ok((refused.details as { retryAfterMs: number }).retryAfterMs > 0, 'says when to retry');
    for (let i = 0; i < 10; i += 1) client.send({ type: 'ping' });
    t.equal((await client.closeCode()).code, WS_CLOSE_CODES.RATE_LIMITED.code);
    t.ok(app.wsGateway.stats.rateLimitClosed >= 1);
  });

  t.test('a frame over WS_MAX_FRAME_BYTES closes with 1009; other clients go on', async (t) => {
    const big = await authedWs(t, url, ada.session.accessToken);
    const bystander = await authedWs(t, url, ada.session.accessToken);
    big.send({ type: 'ping', padding: 'x'.repeat(5_000) });
    t.equal((await big.closeCode()).code, WS_CLOSE_CODES.MESSAGE_TOO_BIG.code);
    bystander.send({ type: 'ping', requestId: 'fine' });
    await bystander.nextOf('pong', 'fine');
  });

  t.test('a client that stops reading is closed with 4008 once its send buffer is full', async (t) => {
    const slow = await authedWs(t, url, ada.session.accessToken);
    const raw = (slow.ws as unknown as { _socket: Socket })._socket;
    raw.pause();
    const before = app.wsGateway.stats.slowConsumersClosed;
    const body = 'y'.repeat(16_000);
    let published = 0;
    // Fills the client's and the kernel's buffers, then the server's bounded one; bounded attempts.
    for (let batch = 0; batch < 500 && app.wsGateway.stats.slowConsumersClosed === before; batch += 1) {
      const events = Array.from({ length: 20 }, () => app.userEvents.publish([ada.id], { type: 'typing', body } as never));
      await Promise.all(events);
      published += events.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    t.ok(app.wsGateway.stats.slowConsumersClosed > before, `closed as a slow consumer after ${published} events`);
    raw.resume();
    t.equal((await slow.closeCode(30_000)).code, WS_CLOSE_CODES.SLOW_CONSUMER.code);
  });

  t.test('a connection that stops answering pings is dropped by the heartbeat', async (t) => {
    // An app of its own: a 100 ms heartbeat would also drop the paused client above.
    const { app: other, url } = await listeningApp(t, { env: { WS_HEARTBEAT_INTERVAL_MS: '100' } });
    const bob = await signedInUser(other);
    const ws = new WebSocket(url, [WS_SUBPROTOCOL, `${WS_BEARER_PREFIX}${bob.session.accessToken}`], { autoPong: false });
    const silent = new TestWsClient(ws);
    t.teardown(() => silent.close());
    await silent.nextOf('auth.ok');
    const alive = await authedWs(t, url, bob.session.accessToken);
    const closed = await silent.closeCode();
    t.equal(closed.code, 1006, 'terminated without a close frame');
    alive.send({ type: 'ping', requestId: 'still' });
    await alive.nextOf('pong', 'still');
  });
});

t.test('shutting down closes every connection with 1001, so clients reconnect elsewhere', async (t) => {
  const { app, url } = await listeningApp(t);
  const user = await signedInUser(app);
  const authed = await authedWs(t, url, user.session.accessToken);
  const pending = await connectWs(t, url);
  // Dropped first: the teardown's drop comes after this close and would find the client closed.
  await app.mongo.db.dropDatabase();
  await app.close();
  for (const client of [authed, pending]) t.equal((await client.closeCode()).code, WS_CLOSE_CODES.GOING_AWAY.code);
  t.equal(app.wsGateway.stats.connections, 0);
});
