import t from 'tap';
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { Redis } from 'ioredis';
import { createServer, connect } from 'node:net';
import { closedPort, getInfra, uniqueName, waitFor } from '@ashchat/testkit';
import { createUserEventBus, type UserEvent, type UserEventBus } from './user-events.bus.js';

const silent = { warn: () => undefined };

async function setup(tt: { teardown(fn: () => unknown): void }): Promise<{ bus: UserEventBus; other: UserEventBus; redis: Redis; name: string; namespace: string }> {
  const infra = await getInfra();
  const redis = new Redis(infra.redisUri);
  const namespace = uniqueName('bus');
  const name = uniqueName('bus-sub');
  const bus = createUserEventBus({ redis, namespace, logger: silent, connectionName: name });
  const other = createUserEventBus({ redis, namespace, logger: silent });
  tt.teardown(async () => {
    await bus.close();
    await other.close();
    redis.disconnect();
  });
  return { bus, other, redis, name, namespace };
}

/** Collects a listener's events; `next()` waits (bounded) for the following one. */
function collector() {
  const events: UserEvent[] = [];
  const emitter = new EventEmitter();
  return {
    events,
    listener: (event: UserEvent) => {
      events.push(event);
      emitter.emit('event', event);
    },
    next: async (): Promise<UserEvent> => {
      const [event] = (await Promise.race([once(emitter, 'event'), new Promise((_, reject) => setTimeout(() => reject(new Error('no event within 5 s')), 5_000).unref())])) as [UserEvent];
      return event;
    },
  };
}

t.test('an event published on one instance reaches every watcher of the user on another, and only them', async (t) => {
  const { bus, other } = await setup(t);
  const [ada, bob] = [randomUUID(), randomUUID()];
  const first = collector();
  const second = collector();
  const bobs = collector();
  const stopFirst = await bus.watch(ada, first.listener);
  await bus.watch(ada, second.listener);
  await bus.watch(bob, bobs.listener);

  const arrived = Promise.all([first.next(), second.next()]);
  await other.publish([ada], { type: 'test.one' });
  t.same((await arrived).map((e) => e.type), ['test.one', 'test.one']);
  t.equal(bobs.events.length, 0, 'another user hears nothing of it');

  stopFirst();
  // One connection, one order: once bob's later event is here, ada's earlier one would have been too.
  const secondGot = second.next();
  const bobGot = bobs.next();
  await other.publish([ada], { type: 'test.two' });
  await other.publish([bob], { type: 'test.three' });
  t.equal((await secondGot).type, 'test.two');
  t.equal((await bobGot).type, 'test.three');
  t.same(first.events.map((e) => e.type), ['test.one'], 'a stopped watcher hears nothing more');
});

t.test('a fan-out to several users is one publish; duplicates are sent once', async (t) => {
  const { bus, other } = await setup(t);
  const users = [randomUUID(), randomUUID(), randomUUID()];
  const seen = users.map(() => collector());
  for (const [i, user] of users.entries()) await bus.watch(user, seen[i]!.listener);
  const all = Promise.all(seen.map((c) => c.next()));
  await other.publish([...users, users[0]!], { type: 'fan.out' });
  t.same((await all).map((e) => e.type), ['fan.out', 'fan.out', 'fan.out']);
  const lastGot = seen[2]!.next();
  await other.publish([users[2]!], { type: 'marker' });
  await lastGot;
  t.equal(seen[0]!.events.length, 1, 'the user named twice got the event once');
});

t.test('a fan-out is parsed once per instance: the watchers of every member get the same event object', async (t) => {
  const { bus, other } = await setup(t);
  const users = [randomUUID(), randomUUID(), randomUUID()];
  const seen = users.map(() => collector());
  for (const [i, user] of users.entries()) await bus.watch(user, seen[i]!.listener);
  const all = Promise.all(seen.map((c) => c.next()));
  await other.publish(users, { type: 'shared', n: 1 } as UserEvent);
  const [first, ...rest] = await all;
  for (const event of rest) t.equal(event, first, 'one object');
  t.same(first, { type: 'shared', n: 1 });
});

