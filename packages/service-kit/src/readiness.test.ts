import t from 'tap';
import { checkReadiness } from './readiness.js';

t.test('every check up: ready, no failures', async (t) => {
  const result = await checkReadiness({ a: async () => 'PONG', b: () => Promise.resolve() }, 1_000);
  t.same(result, { body: { status: 'ready', checks: { a: 'up', b: 'up' } }, failures: {} });
});

t.test('a rejecting check is down, with its reason kept for the log only', async (t) => {
  const result = await checkReadiness(
    { redis: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')), amqp: async () => undefined },
    1_000,
  );
  t.same(result.body, { status: 'not-ready', checks: { redis: 'down', amqp: 'up' } });
  t.same(result.failures, { redis: 'connect ECONNREFUSED 127.0.0.1:1' });
  t.notMatch(JSON.stringify(result.body), 'ECONNREFUSED', 'the body does not name hosts');
});

t.test('a check that throws synchronously is down, not a crash', async (t) => {
  const result = await checkReadiness(
    {
      broken: () => {
        throw new Error('not connected');
      },
    },
    1_000,
  );
  t.same(result, { body: { status: 'not-ready', checks: { broken: 'down' } }, failures: { broken: 'not connected' } });
});

t.test('a check that never answers is down once the bound passes', async (t) => {
  const result = await checkReadiness({ hung: () => new Promise(() => undefined), fine: async () => undefined }, 20);
  t.same(result.body, { status: 'not-ready', checks: { hung: 'down', fine: 'up' } });
  t.same(result.failures, { hung: 'no answer within 20 ms' });
});
