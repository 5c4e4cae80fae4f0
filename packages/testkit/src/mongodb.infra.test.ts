import t from 'tap';
import { MongoClient, MongoServerError } from 'mongodb';
import { getInfra, pingMongo, uniqueName } from './index.js';

t.test('the resolved MongoDB-protocol server enforces unique indexes', async (t) => {
  const { mongodbUri } = await getInfra();
  t.ok(await pingMongo(mongodbUri), 'ping answers');
  const client = new MongoClient(mongodbUri);
  const db = client.db(uniqueName('testkit_'));
  t.teardown(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });
  const users = db.collection<{ email: string }>('users');
  await users.createIndex({ email: 1 }, { unique: true });
  await users.insertOne({ email: 'ada@example.com' });
  const err = await users.insertOne({ email: 'ada@example.com' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof MongoServerError, 'the duplicate is rejected by the server');
  t.equal((err as MongoServerError).code, 11000, 'with duplicate-key code 11000');
  t.equal(await users.countDocuments(), 1, 'only the first document exists');
});

t.test('pingMongo is false when nothing listens', async (t) => {
  t.equal(await pingMongo('mongodb://127.0.0.1:1', 300), false);
});
