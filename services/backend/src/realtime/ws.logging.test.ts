import t from 'tap';
import { WS_CLOSE_CODES } from '@ashchat/contracts';
import { loggedApp } from '../app.test-support.js';
import { connectWs, signedInUser } from './ws.test-support.js';

t.test('access tokens never reach the log, whichever way they travel', async (t) => {
  const { app, lines, port } = await loggedApp(t);
  const url = `ws://127.0.0.1:${port}/v1/ws`;
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
