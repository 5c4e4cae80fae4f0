import t from 'tap';
import { Redis } from 'ioredis';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { AppError } from '../errors/app-error.js';
import { createWriteLock } from './write.lock.js';

t.test('a writer that cannot get the lock in time is refused with the busy code and Retry-After', async (t) => {
  const redis = new Redis((await getInfra()).redisUri);
  t.teardown(() => redis.quit());
  const lock = createWriteLock(redis, { writeLock: 'redis' }, { ttlMs: 5_000, waitMs: 100, keyPrefix: uniqueName('lock'), busy: 'PROFILE_BUSY' });
  let release: () => void = () => undefined;
  const held = lock('family', () => new Promise<void>((resolve) => (release = resolve)));
  const refused = await lock('family', async () => 'ran').catch((err: unknown) => err);
  release();
  await held;
  t.ok(refused instanceof AppError, 'refused');
  t.match(refused, { code: 'PROFILE_BUSY', headers: { 'retry-after': '1' } });
  t.equal(await lock('family', async () => 'ran'), 'ran', 'free again once the holder is done');
  t.equal(await lock('other-family', async () => 'ran'), 'ran');
});

t.test('where the conditional update is the guard, no lock is taken: a second writer runs while the first is inside', async (t) => {
  const redis = new Redis((await getInfra()).redisUri);
  t.teardown(() => redis.quit());
  const keyPrefix = uniqueName('lock');
  const lock = createWriteLock(redis, { writeLock: 'none' }, { ttlMs: 5_000, waitMs: 100, keyPrefix, busy: 'PROFILE_BUSY' });
  let release: () => void = () => undefined;
  const held = lock('family', () => new Promise<void>((resolve) => (release = resolve)));
  t.equal(await lock('family', async () => 'ran'), 'ran', 'not refused, not waiting');
  t.same(await redis.keys(`${keyPrefix}:*`), [], 'no lock key in Redis');
  release();
  await held;
});
