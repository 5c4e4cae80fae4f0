import t from 'tap';
import { hashClientDeviceId } from '../devices/device-id.js';
import { DAY_MS, DEVICE, setup, sidOf } from './session.service.test-support.js';

t.test('a refresh token expires after its lifetime, and each refresh starts a new one', async (t) => {
  const { service, signIn, advance } = await setup(t);
  const first = await signIn();
  advance(29 * DAY_MS);
  const second = await service.refresh(first.refreshToken);
  advance(29 * DAY_MS);
  const sid = (JSON.parse(second.accessToken) as { sid: string }).sid;
  t.equal(await service.isActive('u1', sid), true, 'sliding: 58 days in, the second token is 29 days old');
  const third = await service.refresh(second.refreshToken);
  advance(30 * DAY_MS + 1);
  await t.rejects(service.refresh(third.refreshToken), { code: 'INVALID_REFRESH_TOKEN' }, 'unused for 30 days: expired');
  t.equal(await service.isActive('u1', sid), false, 'and the session with it');
});

t.test('isActive is false for another user’s session; revokeAllSessions ends every session', async (t) => {
  const { service, signIn, reused } = await setup(t);
  const a = await signIn();
  const b = await signIn({ deviceName: 'phone' });
  const sidA = (JSON.parse(a.accessToken) as { sid: string }).sid;
  const sidB = (JSON.parse(b.accessToken) as { sid: string }).sid;
  t.not(sidA, sidB, 'one session per sign-in');
  t.equal(await service.isActive('someone-else', sidA), false);
  await service.revokeAllSessions('u1');
  t.equal(await service.isActive('u1', sidA), false);
  t.equal(await service.isActive('u1', sidB), false);
  await t.rejects(service.refresh(b.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
  t.same(reused, [], 'a revoked token is refused without being taken for a reuse');
});

t.test('unknown e-mail and wrong password fail alike, after an argon2 verification', async (t) => {
  const { service, challenges } = await setup(t);
  await t.rejects(service.login({ email: 'nobody@example.org', password: 'right password', deviceId: DEVICE }), { code: 'INVALID_CREDENTIALS' });
  await t.rejects(service.login({ email: 'ada@example.org', password: 'wrong password', deviceId: DEVICE }), { code: 'INVALID_CREDENTIALS' });
  await t.rejects(service.login({ email: 'ada@example.org', password: 'wrong password', deviceId: 'another-device-id-0001' }), { code: 'INVALID_CREDENTIALS' });
  t.same(challenges, [], 'a wrong password never starts a challenge');
});

t.test('a right password from an unknown device starts a challenge (no tokens); an account being deleted cannot sign in', async (t) => {
  const { service, challenges, db } = await setup(t);
  const result = await service.login({ email: 'ada@example.org', password: 'right password', deviceId: 'another-device-id-0001' });
  t.same(result, { kind: 'challenge', challengeId: 'challenge-1' });
  t.same(challenges, [hashClientDeviceId('another-device-id-0001')], 'the challenge gets the digest of the device id');
  t.equal(await db.collection('sessions').countDocuments(), 0, 'no session');
  await db.collection('users').updateOne({ _id: 'u1' as never }, { $set: { deletingSince: new Date() } });
  await t.rejects(service.login({ email: 'ada@example.org', password: 'right password', deviceId: DEVICE }), { code: 'INVALID_CREDENTIALS' });
  await t.rejects(service.login({ email: 'ada@example.org', password: 'right password', deviceId: 'another-device-id-0001' }), { code: 'INVALID_CREDENTIALS' });
  t.equal(challenges.length, 1, 'nor a challenge');
});

t.test('sessions list with their first sign-in and last use; one of them can be ended; deleteAllOf removes every document', async (t) => {
  const { service, signIn, db, advance } = await setup(t);
  const first = await signIn({ deviceName: 'laptop' });
  const sid = (JSON.parse(first.accessToken) as { sid: string }).sid;
  advance(60_000);
  const rotated = await service.refresh(first.refreshToken);
  advance(60_000);
  const other = await signIn();
  const otherSid = (JSON.parse(other.accessToken) as { sid: string }).sid;
  const list = await service.listSessions('u1', sid);
  t.same(
    list.map((s) => [s.sessionId, s.createdAt.toISOString(), s.lastUsedAt.toISOString(), s.current]),
    [
      [otherSid, '2026-01-01T00:02:00.000Z', '2026-01-01T00:02:00.000Z', false],
      [sid, '2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', true],
    ],
    'newest first; the first sign-in survives the rotation, the rotation is the last use',
  );
  t.ok(list.every((s) => s.deviceId !== null), 'on the trusted device');
  await t.rejects(service.revokeOwnSession('someone-else', sid), { code: 'SESSION_NOT_FOUND' });
  await service.revokeOwnSession('u1', sid);
  await t.rejects(service.revokeOwnSession('u1', sid), { code: 'SESSION_NOT_FOUND' }, 'ended already');
  await t.rejects(service.refresh(rotated.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
  t.equal(await service.isActive('u1', otherSid), true, 'the other session goes on');
  t.ok((await service.deleteAllOf('u1')) >= 3);
  t.equal(await db.collection('sessions').countDocuments({ userId: 'u1' }), 0);
  t.equal(await service.isActive('u1', otherSid), false);
});

t.test('purgeExpired deletes the tokens past their expiry (rotated ones included) and keeps the rest', async (t) => {
  const { service, signIn, db, advance } = await setup(t);
  const old = await signIn();
  await service.refresh(old.refreshToken);
  advance(20 * DAY_MS);
  const recent = await signIn();
  t.equal(await service.purgeExpired(), 0, 'nothing has expired yet');
  advance(10 * DAY_MS + 1);
  t.equal(await service.purgeExpired(), 2, 'the first sign-in: its rotated token and its active one');
  const left = await db.collection('sessions').find().toArray();
  t.equal(left.length, 1);
  t.equal(left[0]?.['familyId'], (JSON.parse(recent.accessToken) as { sid: string }).sid);
  await t.rejects(service.refresh(old.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
});

for (const graceMs of [0, 30_000]) {
  t.test(`without a lock (the MongoDB plan), a refresh that loses the race for its token (grace ${graceMs} ms)`, async (t) => {
    // One writer at a time, interleaved by hand: refresh A has read the token as active and issued its
    // new token when refresh B of the same token runs from start to end; then A's conditional update
    // finds the token rotated. On MongoDB the conditional update is the only guard there is.
    let interleave: (() => Promise<unknown>) | undefined;
    let raced: Promise<unknown> | undefined;
    const { service, signIn, reused } = await setup(t, {
      writeLock: 'none',
      graceMs,
      wrap: (sessions) => ({
        ...sessions,
        async insert(session) {
          await sessions.insert(session);
          const other = interleave;
          interleave = undefined;
          if (other) raced = other();
        },
        async markRotated(id, rotation) {
          // A waits for B to finish (B, called while A is inside, finds nothing to wait for).
          const other = raced;
          raced = undefined;
          await other;
          return sessions.markRotated(id, rotation);
        },
      }),
    });
    const first = await signIn();
    const sid = sidOf(first.accessToken);
    let b: { refreshToken: string } | undefined;
    interleave = () => service.refresh(first.refreshToken).then((tokens) => (b = tokens));
    if (graceMs === 0) {
      await t.rejects(service.refresh(first.refreshToken), { code: 'INVALID_REFRESH_TOKEN' }, 'A lost the conditional update');
      t.match(b, { refreshToken: String }, 'B won it');
      t.same(reused, [sid], 'reported as a reuse');
      t.equal(await service.isActive('u1', sid), false, 'the family is revoked, the tokens A and B were issued with it');
      await t.rejects(service.refresh(b?.refreshToken ?? ''), { code: 'INVALID_REFRESH_TOKEN' });
      return;
    }
    // Within the grace the loser repeats the rotation B just made, as the lock's path does.
    const a = await service.refresh(first.refreshToken);
    t.match(b, { refreshToken: String }, 'B won the conditional update');
    t.same(reused, [], 'no reuse');
    t.equal(await service.isActive('u1', sid), true);
    await service.refresh(a.refreshToken);
    await t.rejects(service.refresh(b?.refreshToken ?? ''), { code: 'INVALID_REFRESH_TOKEN' }, 'B’s token, abandoned by the repeat, is a reuse when presented');
    t.same(reused, [sid]);
    t.equal(await service.isActive('u1', sid), false);
  });
}

t.test('a device verified by a challenge gets its session once, and none for an account being deleted', async (t) => {
  const { service, devices, db } = await setup(t);
  const phone = await devices.trust({ userId: 'u1', deviceIdHash: hashClientDeviceId('phone-device-id-000001'), name: 'phone' }, new Date());
  const tokens = await service.startVerifiedSession('u1', phone, 'challenge-a');
  const sid = (JSON.parse(tokens.accessToken) as { sid: string }).sid;
  t.equal(await service.isActive('u1', sid), true);
  t.same(await service.deviceOfSession(sid), phone._id, 'the session runs on the verified device');
  await t.rejects(service.startVerifiedSession('u1', phone, 'challenge-a'), { code: 'CODE_FLOW_COMPLETED' }, 'the same challenge: no second session');
  await db.collection('users').updateOne({ _id: 'u1' as never }, { $set: { deletingSince: new Date() } });
  await t.rejects(service.startVerifiedSession('u1', phone, 'challenge-b'), { code: 'INVALID_CREDENTIALS' });
  await t.rejects(service.startVerifiedSession('nobody', phone, 'challenge-c'), { code: 'INVALID_CREDENTIALS' });
});
