import t from 'tap';
import { buildTestApp } from '../app.test-support.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

t.test('device-challenge requests are limited per IP: writes at DEVICE_CHALLENGE_RATE_LIMIT_PER_IP, reads at four times that', async (t) => {
  const app = await buildTestApp(t, { env: { DEVICE_CHALLENGE_RATE_LIMIT_PER_IP: '2', AUTH_RATE_LIMIT_WINDOW_MS: '60000' } });
  const submit = (remoteAddress: string) => app.inject({ method: 'POST', url: `/v1/sessions/challenges/${UNKNOWN}`, payload: { code: '123456' }, remoteAddress });
  t.same([(await submit('10.7.0.1')).statusCode, (await submit('10.7.0.1')).statusCode], [404, 404], 'counted even for an unknown challenge');
  const resend = await app.inject({ method: 'POST', url: `/v1/sessions/challenges/${UNKNOWN}/resend`, remoteAddress: '10.7.0.1' });
  t.equal(resend.statusCode, 429, 'code, resend and denial share the write limit');
  t.equal(resend.json().code, 'RATE_LIMITED');
  t.ok(Number(resend.headers['retry-after']) >= 1);
  t.equal((await submit('10.7.0.2')).statusCode, 404, 'another IP has its own');

  const read = () => app.inject({ method: 'GET', url: `/v1/sessions/challenges/${UNKNOWN}`, remoteAddress: '10.7.0.1' });
  const reads: number[] = [];
  for (let i = 0; i < 9; i++) reads.push((await read()).statusCode);
  t.same(reads, [...Array<number>(8).fill(404), 429], 'polling has four times the allowance, apart from the writes');
});
