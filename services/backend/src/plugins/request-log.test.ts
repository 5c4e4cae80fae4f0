import t from 'tap';
import { loggedApp } from '../app.test-support.js';
import { signedInUser } from '../chat/chat.test-support.js';
import { connectWs } from '../realtime/ws.test-support.js';

t.test('a token in a query string never reaches the log, whatever the route', async (t) => {
  const { app, lines, port } = await loggedApp(t);
  const ada = await signedInUser(app);
  const token = ada.session.accessToken;
  const signature = token.split('.')[2]!;

  const answers = {
    // An API route refusing the unknown parameter (400), and refusing the unauthenticated client (401).
    conversations: await app.inject({ method: 'GET', url: `/v1/conversations?limit=5&access_token=${token}`, headers: ada.session.headers }),
    unauthenticated: await app.inject({ method: 'GET', url: `/v1/conversations?access_token=${token}` }),
    // The not-found handler logs the URL itself.
    notFound: await app.inject({ method: 'GET', url: `/v1/nowhere?token=${token}` }),
    // A bare token as the whole query; a refusal by the router (414).
    bare: await app.inject({ method: 'GET', url: `/v1/registrations/${'r'.repeat(200)}?${token}` }),
  };
  t.same(
    Object.fromEntries(Object.entries(answers).map(([name, res]) => [name, res.statusCode])),
    { conversations: 400, unauthenticated: 401, notFound: 404, bare: 414 },
    'the answers under test',
  );
  // The WebSocket upgrade, as a browser client might try it.
  const ws = await connectWs(t, `ws://127.0.0.1:${port}/v1/ws?access_token=${token}`);
  ws.close();
  await ws.closeCode();

  const log = lines.join('');
  t.notOk(log.includes(signature), 'no access token (nor its signature) in the log');
  const urls = lines.flatMap((line) => {
    const entry = JSON.parse(line) as { req?: { url?: string }; url?: string };
    return [entry.req?.url, entry.url].filter((u): u is string => u !== undefined);
  });
  t.ok(urls.includes('/v1/conversations?limit=5&[REDACTED]'), 'the path and a page size are kept');
  t.ok(urls.includes('/v1/nowhere?[REDACTED]'), 'the not-found log line has the path');
  t.ok(urls.includes('/v1/ws?[REDACTED]'), 'the upgrade request was logged, its query censored');
});
