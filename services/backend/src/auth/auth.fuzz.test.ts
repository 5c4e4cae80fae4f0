import t from 'tap';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { CreateRegistrationBody, CreateSessionBody, deadLetterQueueName, RefreshSessionBody, UpdateMeBody, UserSearchQuery } from '@ashchat/contracts';
import { uniqueName } from '@ashchat/testkit';
import { buildTestApp } from '../app.test-support.js';
import { expectedTextOutcome, hostileText, textAnswerProblem } from '../text.test-support.js';
import { createTestUser, loginAs, type TestSession } from '../users/user.test-support.js';
import { registrationQueues } from '../registration/registration.queues.js';

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

t.test('every text field of the sign-in, registration, profile and search contracts follows the text rule', async (t) => {
  // Registrations that pass are published: to queues of this test's own, which no verifier reads.
  const namespace = uniqueName('test.text-fuzz');
  const app = await buildTestApp(t, {
    env: {
      QUEUE_NAMESPACE: namespace,
      REGISTRATION_RATE_LIMIT_PER_IP: '1000000',
      REGISTRATION_RATE_LIMIT_PER_EMAIL: '1000000',
      USER_SEARCH_RATE_LIMIT_PER_MINUTE: '1000000',
    },
  });
  const user = await createTestUser(app);
  const session = await loginAs(app, user);
  const registration = { email: 'text-fuzz@example.org', password: 'correct horse battery staple', nickname: 'Text Fuzz', preferredLanguage: 'en' };
  type Field = {
    name: string;
    schema: object;
    request: (value: string) => { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: object; query?: Record<string, string>; auth?: boolean };
    /** The field in a successful answer, which must then hold the text exactly as sent. */
    echo?: string;
    /** Builds the field's value around the generated text (an e-mail address must look like one to reach the rule). */
    wrap?: (text: string) => string;
  };
  const inEmail = (text: string): string => `a${text}@example.org`;
  const fields: Field[] = [
    {
      name: 'sign-in email',
      schema: CreateSessionBody.properties.email,
      request: (v) => ({ method: 'POST', url: '/v1/sessions', payload: { email: v, password: 'not the password', deviceId: user.deviceId } }),
      wrap: inEmail,
    },
    { name: 'sign-in password', schema: CreateSessionBody.properties.password, request: (v) => ({ method: 'POST', url: '/v1/sessions', payload: { email: user.email, password: v, deviceId: user.deviceId } }) },
    {
      name: 'sign-in deviceName',
      schema: CreateSessionBody.properties.deviceName,
      request: (v) => ({ method: 'POST', url: '/v1/sessions', payload: { email: user.email, password: user.password, deviceId: user.deviceId, deviceName: v } }),
    },
    { name: 'refreshToken', schema: RefreshSessionBody.properties.refreshToken, request: (v) => ({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken: v } }) },
    ...(['email', 'password', 'nickname'] as const).map(
      (key): Field => ({
        name: `registration ${key}`,
        schema: CreateRegistrationBody.properties[key],
        request: (v) => ({ method: 'POST', url: '/v1/registrations', payload: { ...registration, [key]: v } }),
        ...(key === 'email' ? { wrap: inEmail } : {}),
      }),
    ),
    ...(['nickname', 'description'] as const).map(
      (key): Field => ({ name: `profile ${key}`, schema: UpdateMeBody.properties[key], request: (v) => ({ method: 'PATCH', url: '/v1/me', payload: { [key]: v }, auth: true }), echo: key }),
    ),
    ...(['query', 'cursor'] as const).map(
      (key): Field => ({
        name: `user search ${key}`,
        schema: UserSearchQuery.properties[key],
        request: (v) => ({ method: 'GET', url: '/v1/users', query: { query: 'ada', [key]: v }, auth: true }),
      }),
    ),
  ];
  for (const field of fields) {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileText({ maxLength: 10 }).map(field.wrap ?? ((v) => v)), async (generated) => {
        const r = field.request(generated);
        // A query string carries Unicode scalar values: a lone surrogate cannot be sent, it arrives as U+FFFD.
        const value = r.query ? (new URLSearchParams({ v: generated }).get('v') ?? '') : generated;
        const res = await app.inject({
          method: r.method,
          url: r.url,
          ...(r.query ? { query: r.query } : {}),
          ...(r.payload ? { payload: r.payload } : {}),
          headers: r.auth ? session.headers : {},
        });
        const code = res.statusCode >= 400 ? res.json<{ code?: unknown }>().code : undefined;
        const key = `${res.statusCode} ${String(code ?? '')}`.trim();
        seen.set(key, (seen.get(key) ?? 0) + 1);
        const problem = textAnswerProblem(expectedTextOutcome(field.schema, value, true), res.statusCode, code);
        if (problem !== undefined) throw new Error(`${field.name} = ${JSON.stringify(value)}: ${problem}`);
        if (field.echo !== undefined && res.statusCode === 200 && res.json<Record<string, unknown>>()[field.echo] !== value) {
          throw new Error(`${field.name} = ${JSON.stringify(value)} came back as ${JSON.stringify(res.json<Record<string, unknown>>()[field.echo])}`);
        }
      }),
      RUNS,
    );
    t.pass(`${field.name}: ${JSON.stringify(Object.fromEntries(seen))}`);
  }
  // The request queues only: the reply queue still has the app's consumer, which would declare it again.
  const { accountCreation, confirmEmailCode } = registrationQueues(namespace);
  for (const queue of [accountCreation, confirmEmailCode]) {
    await app.amqp.queueDelete({ queue });
    await app.amqp.queueDelete({ queue: deadLetterQueueName(queue) });
  }
});
