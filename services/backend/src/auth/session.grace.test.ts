import t from 'tap';
import { setup, sidOf } from './session.service.test-support.js';

const GRACE_MS = 30_000;

t.test('an interrupted rotation within the grace is repeated: new tokens, the session goes on, the lost token is dead', async (t) => {
  const { service, signIn, reused, db, advance } = await setup(t, { graceMs: GRACE_MS });
  const first = await signIn();
  const sid = sidOf(first.accessToken);
  const lost = await service.refresh(first.refreshToken);
  advance(10_000);
  const again = await service.refresh(first.refreshToken);
  t.not(again.refreshToken, lost.refreshToken, 'a new refresh token');
  t.equal(sidOf(again.accessToken), sid, 'in the same session');
  advance(GRACE_MS - 10_000);
  const third = await service.refresh(first.refreshToken);
  t.same(reused, [], 'reloads within the grace are no reuse, three in a row neither');
  t.equal(await service.isActive('u1', sid), true);
  const statuses = await db.collection('sessions').find({ familyId: sid }).map((d) => `${d['status'] as string}${d['abandoned'] ? ' abandoned' : ''}`).toArray();
  t.same(statuses.sort(), ['active', 'rotated', 'rotated abandoned', 'rotated abandoned'], 'one active token; the lost ones can never be used');

  const fourth = await service.refresh(third.refreshToken);
  advance(60_000);
  await service.refresh(fourth.refreshToken);
  t.equal(await service.isActive('u1', sid), true, 'the session keeps working');
  t.same(reused, []);

  await t.rejects(service.refresh(lost.refreshToken), { code: 'INVALID_REFRESH_TOKEN' }, 'a lost token presented after all');
  t.same(reused, [sid], 'is a reuse (it was never the client’s to use)');
  t.equal(await service.isActive('u1', sid), false, 'and ends the family');
});

t.test('a lost token of a repeated rotation presented at once is a reuse too', async (t) => {
  const { service, signIn, reused } = await setup(t, { graceMs: GRACE_MS });
  const first = await signIn();
  const sid = sidOf(first.accessToken);
  const lost = await service.refresh(first.refreshToken);
  const kept = await service.refresh(first.refreshToken);
  await t.rejects(service.refresh(lost.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
  t.same(reused, [sid]);
  await t.rejects(service.refresh(kept.refreshToken), { code: 'INVALID_REFRESH_TOKEN' }, 'the family ended, the kept token with it');
});

t.test('a rotated token presented after the grace ends the family as a reuse', async (t) => {
  const { service, signIn, reused, advance } = await setup(t, { graceMs: GRACE_MS });
  const first = await signIn();
  const sid = sidOf(first.accessToken);
  const second = await service.refresh(first.refreshToken);
  advance(GRACE_MS + 1);
  await t.rejects(service.refresh(first.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
  t.same(reused, [sid]);
  t.equal(await service.isActive('u1', sid), false);
  await t.rejects(service.refresh(second.refreshToken), { code: 'INVALID_REFRESH_TOKEN' }, 'the unused successor went with it');
});

t.test('a rotated token whose successor was used is a theft even within the grace', async (t) => {
  const { service, signIn, reused, advance } = await setup(t, { graceMs: GRACE_MS });
  const first = await signIn();
  const sid = sidOf(first.accessToken);
  const second = await service.refresh(first.refreshToken);
  advance(1_000);
  const third = await service.refresh(second.refreshToken);
  advance(1_000);
  await t.rejects(service.refresh(first.refreshToken), { code: 'INVALID_REFRESH_TOKEN' }, 'the chain moved on');
  t.same(reused, [sid]);
  t.equal(await service.isActive('u1', sid), false);
  await t.rejects(service.refresh(third.refreshToken), { code: 'INVALID_REFRESH_TOKEN' }, 'the family ended, the newest token with it');
});

t.test('a rotated token of a revoked session stays refused within the grace, without a reuse', async (t) => {
  const { service, signIn, reused } = await setup(t, { graceMs: GRACE_MS });
  const first = await signIn();
  const sid = sidOf(first.accessToken);
  await service.refresh(first.refreshToken);
  await service.revokeSession('u1', sid);
  await t.rejects(service.refresh(first.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
  t.same(reused, [], 'revoked, not rotated: nothing to report');
});

t.test('with a grace of 0 a rotated token presented at once ends the family (the strict rule)', async (t) => {
  const { service, signIn, reused } = await setup(t, { graceMs: 0 });
  const first = await signIn();
  const sid = sidOf(first.accessToken);
  const second = await service.refresh(first.refreshToken);
  await t.rejects(service.refresh(first.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
  t.same(reused, [sid]);
  t.equal(await service.isActive('u1', sid), false);
  await t.rejects(service.refresh(second.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
});
