import t from 'tap';
import { createHarness } from './saga.test-support.js';

t.test('a watcher wakes at once when its saga changes on this instance', async (t) => {
  const h = await createHarness(t);
  const rt = h.runtime();
  const id = h.id();
  await rt.start(id, { sagaId: id, text: 'w', timeoutMs: 60_000 });
  const watch = rt.watch(id);
  t.teardown(() => watch.close());
  const other = rt.watch(h.id());
  t.teardown(() => other.close());

  t.equal(await watch.next(30), null, 'no change → null after the timeout');
  await rt.send(id, { type: 'APPROVE' });
  const change = await watch.next(0);
  t.equal(change?.view?.state, 'approved', 'a change that happened before `next` is not missed, and comes with its view');
  t.equal(await watch.next(300), null, 'each change is reported once (its Redis echo is dropped)');
  t.equal(await other.next(30), null, 'watchers of other sagas stay asleep');

  const second = h.id();
  await rt.start(second, { sagaId: second, text: 'w2', timeoutMs: 60_000 });
  const watch2 = rt.watch(second);
  t.teardown(() => watch2.close());
  const woken = watch2.next(10_000);
  const started = Date.now();
  await rt.send(second, { type: 'APPROVE' });
  t.equal((await woken)?.view?.version, 2, 'a waiting `next` resolves on the change');
  t.ok(Date.now() - started < 5_000, 'woken by the change, not by the timeout');
});

t.test('a watcher on another instance wakes through Redis', async (t) => {
  const h = await createHarness(t);
  const a = h.runtime();
  const b = h.runtime();
  await a.startBackground();
  const id = h.id();
  await b.start(id, { sagaId: id, text: 'remote', timeoutMs: 60_000 });
  const watch = a.watch(id);
  t.teardown(() => watch.close());
  t.equal(await watch.next(30), null);
  const woken = watch.next(10_000);
  await b.send(id, { type: 'APPROVE' });
  t.same(await woken, { view: undefined }, 'the commit on b woke the watcher on a (without a view: re-read)');
  t.equal((await a.get(id))!.state, 'approved', 'and a reads the new state');
});
