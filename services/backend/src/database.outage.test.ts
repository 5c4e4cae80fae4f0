import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { awaitReadiness, getInfra, proxyFor } from '@ashchat/testkit';
import { buildTestApp, injectReady } from './app.test-support.js';
import { signedInUser, type ChatTestUser } from './chat/chat.test-support.js';
import { authedWs, connectWs, listeningApp } from './realtime/ws.test-support.js';

// MongoDB (or Redis) unreachable mid-request: 503 with Retry-After and a code naming it, within a
// few seconds, and /ready says which dependency is down. The shared servers stay up: only this
// app's connection goes through a proxy the test cuts.
const ANSWER_WITHIN_MS = 9_000;
const READY_WITHIN_MS = 2_500;
// Every consumer and publisher closes within its own bound (2 s), some one after the other.
const CLOSE_WITHIN_MS = 10_000;
const ALL_UP = { status: 'ready', checks: { mongodb: 'up', redis: 'up', rabbitmq: 'up' } };

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

function assertOutage(t: Test, res: LightMyRequestResponse, code: string, label: string): void {
  t.equal(res.statusCode, 503, `${label}: 503`);
  t.equal(res.headers['retry-after'], '5', `${label}: Retry-After`);
  t.match(res.json(), { statusCode: 503, code, error: 'Service Unavailable' }, `${label}: ${code}`);
}

const send = (user: ChatTestUser, conversationId: string, n: string) =>
  user.call('POST', `/v1/conversations/${conversationId}/messages`, { body: `outage ${n}`, clientMessageId: `outage-${n}` });

t.test('MongoDB unreachable mid-request', async (t) => {
  const { mongodbUri } = await getInfra();
  const { proxy, url: proxied } = await proxyFor(mongodbUri, 27017);
  t.teardown(() => proxy.close());
  const { app, url } = await listeningApp(t, { env: { MONGODB_URI: proxied } });
  t.teardown(() => proxy.restore());
  const ada = await signedInUser(app);
  const bob = await signedInUser(app);
  const created = await ada.call('POST', '/v1/conversations', { type: 'direct', members: [bob.id] });
  const conversationId = created.json<{ id: string }>().id;
  const ws = await authedWs(t, url, ada.session.accessToken);
  t.same((await injectReady(app)()).body, ALL_UP, 'ready before the cut');

  proxy.cut();
  const read = await timed(() => ada.call('GET', '/v1/me'));
  assertOutage(t, read.value, 'DATABASE_UNAVAILABLE', 'GET /v1/me');
  t.ok(read.ms < ANSWER_WITHIN_MS, `GET /v1/me answered in ${read.ms} ms`);
  const write = await timed(() => send(ada, conversationId, 'rest'));
  assertOutage(t, write.value, 'DATABASE_UNAVAILABLE', 'POST message');
  t.ok(write.ms < ANSWER_WITHIN_MS, `POST message answered in ${write.ms} ms`);
  t.notMatch(write.value.body, /Mongo|127\.0\.0\.1|ECONN/, 'the cause stays in the log');

  ws.send({ type: 'message.send', requestId: 'w1', conversationId, body: 'outage ws', clientMessageId: 'outage-ws' });
  const frame = await ws.nextOf('error', 'w1', ANSWER_WITHIN_MS);
  t.match(frame, { type: 'error', requestId: 'w1', code: 'DATABASE_UNAVAILABLE', details: { retryAfterMs: 5_000 } }, 'a WebSocket send gets the same code');

  const ready = await timed(() => app.inject({ method: 'GET', url: '/ready' }));
  t.equal(ready.value.statusCode, 503, '/ready: 503');
  t.same(ready.value.json(), { status: 'not-ready', checks: { mongodb: 'down', redis: 'up', rabbitmq: 'up' } }, '/ready names mongodb');
  t.ok(ready.ms < READY_WITHIN_MS, `/ready answered in ${ready.ms} ms`);
  // The pool is cleared by now: this read waits for server selection (serverSelectionTimeoutMS).
  const selected = await timed(() => ada.call('GET', '/v1/me'));
  assertOutage(t, selected.value, 'DATABASE_UNAVAILABLE', 'GET /v1/me after the pool was cleared');
  t.ok(selected.ms < ANSWER_WITHIN_MS, `GET /v1/me after the pool was cleared answered in ${selected.ms} ms`);

  proxy.restore();
  const back = await awaitReadiness(injectReady(app), ALL_UP, 20_000);
  t.same(back.body, ALL_UP, 'ready again without a restart');
  t.equal((await ada.call('GET', '/v1/me')).statusCode, 200, 'GET /v1/me works again');
  t.equal((await send(ada, conversationId, 'after')).statusCode, 201, 'sending works again');
});

