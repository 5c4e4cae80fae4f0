import { randomUUID } from 'node:crypto';
import { getInfra } from '@ashchat/testkit';
import { Redis } from 'ioredis';
import t from 'tap';
import { unguessableDigest } from './verification-code.js';
import { createVerificationStore, digestsEqual, verificationKey, verificationRequestsKey, verificationResultKey } from './verification.store.js';

const redis = new Redis((await getInfra()).redisUri, { lazyConnect: true });
await redis.connect();
const registrations: string[] = [];
t.teardown(async () => {
  for (const id of registrations) {
    const keys = [verificationKey(id), verificationRequestsKey(id), ...(await redis.keys(`verification-result:${id}:*`))];
    await redis.del(...keys);
  }
  await redis.quit();
});

const store = createVerificationStore(redis);
const HOUR = 3_600_000;
const now = Date.now();
const newRegistration = () => {
  const id = randomUUID();
  registrations.push(id);
  return id;
};
const issue = (registrationId: string, requestId: string, digest: string, o: { now?: number; lease?: number; ttlMs?: number } = {}) =>
  store.issue({ registrationId, requestId, digest, ttlMs: o.ttlMs ?? HOUR, now: o.now ?? now, leaseUntil: (o.now ?? now) + (o.lease ?? 60_000) });

t.test('issue stores digest, counter, ids and a TTL', async (t) => {
  const id = newRegistration();
  const digest = unguessableDigest();
  t.same(await issue(id, 'req-1', digest, { ttlMs: 90_000 }), { kind: 'issued' });
  const entry = await redis.hgetall(verificationKey(id));
  t.match(entry, { digest, attemptsLeft: '5', registrationId: id, requestId: 'req-1', status: 'pending' });
  const pttl = await redis.pttl(verificationKey(id));
  t.ok(pttl > 0 && pttl <= 90_000, `pttl ${pttl} within (0, 90000]`);
});

t.test('a repeat of the same request: waits while in progress, no-op once sent, takeover after the lease', async (t) => {
  const id = newRegistration();
  const first = unguessableDigest();
  await issue(id, 'req-1', first, { lease: 1000 });
  t.same(await issue(id, 'req-1', unguessableDigest(), { now: now + 400 }), { kind: 'in-progress', retryInMs: 600 });
  t.equal(await redis.hget(verificationKey(id), 'digest'), first, 'the in-progress delivery keeps its code');

  const takeover = unguessableDigest();
  t.same(await issue(id, 'req-1', takeover, { now: now + 1001 }), { kind: 'issued' }, 'a stale lease is taken over');
  t.notOk(await store.markSent(id, 'req-1', first), 'the replaced delivery cannot mark its code sent');
  t.ok(await store.markSent(id, 'req-1', takeover));
  t.same(await issue(id, 'req-1', unguessableDigest(), { now: now + 5000 }), { kind: 'already-sent' });
  t.equal(await redis.hget(verificationKey(id), 'digest'), takeover);
  t.equal(await redis.hget(verificationKey(id), 'status'), 'sent');
});

t.test('right digest: confirmed, entry deleted, the answer repeats for the same request', async (t) => {
  const id = newRegistration();
  const digest = unguessableDigest();
  await issue(id, 'req-1', digest);
  t.same(await store.confirm(id, 'c-1', digest), { outcome: 'confirmed', attemptsLeft: 5 });
  t.equal(await redis.exists(verificationKey(id)), 0, 'entry deleted');
  t.same(await store.confirm(id, 'c-1', digest), { outcome: 'confirmed', attemptsLeft: 5 }, 'redelivery: same answer');
  t.same(await store.confirm(id, 'c-2', digest), { outcome: 'expired', attemptsLeft: 0 }, 'a new request finds nothing');
  const ttl = await redis.pttl(verificationResultKey(id, 'c-1'));
  t.ok(ttl > 0 && ttl <= 10 * 60_000, 'results expire');
});

t.test('wrong digests count down to locked; locked stays locked, even for the right digest', async (t) => {
  const id = newRegistration();
  const digest = unguessableDigest();
  await issue(id, 'req-1', digest);
  const answers = [];
  for (let i = 1; i <= 5; i++) answers.push(await store.confirm(id, `wrong-${i}`, unguessableDigest()));
  t.same(answers.map((a) => `${a.outcome}:${a.attemptsLeft}`), ['invalid:4', 'invalid:3', 'invalid:2', 'invalid:1', 'locked:0']);
  t.same(await store.confirm(id, 'right', digest), { outcome: 'locked', attemptsLeft: 0 });
  t.equal(await redis.hget(verificationKey(id), 'attemptsLeft'), '0');
  t.ok((await redis.pttl(verificationKey(id))) > 0, 'the locked entry lives until its TTL');
});

