import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { Redis } from 'ioredis';
import type { PresenceEvent } from '@ashchat/contracts';
import { getInfra, uniqueName, waitFor } from '@ashchat/testkit';
import { createUserEventBus } from '../user-events/user-events.bus.js';
import { createPresenceService, toPresenceEvent, type PresenceService } from './presence.service.js';

/** Instances of presence on the real Redis, sharing a namespace of their own (as backend instances share QUEUE_NAMESPACE). */
async function cluster(t: Test, ttlMs = 30_000) {
  const { redisUri } = await getInfra();
  const ns = uniqueName('presence-test');
  const quiet = { warn: () => undefined };
  const keyPrefix = `${ns}:presence:`;
  const admin = new Redis(redisUri);
  t.teardown(() => admin.disconnect());
  const start = (instanceId: string = randomUUID()) => {
    const redis = new Redis(redisUri, { maxRetriesPerRequest: 1 });
    const bus = createUserEventBus({ redis, namespace: `${ns}:presence`, logger: quiet });
    const presence = createPresenceService({ redis, bus, channelPrefix: `${ns}:presence:user:`, keyPrefix, ttlMs, logger: quiet, instanceId });
    t.teardown(async () => {
      await presence.close();
      await bus.close();
      redis.disconnect();
    });
    return { presence, redis, instanceId };
  };
  return { start, admin, keyPrefix };
}

/** Records what a watcher hears. */
async function record(presence: PresenceService, users: string[]) {
  const events: PresenceEvent[] = [];
  const stop = await presence.watch(users, (p) => events.push(p));
  const statusOf = (user: string) => events.filter((e) => e.userId === user).map((e) => e.status);
  return { events, stop, statusOf };
}

const statusIs = (presence: PresenceService, user: string, status: string) => async () =>
  (await presence.get([user]))[0]!.status === status;

t.test('a user is online while any connection on any instance is open; watchers elsewhere hear each change once', async (t) => {
  const c = await cluster(t);
  const a = c.start();
  const b = c.start();
  const user = randomUUID();
  const heard = await record(b.presence, [user]);

  t.same(await b.presence.get([user]), [{ type: 'presence', userId: user, status: 'offline', lastSeen: null }], 'never seen');
  const releaseA1 = a.presence.connect(user);
  await waitFor(() => heard.events.length === 1, { message: 'online from A' });
  t.same(heard.statusOf(user), ['online']);
  const releaseA2 = a.presence.connect(user);
  const releaseB = b.presence.connect(user);
  await releaseA1();
  await releaseA1(); // a second release of the same connection changes nothing
  await releaseA2();
  t.ok(await statusIs(a.presence, user, 'online')(), 'still online through the connection on B');

  await releaseB();
  await waitFor(() => heard.events.length === 2, { message: 'offline' });
  t.same(heard.statusOf(user), ['online', 'offline'], 'no event for connections that did not change the status');
  const [now] = await a.presence.get([user]);
  t.equal(now!.status, 'offline');
  t.equal(now!.lastSeen, heard.events[1]!.lastSeen, 'lastSeen is when the last connection closed');
  t.ok(Date.parse(now!.lastSeen!) > 0);
  heard.stop();
});

t.test('get answers for many users at once, online ones with the current time', async (t) => {
  const c = await cluster(t);
  const a = c.start();
  const users = Array.from({ length: 300 }, () => randomUUID());
  const releases = users.slice(0, 200).map((u) => a.presence.connect(u));
  await waitFor(async () => (await a.presence.get(users)).filter((p) => p.status === 'online').length === 200, { message: '200 online' });
  const states = await a.presence.get([...users, users[0]!]);
  t.equal(states.length, 300, 'duplicates answered once');
  t.ok(states.slice(0, 200).every((p) => p.status === 'online' && p.lastSeen !== null));
  t.ok(states.slice(200).every((p) => p.status === 'offline' && p.lastSeen === null));
  await Promise.all(releases.map((r) => r()));
  t.ok((await a.presence.get(users)).every((p) => p.status === 'offline'), 'release resolves once Redis has the change');
  t.same(await a.presence.get([]), []);
});

