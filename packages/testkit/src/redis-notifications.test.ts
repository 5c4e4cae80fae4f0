import t from 'tap';
import { Redis } from 'ioredis';
import { ensureKeyspaceNotifications, getInfra, resolveInfra, uniqueName, waitFor } from './index.js';
import { memoryLogger } from './test-support.js';

t.test('an expired key is announced on __keyevent@<db>__:expired', async (t) => {
  const { redisUri } = await getInfra();
  const cmd = new Redis(redisUri);
  const sub = new Redis(redisUri);
  t.teardown(() => {
    cmd.disconnect();
    sub.disconnect();
  });
  const db = cmd.options.db ?? 0;
  const expired: string[] = [];
  sub.on('message', (_channel: string, key: string) => void expired.push(key));
  await sub.subscribe(`__keyevent@${db}__:expired`);

  const key = uniqueName('testkit:expiry:');
  await cmd.set(key, '1', 'PX', 50);
  // Redis expires keys lazily or by sampling, which can take many seconds in a busy keyspace; a
  // read after the TTL expires it at once, and the event must still be published.
  await waitFor(
    async () => {
      await cmd.exists(key);
      return expired.includes(key);
    },
    { timeoutMs: 10_000, message: `the expired event for ${key}` },
  );
  t.ok(expired.includes(key), 'the subscriber received the expired key name');
  t.equal(await cmd.exists(key), 0, 'the key is gone');
});

t.test('ensureKeyspaceNotifications merges E and x into existing flags', async (t) => {
  // A private redis-server, so changing its configuration cannot disturb other tests.
  const resolved = await resolveInfra({
    services: ['redis'],
    env: {},
    ports: { redis: 0 },
    docker: false,
    logger: memoryLogger(),
  });
  const redis = new Redis(resolved.infra.redisUri);
  t.teardown(async () => {
    redis.disconnect();
    await resolved.stop();
  });
  await redis.config('SET', 'notify-keyspace-events', 'Kg');
  await ensureKeyspaceNotifications(resolved.infra.redisUri, memoryLogger());
  const [, flags = ''] = (await redis.config('GET', 'notify-keyspace-events')) as string[];
  for (const flag of ['K', 'g', 'E', 'x']) t.ok(flags.includes(flag), `flag ${flag} is set (got "${flags}")`);
});
