import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../app.test-support.js';
import { createTestUser, loginAs } from './user.test-support.js';
import { encodeCursor } from './user.service.js';

const search = (app: FastifyInstance, authorization: string, query: Record<string, string>) =>
  app.inject({ method: 'GET', url: '/v1/users', query, headers: { authorization } });

t.test('GET /v1/me answers my account; 401 without a token', async (t) => {
  const app = await buildTestApp(t);
  const user = await createTestUser(app, { nickname: 'Ada Lovelace', preferredLanguage: 'en' });
  const { headers } = await loginAs(app, user);
  const res = await app.inject({ method: 'GET', url: '/v1/me', headers });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json(), {
    id: user.id,
    email: user.email,
    nickname: 'Ada Lovelace',
    preferredLanguage: 'en',
    description: '',
    createdAt: user.document.createdAt.toISOString(),
    digestEmails: true,
    autoTranslate: true,
    avatarUrl: null,
  });
  const anonymous = await app.inject({ method: 'GET', url: '/v1/me' });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.json().code, 'UNAUTHENTICATED');
});

t.test('PATCH /v1/me changes the given fields only', async (t) => {
  const app = await buildTestApp(t);
  const user = await createTestUser(app, { nickname: 'Ada', preferredLanguage: 'en' });
  const { headers } = await loginAs(app, user);
  const res = await app.inject({ method: 'PATCH', url: '/v1/me', headers, payload: { nickname: 'Countess Lovelace', description: 'Notes on engines.' } });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { nickname: 'Countess Lovelace', description: 'Notes on engines.', preferredLanguage: 'en', email: user.email });
  const language = await app.inject({ method: 'PATCH', url: '/v1/me', headers, payload: { preferredLanguage: 'pt-BR' } });
  t.match(language.json(), { nickname: 'Countess Lovelace', preferredLanguage: 'pt-BR' });
  t.match((await app.inject({ method: 'GET', url: '/v1/me', headers })).json(), { nickname: 'Countess Lovelace', preferredLanguage: 'pt-BR', description: 'Notes on engines.' });
  const found = await search(app, headers.authorization, { query: 'COUNTESS' });
  t.same(found.json().items, [{ id: user.id, nickname: 'Countess Lovelace', avatarUrl: null }], 'the search follows the new nickname');
  t.same((await search(app, headers.authorization, { query: 'ada' })).json().items, [], 'and forgets the old one');
});

t.test('concurrent PATCHes of different fields all stick (no lost update on FerretDB)', async (t) => {
  const app = await buildTestApp(t);
  const user = await createTestUser(app);
  const { headers } = await loginAs(app, user);
  for (let round = 0; round < 5; round++) {
    const patches = [{ nickname: `Round ${round}` }, { description: `round ${round}` }, { preferredLanguage: round % 2 === 0 ? 'de' : 'fr' }];
    const answers = await Promise.all(patches.map((payload) => app.inject({ method: 'PATCH', url: '/v1/me', headers, payload })));
    t.same(answers.map((a) => a.statusCode), [200, 200, 200]);
    const me = (await app.inject({ method: 'GET', url: '/v1/me', headers })).json();
    t.match(me, { nickname: `Round ${round}`, description: `round ${round}`, preferredLanguage: round % 2 === 0 ? 'de' : 'fr' }, `round ${round}`);
  }
});

t.test('PATCH /v1/me refuses invalid bodies with 400 VALIDATION_FAILED and anonymous callers with 401', async (t) => {
  const app = await buildTestApp(t);
  const user = await createTestUser(app);
  const { headers } = await loginAs(app, user);
  const invalid = [{}, { nickname: 'x' }, { nickname: ' padded ' }, { nickname: '<b>' }, { preferredLanguage: 'english!' }, { description: 'x'.repeat(501) }, { email: 'new@example.org' }];
  for (const payload of invalid) {
    const res = await app.inject({ method: 'PATCH', url: '/v1/me', headers, payload });
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
  const anonymous = await app.inject({ method: 'PATCH', url: '/v1/me', payload: { nickname: 'Someone' } });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.json().code, 'UNAUTHENTICATED');
});

