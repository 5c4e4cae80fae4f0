import { connect } from 'node:net';
import { Writable } from 'node:stream';
import t from 'tap';
import type { TypedPublisher } from '@ashchat/messaging';
import { loggerOptions } from '@ashchat/service-kit';
import { getInfra, waitFor } from '@ashchat/testkit';
import { codeFromMail, containsCode, signIn, startRegistrationHarness, wrongCode } from '../registration/registration.harness.test-support.js';
import { hashRefreshToken } from './refresh-token.js';
import { NEW_DEVICE_ID, challengeMail, deny, denialTokenFromMail, registeredAccount, submitCode, waitForChallenge } from './device-challenge.harness.test-support.js';

/** MONITOR over a plain socket (as registration.secrets.test.ts): each line is one command Redis received. */
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

t.test('the client’s device id, the codes, the tokens and the deny token never reach MongoDB in clear, a queue, Redis or the log', async (t) => {
  const h = await startRegistrationHarness(t);
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const sent: string[] = [];
  const publisher = (real: TypedPublisher): TypedPublisher => ({
    async send(queue, schema, body, props) {
      sent.push(JSON.stringify({ queue, body, props }));
      return real.send(queue, schema, body, props);
    },
    close: () => real.close(),
  });
  const app = await h.startApp({ env: { LOG_LEVEL: 'trace' }, server: { logger: { ...loggerOptions('trace'), stream } }, deviceChallenge: { publisher } });
  const email = await registeredAccount(h, app, 'secrets');
  const commands = await monitorRedis((await getInfra()).redisUri);
  t.teardown(() => commands.close());

  // One challenge confirmed (a wrong code first), one denied.
  const first = (await signIn(app, email, undefined, NEW_DEVICE_ID, 'phone')).json<{ challengeId: string }>().challengeId;
  const firstMail = await challengeMail(h, email, first);
  const code = codeFromMail(firstMail);
  await waitForChallenge(app, first, 'awaiting-code');
  t.equal((await submitCode(app, first, wrongCode(code))).statusCode, 422);
  const tokens = (await submitCode(app, first, code)).json<{ accessToken: string; refreshToken: string }>();
  t.type(tokens.refreshToken, 'string');
  const otherDevice = `${NEW_DEVICE_ID}-other`;
  const second = (await signIn(app, email, undefined, otherDevice)).json<{ challengeId: string }>().challengeId;
  const secondMail = await challengeMail(h, email, second, 3);
  const denialToken = denialTokenFromMail(secondMail);
  await waitForChallenge(app, second, 'awaiting-code');
  t.equal((await deny(app, second, denialToken)).statusCode, 200);

  const marker = `monitor-end-${first}`;
  await h.redis.get(marker);
  await waitFor(() => commands.lines.some((c) => c.includes(marker)), { message: 'the monitor to see the last command' });
  t.ok(commands.lines.some((c) => c.includes(first)), 'the flow wrote to Redis (sanity check of the monitor)');
  t.ok(sent.some((m) => m.includes(first)), 'and published (sanity check of the recorder)');
  t.ok(logLines.length > 0, 'and logged (sanity check of the stream)');

  const secrets = { 'the client device id': NEW_DEVICE_ID, 'the other client device id': otherDevice, 'the access token': tokens.accessToken, 'the refresh token': tokens.refreshToken, 'the denial token': denialToken };
  const codes = [code, wrongCode(code), codeFromMail(secondMail)];
  const leaksIn = (texts: string[]): string[] =>
    texts.flatMap((text) => [...Object.entries(secrets).filter(([, v]) => text.includes(v)).map(([k]) => k), ...(codes.some((c) => containsCode(text, c)) ? ['a code'] : [])]);
  t.same(leaksIn(commands.lines), [], 'nothing in Redis');
  t.same(leaksIn(sent), [], 'nothing in a queue message');
  t.same(leaksIn(logLines), [], 'nothing in the log');

  const collections = await h.db.listCollections().toArray();
  const everything: string[] = [];
  for (const c of collections) for (const doc of await h.db.collection(c.name).find().toArray()) everything.push(JSON.stringify(doc));
  t.ok(everything.some((d) => d.includes(hashRefreshToken(tokens.refreshToken))), 'the refresh token is stored as its digest (sanity check of the scan)');
  t.same(leaksIn(everything), [], 'nothing in MongoDB in clear');
});
