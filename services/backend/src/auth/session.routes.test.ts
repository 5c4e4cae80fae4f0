import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../app.test-support.js';
import { createTestUser, loginAs, TEST_DEVICE_ID } from '../users/user.test-support.js';
import { hashRefreshToken } from './refresh-token.js';

const me = (app: FastifyInstance, authorization?: string) =>
  app.inject({ method: 'DELETE', url: '/v1/sessions/current', ...(authorization ? { headers: { authorization } } : {}) });
const refresh = (app: FastifyInstance, refreshToken: unknown) =>
  app.inject({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken } });
/** A route behind `app.authenticate` with no side effect, to probe whether a token still works. */
const probe = (app: FastifyInstance, authorization: string) =>
  app.inject({ method: 'GET', url: '/test/whoami', headers: { authorization } });

const setup = (app: FastifyInstance): void => {
  app.get('/test/whoami', { preHandler: app.authenticate, schema: { hide: true } }, async (request) => ({ userId: request.userId }));
};

t.test('POST /v1/sessions signs in and the access token authenticates', async (t) => {
  const app = await buildTestApp(t, { setup });
  const user = await createTestUser(app);
  const res = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: user.email.toUpperCase(), password: user.password, deviceId: user.deviceId, deviceName: 'laptop' } });
  t.equal(res.statusCode, 201, res.body);
  const body = res.json<{ accessToken: string; refreshToken: string; expiresIn: number; tokenType: string }>();
  t.equal(body.tokenType, 'Bearer');
  t.equal(body.expiresIn, 900);
  t.match(body.refreshToken, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  const claims = app.jwt.decode<{ sub: string; sid: string; exp: number; iat: number }>(body.accessToken);
  t.equal(claims?.sub, user.id);
  t.type(claims?.sid, 'string');
  t.ok(claims && claims.exp - claims.iat <= 900, 'at most 15 minutes');

  const stored = await app.mongo.db.collection('sessions').findOne({ familyId: claims?.sid });
  t.equal(stored?.tokenHash, hashRefreshToken(body.refreshToken), 'only the digest is stored');
  t.notOk(JSON.stringify(stored).includes(body.refreshToken), 'never the token itself');
  t.equal(stored?.deviceName, 'laptop');

  const who = await probe(app, `Bearer ${body.accessToken}`);
  t.equal(who.statusCode, 200, who.body);
  t.same(who.json(), { userId: user.id });
});

t.test('wrong password and unknown e-mail answer the same 401 INVALID_CREDENTIALS', async (t) => {
  const app = await buildTestApp(t);
  const user = await createTestUser(app);
  const wrong = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: user.email, password: 'not-the-password', deviceId: user.deviceId } });
  const unknown = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: 'nobody@example.org', password: 'not-the-password', deviceId: TEST_DEVICE_ID } });
  t.equal(wrong.statusCode, 401);
  t.equal(wrong.json().code, 'INVALID_CREDENTIALS');
  t.same(unknown.json(), wrong.json(), 'identical bodies');
});