t.test('GET /v1/users finds nickname prefixes, case-insensitively, page by page, without e-mails', async (t) => {
  const app = await buildTestApp(t);
  const me = await createTestUser(app, { nickname: 'Searcher' });
  const names = ['Zed Alpha', 'zed beta', 'ZED Gamma', 'Zedd', 'Zorro', 'a.zed', 'Zé'];
  const created = await Promise.all(names.map((nickname) => createTestUser(app, { nickname })));
  const { headers } = await loginAs(app, me);

  const first = await search(app, headers.authorization, { query: 'zEd', limit: '2' });
  t.equal(first.statusCode, 200, first.body);
  const page1 = first.json<{ items: Array<{ id: string; nickname: string }>; nextCursor: string | null }>();
  t.same(page1.items.map((u) => u.nickname), ['Zed Alpha', 'zed beta']);
  t.type(page1.nextCursor, 'string');
  const page2 = (await search(app, headers.authorization, { query: 'zEd', limit: '2', cursor: page1.nextCursor ?? '' })).json<typeof page1>();
  t.same(page2.items.map((u) => u.nickname), ['ZED Gamma', 'Zedd']);
  t.equal(page2.nextCursor, null, 'the last page says so (no empty extra page)');

  const all = await search(app, headers.authorization, { query: 'z' });
  const body = all.body;
  for (const user of created) t.notOk(body.includes(user.email), `no e-mail of ${user.nickname}`);
  t.notOk(body.includes('@'), 'no e-mail at all');
  for (const item of all.json<typeof page1>().items) t.same(Object.keys(item).sort(), ['avatarUrl', 'id', 'nickname']);
  t.same(all.json<typeof page1>().items.map((u) => u.nickname), ['Zed Alpha', 'zed beta', 'ZED Gamma', 'Zedd', 'Zorro', 'Zé']);

  t.same((await search(app, headers.authorization, { query: '.zed' })).json<typeof page1>().items, [], 'regex characters are literal');
  t.same((await search(app, headers.authorization, { query: 'a.' })).json<typeof page1>().items.map((u) => u.nickname), ['a.zed']);
  t.same((await search(app, headers.authorization, { query: '.*' })).json<typeof page1>().items, []);
});

t.test('GET /v1/users refuses invalid queries with 400 and anonymous callers with 401', async (t) => {
  const app = await buildTestApp(t);
  const user = await createTestUser(app);
  const { headers } = await loginAs(app, user);
  const invalid: Array<Record<string, string>> = [{}, { query: '' }, { query: 'a', limit: '0' }, { query: 'a', limit: '51' }, { query: 'a', limit: 'many' }, { query: 'a', cursor: '' }, { query: 'a', other: '1' }];
  for (const query of invalid) {
    const res = await search(app, headers.authorization, query);
    t.equal(res.statusCode, 400, JSON.stringify(query));
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
  t.equal((await search(app, headers.authorization, { query: 'a', cursor: encodeCursor({ nicknameNormalized: 'a', id: 'b' }) })).statusCode, 200);
  for (const cursor of ['not-a-cursor', Buffer.from('{"a":1}').toString('base64url')]) {
    const res = await search(app, headers.authorization, { query: 'a', cursor });
    t.equal(res.statusCode, 400, cursor);
    t.equal(res.json().code, 'INVALID_CURSOR', 'the code every cursor of the API answers');
  }
  const anonymous = await app.inject({ method: 'GET', url: '/v1/users', query: { query: 'a' } });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.json().code, 'UNAUTHENTICATED');
});

t.test('a signed-out session cannot read or change the account', async (t) => {
  const app = await buildTestApp(t);
  const user = await createTestUser(app);
  const { headers } = await loginAs(app, user);
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers })).statusCode, 204);
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode, 401);
  t.equal((await app.inject({ method: 'PATCH', url: '/v1/me', headers, payload: { nickname: 'Intruder' } })).statusCode, 401);
  t.equal((await search(app, headers.authorization, { query: 'a' })).statusCode, 401);
});

t.test('GET /v1/users: searches per user are limited, with Retry-After, and another user is not affected', async (t) => {
  const app = await buildTestApp(t, { env: { USER_SEARCH_RATE_LIMIT_PER_MINUTE: '3' } });
  const [ada, bob] = [await createTestUser(app), await createTestUser(app)];
  const [adaAuth, bobAuth] = [(await loginAs(app, ada)).headers.authorization, (await loginAs(app, bob)).headers.authorization];
  for (let i = 0; i < 3; i += 1) t.equal((await search(app, adaAuth, { query: 'a' })).statusCode, 200);
  const limited = await search(app, adaAuth, { query: 'a' });
  t.equal(limited.statusCode, 429);
  t.equal(limited.json().code, 'RATE_LIMITED');
  t.ok(Number(limited.headers['retry-after']) >= 1, 'Retry-After in seconds');
  t.equal((await search(app, bobAuth, { query: 'a' })).statusCode, 200);
});
