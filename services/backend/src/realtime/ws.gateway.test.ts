import t from 'tap';
import { once } from 'node:events';
import type { RawData } from 'ws';
import { waitFor } from '@ashchat/testkit';
import { authedWs, listeningApp, signedInUser, type TestWsClient } from './ws.test-support.js';

/** Resolves with the next frame's text and whether it came as a binary frame (bounded). */
async function nextRaw(client: TestWsClient): Promise<{ text: string; binary: boolean }> {
  const timeout = AbortSignal.timeout(10_000);
  const [data, binary] = (await once(client.ws, 'message', { signal: timeout })) as [RawData, boolean];
  return { text: Buffer.isBuffer(data) ? data.toString('utf8') : String(data), binary };
}

t.test('gateway delivery', async (t) => {
  const { app, url } = await listeningApp(t, { env: { WS_RESUME_HOLD_MS: '0' } });
  const [ada, bob] = [await signedInUser(app), await signedInUser(app)];

  t.test('one event to several users and connections: the same JSON text frame on each socket', async (t) => {
    const clients = [await authedWs(t, url, ada.session.accessToken), await authedWs(t, url, ada.session.accessToken), await authedWs(t, url, bob.session.accessToken)];
    const event = { type: 'typing', conversationId: 'c1', userId: 'someone', state: 'start', expiresInMs: 5_000, note: 'é ✓ "quoted"' };
    const arrived = Promise.all(clients.map(nextRaw));
    await app.userEvents.publish([ada.id, bob.id], event);
    for (const frame of await arrived) {
      t.equal(frame.binary, false, 'a text frame');
      t.equal(frame.text, JSON.stringify(event), 'the event as published, byte for byte');
    }
  });

  t.test('hasUser: true while the user has an authenticated connection here, false once the last one closed', async (t) => {
    const carol = await signedInUser(app);
    // The earlier subtest's connections are gone first: the count below is carol's alone.
    await waitFor(() => app.wsGateway.stats.connections === 0, { timeoutMs: 5_000, message: 'earlier connections released' });
    t.equal(app.wsGateway.hasUser(carol.id), false);
    const first = await authedWs(t, url, carol.session.accessToken);
    const second = await authedWs(t, url, carol.session.accessToken);
    t.equal(app.wsGateway.hasUser(carol.id), true);
    first.close();
    await waitFor(() => app.wsGateway.stats.connections === 1, { timeoutMs: 5_000, message: 'the first connection released' });
    t.equal(app.wsGateway.hasUser(carol.id), true, 'another connection is still there');
    second.close();
    await waitFor(() => !app.wsGateway.hasUser(carol.id), { timeoutMs: 5_000, message: 'released with the last connection' });
    t.equal(app.wsGateway.stats.connections, 0);
  });
});
