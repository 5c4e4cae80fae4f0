import { connect } from 'node:net';
import t from 'tap';
import { getInfra, waitFor } from '@ashchat/testkit';
import {
  PASSWORD,
  codeFromMail,
  containsCode,
  register,
  registrationBody,
  resend,
  startRegistrationHarness,
  uniqueEmail,
  verify,
  wrongCode,
} from './registration.harness.test-support.js';

/**
 * MONITOR over a plain socket (ioredis's monitor mode loses track of its command queue under load).
 * Each line is one command as Redis prints it: timestamp, client, then the quoted arguments.
 */
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

t.test('neither the password, its hash nor a code is ever written to Redis or the saga document', async (t) => {
  const h = await startRegistrationHarness(t, { env: { REGISTRATION_RESEND_COOLDOWN_MS: '0' } });
  const app = await h.startApp();

  // Every command any client sends to Redis during the flow (other test files' traffic included).
  const commands = await monitorRedis((await getInfra()).redisUri);
  t.teardown(() => commands.close());

  const email = uniqueEmail('secret');
  const password = `${PASSWORD} ${Math.random().toString(36).slice(2)}`;
  const { id } = await register(app, registrationBody(email, { password }));
  const first = codeFromMail((await h.waitForMails(email, 1))[0]!);
  await h.waitForStatus(app, id, 'awaiting-code');
  const open = JSON.stringify(await h.db.collection('registrations').findOne({ _id: id as never }));
  t.notOk(open.includes(password), 'the open saga document holds no password (only its hash)');
  t.notOk(containsCode(open, first), 'nor the code');
  t.equal((await verify(app, id, wrongCode(first))).statusCode, 422);
  t.equal((await resend(app, id)).statusCode, 202);
  const second = codeFromMail((await h.waitForMails(email, 2))[0]!);
  await h.waitForStatus(app, id, 'awaiting-code');
  t.equal((await verify(app, id, second)).statusCode, 200);
  const hash = (await app.users.repository.findByEmail(email))!.passwordHash;

  // A last command, then stop: once it is seen, every earlier command of the flow was seen too.
  const marker = `monitor-end-${id}`;
  await h.redis.get(marker);
  await waitFor(() => commands.lines.some((c) => c.includes(marker)), { message: 'the monitor to see the last command' });

  const ours = commands.lines.filter((c) => c.includes(id));
  t.ok(ours.length > 0, 'the flow wrote to Redis (sanity check of the monitor)');
  const leaks = commands.lines.filter((c) => c.includes(password) || c.includes(hash) || containsCode(c, first) || containsCode(c, second));
  t.same(leaks, [], 'no Redis command carried the password, the hash or a code');

  const doc = JSON.stringify(await h.db.collection('registrations').findOne({ _id: id as never }));
  t.notOk(doc.includes(password), 'the saga document never held the password');
  t.notOk(containsCode(doc, first) || containsCode(doc, second), 'nor a code');
});