t.test('a repeated wrong request does not count twice', async (t) => {
  const id = newRegistration();
  await issue(id, 'req-1', unguessableDigest());
  const wrong = unguessableDigest();
  t.same(await store.confirm(id, 'c-1', wrong), { outcome: 'invalid', attemptsLeft: 4 });
  t.same(await store.confirm(id, 'c-1', wrong), { outcome: 'invalid', attemptsLeft: 4 });
  const concurrent = await Promise.all(Array.from({ length: 10 }, () => store.confirm(id, 'c-2', wrong)));
  t.same(new Set(concurrent.map((a) => `${a.outcome}:${a.attemptsLeft}`)), new Set(['invalid:3']));
  t.equal(await redis.hget(verificationKey(id), 'attemptsLeft'), '3');
});

t.test('concurrent wrong attempts never drive the counter below 0', async (t) => {
  const id = newRegistration();
  await issue(id, 'req-1', unguessableDigest());
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => store.confirm(id, `c-${i}`, unguessableDigest())));
  const invalid = answers.filter((a) => a.outcome === 'invalid').map((a) => a.attemptsLeft).sort();
  t.same(invalid, [1, 2, 3, 4], 'each remaining attempt was consumed exactly once');
  t.equal(answers.filter((a) => a.outcome === 'locked').length, 36);
  t.ok(answers.every((a) => a.attemptsLeft >= 0));
  t.equal(await redis.hget(verificationKey(id), 'attemptsLeft'), '0');
});

t.test('a resend replaces the code and keeps the counter', async (t) => {
  const id = newRegistration();
  const old = unguessableDigest();
  await issue(id, 'req-1', old);
  await store.markSent(id, 'req-1', old);
  t.same(await store.confirm(id, 'c-1', unguessableDigest()), { outcome: 'invalid', attemptsLeft: 4 });
  const fresh = unguessableDigest();
  t.same(await issue(id, 'req-2', fresh), { kind: 'issued' });
  t.equal(await redis.hget(verificationKey(id), 'attemptsLeft'), '4', 'counter kept');
  t.same(await store.confirm(id, 'c-2', old), { outcome: 'invalid', attemptsLeft: 3 }, 'old code no longer valid');
  t.same(await store.confirm(id, 'c-3', fresh), { outcome: 'confirmed', attemptsLeft: 3 });
});

t.test('a late repeat of an older request changes nothing', async (t) => {
  const id = newRegistration();
  const old = unguessableDigest();
  await issue(id, 'req-1', old);
  await store.markSent(id, 'req-1', old);
  const fresh = unguessableDigest();
  await issue(id, 'req-2', fresh);
  t.same(await issue(id, 'req-1', unguessableDigest()), { kind: 'superseded' });
  t.equal(await redis.hget(verificationKey(id), 'digest'), fresh, 'the newer code stays');
  t.same(await store.confirm(id, 'c-1', fresh), { outcome: 'confirmed', attemptsLeft: 5 });
  t.same(await issue(id, 'req-2', unguessableDigest()), { kind: 'superseded' }, 'after confirmation too');
  t.equal(await redis.exists(verificationKey(id)), 0, 'no entry comes back');
  t.ok((await redis.pttl(verificationRequestsKey(id))) > 0, 'the request log expires');
});

t.test('missing entry → expired; discard only removes the owner’s entry', async (t) => {
  const id = newRegistration();
  t.same(await store.confirm(id, 'c-1', unguessableDigest()), { outcome: 'expired', attemptsLeft: 0 });
  const digest = unguessableDigest();
  await issue(id, 'req-1', digest);
  t.notOk(await store.discard(id, 'req-0', digest), 'another request cannot discard it');
  t.notOk(await store.discard(id, 'req-1', unguessableDigest()), 'nor the same request with another code');
  t.ok(await store.discard(id, 'req-1', digest));
  t.equal(await redis.exists(verificationKey(id)), 0);
  t.same(await issue(id, 'req-1', digest), { kind: 'issued' }, 'a discarded request may try again');
});

t.test('digest comparison', async (t) => {
  const d = unguessableDigest();
  t.ok(digestsEqual(d, d));
  t.notOk(digestsEqual(d, unguessableDigest()));
  t.notOk(digestsEqual(d, d.slice(0, 62)), 'length mismatch is a mismatch, not a throw');
  t.notOk(digestsEqual('', ''), 'an empty stored digest matches nothing');
});
