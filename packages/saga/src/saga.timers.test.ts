import t from 'tap';
import { createHarness, createRecordingLogger, waitFor } from './saga.test-support.js';
import { correlationIdOf } from './saga.outbox.js';
import { createExpiryNudger, createTimerKeys } from './saga.timers.js';

const timerKey = (h: { sagaName: string }, sagaId: string, token: string) =>
  createTimerKeys('saga-timer', h.sagaName, ['deadline']).key(sagaId, 'deadline', token);

t.test('a timer fires through a real Redis key expiry', async (t) => {
  const h = await createHarness(t);
  const rt = h.runtime();
  await rt.startBackground();
  const flags = ((await h.redis.config('GET', 'notify-keyspace-events')) as string[])[1] ?? '';
  t.match(flags, /E/, 'keyevent notifications on');
  t.match(flags, /[xA]/, 'expired events on');

  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 200 });
  // (That the key is armed with a TTL is asserted in the re-arm test, where it cannot expire first.)
  // The sweep's first round ran before the timer was due and the next one is a minute away:
  // only the expiry event can move the saga.
  const done = await waitFor('timeout applied', async () => {
    const v = await rt.get(id);
    return v?.state === 'timedOut' ? v : undefined;
  });
  t.equal(done.final, true);
  t.equal(done.nextDeadline, null);
});

t.test('two instances see the same expiry; it is applied once', async (t) => {
  const h = await createHarness(t);
  const logA = createRecordingLogger();
  const logB = createRecordingLogger();
  const a = h.runtime({ logger: logA });
  const b = h.runtime({ logger: logB });
  await a.startBackground();
  await b.startBackground();
  const id = h.id();
  await a.start(id, { sagaId: id, text: 'x', timeoutMs: 200 });
  const entries = () => [...logA.entries, ...logB.entries].filter((e) => (e.obj as { event?: string }).event === 'saga.timeout');
  await waitFor('both instances handled the expiry', () => entries().length >= 2);
  t.equal(entries().filter((e) => e.msg === 'saga transition').length, 1, 'applied by exactly one instance');
  t.ok(entries().some((e) => (e.msg ?? '').startsWith('saga event ignored')), 'the other saw a stale token');
  const doc = await h.collection.findOne({ _id: id });
  t.equal(doc!.version, 2, 'start + one timeout');
  t.equal(doc!.state, 'timedOut');
});

t.test('the sweep fires a timer whose expiry event was lost', async (t) => {
  const h = await createHarness(t);
  const rt = h.runtime();
  const id = h.id();
  const { view } = await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 50 });
  const key = timerKey(h, id, view.snapshot.context.timers.deadline!.token);
  // Nobody is subscribed: Redis expires the key and the event is gone for good.
  await waitFor('key expired in Redis', async () => (await h.redis.exists(key)) === 0);
  t.equal((await rt.get(id))!.state, 'waiting', 'still waiting: the event was lost');

  await rt.startBackground(); // the first sweep round runs right away
  await waitFor('sweep applied the timeout', async () => (await rt.get(id))?.state === 'timedOut');
  t.pass('recovered by the sweep');
});

