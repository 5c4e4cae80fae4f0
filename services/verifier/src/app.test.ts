import t from 'tap';
import { createAmqpConnection, createSilentLogger } from '@ashchat/messaging';
import { loadVerifierConfig } from './config.js';
import { buildHealthApp } from './app.js';
import { closeRedis, createRedisClient } from '@ashchat/service-kit';
import { createMailer } from './connections/mailer.connection.js';
import { awaitReadiness, closedPort } from '@ashchat/testkit';
import { testEnv } from './app.test-support.js';
import { pino } from 'pino';

/** A health app over real connections, all closed at teardown. */
async function healthApp(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}) {
  const config = loadVerifierConfig({ env: await testEnv(env), envFile: false });
  const logger = pino({ level: 'silent' });
  const redis = createRedisClient(config.REDIS_URI, logger, 'ashchat-verifier');
  const amqp = createAmqpConnection({ uri: config.AMQP_URI, name: 'ashchat-verifier-test', logger: createSilentLogger() });
  const mailer = createMailer(config);
  const app = await buildHealthApp({ redis, amqp, mailer });
  t.teardown(async () => {
    await app.close();
    await amqp.close();
    await closeRedis(redis);
    mailer.close();
  });
  return app;
}

const ready = (app: Awaited<ReturnType<typeof healthApp>>) => async () => {
  const res = await app.inject({ method: 'GET', url: '/ready' });
  return { statusCode: res.statusCode, body: res.json() as unknown };
};

t.test('GET /health answers 200 ok', async (t) => {
  const app = await healthApp(t);
  const res = await app.inject({ method: 'GET', url: '/health' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok' });
  const missing = await app.inject({ method: 'GET', url: '/nope' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'ROUTE_NOT_FOUND');
});

t.test('GET /ready checks Redis, RabbitMQ and SMTP for real', async (t) => {
  const app = await healthApp(t);
  const expected = { status: 'ready', checks: { redis: 'up', rabbitmq: 'up', smtp: 'up' } };
  const res = await awaitReadiness(ready(app), expected);
  t.equal(res.statusCode, 200);
  t.same(res.body, expected);
});

t.test('GET /ready is 503 naming SMTP when the SMTP server is unreachable', async (t) => {
  const app = await healthApp(t, { SMTP_URI: `smtp://127.0.0.1:${await closedPort()}` });
  const expected = { status: 'not-ready', checks: { redis: 'up', rabbitmq: 'up', smtp: 'down' } };
  const res = await awaitReadiness(ready(app), expected);
  t.equal(res.statusCode, 503);
  t.same(res.body, expected);
});

t.test('GET /ready is 503 naming Redis when Redis is unreachable', async (t) => {
  const app = await healthApp(t, { REDIS_URI: `redis://127.0.0.1:${await closedPort()}` });
  const expected = { status: 'not-ready', checks: { redis: 'down', rabbitmq: 'up', smtp: 'up' } };
  const res = await awaitReadiness(ready(app), expected);
  t.equal(res.statusCode, 503);
  t.same(res.body, expected);
});
