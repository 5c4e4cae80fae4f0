/**
 * Hostile HTTP clients against the real backend listening on a loopback port: requests that never
 * finish, idle connections, oversized URLs and headers, bodies in the wrong media type. Every
 * refusal is a catalogue ErrorResponse with the API's security headers, and echoes nothing.
 */
import { connect, type AddressInfo } from 'node:net';
import t from 'tap';
import { API_SECURITY_HEADERS } from '@ashchat/service-kit';
import { errorBody } from './plugins/error-handler.plugin.js';
import { loadBackendConfig } from './config.js';
import { testEnv } from './app.test-support.js';
import { listeningApp, authedWs } from './realtime/ws.test-support.js';
import { signedInUser } from './chat/chat.test-support.js';

/** What a raw connection received before the server closed it. */
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `chunks` on a new connection, then waits (bounded) for the server to close it, and parses
 * what came back. Fails if the server keeps the connection open past `boundMs`.
 */
function rawExchange(port: number, chunks: readonly string[], boundMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${boundMs} ms; received: ${Buffer.concat(received).toString('latin1').slice(0, 500)}`));
    }, boundMs);
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    socket.on('data', (data: Buffer) => received.push(data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body });
    });
  });
}

const SMALL_TIMEOUTS = {
  HTTP_REQUEST_TIMEOUT_MS: '400',
  HTTP_HEADERS_TIMEOUT_MS: '200',
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '200',
  // A protocol ping every second: two of them span several request timeouts.
  WS_HEARTBEAT_INTERVAL_MS: '1000',
};

t.test('with small timeouts', async (t) => {
  const { app, url } = await listeningApp(t, { env: SMALL_TIMEOUTS });
  const { port } = app.server.address() as AddressInfo;

  t.test('a body that never completes gets 408 REQUEST_TIMEOUT and the connection is closed', async (t) => {
    const head = `POST /v1/sessions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n`;
    const answer = await rawExchange(port, [head, '{"email":"']);
    t.equal(answer.status, 408);
    t.same(JSON.parse(answer.body), errorBody('REQUEST_TIMEOUT'));
    t.match(answer.headers, API_SECURITY_HEADERS, 'with the security headers');
    t.equal(answer.headers.connection, 'close');
  });

  t.test('headers that never complete get 408 too', async (t) => {
    const answer = await rawExchange(port, ['GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: a']);
    t.equal(answer.status, 408);
    t.same(JSON.parse(answer.body), errorBody('REQUEST_TIMEOUT'));
  });

  t.test('an idle keep-alive connection is closed after its answer', async (t) => {
    const answer = await rawExchange(port, ['GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n']);
    t.equal(answer.status, 200, 'the request was answered, then the idle connection closed');
    t.same(JSON.parse(answer.body), { status: 'ok' });
  });

  t.test('a WebSocket connection outlives the request timeouts: it has a heartbeat of its own', async (t) => {
    const ada = await signedInUser(app);
    const client = await authedWs(t, url, ada.session.accessToken);
    let pings = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${pings} protocol pings within 15 s`)), 15_000);
      client.ws.on('ping', () => {
        pings += 1;
        if (pings === 2) {
          clearTimeout(timer);
          resolve();
        }
      });
      void client.closed.then(({ code }) => reject(new Error(`closed with ${code} before the second ping`)));
    });
    client.send({ type: 'ping', requestId: 'still-there' });
    t.ok(await client.nextOf('pong', 'still-there'), 'it still answers after two heartbeats (more than the request timeouts)');
  });
});

t.test('a path parameter longer than the router accepts: 414 URI_TOO_LONG, the URL not echoed', async (t) => {
  const { app } = await listeningApp(t);
  const id = 'a'.repeat(5_000);
  const res = await app.inject({ method: 'GET', url: `/v1/registrations/${id}` });
  t.equal(res.statusCode, 414);
  t.same(res.json(), errorBody('URI_TOO_LONG'));
  t.match(res.headers, API_SECURITY_HEADERS, 'with the security headers');
  t.notMatch(res.body, 'aaaa', 'nothing of the URL');

  const bad = await app.inject({ method: 'GET', url: '/v1/registrations/%zz-marker' });
  t.equal(bad.statusCode, 400, 'a path parameter that is not valid percent-encoding');
  t.same(bad.json(), errorBody('VALIDATION_FAILED'));
  t.notMatch(bad.body, 'marker');
});

t.test('headers larger than Node accepts: 431 HEADERS_TOO_LARGE, then the connection is closed', async (t) => {
  const { app } = await listeningApp(t);
  const { port } = app.server.address() as AddressInfo;
  const answer = await rawExchange(port, [`GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${'b'.repeat(20_000)}\r\n\r\n`]);
  t.equal(answer.status, 431);
  t.same(JSON.parse(answer.body), errorBody('HEADERS_TOO_LARGE'));
  t.match(answer.headers, API_SECURITY_HEADERS, 'with the security headers');
});

t.test('a JSON body sent as text/plain is 415 UNSUPPORTED_MEDIA_TYPE, not parsed', async (t) => {
  const { app } = await listeningApp(t);
  const res = await app.inject({
    method: 'POST',
    url: '/v1/sessions',
    headers: { 'content-type': 'text/plain' },
    payload: JSON.stringify({ email: 'ada@example.org', password: 'correct horse battery staple' }),
  });
  t.equal(res.statusCode, 415);
  t.same(res.json(), errorBody('UNSUPPORTED_MEDIA_TYPE'));
});

t.test('a headers timeout longer than the request timeout is refused at start-up, by name', async (t) => {
  const env = await testEnv({ HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '2000' });
  t.throws(() => loadBackendConfig({ env, envFile: false }), /HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS/);
});