t.test('a re-armed timer invalidates the old token (stale expiry ignored, old key deleted)', async (t) => {
  const h = await createHarness(t);
  const log = createRecordingLogger();
  let now = Date.now();
  const rt = h.runtime({ clock: () => now, logger: log });
  await rt.startBackground();
  const id = h.id();
  const { view } = await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 60_000 });
  const oldToken = view.snapshot.context.timers.deadline!.token;
  const rearmed = await rt.send(id, { type: 'REARM' });
  const newToken = rearmed.view.snapshot.context.timers.deadline!.token;
  t.not(newToken, oldToken);
  t.equal(await h.redis.exists(timerKey(h, id, oldToken)), 0, 'old shadow key deleted');
  t.ok((await h.redis.pttl(timerKey(h, id, newToken))) > 0, 'new shadow key armed');

  // A leftover key of the old token (e.g. its DEL was lost) expires: the machine must ignore it.
  now += 120_000; // even when the old deadline has long passed
  const leftover = timerKey(h, id, oldToken);
  await h.redis.set(leftover, '1', 'PX', 20);
  // Reading the key makes Redis expire it now (its own sampling may take many seconds with a
  // busy keyspace), the way the arming instance's nudger does in production.
  await waitFor('stale expiry handled', async () => {
    await h.redis.exists(leftover);
    return log.entries.some((e) => (e.obj as { event?: string }).event === 'saga.timeout' && (e.msg ?? '').startsWith('saga event ignored'));
  });
  t.equal((await rt.get(id))!.state, 'waiting', 'stale token did not fire');
  t.equal((await rt.send(id, { type: 'saga.timeout', timer: 'deadline', token: oldToken } as never)).changed, false);

  // The current token does fire, and a timer that is not yet due does not.
  now -= 120_000;
  t.equal((await rt.send(id, { type: 'saga.timeout', timer: 'deadline', token: newToken } as never)).changed, false, 'not due yet');
  now += 120_000;
  t.equal((await rt.send(id, { type: 'saga.timeout', timer: 'deadline', token: newToken } as never)).changed, true);
});

t.test('final sagas drop their timer keys; the sweep skips them', async (t) => {
  const h = await createHarness(t);
  let now = Date.now();
  const rt = h.runtime({ clock: () => now });
  const id = h.id();
  const { view } = await rt.start(id, { sagaId: id, text: 'x', timeoutMs: 60_000 });
  const requestId = view.snapshot.context.pendingRequestId!;
  const token = view.snapshot.context.timers.deadline!.token;
  t.equal(await rt.handleReply(correlationIdOf(id, requestId), { requestId, ok: true }), 'applied');
  t.equal(await h.redis.exists(timerKey(h, id, token)), 0, 'timer key deleted when the machine disarmed it');
  now += 120_000;
  t.equal(await rt.sweepOnce(), 0, 'nothing due');

  const other = h.id();
  await rt.start(other, { sagaId: other, text: 'y', timeoutMs: 60_000 });
  now += 120_000;
  t.equal(await rt.sweepOnce(), 1, 'the overdue one is fired by the sweep');
  t.equal((await rt.get(other))!.state, 'timedOut');
});

t.test('the arming instance reads the key at its deadline, so Redis expires it then and tells everyone', async (t) => {
  const { Redis } = await import('ioredis');
  const h = await createHarness(t);
  const readsAt: number[] = [];
  const recording = new Proxy(h.redis, {
    get(target, prop, receiver) {
      if (prop === 'exists') return (...args: unknown[]) => (readsAt.push(Date.now()), target.exists(...(args as [string])));
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const nudger = createExpiryNudger(recording, Date.now);
  t.teardown(() => nudger.close());
  const key = `${h.sagaName}:nudge-probe`;
  const subscriber = new Redis(h.redis.options);
  t.teardown(() => subscriber.disconnect());
  let heard = false;
  subscriber.on('message', (_channel: string, name: string) => {
    if (name === key) heard = true;
  });
  await subscriber.subscribe(`__keyevent@${h.redis.options.db ?? 0}__:expired`);
  const at = Date.now() + 100;
  await h.redis.set(key, '1', 'PX', 100);
  nudger.schedule(key, at);
  await waitFor('the expired event', () => heard);
  await waitFor('the nudge', () => readsAt.length === 1);
  t.ok(readsAt[0]! >= at, 'read only once the deadline passed');
  t.equal(await h.redis.exists(key), 0, 'the key is gone');
});

t.test('a cancelled nudge does not touch the key', async (t) => {
  const h = await createHarness(t);
  let reads = 0;
  const counting = new Proxy(h.redis, {
    get(target, prop, receiver) {
      if (prop === 'exists') return (...args: unknown[]) => ((reads += 1), target.exists(...(args as [string])));
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const nudger = createExpiryNudger(counting, Date.now);
  nudger.schedule('k1', Date.now() + 20);
  nudger.cancel('k1');
  nudger.schedule('k2', Date.now() + 20);
  await waitFor('the remaining nudge ran', () => reads === 1);
  nudger.close();
  t.equal(reads, 1, 'only the live nudge read its key');
});
