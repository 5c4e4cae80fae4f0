import { connect } from 'node:net';
import { Writable } from 'node:stream';
import t from 'tap';
import { loggerOptions } from '@ashchat/service-kit';
import { getInfra, waitFor } from '@ashchat/testkit';
import { codeFromMail, containsCode, startRegistrationHarness, uniqueEmail, wrongCode } from '../registration/registration.harness.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';
import { HIGH_RESET_LIMITS, recordingPublisher, resendReset, resetMailFor, startReset, verifyReset, waitForReset } from './password-reset.harness.test-support.js';

/** MONITOR over a plain socket (as registration.secrets.test.ts): every command any client sends to Redis. */
async function monitorRedis(uri: string): Promise<{ lines: string[]; close(): void }> {
  const url = new URL(uri);
  const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const lines: string[] = [];
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\r\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  socket.on('error', () => undefined);
  if (url.password) socket.write(`AUTH ${decodeURIComponent(url.username || 'default')} ${decodeURIComponent(url.password)}\r\n`);
  socket.write('MONITOR\r\n');
  await waitFor(() => lines.includes('+OK') && lines.length >= (url.password ? 2 : 1), { message: 'MONITOR to start' });
  return { lines, close: () => socket.destroy() };
}

t.test('neither password, hash nor code reaches Redis, a published message, the log or the saga document', async (t) => {
  const h = await startRegistrationHarness(t, { env: { ...HIGH_RESET_LIMITS, REGISTRATION_RESEND_COOLDOWN_MS: '0', LOG_LEVEL: 'trace' } });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const sent: Array<{ queue: string; body: unknown; props: unknown }> = [];
  const app = await h.startApp({ server: { logger: { ...loggerOptions('trace'), stream } }, passwordReset: { publisher: recordingPublisher(sent) } });
  const user = await createTestUser(app, { email: uniqueEmail('secret') });
  const oldSession = await loginAs(app, user);
  const commands = await monitorRedis((await getInfra()).redisUri);
  t.teardown(() => commands.close());

  const newPassword = `brand new ${Math.random().toString(36).slice(2)} horse`;
  const { id } = await startReset(app, user.email);
  const first = codeFromMail(resetMailFor(await h.waitForMails(user.email, 1), id));
  await waitForReset(app, id, 'awaiting-code');
  t.equal((await verifyReset(app, id, wrongCode(first), newPassword)).statusCode, 422);
  const afterWrong = JSON.stringify(await h.db.collection('password_resets').findOne({ _id: id as never }));
  t.notOk(/argon2/.test(afterWrong), 'a wrong code leaves no hash in the saga document');
  t.equal((await resendReset(app, id)).statusCode, 202);
  const second = codeFromMail((await h.waitForMails(user.email, 2))[0]!);
  await waitForReset(app, id, 'awaiting-code');
  t.equal((await verifyReset(app, id, second, newPassword)).statusCode, 200);
  const hash = (await app.users.repository.findById(user.id))!.passwordHash;
  await h.waitForMails(user.email, 3);
  // A request with the old token, so the log holds an authenticated request too.
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: oldSession.headers })).statusCode, 401);

  const marker = `monitor-end-${id}`;
  await h.redis.get(marker);
  await waitFor(() => commands.lines.some((c) => c.includes(marker)), { message: 'the monitor to see the last command' });

  const secrets = [newPassword, user.password, hash];
  const leaks = (texts: string[]) => texts.filter((x) => secrets.some((s) => x.includes(s)) || containsCode(x, first) || containsCode(x, second));
  t.ok(commands.lines.some((c) => c.includes(id)), 'the flow wrote to Redis (sanity check of the monitor)');
  t.same(leaks(commands.lines), [], 'no Redis command carried a secret');
  t.ok(sent.length >= 4, 'code requests, checks and the notice were published');
  t.same(leaks(sent.map((m) => JSON.stringify(m))), [], 'no published message carried a secret');
  t.notOk(sent.some((m) => /pass|hash/i.test(Object.keys(m.body as object).join(' '))), 'no password-looking field in a message');
  t.ok(logs.length > 10, 'the log was written (sanity check)');
  t.same(leaks(logs), [], 'no log line carried a secret');
  const doc = JSON.stringify(await h.db.collection('password_resets').findOne({ _id: id as never }));
  t.same(leaks([doc]), [], 'the finished saga document holds no secret');
});