t.test("a crashed instance's users go offline by themselves, reaped by another instance", async (t) => {
  const c = await cluster(t, 600);
  const a = c.start();
  const b = c.start();
  const [alone, both] = [randomUUID(), randomUUID()];
  const heard = await record(b.presence, [alone, both]);
  a.presence.connect(alone);
  a.presence.connect(both);
  b.presence.connect(both);
  await waitFor(() => heard.statusOf(alone).length === 1 && heard.statusOf(both).length === 1, { message: 'both online' });

  // A crash as Redis sees it: the instance stops talking. Nothing tells the others.
  a.redis.disconnect();
  await waitFor(() => heard.statusOf(alone).length === 2, { timeoutMs: 15_000, message: 'offline after the TTL' });
  t.same(heard.statusOf(alone), ['online', 'offline']);
  t.same(heard.statusOf(both), ['online'], 'a user still connected elsewhere stays online');
  const [state] = await b.presence.get([alone]);
  t.equal(state!.status, 'offline');
  t.ok(Date.parse(state!.lastSeen!) <= Date.parse(heard.events.at(-1)!.lastSeen!), 'lastSeen is the dead instance\'s last heartbeat');
  t.equal(await c.admin.zscore(`${c.keyPrefix}instances`, a.instanceId), null, 'the dead instance is forgotten');
  t.equal(await c.admin.exists(`${c.keyPrefix}i:${a.instanceId}`), 0);
});

t.test('an instance declared dead while it was only stalled comes back with its users', async (t) => {
  const c = await cluster(t, 900);
  const a = c.start();
  const b = c.start();
  const user = randomUUID();
  const heard = await record(b.presence, [user]);
  a.presence.connect(user);
  await waitFor(() => heard.events.length === 1, { message: 'online' });
  // As if A's heartbeats had stopped past its deadline and another instance had reaped it (done
  // here by hand: a real reap races A's own next heartbeat, which would simply keep A alive).
  await c.admin
    .multi()
    .zrem(`${c.keyPrefix}instances`, a.instanceId)
    .hdel(`${c.keyPrefix}beats`, a.instanceId)
    .srem(`${c.keyPrefix}u:${user}`, a.instanceId)
    .del(`${c.keyPrefix}i:${a.instanceId}`)
    .exec();
  t.ok(await statusIs(b.presence, user, 'offline')(), 'reaped: offline');
  // A's next heartbeat finds itself gone and writes its connections again.
  await waitFor(() => heard.events.length === 2, { message: 'online again' });
  t.same(heard.statusOf(user), ['online', 'online']);
  t.ok(await statusIs(b.presence, user, 'online')());
  t.ok(await c.admin.zscore(`${c.keyPrefix}instances`, a.instanceId), 'A is registered again');
});

t.test('closing an instance takes its users offline at once; connect after close is inert', async (t) => {
  const c = await cluster(t);
  const a = c.start();
  const b = c.start();
  const user = randomUUID();
  const heard = await record(b.presence, [user]);
  a.presence.connect(user);
  await waitFor(() => heard.events.length === 1, { message: 'online' });
  await a.presence.close();
  await waitFor(() => heard.events.length === 2, { message: 'offline on close' });
  t.equal(heard.events[1]!.status, 'offline');
  const release = a.presence.connect(user);
  await release();
  t.ok(await statusIs(b.presence, user, 'offline')(), 'a closed instance marks nobody online');
  heard.stop();
  const late = randomUUID();
  const after = await record(b.presence, [late]);
  after.stop();
  b.presence.connect(late);
  await waitFor(statusIs(b.presence, late, 'online'), { message: 'late online' });
  t.equal(after.events.length, 0, 'a stopped watch hears nothing');
});

t.test('only well-formed presence messages become events', async (t) => {
  const userId = randomUUID();
  t.same(toPresenceEvent({ type: 'presence', userId, status: 'online', at: '0' } as never), {
    type: 'presence',
    userId,
    status: 'online',
    lastSeen: '1970-01-01T00:00:00.000Z',
  });
  for (const bad of [{ type: 'message.new' }, { type: 'presence', userId, status: 'away', at: '1' }, { type: 'presence', userId, status: 'online', at: 'x' }, { type: 'presence', status: 'online', at: '1' }]) {
    t.equal(toPresenceEvent(bad as never), null, JSON.stringify(bad));
  }
});
