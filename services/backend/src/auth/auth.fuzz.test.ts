import t from 'tap';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../app.test-support.js';
import { createTestUser, loginAs, type TestSession } from './auth.test-support.js';

/** Random JSON, and random objects built from the field names the routes know (more likely to get past the first check). */
const FIELDS = ['email', 'password', 'deviceName', 'refreshToken', 'nickname', 'preferredLanguage', 'description', 'query', 'limit', 'cursor'];
const knownish = fc.dictionary(fc.constantFrom(...FIELDS, 'other'), fc.oneof(fc.string(), fc.jsonValue(), fc.constant('ada@example.org')));
const body = fc.oneof(fc.jsonValue(), knownish);
const query = fc.dictionary(fc.constantFrom('query', 'limit', 'cursor', 'other'), fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })));
const RUNS = { numRuns: 60 };

interface Ctx {
  app: FastifyInstance;
  session: TestSession;
}

async function setup(t: Parameters<typeof buildTestApp>[0]): Promise<Ctx> {
  const app = await buildTestApp(t);
  const user = await createTestUser(app);
  return { app, session: await loginAs(app, user) };
}

const assertNo5xx = (res: { statusCode: number; body: string }, what: unknown): void => {
  if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${JSON.stringify(what)}: ${res.body}`);
};

t.test('random bodies never make the auth and profile routes answer 5xx', async (t) => {
  const { app, session } = await setup(t);
  const routes = [
    { method: 'POST', url: '/v1/sessions', auth: false },
    { method: 'POST', url: '/v1/sessions/refresh', auth: false },
    { method: 'PATCH', url: '/v1/me', auth: true },
  ] as const;
  for (const route of routes) {
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const res = await app.inject({
          method: route.method,
          url: route.url,
          payload: JSON.stringify(payload),
          headers: { 'content-type': 'application/json', ...(route.auth ? session.headers : {}) },
        });
        assertNo5xx(res, payload);
      }),
      RUNS,
    );
    t.pass(`${route.method} ${route.url}: no 5xx in ${RUNS.numRuns} random bodies`);
  }
});

t.test('random query strings never make GET /v1/users answer 5xx', async (t) => {
  const { app, session } = await setup(t);
  await fc.assert(
    fc.asyncProperty(query, async (q) => {
      const res = await app.inject({ method: 'GET', url: '/v1/users', query: q, headers: session.headers });
      assertNo5xx(res, q);
      if (res.statusCode === 200) {
        if (res.body.includes('@')) throw new Error(`an e-mail address in ${res.body}`);
      }
    }),
    RUNS,
  );
  t.pass('no 5xx, no e-mail address');
});

t.test('random Authorization headers never get past authenticate, nor cause 5xx', async (t) => {
  const { app, session } = await setup(t);
  const [head, payload] = session.accessToken.split('.');
  const header = fc.oneof(
    fc.string(),
    fc.string().map((s) => `Bearer ${s}`),
    fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.'.split('')) }).map((s) => `Bearer ${head}.${payload}.${s}`),
  );
  const urls = [
    { method: 'GET', url: '/v1/me' },
    { method: 'GET', url: '/v1/users?query=a' },
    { method: 'DELETE', url: '/v1/sessions/current' },
    { method: 'DELETE', url: '/v1/sessions' },
  ] as const;
  await fc.assert(
    fc.asyncProperty(header, fc.constantFrom(...urls), async (authorization, route) => {
      const res = await app.inject({ method: route.method, url: route.url, headers: { authorization } });
      if (res.statusCode !== 401) throw new Error(`${res.statusCode} for ${JSON.stringify(authorization)} on ${route.url}`);
    }),
    { numRuns: 100 },
  );
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: session.headers })).statusCode, 200, 'the real token still works');
});
