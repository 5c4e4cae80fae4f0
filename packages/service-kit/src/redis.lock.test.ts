import t from 'tap';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { createRedisClient } from './redis.connection.js';
import { createRedisLock } from './redis.lock.js';

const silent = { warn: () => undefined };

t.test('callers of one process queue in memory: each takes the Redis lock once, one at a time, in order', async (t) => {
  const { redisUri } = await getInfra();
  const redis = createRedisClient(redisUri, silent, uniqueName('lock-test'));
  t.teardown(() => redis.disconnect());
  // Counts the SET NX attempts this client sends (the real command still runs).
  let attempts = 0;
  const set = redis.set.bind(redis) as (...args: unknown[]) => Promise<unknown>;
  (redis as unknown as { set: (...args: unknown[]) => Promise<unknown> }).set = (...args) => {
    attempts += 1;
    return set(...args);
  };
  const lock = createRedisLock(redis, { ttlMs: 5_000, waitMs: 10_000, onTimeout: (key) => new Error(`timeout ${key}`) });
  const key = uniqueName('lock-test:key');
  let active = 0;
  let most = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      lock(key, async () => {
        active += 1;
        most = Math.max(most, active);
        // A critical section that waits on Redis, as the callers' do.
        await redis.ping();
        order.push(i);
        active -= 1;
      }),
    ),
  );
  t.equal(most, 1, 'never two inside at once');
  t.same(order, Array.from({ length: 20 }, (_, i) => i), 'first come, first served');
  t.equal(attempts, 20, 'one SET NX per caller: nobody polled a holder of its own process');
  t.equal(await redis.exists(key), 0, 'released');
});

t.test('a holder that never finishes: a caller queued behind it gives up at waitMs', async (t) => {
  const { redisUri } = await getInfra();
  const redis = createRedisClient(redisUri, silent, uniqueName('lock-test'));
  t.teardown(() => redis.disconnect());
  const lock = createRedisLock(redis, { ttlMs: 5_000, waitMs: 300, onTimeout: (key) => new Error(`timeout ${key}`) });
  const key = uniqueName('lock-test:key');
  let finish!: () => void;
  const held = lock(key, () => new Promise<void>((resolve) => (finish = resolve)));
  await t.rejects(lock(key, async () => 'never'), /timeout/, 'bounded like a wait on another instance');
  finish();
  await held;
  t.equal(await lock(key, async () => 'next'), 'next', 'the key is usable again');
});