t.test('Redis unreachable mid-request', async (t) => {
  const { redisUri } = await getInfra();
  const { proxy, url: proxied } = await proxyFor(redisUri, 6379);
  t.teardown(() => proxy.close());
  const { app, url } = await listeningApp(t, { env: { REDIS_URI: proxied } });
  t.teardown(() => proxy.restore());
  const ada = await signedInUser(app);
  const bob = await signedInUser(app);
  const created = await ada.call('POST', '/v1/conversations', { type: 'direct', members: [bob.id] });
  const conversationId = created.json<{ id: string }>().id;

  proxy.cut();
  const write = await timed(() => send(ada, conversationId, 'redis'));
  t.comment(`POST message with Redis gone: ${write.value.statusCode} ${write.value.json<{ code: string }>().code} in ${write.ms} ms`);
  t.not(write.value.statusCode, 500, 'never a bare 500');
  if (write.value.statusCode >= 500) assertOutage(t, write.value, 'REDIS_UNAVAILABLE', 'POST message');
  t.ok(write.ms < ANSWER_WITHIN_MS, `POST message answered in ${write.ms} ms`);

  // A WebSocket cannot subscribe to its user's events: closed with "try again later", not an internal error.
  const ws = await connectWs(t, url, { token: bob.session.accessToken });
  t.match(await ws.closeCode(ANSWER_WITHIN_MS + 5_000), { code: 1013 }, 'WebSocket with Redis gone: TRY_AGAIN_LATER');

  const ready = await timed(() => app.inject({ method: 'GET', url: '/ready' }));
  t.same(ready.value.json(), { status: 'not-ready', checks: { mongodb: 'up', redis: 'down', rabbitmq: 'up' } }, '/ready names redis');
  t.ok(ready.ms < READY_WITHIN_MS, `/ready answered in ${ready.ms} ms`);

  proxy.restore();
  await awaitReadiness(injectReady(app), ALL_UP, 20_000);
  t.equal((await send(ada, conversationId, 'redis-after')).statusCode, 201, 'sending works again');
});

t.test('RabbitMQ unreachable: app.close() stays bounded', async (t) => {
  const { amqpUri } = await getInfra();
  const { proxy, url: proxied } = await proxyFor(amqpUri, 5672);
  t.teardown(() => proxy.close());
  const app = await buildTestApp(t, { env: { AMQP_URI: proxied } });
  await awaitReadiness(injectReady(app), ALL_UP, 20_000);
  proxy.cut();
  const down = await awaitReadiness(injectReady(app), { status: 'not-ready', checks: { mongodb: 'up', redis: 'up', rabbitmq: 'down' } }, 20_000);
  t.equal(down.statusCode, 503, '/ready names rabbitmq');
  const closed = await timed(() => app.close());
  t.comment(`app.close() with the broker gone: ${closed.ms} ms`);
  t.ok(closed.ms < CLOSE_WITHIN_MS, `app.close() took ${closed.ms} ms (bound ${CLOSE_WITHIN_MS} ms)`);
});