t.test('POST /v1/sessions refuses invalid bodies with 400 VALIDATION_FAILED', async (t) => {
  const app = await buildTestApp(t);
  const deviceId = TEST_DEVICE_ID;
  for (const payload of [
    {},
    { email: 'not-an-email', password: 'x', deviceId },
    { email: 'a@example.org', password: '', deviceId },
    { email: 'a@example.org', password: 'x', deviceId, extra: 1 },
    { email: 'a@example.org', password: 'x' },
    { email: 'a@example.org', password: 'x', deviceId: 'short' },
    { email: 'a@example.org', password: 'x', deviceId: 'has spaces in it, not allowed' },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/v1/sessions', payload });
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
});

t.test('authenticate refuses missing, malformed, forged and expired tokens with 401 UNAUTHENTICATED', async (t) => {
  const app = await buildTestApp(t, { setup });
  const user = await createTestUser(app);
  const session = await loginAs(app, user);
  const forged = app.jwt.sign({ sub: user.id, sid: 'no-such-session' });
  const expired = app.jwt.sign({ sub: user.id, sid: app.jwt.decode<{ sid: string }>(session.accessToken)?.sid ?? '' }, { expiresIn: -10 });
  const [head, , signature] = session.accessToken.split('.');
  const tampered = `${head}.${Buffer.from(JSON.stringify({ sub: 'someone-else', sid: 'x' })).toString('base64url')}.${signature}`;
  for (const authorization of [undefined, 'Bearer', 'Basic abc', `bearer${session.accessToken}`, `Bearer ${tampered}`, `Bearer ${forged}`, `Bearer ${expired}`]) {
    const res = await app.inject({ method: 'GET', url: '/test/whoami', ...(authorization === undefined ? {} : { headers: { authorization } }) });
    t.equal(res.statusCode, 401, String(authorization));
    t.equal(res.json().code, 'UNAUTHENTICATED');
  }
});

t.test('refresh rotates: new tokens in the same session, the old refresh token is spent', async (t) => {
  const app = await buildTestApp(t, { setup });
  const user = await createTestUser(app);
  const first = await loginAs(app, user);
  const res = await refresh(app, first.refreshToken);
  t.equal(res.statusCode, 201, res.body);
  const second = res.json<{ accessToken: string; refreshToken: string }>();
  t.not(second.refreshToken, first.refreshToken);
  const sid = (token: string) => app.jwt.decode<{ sid: string }>(token)?.sid;
  t.equal(sid(second.accessToken), sid(first.accessToken), 'same session (family)');
  t.equal((await probe(app, `Bearer ${second.accessToken}`)).statusCode, 200);
  t.equal((await probe(app, `Bearer ${first.accessToken}`)).statusCode, 200, 'the earlier access token of a live session still works');
  const statuses = await app.mongo.db.collection('sessions').find({ familyId: sid(first.accessToken) }).map((d) => d.status as string).toArray();
  t.same(statuses.sort(), ['active', 'rotated']);

  const third = await refresh(app, second.refreshToken);
  t.equal(third.statusCode, 201, 'the new token works once');
});

t.test('reuse of a rotated refresh token revokes the whole session (without a grace)', async (t) => {
  const app = await buildTestApp(t, { setup, env: { REFRESH_REUSE_GRACE_MS: '0' } });
  const user = await createTestUser(app);
  const first = await loginAs(app, user);
  const second = (await refresh(app, first.refreshToken)).json<{ accessToken: string; refreshToken: string }>();
  const reused = await refresh(app, first.refreshToken);
  t.equal(reused.statusCode, 401);
  t.equal(reused.json().code, 'INVALID_REFRESH_TOKEN');
  t.equal((await refresh(app, second.refreshToken)).statusCode, 401, 'the legitimate newer token is revoked too');
  t.equal((await probe(app, `Bearer ${second.accessToken}`)).statusCode, 401, 'and the access tokens stop working');
  t.equal((await probe(app, `Bearer ${first.accessToken}`)).statusCode, 401);
});

t.test('a refresh whose answer was lost is repeated within the grace; once the chain moved on, the old token is a theft', async (t) => {
  const app = await buildTestApp(t, { setup });
  const user = await createTestUser(app);
  const first = await loginAs(app, user);
  const lost = (await refresh(app, first.refreshToken)).json<{ refreshToken: string }>();
  const again = await refresh(app, first.refreshToken);
  t.equal(again.statusCode, 201, 'the page reloaded before storing the answer: the old token works once more');
  const kept = again.json<{ accessToken: string; refreshToken: string }>();
  const next = await refresh(app, kept.refreshToken);
  t.equal(next.statusCode, 201, 'the session keeps working');
  t.equal((await probe(app, `Bearer ${kept.accessToken}`)).statusCode, 200);
  const stolen = await refresh(app, first.refreshToken);
  t.equal(stolen.statusCode, 401, 'the chain moved on: a reuse');
  t.equal((await refresh(app, next.json<{ refreshToken: string }>().refreshToken)).statusCode, 401, 'the family is revoked');
  t.equal((await refresh(app, lost.refreshToken)).statusCode, 401, 'the lost token never works');
});

t.test('two concurrent refreshes with one token within the grace: both answer, one token lives on', async (t) => {
  const app = await buildTestApp(t, { setup });
  const user = await createTestUser(app);
  for (let round = 0; round < 3; round++) {
    const session = await loginAs(app, user);
    const sid = app.jwt.decode<{ sid: string }>(session.accessToken)?.sid;
    const answers = await Promise.all([refresh(app, session.refreshToken), refresh(app, session.refreshToken)]);
    t.same(answers.map((a) => a.statusCode), [201, 201], `round ${round}: the later one repeats the rotation`);
    const hashes = answers.map((a) => hashRefreshToken(a.json<{ refreshToken: string }>().refreshToken));
    const docs = await app.mongo.db.collection('sessions').find({ familyId: sid, tokenHash: { $in: hashes } }).toArray();
    t.same(docs.map((d) => d['status'] as string).sort(), ['active', 'rotated'], 'one of the two answers is the live token, the other abandoned');
    const live = answers[hashes.indexOf(docs.find((d) => d['status'] === 'active')?.['tokenHash'] as string)]?.json<{ refreshToken: string }>();
    t.equal((await refresh(app, live?.refreshToken)).statusCode, 201, 'the session goes on with the live one');
  }
});

t.test('two concurrent refreshes with one token without a grace: exactly one succeeds, the other revokes the session', async (t) => {
  const app = await buildTestApp(t, { setup, env: { REFRESH_REUSE_GRACE_MS: '0' } });
  const user = await createTestUser(app);
  for (let round = 0; round < 5; round++) {
    const session = await loginAs(app, user);
    const answers = await Promise.all([refresh(app, session.refreshToken), refresh(app, session.refreshToken)]);
    const codes = answers.map((a) => a.statusCode).sort();
    t.same(codes, [201, 401], `round ${round}: one 201, one 401`);
    const winner = answers.find((a) => a.statusCode === 201)?.json<{ accessToken: string; refreshToken: string }>();
    t.equal((await refresh(app, winner?.refreshToken)).statusCode, 401, 'the reuse revoked the family, the winner’s token included');
    t.equal((await probe(app, `Bearer ${winner?.accessToken ?? ''}`)).statusCode, 401);
    const active = await app.mongo.db.collection('sessions').countDocuments({ familyId: app.jwt.decode<{ sid: string }>(session.accessToken)?.sid, status: 'active' });
    t.equal(active, 0, 'no active token left in the family');
  }
});

t.test('refresh refuses unknown tokens (401) and invalid bodies (400)', async (t) => {
  const app = await buildTestApp(t);
  const unknown = await refresh(app, 'x'.repeat(43));
  t.equal(unknown.statusCode, 401);
  t.equal(unknown.json().code, 'INVALID_REFRESH_TOKEN');
  for (const payload of [{}, { refreshToken: '' }, { refreshToken: { a: 1 } }, { refreshToken: 'a', more: true }]) {
    const res = await app.inject({ method: 'POST', url: '/v1/sessions/refresh', payload });
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
});

t.test('DELETE /v1/sessions/current ends this session only', async (t) => {
  const app = await buildTestApp(t, { setup });
  const user = await createTestUser(app);
  const phone = await loginAs(app, user);
  const laptop = await loginAs(app, user);
  const res = await me(app, phone.headers.authorization);
  t.equal(res.statusCode, 204, res.body);
  t.equal(res.body, '');
  t.equal((await probe(app, phone.headers.authorization)).statusCode, 401, 'its access token stops working at once');
  t.equal((await refresh(app, phone.refreshToken)).statusCode, 401, 'and its refresh token');
  t.equal((await probe(app, laptop.headers.authorization)).statusCode, 200, 'the other device stays signed in');
  const unauthenticated = await me(app);
  t.equal(unauthenticated.statusCode, 401);
  t.equal(unauthenticated.json().code, 'UNAUTHENTICATED');
});

t.test('DELETE /v1/sessions ends every session of the user, and only theirs', async (t) => {
  const app = await buildTestApp(t, { setup });
  const user = await createTestUser(app);
  const other = await createTestUser(app);
  const phone = await loginAs(app, user);
  const laptop = await loginAs(app, user);
  const rotated = (await refresh(app, laptop.refreshToken)).json<{ accessToken: string; refreshToken: string }>();
  const stranger = await loginAs(app, other);
  const res = await app.inject({ method: 'DELETE', url: '/v1/sessions', headers: phone.headers });
  t.equal(res.statusCode, 204, res.body);
  for (const authorization of [phone.headers.authorization, laptop.headers.authorization, `Bearer ${rotated.accessToken}`]) {
    t.equal((await probe(app, authorization)).statusCode, 401);
  }
  t.equal((await refresh(app, rotated.refreshToken)).statusCode, 401);
  t.equal((await probe(app, stranger.headers.authorization)).statusCode, 200, 'other users stay signed in');
  const unauthenticated = await app.inject({ method: 'DELETE', url: '/v1/sessions' });
  t.equal(unauthenticated.statusCode, 401);
  t.equal(unauthenticated.json().code, 'UNAUTHENTICATED');
});

t.test('sign-ins are limited per account and per IP: 429 RATE_LIMITED with Retry-After', async (t) => {
  const app = await buildTestApp(t, { env: { AUTH_RATE_LIMIT_PER_ACCOUNT: '3', AUTH_RATE_LIMIT_PER_IP: '5', AUTH_RATE_LIMIT_WINDOW_MS: '60000' } });
  const user = await createTestUser(app);
  const login = (email: string, password: string, remoteAddress: string) =>
    app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password, deviceId: TEST_DEVICE_ID }, remoteAddress });
  for (let i = 0; i < 3; i++) t.equal((await login(user.email, 'wrong-password', `10.1.0.${i + 1}`)).statusCode, 401);
  const byAccount = await login(user.email, user.password, '10.1.0.9');
  t.equal(byAccount.statusCode, 429, 'the account is limited whatever the IP, even with the right password');
  t.equal(byAccount.json().code, 'RATE_LIMITED');
  t.ok(Number(byAccount.headers['retry-after']) >= 1 && Number(byAccount.headers['retry-after']) <= 60);

  for (let i = 0; i < 5; i++) t.equal((await login(`someone-${i}@example.org`, 'whatever-password', '10.2.0.1')).statusCode, 401);
  const byIp = await login('someone-else@example.org', 'whatever-password', '10.2.0.1');
  t.equal(byIp.statusCode, 429, 'the IP is limited whatever the account');
  t.ok(Number(byIp.headers['retry-after']) >= 1);
});
