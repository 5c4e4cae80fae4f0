import t from 'tap';
import { createHarness, waitFor } from './saga.test-support.js';

const stamp = async () => ({ type: 'STAMPED', stampId: 's' });

t.test('an event the cached state would ignore is decided on the stored state', async (t) => {
  const h = await createHarness(t);
  const a = h.runtime({ effects: { stamp } });
  const b = h.runtime({ effects: { stamp } });
  const id = h.id();
  await a.start(id, { sagaId: id, text: 'c', timeoutMs: 60_000 }); // a caches it in `waiting`
  await b.send(id, { type: 'APPROVE' }); // another instance moves it on
  // In `waiting` STAMP is not accepted; in the stored `approved` it is.
  const res = await a.send(id, { type: 'STAMP' });
  t.equal(res.changed, true, 'accepted: a re-read before calling it ignored');
  t.equal((await h.collection.findOne({ _id: id }))!.state, 'stamped');
});

t.test('an event applied to a stale cached state is never written: the version check sends it back to the stored one', async (t) => {
  const h = await createHarness(t);
  const a = h.runtime();
  const b = h.runtime();
  const id = h.id();
  await a.start(id, { sagaId: id, text: 'c', timeoutMs: 60_000 });
  await b.send(id, { type: 'APPROVE' });
  // REARM is accepted in the cached `waiting`, but not in the stored `approved`.
  const res = await a.send(id, { type: 'REARM' });
  t.equal(res.changed, false, 'ignored once decided on the stored state');
  const doc = await h.collection.findOne({ _id: id });
  t.equal(doc!.state, 'approved');
  t.equal(doc!.version, 2, 'nothing written from the stale state');
});

t.test('docCacheSize 0 reads the document for every event', async (t) => {
  const h = await createHarness(t);
  const a = h.runtime({ docCacheSize: 0 });
  const id = h.id();
  await a.start(id, { sagaId: id, text: 'c', timeoutMs: 60_000 });
  // The runtime's own deferred write (dropping the confirmed outbox entry) must be done first:
  // FerretDB rewrites whole documents, so a write racing ours could put the old version back.
  await waitFor('the start settled', async () => {
    const doc = await h.collection.findOne({ _id: id });
    return doc !== null && doc.outbox.length === 0;
  });
  await h.collection.updateOne({ _id: id }, { $set: { machineVersion: 99 } });
  await t.rejects(a.send(id, { type: 'APPROVE' }), { name: 'SagaVersionError' }, 'the stored document was read, not a cached copy');
});
