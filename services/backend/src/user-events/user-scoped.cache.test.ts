import t from 'tap';
import { createUserScopedCache } from './user-scoped.cache.js';
import type { UserEvent, UserEventListener } from './user-events.bus.js';

/** A bus in memory: this is a unit test of the cache's rules, the real bus has its own. */
function fakeBus(opts: { failWatch?: boolean } = {}) {
  const listeners = new Map<string, Set<UserEventListener>>();
  const gaps = new Set<() => void>();
  return {
    listeners,
    watch: async (userId: string, listener: UserEventListener) => {
      if (opts.failWatch) throw new Error('redis is away');
      const set = listeners.get(userId) ?? new Set();
      listeners.set(userId, set.add(listener));
      return () => void set.delete(listener);
    },
    onGap: (listener: () => void) => {
      gaps.add(listener);
      return () => void gaps.delete(listener);
    },
    emit: (userId: string, event: UserEvent) => listeners.get(userId)?.forEach((l) => l(event)),
    gap: () => gaps.forEach((g) => g()),
    watchers: (userId: string) => listeners.get(userId)?.size ?? 0,
  };
}

function setup(overrides: { ttlMs?: number; maxSize?: number; maxUsers?: number; failWatch?: boolean } = {}) {
  const bus = fakeBus({ failWatch: overrides.failWatch ?? false });
  let clock = 1_000;
  const cache = createUserScopedCache<string>({
    bus,
    invalidatedBy: (event) => event.type === 'changed',
    ttlMs: overrides.ttlMs ?? 10_000,
    maxSize: overrides.maxSize ?? 1_000,
    maxUsers: overrides.maxUsers ?? 100,
    sizeOf: (v) => v.length,
    now: () => clock,
  });
  let computed = 0;
  const compute = (value: string) => async () => {
    computed += 1;
    return value;
  };
  return { bus, cache, compute, computed: () => computed, advance: (ms: number) => (clock += ms) };
}

t.test('a value is computed once and then served from memory', async (t) => {
  const { cache, compute, computed } = setup();
  t.equal(await cache.get('ada', 'k', compute('v1')), 'v1');
  t.equal(await cache.get('ada', 'k', compute('v2')), 'v1');
  t.equal(computed(), 1);
  t.equal(await cache.get('ada', 'other', compute('o')), 'o', 'keys are separate');
  t.same({ hits: cache.stats.hits, misses: cache.stats.misses }, { hits: 1, misses: 2 });
});

t.test("an invalidating event drops the user's values, other events and other users keep theirs", async (t) => {
  const { bus, cache, compute } = setup();
  await cache.get('ada', 'k', compute('v1'));
  await cache.get('bob', 'k', compute('b1'));
  bus.emit('ada', { type: 'typing' });
  t.equal(await cache.get('ada', 'k', compute('v2')), 'v1', 'an event that changes nothing');
  bus.emit('ada', { type: 'changed' });
  t.equal(await cache.get('ada', 'k', compute('v3')), 'v3');
  t.equal(await cache.get('bob', 'k', compute('b2')), 'b1');
});

t.test('a value whose user was invalidated while it was being computed is returned but not kept', async (t) => {
  const { cache, compute } = setup();
  const racing = cache.get('ada', 'k', async () => {
    cache.invalidate('ada');
    return 'stale';
  });
  t.equal(await racing, 'stale');
  t.equal(await cache.get('ada', 'k', compute('fresh')), 'fresh');
});

t.test('a gap (lost events) drops everything and every subscription', async (t) => {
  const { bus, cache, compute } = setup();
  await cache.get('ada', 'k', compute('v1'));
  t.equal(bus.watchers('ada'), 1);
  let release: () => void = () => undefined;
  const inFlight = cache.get('bob', 'k', () => new Promise<string>((resolve) => (release = () => resolve('b-stale'))));
  await new Promise(setImmediate);
  bus.gap();
  release();
  t.equal(await inFlight, 'b-stale');
  t.equal(bus.watchers('ada'), 0, 'unsubscribed');
  t.equal(await cache.get('ada', 'k', compute('v2')), 'v2');
  t.equal(await cache.get('bob', 'k', compute('b2')), 'b2', 'the computation that spanned the gap was not kept');
});

t.test('values expire after ttlMs; ttlMs 0 turns the cache off', async (t) => {
  const { cache, compute, advance } = setup();
  await cache.get('ada', 'k', compute('v1'));
  advance(9_999);
  t.equal(await cache.get('ada', 'k', compute('v2')), 'v1');
  advance(1);
  t.equal(await cache.get('ada', 'k', compute('v3')), 'v3');

  const off = setup({ ttlMs: 0 });
  await off.cache.get('ada', 'k', off.compute('a'));
  t.equal(await off.cache.get('ada', 'k', off.compute('b')), 'b');
  t.equal(off.bus.watchers('ada'), 0, 'no subscription when off');
});

t.test('the least recently used users go when the size or user budget is exceeded, with their subscriptions', async (t) => {
  const { bus, cache, compute } = setup({ maxSize: 10 });
  await cache.get('ada', 'k', compute('aaaa'));
  await cache.get('bob', 'k', compute('bbbb'));
  await cache.get('ada', 'k', compute('x')); // ada used last
  await cache.get('cy', 'k', compute('cccc'));
  t.equal(bus.watchers('bob'), 0, 'bob, least recently used, was evicted');
  t.equal(await cache.get('ada', 'k', compute('new')), 'aaaa');
  t.ok(cache.stats.size <= 10);

  const few = setup({ maxUsers: 2 });
  for (const user of ['u1', 'u2', 'u3']) await few.cache.get(user, 'k', few.compute(user));
  t.equal(few.cache.stats.users, 2);
  t.equal(few.bus.watchers('u1'), 0);
});

t.test('without a confirmed subscription values are served but never kept', async (t) => {
  const { cache, compute, computed } = setup({ failWatch: true });
  t.equal(await cache.get('ada', 'k', compute('v1')), 'v1');
  t.equal(await cache.get('ada', 'k', compute('v2')), 'v2');
  t.equal(computed(), 2);
});
