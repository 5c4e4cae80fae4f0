import t from 'tap';
import { MongoClient } from 'mongodb';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { hashClientDeviceId } from './device-id.js';
import { createDeviceRepository } from './device.repository.js';

t.test('a device is trusted once per account, even by concurrent trusts; listed most recently seen first; deleted per user', async (t) => {
  const client = await MongoClient.connect((await getInfra()).mongodbUri);
  const db = client.db(uniqueName('devices_test'));
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  const devices = createDeviceRepository(db);
  await devices.ensureIndexes();
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const laptop = { userId: 'u1', deviceIdHash: hashClientDeviceId('laptop-client-id-0001'), name: 'laptop' };

  const all = await Promise.all(Array.from({ length: 5 }, () => devices.trust(laptop, at(0))));
  t.equal(new Set(all.map((d) => d._id)).size, 1, 'one device for five concurrent trusts');
  t.equal(await db.collection('devices').countDocuments({ userId: 'u1' }), 1);
  t.equal((await devices.trust({ ...laptop, name: 'renamed' }, at(5)))._id, all[0]!._id, 'a repeat finds it');
  const forOther = await devices.trust({ ...laptop, userId: 'u2' }, at(1));
  t.not(forOther._id, all[0]!._id, 'the same client id on another account is another device');

  const phone = await devices.trust({ userId: 'u1', deviceIdHash: hashClientDeviceId('phone-client-id-0001'), name: null }, at(2));
  await devices.touch(all[0]!._id, at(10));
  t.same((await devices.listOf('u1')).map((d) => d._id), [all[0]!._id, phone._id], 'the laptop was seen last');
  t.equal((await devices.findTrusted('u1', laptop.deviceIdHash))?.lastSeenAt.toISOString(), at(10).toISOString());
  t.equal(await devices.findOwned('u2', phone._id), null, 'not u2’s');
  t.equal(await devices.deleteOwned('u2', phone._id), false);
  t.equal(await devices.deleteAllOf('u1'), 2);
  t.same(await devices.listOf('u1'), []);
  t.equal((await devices.listOf('u2')).length, 1, 'the other account keeps its device');
  t.notOk(JSON.stringify(await db.collection('devices').find().toArray()).includes('client-id'), 'no client id in clear');
});
