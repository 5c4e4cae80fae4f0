import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { waitFor } from '@ashchat/testkit';
import { testConfig } from './app.test-support.js';
import { createBackend } from './backend.js';
import { isFerretDb } from './explain.test-support.js';
import { codeFromMail, HARNESS_DEVICE_ID, PASSWORD, register, registrationBody, startRegistrationHarness, uniqueEmail, verify } from './registration/registration.harness.test-support.js';

/*
 * The guards database/database.capabilities.ts chooses, through the real app. The MongoDB plan runs
 * here on FerretDB by force (MONGODB_FLAVOR=mongodb), with one writer at a time since FerretDB's
 * updates are not atomic: what is proven is that it takes no Redis lock and that its conditional
 * updates still detect a reused refresh token. The FerretDB plan (forced, and what `auto` finds
 * here) takes the locks: the same check, failing the other way.
 */

/** Keys of every Redis SET while `fn` runs (MONITOR sees every client's commands). */
async function keysSetDuring(redis: Redis, fn: () => Promise<void>): Promise<string[]> {
  const monitor = await redis.monitor();
  const keys: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === 'set' && args[1] !== undefined) keys.push(args[1]);
  });
  try {
    await fn();
    // MONITOR reports commands in order: once this marker arrived, everything before it has.
    const marker = `flavours-test-marker:${randomUUID()}`;
    await redis.set(marker, '1', 'PX', 60_000);
    await waitFor(() => keys.includes(marker), { timeoutMs: 10_000, intervalMs: 10, message: 'the marker through MONITOR' });
  } finally {
    monitor.disconnect();
  }
  return keys;
}

const refresh = (app: FastifyInstance, refreshToken: string) => app.inject({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken } });
const sessionIdOf = (accessToken: string): string => (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string }).sid;

for (const setting of ['mongodb', 'ferretdb', 'auto'] as const) {
  t.test(`MONGODB_FLAVOR=${setting}: a registration saga, a profile change, rotation and reuse detection`, async (t) => {
    // Without the reuse grace: the second rotation of one token is the strict reuse this checks.
    const h = await startRegistrationHarness(t, { env: { MONGODB_FLAVOR: setting, REFRESH_REUSE_GRACE_MS: '0' } });
    const app = await h.startApp();
    const flavor = setting === 'auto' ? ((await isFerretDb(h.db)) ? 'ferretdb' : 'mongodb') : setting;
    t.match(app.mongo.capabilities, { flavor, writeLock: flavor === 'mongodb' ? 'none' : 'redis' });
    t.equal(app.auth.sessionExpiry, flavor === 'mongodb' ? 'ttl-index' : 'purge-timer');

    const email = uniqueEmail('Flavour');
    let registrationId = '';
    let userId = '';
    let sessionId = '';
    const keys = await keysSetDuring(h.redis, async () => {
      const { id } = await register(app, registrationBody(email));
      registrationId = id;
      const [mail] = await h.waitForMails(email);
      await h.waitForStatus(app, id, 'awaiting-code');
      t.equal((await verify(app, id, codeFromMail(mail!))).statusCode, 200, 'the saga created the user');

      const signIn = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password: PASSWORD, deviceId: HARNESS_DEVICE_ID } });
      t.equal(signIn.statusCode, 201, 'signed in');
      const first = signIn.json<{ accessToken: string; refreshToken: string }>();
      sessionId = sessionIdOf(first.accessToken);
      const headers = { authorization: `Bearer ${first.accessToken}` };
      const changed = await app.inject({ method: 'PATCH', url: '/v1/me', headers, payload: { nickname: 'Changed', description: 'hello' } });
      t.equal(changed.statusCode, 200, 'profile changed');
      t.match(changed.json(), { nickname: 'Changed', description: 'hello' });
      userId = changed.json<{ id: string }>().id;

      const rotated = await refresh(app, first.refreshToken);
      t.equal(rotated.statusCode, 201, 'the first rotation wins');
      const second = rotated.json<{ refreshToken: string }>();
      const reused = await refresh(app, first.refreshToken);
      t.equal(reused.statusCode, 401, 'the second rotation of the same token is refused');
      t.equal(reused.json().code, 'INVALID_REFRESH_TOKEN');
      t.equal((await refresh(app, second.refreshToken)).statusCode, 401, 'the family is revoked: the newer token too');
      t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode, 401, 'and its access tokens');
    });

    const locks = keys.filter((key) => key.includes(registrationId) || key.includes(userId) || key.includes(sessionId)).filter((key) => key.includes('lock'));
    const kinds = [...new Set(locks.map((key) => key.split(':')[0]))].sort();
    if (flavor === 'mongodb') t.same(locks, [], 'no Redis lock was taken');
    else t.same(kinds, ['saga-lock', 'session-family-lock', 'user-profile-lock'], 'saga, session family and profile writes were locked');
  });
}

t.test('MONGODB_FLAVOR=mongodb: sessions expire by a TTL index (no purge timer); a server that refuses it is reported', async (t) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = await testConfig({ MONGODB_FLAVOR: 'mongodb' });
  const app = createBackend(config, { server: { logger: { level: 'error', stream } } });
  t.teardown(async () => {
    await app.mongo?.db.dropDatabase().catch(() => undefined);
    await app.close();
  });
  await app.ready();
  t.equal(app.auth.sessionExpiry, 'ttl-index', 'the plan');
  if (await isFerretDb(app.mongo.db)) {
    // FerretDB has no TTL indexes: forcing the MongoDB plan on it is an operator's mistake, said at error level.
    const line = await waitFor(async () => lines.find((l) => l.includes('sessions TTL index refused')), { timeoutMs: 10_000, intervalMs: 20, message: 'the refusal in the log' });
    t.match(JSON.parse(line), { level: 50, err: { message: /expireAfterSeconds/ } });
  } else {
    const index = await waitFor(async () => (await app.mongo.db.collection('sessions').listIndexes().toArray()).find((i) => i.name === 'sessions_expiry'), {
      timeoutMs: 10_000,
      intervalMs: 20,
      message: 'the TTL index',
    });
    t.match(index, { key: { expiresAt: 1 }, expireAfterSeconds: 0 });
  }
});
