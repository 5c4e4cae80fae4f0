import t from 'tap';
import { Redis } from 'ioredis';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { createRateLimiter, rateLimitKey } from './rate-limiter.js';

t.test('limits per key, shared by every client of the same Redis', async (t) => {
  const { redisUri } = await getInfra();
  const a = new Redis(redisUri);
  const b = new Redis(redisUri);
  t.teardown(async () => {
    await a.quit();
    await b.quit();
  });
  const prefix = uniqueName('rl-test');
  const instanceA = createRateLimiter(a, prefix);
  const instanceB = createRateLimiter(b, prefix);
  const rule = { limit: 3, windowMs: 60_000 };
  const key = rateLimitKey('register:email', 'ada@example.org');

  t.equal((await instanceA.hit([{ key, rule }])).remaining, 2);
  t.equal((await instanceB.hit([{ key, rule }])).remaining, 1);
  t.equal((await instanceA.hit([{ key, rule }])).allowed, true);
  const refused = await instanceB.hit([{ key, rule }]);
  t.equal(refused.allowed, false, 'the fourth hit across two instances is refused');
  t.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 60_000);

  const other = await instanceA.hit([{ key: rateLimitKey('register:email', 'bob@example.org'), rule }]);
  t.equal(other.allowed, true, 'other keys are independent');

  const stored = await a.keys(`${prefix}:*`);
  t.notOk(stored.some((k) => k.includes('ada@example.org')), 'no address in clear in Redis');
  await a.del(...stored);
});

t.test('refused when any of several keys is over its limit', async (t) => {
  const { redisUri } = await getInfra();
  const redis = new Redis(redisUri);
  t.teardown(() => redis.quit());
  const prefix = uniqueName('rl-test');
  const limiter = createRateLimiter(redis, prefix);
  const ip = { key: 'ip:1', rule: { limit: 1, windowMs: 60_000 } };
  const email = { key: 'email:1', rule: { limit: 10, windowMs: 60_000 } };
  t.equal((await limiter.hit([ip, email])).allowed, true);
  t.equal((await limiter.hit([ip, email])).allowed, false);
  await redis.del(...(await redis.keys(`${prefix}:*`)));
});
