import t from 'tap';
import { WS_CLOSE_CODES, WS_SUBPROTOCOL } from '@ashchat/contracts';
import { loginAs } from '../users/user.test-support.js';
import { waitFor } from '@ashchat/testkit';
import { authedWs, connectWs, listeningApp, signedInUser } from './ws.test-support.js';

const CLOSE = Object.fromEntries(Object.entries(WS_CLOSE_CODES).map(([name, { code }]) => [name, code])) as Record<keyof typeof WS_CLOSE_CODES, number>;

t.test('authentication', async (t) => {
  const { app, url } = await listeningApp(t, {
    env: { WS_AUTH_TIMEOUT_MS: '400', WS_SWEEP_INTERVAL_MS: '25', WS_AUTH_EXPIRY_NOTICE_MS: '1500' },
  });
  const ada = await signedInUser(app);
  const bob = await signedInUser(app);
  const claims = (token: string): { sub: string; sid: string; exp: number } => app.jwt.decode(token)!;
  /** A token of the user's session that expires `inMs` from now (whole seconds, as JWTs go). */
  const shortToken = (token: string, inMs: number): string => {
    const { sub, sid } = claims(token);
    // fast-jwt computes exp = iat + the configured lifetime: back-date iat.
    const iat = Math.floor((Date.now() + inMs) / 1_000) - app.config.ACCESS_TOKEN_TTL_SECONDS;
    return app.jwt.sign({ sub, sid, iat } as { sub: string; sid: string });
  };

  t.test('with the token in Sec-WebSocket-Protocol: ashchat.v1 is selected, never the bearer entry', async (t) => {
    const client = await connectWs(t, url, { token: ada.session.accessToken });
    t.equal(client.ws.protocol, WS_SUBPROTOCOL);
    const ok = await client.nextOf('auth.ok');
    t.equal(ok.userId, ada.id);
    t.equal(ok.expiresAt, new Date(claims(ada.session.accessToken).exp * 1_000).toISOString());
    client.send({ type: 'ping', requestId: 'p1' });
    t.same(await client.nextOf('pong', 'p1'), { type: 'pong', requestId: 'p1' });
  });

  t.test('with a first `auth` frame', async (t) => {
    const client = await connectWs(t, url);
    t.equal(client.ws.protocol, '', 'no subprotocol offered, none selected');
    client.send({ type: 'auth', accessToken: ada.session.accessToken, requestId: 'a1' });
    const ok = await client.nextOf('auth.ok', 'a1');
    t.equal(ok.userId, ada.id);
  });

  t.test('frames other than auth, ping, registration.watch before authentication are refused; the connection stays', async (t) => {
    const client = await connectWs(t, url);
    client.send({ type: 'message.send', requestId: 's1', conversationId: '665f1c2ab3d4e5f6a7b8c9d0', body: 'hi', clientMessageId: 'c1' });
    const error = await client.nextOf('error', 's1');
    t.equal(error.code, 'UNAUTHENTICATED');
    client.send({ type: 'ping', requestId: 'p' });
    await client.nextOf('pong', 'p');
    client.send({ type: 'auth', accessToken: ada.session.accessToken });
    await client.nextOf('auth.ok');
  });

  t.test('a bad token closes with 4401 (header and frame; signature, garbage)', async (t) => {
    const [header, payload] = ada.session.accessToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    for (const token of [forged, 'not-a-jwt']) {
      const viaHeader = await connectWs(t, url, { token });
      t.equal((await viaHeader.closeCode()).code, CLOSE.UNAUTHENTICATED);
      const viaFrame = await connectWs(t, url);
      viaFrame.send({ type: 'auth', accessToken: token });
      t.equal((await viaFrame.closeCode()).code, CLOSE.UNAUTHENTICATED);
    }
  });

  t.test('no authentication within WS_AUTH_TIMEOUT_MS closes with 4401', async (t) => {
    const client = await connectWs(t, url);
    const closed = await client.closeCode();
    t.equal(closed.code, CLOSE.UNAUTHENTICATED);
    t.equal(closed.reason, 'authentication timeout');
  });

  t.test('an expired token closes with 4419', async (t) => {
    const client = await connectWs(t, url, { token: shortToken(ada.session.accessToken, -5_000) });
    t.equal((await client.closeCode()).code, CLOSE.TOKEN_EXPIRED);
  });

  t.test('a token about to expire: auth.expiring, a fresh token extends; without one the connection closes with 4419', async (t) => {
    const renewing = await connectWs(t, url, { token: shortToken(ada.session.accessToken, 2_500) });
    const lapsing = await connectWs(t, url, { token: shortToken(ada.session.accessToken, 2_500) });
    const first = await renewing.nextOf('auth.ok');
    await lapsing.nextOf('auth.ok');
    const expiring = await renewing.nextOf('auth.expiring');
    t.equal(expiring.expiresAt, first.expiresAt, 'the notice names the expiry');

    renewing.send({ type: 'auth', accessToken: bob.session.accessToken, requestId: 'other-user' });
    t.equal((await renewing.nextOf('error', 'other-user')).code, 'UNAUTHENTICATED', "another user's token is refused");
    renewing.send({ type: 'auth', accessToken: ada.session.accessToken, requestId: 'renew' });
    const renewed = await renewing.nextOf('auth.ok', 'renew');
    t.ok(String(renewed.expiresAt) > String(first.expiresAt), 'the expiry moved');

    t.equal((await lapsing.closeCode()).code, CLOSE.TOKEN_EXPIRED, 'not renewed: closed at expiry');
    renewing.send({ type: 'ping', requestId: 'after' });
    await renewing.nextOf('pong', 'after');
    t.ok(Date.now() >= Date.parse(String(first.expiresAt)), 'the renewed connection outlived its first token');
  });

  t.test('session revocation closes that session’s connections with 4403, not the others', async (t) => {
    const carol = await signedInUser(app);
    const otherDevice = await loginAs(app, carol);
    const revoked = await authedWs(t, url, carol.session.accessToken);
    const kept = await authedWs(t, url, otherDevice.accessToken);
    await app.userEvents.publish([carol.id], { type: 'session.revoked', sessionId: claims(carol.session.accessToken).sid } as never);
    t.equal((await revoked.closeCode()).code, CLOSE.SESSION_REVOKED);
    kept.send({ type: 'ping', requestId: 'still' });
    await kept.nextOf('pong', 'still');
    t.notOk(kept.frames.some((f) => f.type === 'session.revoked'), 'the internal event is not forwarded');

    // Signed out over REST: a new connection with the (still unexpired) token is refused.
    const res = await app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: carol.session.headers });
    t.equal(res.statusCode, 204);
    const late = await connectWs(t, url, { token: carol.session.accessToken });
    t.equal((await late.closeCode()).code, CLOSE.SESSION_REVOKED);
  });

  t.test('signing out everywhere over REST closes the live connections of every session of the user', async (t) => {
    const dan = await signedInUser(app);
    const phone = await loginAs(app, dan);
    const [laptopWs, phoneWs] = [await authedWs(t, url, dan.session.accessToken), await authedWs(t, url, phone.accessToken)];
    t.equal((await app.inject({ method: 'DELETE', url: '/v1/sessions', headers: phone.headers })).statusCode, 204);
    t.equal((await laptopWs.closeCode()).code, CLOSE.SESSION_REVOKED);
    t.equal((await phoneWs.closeCode()).code, CLOSE.SESSION_REVOKED);
  });

  t.test('when the event feed drops (Redis subscriber lost), authenticated connections are told to reconnect and resume', async (t) => {
    const eve = await signedInUser(app);
    const client = await authedWs(t, url, eve.session.accessToken);
    const line = ((await app.redis.client('LIST')) as string).split('\n').find((l) => l.includes(` name=${app.userEvents.connectionName} `));
    const id = /(?:^|\s)id=(\d+)/.exec(line ?? '')?.[1];
    t.ok(id, 'the subscriber connection is listed under its own name');
    await app.redis.client('KILL', 'ID', id ?? '0');
    t.equal((await client.closeCode()).code, CLOSE.EVENTS_LOST);
    // Once the feed is back, a reconnect is accepted again.
    const again = await waitFor(
      async () => {
        const c = await connectWs(t, url, { token: eve.session.accessToken });
        const first = await Promise.race([c.nextOf('auth.ok').then(() => c), c.closeCode().then(() => undefined)]);
        return first;
      },
      { timeoutMs: 10_000, message: 'a reconnect accepted' },
    );
    again.send({ type: 'ping', requestId: 'back' });
    await again.nextOf('pong', 'back');
    t.pass('reconnected');
  });
});
