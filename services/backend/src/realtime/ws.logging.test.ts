import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import t from 'tap';
import Fastify from 'fastify';
import { loggerOptions } from '@ashchat/service-kit';
import { WS_CLOSE_CODES } from '@ashchat/contracts';
import { buildApp, fastifyOptions } from '../app.js';
import { testConfig } from '../app.test-support.js';
import { signedInUser } from '../chat/chat.test-support.js';
import { connectWs } from './ws.test-support.js';

t.test('access tokens never reach the log, whichever way they travel', async (t) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = await testConfig({ LOG_LEVEL: 'trace' });
  // The production logger options (with their redaction), at the most talkative level.
  const app = Fastify(fastifyOptions(config, { logger: { ...loggerOptions('trace'), stream } }));
  t.teardown(async () => {
    await app.mongo?.db.dropDatabase().catch(() => undefined);
    await app.close();
  });
  await app.register(buildApp, { config });
  await app.ready();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/ws`;
  const ada = await signedInUser(app);
  const token = ada.session.accessToken;
  const [header, payload] = token.split('.');
  const forged = `${header}.${payload}.${'B'.repeat(43)}`;

  const viaHeader = await connectWs(t, url, { token });
  await viaHeader.nextOf('auth.ok');
  const viaFrame = await connectWs(t, url);
  viaFrame.send({ type: 'auth', accessToken: token, requestId: 'a' });
  await viaFrame.nextOf('auth.ok', 'a');
  viaFrame.send({ type: 'auth', accessToken: forged, requestId: 'renew' });
  await viaFrame.nextOf('error', 'renew');
  viaFrame.send({ type: 'auth', accessToken: 42, requestId: 'typed' });
  await viaFrame.nextOf('error', 'typed');
  const refused = await connectWs(t, url, { token: forged });
  t.equal((await refused.closeCode()).code, WS_CLOSE_CODES.UNAUTHENTICATED.code);
  viaHeader.ws.close(1000);
  await viaHeader.closeCode();

  const log = lines.join('');
  t.ok(lines.some((line) => line.includes('/v1/ws')), 'the upgrade requests were logged');
  const signature = token.split('.')[2]!;
  t.notOk(log.includes(signature), 'no access token (nor its signature) in the log');
  t.notOk(log.includes(forged.split('.')[2]!), 'nor a refused one');
  t.notOk(log.toLowerCase().includes('sec-websocket-protocol'), 'the header carrying it is not logged');
});
