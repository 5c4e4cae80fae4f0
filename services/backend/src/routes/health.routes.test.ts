import t from 'tap';
import { awaitReadiness, closedPort } from '@ashchat/testkit';
import { buildTestApp, injectReady } from '../app.test-support.js';

t.test('/ready is 503 and names Redis when Redis is unreachable', async (t) => {
  const app = await buildTestApp(t, { env: { REDIS_URI: `redis://127.0.0.1:${await closedPort()}` } });
  const expected = { status: 'not-ready', checks: { mongodb: 'up', redis: 'down', rabbitmq: 'up' } };
  const res = await awaitReadiness(injectReady(app), expected);
  t.equal(res.statusCode, 503);
  t.same(res.body, expected);
  const health = await app.inject({ method: 'GET', url: '/health' });
  t.equal(health.statusCode, 200, 'liveness does not depend on dependencies');
});

t.test('/ready is 503 and names RabbitMQ when RabbitMQ is unreachable', async (t) => {
  const app = await buildTestApp(t, { env: { AMQP_URI: `amqp://guest:guest@127.0.0.1:${await closedPort()}` } });
  const expected = { status: 'not-ready', checks: { mongodb: 'up', redis: 'up', rabbitmq: 'down' } };
  const res = await awaitReadiness(injectReady(app), expected);
  t.equal(res.statusCode, 503);
  t.same(res.body, expected);
});
