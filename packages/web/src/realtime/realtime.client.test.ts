import t, { type Test } from 'tap';
import { WebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { waitFor } from '@ashchat/testkit';
import { createRealtime, type Realtime } from './realtime.client.js';
import type { NetworkStatus, WebSocketConstructor } from './realtime.env.js';
import { CLOSE, WS_BEARER_PREFIX, WS_RESUME_SUBPROTOCOL, WS_SUBPROTOCOL, type RealtimeError } from './realtime.protocol.js';

/**
 * The client against a real WebSocket server on a local port, scripted per test: the protocol's side of
 * each case (answers, close codes) without the backend. The backend's own behaviour is covered by its
 * tests; client and backend together by the browser tests.
 */
interface Conn {
  socket: ServerSocket;
  protocols: string[];
  frames: Array<Record<string, unknown>>;
}

async function server(t: Test, answer: (conn: Conn, frame: Record<string, unknown>) => void) {
  const wss = new WebSocketServer({ port: 0, handleProtocols: (offered) => (offered.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false) });
  const conns: Conn[] = [];
  wss.on('connection', (socket, request) => {
    const conn: Conn = { socket, protocols: String(request.headers['sec-websocket-protocol']).split(/,\s*/), frames: [] };
    conns.push(conn);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      conn.frames.push(frame);
      answer(conn, frame);
    });
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  t.teardown(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  const address = wss.address() as { port: number };
  return { url: `ws://127.0.0.1:${address.port}`, conns, wss };
}

const ack = (conn: Conn, frame: Record<string, unknown>, result: unknown = {}) => conn.socket.send(JSON.stringify({ type: 'ack', requestId: frame.requestId, result }));
const alwaysOnline: NetworkStatus = { onLine: () => true, subscribe: () => () => {} };

function client(t: Test, url: string, tokens = tokenSource()): Realtime {
  const rt = createRealtime({ url, tokens, WebSocketImpl: WebSocket as unknown as WebSocketConstructor, random: () => 0, network: alwaysOnline });
  t.teardown(() => rt.close());
  return rt;
}

function tokenSource() {
  const ended: string[] = [];
  let n = 0;
  return {
    ended,
    accessToken: async () => `token-${n}`,
    freshAccessToken: async () => `token-${++n}`,
    sessionEnded: (reason: 'revoked' | 'unauthenticated') => void ended.push(reason),
  };
}

t.test('connects with the token as subprotocol, resumes first, then sends what was queued and answers requests', async (t) => {
  const srv = await server(t, (conn, frame) => {
    if (frame.type === 'message.send') ack(conn, frame, { created: true, message: { id: 'x' } });
    if (frame.type === 'resume') ack(conn, frame, { replayed: 0, incomplete: [], skipped: [] });
    if (frame.type === 'typing.start') conn.socket.send(JSON.stringify({ type: 'error', requestId: frame.requestId, code: 'CONVERSATION_NOT_FOUND', message: 'no' }));
  });
  const rt = client(t, srv.url);
  rt.onResume(async () => {
    const result = await rt.request({ type: 'resume', cursors: [] }, { beforeOnline: true });
    t.same(result, { replayed: 0, incomplete: [], skipped: [] });
  });
  const queued = rt.request({ type: 'message.send', conversationId: 'c'.repeat(24), body: 'hi', clientMessageId: 'u1' }, { queue: true });
  await t.rejects(rt.request({ type: 'typing.stop', conversationId: 'c'.repeat(24) }), { code: 'OFFLINE' }, 'unqueued frames fail while not online');
  t.same((await queued).message, { id: 'x' });
  t.equal(rt.status.value, 'online');
  const conn = srv.conns[0]!;
  t.same(conn.protocols, [WS_SUBPROTOCOL, `${WS_BEARER_PREFIX}token-0`, WS_RESUME_SUBPROTOCOL], 'a client that resumes says so');
  t.same(
    conn.frames.map((f) => f.type),
    ['resume', 'message.send'],
  );
  await t.rejects(rt.request({ type: 'typing.start', conversationId: 'c'.repeat(24) }), { code: 'CONVERSATION_NOT_FOUND' });
  await t.rejects(rt.request({ type: 'ping' }, { timeoutMs: 50 }), { code: 'TIMEOUT' }, 'an unanswered request times out');
});

t.test('after a drop it reconnects, resumes again and resends queued frames; others fail DISCONNECTED', async (t) => {
  let resumes = 0;
  const srv = await server(t, (conn, frame) => {
    if (frame.type === 'resume') ack(conn, frame, { replayed: 0, incomplete: [], skipped: [] });
    if (srv.conns.length === 1 && frame.type === 'message.send') conn.socket.close(CLOSE.EVENTS_LOST);
    else if (frame.type === 'message.send') ack(conn, frame, { created: false, message: { id: 'y' } });
  });
  const rt = client(t, srv.url);
  rt.onResume(async () => {
    resumes++;
    await rt.request({ type: 'resume', cursors: [] }, { beforeOnline: true });
  });
  await waitFor(() => rt.status.value === 'online');
  const lost = rt.request({ type: 'typing.start', conversationId: 'c'.repeat(24) });
  const send = rt.request({ type: 'message.send', conversationId: 'c'.repeat(24), body: 'hi', clientMessageId: 'u1' }, { queue: true });
  await t.rejects(lost, { code: 'DISCONNECTED' });
  t.same((await send).message, { id: 'y' }, 'answered on the second connection');
  t.equal(srv.conns.length, 2);
  t.equal(resumes, 2);
  t.same(
    srv.conns[1]!.frames.map((f) => [f.type, f.clientMessageId]),
    [
      ['resume', undefined],
      ['message.send', 'u1'],
    ],
    'the same clientMessageId, after the resume',
  );
});

t.test('a revoked session (4403) ends it without reconnecting', async (t) => {
  const srv = await server(t, () => {});
  srv.wss.on('connection', (socket) => socket.close(CLOSE.SESSION_REVOKED));
  const tokens = tokenSource();
  const rt = client(t, srv.url, tokens);
  await waitFor(() => tokens.ended.length > 0);
  t.same(tokens.ended, ['revoked']);
  t.equal(rt.status.value, 'offline');
  await t.rejects(rt.request({ type: 'ping' }), { code: 'CLOSED' });
  t.equal(srv.conns.length, 1);
});

t.test('an expired token (4419) is refreshed and the connection made again with the fresh one', async (t) => {
  const srv = await server(t, () => {});
  srv.wss.on('connection', (socket) => {
    if (srv.conns.length === 1) socket.close(CLOSE.TOKEN_EXPIRED);
  });
  const rt = client(t, srv.url);
  await waitFor(() => rt.status.value === 'online');
  t.same(
    srv.conns.map((c) => c.protocols[1]),
    [`${WS_BEARER_PREFIX}token-0`, `${WS_BEARER_PREFIX}token-1`],
  );
});

t.test('a client without resume hooks does not offer ashchat.resume: its live events are not held', async (t) => {
  const srv = await server(t, () => {});
  const rt = client(t, srv.url);
  await waitFor(() => rt.status.value === 'online');
  t.same(srv.conns[0]!.protocols, [WS_SUBPROTOCOL, `${WS_BEARER_PREFIX}token-0`]);
});

t.test('auth.expiring is answered with an auth frame carrying a fresh token', async (t) => {
  const srv = await server(t, (conn, frame) => {
    if (frame.type === 'auth') conn.socket.send(JSON.stringify({ type: 'auth.ok', requestId: frame.requestId, userId: 'u', expiresAt: '2030-01-01T00:00:00.000Z' }));
  });
  const rt = client(t, srv.url);
  await waitFor(() => rt.status.value === 'online');
  srv.conns[0]!.socket.send(JSON.stringify({ type: 'auth.expiring', expiresAt: '2030-01-01T00:00:00.000Z' }));
  await waitFor(() => rt.userId.value === 'u');
  t.same(srv.conns[0]!.frames, [{ type: 'auth', accessToken: 'token-1', requestId: srv.conns[0]!.frames[0]!.requestId }]);
});

t.test('a frame the server refused as too big (1009) is not sent again', async (t) => {
  const srv = await server(t, (conn, frame) => {
    if (frame.type === 'message.send') conn.socket.close(CLOSE.MESSAGE_TOO_BIG);
  });
  const rt = client(t, srv.url);
  await waitFor(() => rt.status.value === 'online');
  const error = (await rt.request({ type: 'message.send', conversationId: 'c'.repeat(24), body: 'x', clientMessageId: 'u1' }, { queue: true }).catch((e: unknown) => e)) as RealtimeError;
  t.equal(error.code, 'FRAME_REFUSED');
  await waitFor(() => srv.conns.length === 2 && rt.status.value === 'online');
  t.same(srv.conns[1]!.frames, [], 'nothing resent on the new connection');
});
