import t from 'tap';
import { closedPort, getInfra, uniqueName, waitFor, within } from '@ashchat/testkit';
import { closeRedis, createRedisClient } from './redis.connection.js';

interface Entry {
  obj: object;
  msg: string | undefined;
}

function recordingLogger(): { warn(obj: object, msg?: string): void; entries: Entry[] } {
  const entries: Entry[] = [];
  return { entries, warn: (obj, msg) => void entries.push({ obj, msg }) };
}

t.test('a connected client runs commands under its connection name and closes with QUIT', async (t) => {
  const { redisUri } = await getInfra();
  const name = uniqueName('service-kit-test');
  const redis = createRedisClient(redisUri, recordingLogger(), name);
  t.teardown(() => redis.disconnect());
  t.equal(await redis.ping(), 'PONG');
  t.equal(await redis.client('GETNAME'), name);
  await closeRedis(redis);
  t.equal(redis.status, 'end');
  await closeRedis(redis); // closing twice is harmless
  t.equal(redis.status, 'end');
});

t.test('an unreachable Redis: commands fail instead of queueing, the error is logged once, close returns at once', async (t) => {
  const logger = recordingLogger();
  const redis = createRedisClient(`redis://127.0.0.1:${await closedPort()}`, logger, uniqueName('service-kit-test'));
  t.teardown(() => redis.disconnect());
  await t.rejects(redis.ping(), 'a command is rejected after the bounded retries');
  await waitFor(() => redis.status === 'reconnecting', { timeoutMs: 10_000, message: 'the client to be reconnecting' });
  t.equal(logger.entries.length, 1, 'the same cause is logged once, not per reconnect attempt');
  t.match(logger.entries[0], { msg: 'Redis connection error', obj: { err: { message: /ECONNREFUSED/ } } });
  // ioredis emits no 'end' when disconnecting in this state: a closeRedis that waited for one would
  // sit out its whole bound (here far longer than the wait below).
  await within(closeRedis(redis, 600_000), 10_000, 'closeRedis on a reconnecting client');
  t.pass('closeRedis resolved without waiting for an end event');
});
