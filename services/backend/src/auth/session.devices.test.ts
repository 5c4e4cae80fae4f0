import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../app.test-support.js';
import { createTestUser, loginAs, trustTestDevice, type TestSession } from '../users/user.test-support.js';

const SECOND_DEVICE = 'second-test-device-000000001';
const sidOf = (app: FastifyInstance, s: TestSession): string => app.jwt.decode<{ sid: string }>(s.accessToken)!.sid;
const get = (app: FastifyInstance, url: string, s: TestSession) => app.inject({ method: 'GET', url, headers: s.headers });
const del = (app: FastifyInstance, url: string, s: TestSession) => app.inject({ method: 'DELETE', url, headers: s.headers });

interface ListedSession {
  sessionId: string;
  deviceId: string | null;
  deviceName: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}
interface ListedDevice {
  deviceId: string;
  name: string | null;
  trustedAt: string;
  lastSeenAt: string;
  current: boolean;
}

t.test('GET /v1/sessions lists my active sessions on their devices; DELETE /v1/sessions/{id} ends one of mine only', async (t) => {
  const app = await buildTestApp(t);
  const ada = await createTestUser(app);
  await trustTestDevice(app, ada.id, SECOND_DEVICE, 'phone');
  const bob = await createTestUser(app);
  const laptop = await loginAs(app, ada);
  const phone = await loginAs(app, { ...ada, deviceId: SECOND_DEVICE });
  const bobs = await loginAs(app, bob);

  const refreshed = await app.inject({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken: laptop.refreshToken } });
  t.equal(refreshed.statusCode, 201);
  const res = await get(app, '/v1/sessions', laptop);
  t.equal(res.statusCode, 200, res.body);
  const sessions = res.json<{ sessions: ListedSession[] }>().sessions;
  t.same(
    sessions.map((s) => [s.sessionId, s.deviceName, s.current]),
    [
      [sidOf(app, phone), 'phone', false],
      [sidOf(app, laptop), 'test device', true],
    ],
    'newest sign-in first, mine only, the current one marked',
  );
  const mine = sessions[1]!;
  t.ok(Date.parse(mine.lastUsedAt) >= Date.parse(mine.createdAt), 'the refresh is its last use; the sign-in its start');
  t.not(mine.deviceId, sessions[0]!.deviceId, 'each on its own device');

  t.equal((await del(app, `/v1/sessions/${sidOf(app, bobs)}`, laptop)).json().code, 'SESSION_NOT_FOUND', 'another user’s session is not mine');
  t.equal((await del(app, '/v1/sessions/not-a-uuid', laptop)).statusCode, 400);
  t.equal((await get(app, '/v1/me', bobs)).statusCode, 200, 'bob is untouched');
  const ended = await del(app, `/v1/sessions/${sidOf(app, phone)}`, laptop);
  t.equal(ended.statusCode, 204);
  t.equal((await get(app, '/v1/me', phone)).statusCode, 401, 'the ended session’s access token stops at once');
  t.equal((await app.inject({ method: 'POST', url: '/v1/sessions/refresh', payload: { refreshToken: phone.refreshToken } })).statusCode, 401, 'and its refresh token');
  t.equal((await del(app, `/v1/sessions/${sidOf(app, phone)}`, laptop)).statusCode, 404, 'ended already');
  t.same((await get(app, '/v1/sessions', laptop)).json<{ sessions: ListedSession[] }>().sessions.map((s) => s.sessionId), [sidOf(app, laptop)]);
  t.equal((await app.inject({ method: 'GET', url: '/v1/sessions' })).statusCode, 401, 'signed in only');
});

t.test('GET /v1/devices lists my trusted devices; DELETE /v1/devices/{id} untrusts one and ends its sessions', async (t) => {
  const app = await buildTestApp(t);
  const ada = await createTestUser(app);
  await trustTestDevice(app, ada.id, SECOND_DEVICE, 'phone');
  const bob = await createTestUser(app);
  const laptop = await loginAs(app, ada);
  const phone = await loginAs(app, { ...ada, deviceId: SECOND_DEVICE });
  const phoneAgain = await loginAs(app, { ...ada, deviceId: SECOND_DEVICE });
  const bobs = await loginAs(app, bob);

  const listed = await get(app, '/v1/devices', phone);
  t.equal(listed.statusCode, 200, listed.body);
  const devices = listed.json<{ devices: ListedDevice[] }>().devices;
  t.same(devices.map((d) => [d.name, d.current]), [['phone', true], ['test device', false]], 'most recently seen first, this one marked');
  t.notOk(JSON.stringify(devices).includes(SECOND_DEVICE), 'the client’s own id is never shown');
  const phoneDevice = devices[0]!;
  const bobsDevice = (await get(app, '/v1/devices', bobs)).json<{ devices: ListedDevice[] }>().devices[0]!;

  t.equal((await del(app, `/v1/devices/${bobsDevice.deviceId}`, laptop)).json().code, 'DEVICE_NOT_FOUND', 'another user’s device is not mine');
  t.equal((await get(app, '/v1/me', bobs)).statusCode, 200, 'and bob keeps his session');
  const untrusted = await del(app, `/v1/devices/${phoneDevice.deviceId}`, laptop);
  t.equal(untrusted.statusCode, 204, untrusted.body);
  t.equal((await get(app, '/v1/me', phone)).statusCode, 401, 'the device’s sessions end at once');
  t.equal((await get(app, '/v1/me', phoneAgain)).statusCode, 401, 'every one of them');
  t.equal((await get(app, '/v1/me', laptop)).statusCode, 200, 'the other device keeps its session');
  t.same((await get(app, '/v1/devices', laptop)).json<{ devices: ListedDevice[] }>().devices.map((d) => d.name), ['test device']);
  t.equal((await del(app, `/v1/devices/${phoneDevice.deviceId}`, laptop)).statusCode, 404, 'untrusted already');
  t.equal(await app.devices.repository.deleteAllOf(ada.id), 1, 'deleteAllOf (account deletion) removes the rest');
  t.same(await app.devices.repository.listOf(ada.id), []);
});