t.test('a fan-out larger than one script call reaches each member channel exactly once, in publish order', async (t) => {
  const { other, redis, namespace } = await setup(t);
  const users = Array.from({ length: 1_201 }, (_, i) => `u${i}-${randomUUID()}`);
  const listener = redis.duplicate();
  t.teardown(() => listener.disconnect());
  const got: string[] = [];
  listener.on('pmessage', (_pattern: string, channel: string, payload: string) => got.push(`${channel} ${payload}`));
  await listener.psubscribe(`${namespace}:user:*`);
  await other.publish([...users, users[5]!], { type: 'big.room' });
  await other.publish([users[0]!], { type: 'marker' });
  await waitFor(() => got.length === users.length + 1, { timeoutMs: 10_000, message: 'every member channel and the marker' });
  const payload = JSON.stringify({ type: 'big.room' });
  t.same(got.slice(0, -1), users.map((u) => `${namespace}:user:${u} ${payload}`), 'one PUBLISH per member channel, in order');
  t.equal(got.at(-1), `${namespace}:user:${users[0]} ${JSON.stringify({ type: 'marker' })}`);
});

t.test('a malformed payload on a user channel is dropped, and the next event still arrives', async (t) => {
  const { bus, redis, namespace } = await setup(t);
  const user = randomUUID();
  const c = collector();
  await bus.watch(user, c.listener);
  const got = c.next();
  await redis.publish(`${namespace}:user:${user}`, '{not json');
  await redis.publish(`${namespace}:user:${user}`, JSON.stringify({ no: 'type' }));
  await redis.publish(`${namespace}:user:${user}`, JSON.stringify({ type: 'fine' }));
  t.equal((await got).type, 'fine');
  t.equal(c.events.length, 1);
});

t.test('losing the subscriber connection is reported as a gap, and delivery resumes after it', async (t) => {
  const { bus, other, redis, name } = await setup(t);
  const user = randomUUID();
  const c = collector();
  await bus.watch(user, c.listener);
  let gaps = 0;
  bus.onGap(() => (gaps += 1));

  const clients = (await redis.client('LIST')) as string;
  const line = clients.split('\n').find((l) => l.includes(` name=${name} `));
  t.ok(line, 'the subscriber connection is listed under its name');
  const id = /(?:^|\s)id=(\d+)/.exec(line ?? '')?.[1];
  await redis.client('KILL', 'ID', id ?? '0');
  // One gap when the connection went, one when every channel was subscribed again.
  await waitFor(() => gaps >= 2, { timeoutMs: 10_000, message: 'two gap reports' });
  const got = c.next();
  await other.publish([user], { type: 'after.reconnect' });
  t.equal((await got).type, 'after.reconnect');
});

t.test('after close, watching is refused', async (t) => {
  const { bus } = await setup(t);
  await bus.close();
  await t.rejects(bus.watch(randomUUID(), () => undefined), /closed/);
});

t.test('a bus created while Redis is unreachable works once Redis answers (a service started before its Redis)', async (t) => {
  const infra = await getInfra();
  const target = new URL(infra.redisUri);
  const port = await closedPort();
  const redis = new Redis({ host: '127.0.0.1', port, retryStrategy: () => 100, maxRetriesPerRequest: null });
  const namespace = uniqueName('bus-late');
  const bus = createUserEventBus({ redis, namespace, logger: silent });
  const real = new Redis(infra.redisUri);
  const other = createUserEventBus({ redis: real, namespace, logger: silent });
  // Redis "comes up" on that port later: a TCP relay to the real one, listening only then.
  const proxy = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  t.teardown(async () => {
    await bus.close();
    await other.close();
    redis.disconnect();
    real.disconnect();
    proxy.close();
  });
  let gaps = 0;
  bus.onGap(() => (gaps += 1));
  await waitFor(() => gaps >= 1, { timeoutMs: 10_000, message: 'a failed first connection reported as a gap' });
  await t.rejects(bus.watch(randomUUID(), () => undefined), /reconnecting/, 'no watch is confirmed meanwhile');

  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  const user = randomUUID();
  const c = collector();
  await waitFor(
    async () =>
      bus.watch(user, c.listener).then(
        () => true,
        () => false,
      ),
    { timeoutMs: 10_000, message: 'a confirmed watch once Redis answers' },
  );
  const got = c.next();
  await other.publish([user], { type: 'late.but.here' });
  t.equal((await got).type, 'late.but.here');
});
