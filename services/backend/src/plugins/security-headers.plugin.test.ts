import t from 'tap';
import { API_SECURITY_HEADERS } from '@ashchat/service-kit';
import { buildTestApp } from '../app.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';

const app = await buildTestApp(t);

t.test('every API answer carries the security headers: success, refusal, unknown route', async (t) => {
  const answers = {
    health: await app.inject({ method: 'GET', url: '/health' }),
    notFound: await app.inject({ method: 'GET', url: '/no/such/route' }),
    unauthenticated: await app.inject({ method: 'GET', url: '/v1/me' }),
    invalid: await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: 'not an address' } }),
  };
  t.same(
    Object.fromEntries(Object.entries(answers).map(([name, res]) => [name, res.statusCode])),
    { health: 200, notFound: 404, unauthenticated: 401, invalid: 400 },
    'the answers under test',
  );
  for (const [name, res] of Object.entries(answers)) {
    t.match(res.headers, API_SECURITY_HEADERS, `${name}: ${JSON.stringify(API_SECURITY_HEADERS)}`);
    t.notOk(res.headers['x-powered-by'], `${name}: no X-Powered-By`);
  }
});

t.test('token answers are never stored: sign-in, refresh, and their refusals (RFC 6749 §5.1)', async (t) => {
  const user = await createTestUser(app);
  const signIn = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: user.email, password: user.password, deviceId: user.deviceId } });
  t.equal(signIn.statusCode, 201);
  const { refreshToken } = signIn.json<{ refreshToken: string }>();
  const refresh = await app.inject({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken } });
  t.equal(refresh.statusCode, 201);
  const refused = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: user.email, password: `${user.password}-wrong`, deviceId: user.deviceId } });
  t.equal(refused.statusCode, 401);
  for (const [name, res] of Object.entries({ signIn, refresh, refused })) {
    t.equal(res.headers['cache-control'], 'no-store', `${name}: Cache-Control: no-store`);
    t.equal(res.headers.pragma, 'no-cache', `${name}: Pragma: no-cache`);
  }
  const session = await loginAs(app, user);
  const me = await app.inject({ method: 'GET', url: '/v1/me', headers: session.headers });
  t.equal(me.statusCode, 200);
  t.notOk(me.headers.pragma, 'other answers are left to the usual rules');
});
