import { randomUUID } from 'node:crypto';
import { getInfra } from '@ashchat/testkit';
import { Redis } from 'ioredis';
import t from 'tap';
import { accountNoticeKey, createAccountNoticeStore, DEFAULT_NOTICE_TTL_MS } from './account-notice.store.js';

const redis = new Redis((await getInfra()).redisUri, { lazyConnect: true });
await redis.connect();
const used: string[] = [];
t.teardown(async () => {
  if (used.length > 0) await redis.del(...used.map(accountNoticeKey));
  await redis.quit();
});
const store = createAccountNoticeStore(redis);
const newNotice = (): string => {
  const id = `password-changed:${randomUUID()}`;
  used.push(id);
  return id;
};

t.test('one claim at a time; an expired lease is taken over; sent is final', async (t) => {
  const noticeId = newNotice();
  const now = Date.now();
  t.same(await store.claim({ noticeId, owner: 'a', now, leaseUntil: now + 60_000 }), { kind: 'claimed' });
  t.same(await store.claim({ noticeId, owner: 'b', now: now + 1_000, leaseUntil: now + 61_000 }), { kind: 'in-progress', retryInMs: 59_000 });
  // "a" died: once its lease passed, "b" takes over, and "a" can no longer release b's claim.
  t.same(await store.claim({ noticeId, owner: 'b', now: now + 60_001, leaseUntil: now + 120_000 }), { kind: 'claimed' });
  t.equal(await store.release(noticeId, 'a'), false, 'a stale owner cannot release');
  await store.markSent(noticeId);
  t.same(await store.claim({ noticeId, owner: 'c', now: now + 200_000, leaseUntil: now + 260_000 }), { kind: 'already-sent' });
  t.equal(await store.release(noticeId, 'b'), false, 'a sent notice is never released');
  t.same(await redis.hgetall(accountNoticeKey(noticeId)), { status: 'sent' }, 'only the state, nothing of the mail');
  const ttl = await redis.pttl(accountNoticeKey(noticeId));
  t.ok(ttl > DEFAULT_NOTICE_TTL_MS - 60_000 && ttl <= DEFAULT_NOTICE_TTL_MS, `remembered for about 7 days (${ttl} ms)`);
});

t.test('a released claim (failed mail) can be claimed again', async (t) => {
  const noticeId = newNotice();
  const now = Date.now();
  t.same(await store.claim({ noticeId, owner: 'a', now, leaseUntil: now + 60_000 }), { kind: 'claimed' });
  t.equal(await store.release(noticeId, 'a'), true);
  t.equal(await redis.exists(accountNoticeKey(noticeId)), 0);
  t.same(await store.claim({ noticeId, owner: 'b', now, leaseUntil: now + 60_000 }), { kind: 'claimed' });
});

t.test('concurrent claims of one notice: exactly one wins', async (t) => {
  const noticeId = newNotice();
  const now = Date.now();
  const claims = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => store.claim({ noticeId, owner, now, leaseUntil: now + 60_000 })));
  t.equal(claims.filter((c) => c.kind === 'claimed').length, 1);
  t.equal(claims.filter((c) => c.kind === 'in-progress').length, 3);
});
