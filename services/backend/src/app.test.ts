import { once } from 'node:events';
import t from 'tap';
import { Type } from '@sinclair/typebox';
import { ERROR_CATALOGUE } from '@ashchat/contracts';
import { awaitReadiness } from '@ashchat/testkit';
import { AppError } from './errors/app-error.js';
import { buildTestApp, injectReady } from './app.test-support.js';

const Body = Type.Object({ name: Type.String({ minLength: 2 }) }, { additionalProperties: false });

const app = await buildTestApp(t, {
  setup: (app) => {
    app.post('/test/echo', { schema: { body: Body }, bodyLimit: 64 }, async (request) => request.body);
    app.get('/test/boom', async () => {
      throw new Error('db password is hunter2');
    });
    app.get('/test/locked', async () => {
      throw new AppError('RESEND_COOLDOWN', { details: { retryAfterMs: 1000 }, headers: { 'retry-after': '1' } });
    });
  },
});

t.test('GET /health answers 200 ok', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/health' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok' });
});

t.test('GET /ready pings every dependency and answers 200 when all are up', async (t) => {
  const expected = { status: 'ready', checks: { mongodb: 'up', redis: 'up', rabbitmq: 'up' } };
  const res = await awaitReadiness(injectReady(app), expected);
  t.equal(res.statusCode, 200);
  t.same(res.body, expected);
});

t.test('an unknown route is a 404 ROUTE_NOT_FOUND error body', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/no/such/route' });
  t.equal(res.statusCode, 404);
  t.match(res.headers['content-type'], /application\/json/);
  t.same(res.json(), { statusCode: 404, code: 'ROUTE_NOT_FOUND', error: 'Not Found', message: 'No such route.' });
});

t.test('malformed JSON is a 400 MALFORMED_JSON', async (t) => {
  const res = await app.inject({
    method: 'POST',
    url: '/test/echo',
    headers: { 'content-type': 'application/json' },
    payload: '{"name": "ab',
  });
  t.equal(res.statusCode, 400);
  t.same(res.json(), { statusCode: 400, code: 'MALFORMED_JSON', error: 'Bad Request', message: ERROR_CATALOGUE.MALFORMED_JSON.message });
  const empty = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '' });
  t.equal(empty.json().code, 'MALFORMED_JSON');
});

t.test('a body failing its schema is a 400 VALIDATION_FAILED with details', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'a' } });
  t.equal(res.statusCode, 400);
  const body = res.json();
  t.equal(body.code, 'VALIDATION_FAILED');
  t.match(body.details, [{ in: 'body', path: '/name', message: /fewer than 2 characters/ }]);
  const extra = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'ab', admin: true } });
  t.equal(extra.statusCode, 400, 'unknown properties are rejected, not silently dropped');
  t.equal(extra.json().code, 'VALIDATION_FAILED');
  const ok = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'ab' } });
  t.same(ok.json(), { name: 'ab' });
});

t.test('unsupported media types and oversized bodies get their catalogue codes', async (t) => {
  const xml = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
  t.equal(xml.statusCode, 415);
  t.equal(xml.json().code, 'UNSUPPORTED_MEDIA_TYPE');
  const big = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'x'.repeat(100) } });
  t.equal(big.statusCode, 413);
  t.equal(big.json().code, 'PAYLOAD_TOO_LARGE');
});

t.test('an unexpected error is a generic 500 that leaks nothing', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/test/boom' });
  t.equal(res.statusCode, 500);
  t.same(res.json(), {
    statusCode: 500,
    code: 'INTERNAL_ERROR',
    error: 'Internal Server Error',
    message: ERROR_CATALOGUE.INTERNAL_ERROR.message,
  });
  t.notMatch(res.body, 'hunter2');
});

t.test('an AppError answers with its catalogue status, details and headers', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/test/locked' });
  t.equal(res.statusCode, 429);
  t.equal(res.headers['retry-after'], '1');
  t.same(res.json(), {
    statusCode: 429,
    code: 'RESEND_COOLDOWN',
    error: 'Too Many Requests',
    message: ERROR_CATALOGUE.RESEND_COOLDOWN.message,
    details: { retryAfterMs: 1000 },
  });
});

t.test('app.close() closes every connection', async (t) => {
  const closeApp = await buildTestApp(t);
  const ready = await awaitReadiness(injectReady(closeApp), { status: 'ready', checks: { mongodb: 'up', redis: 'up', rabbitmq: 'up' } });
  t.equal(ready.statusCode, 200, 'all connections were open');
  const mongoClosed = once(closeApp.mongo.client, 'topologyClosed');
  await closeApp.close();
  await mongoClosed;
  t.equal(closeApp.redis.status, 'end');
  t.equal(closeApp.amqp.ready, false);
});
