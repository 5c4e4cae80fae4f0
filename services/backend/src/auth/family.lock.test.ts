import t from 'tap';
import { Redis } from 'ioredis';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { AppError } from '../errors/app-error.js';
import { createFamilyLock } from './family.lock.js';

t.test('a writer that cannot get the lock in time is refused with the busy code and Retry-After', async (t) => {
  const redis = new Redis((await getInfra()).redisUri);
  t.teardown(() => redis.quit());
  const lock = createFamilyLock(redis, { ttlMs: 5_000, waitMs: 100, keyPrefix: uniqueName('lock'), busy: 'PROFILE_BUSY' });
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
