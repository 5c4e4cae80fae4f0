import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WS_CLOSE_CODES } from '@ashchat/contracts';
import { codeFromMail, register, registrationBody, startRegistrationHarness, uniqueEmail, verify } from './registration.harness.test-support.js';
import { connectWs } from '../realtime/ws.test-support.js';

t.test('registration.watch: an unauthenticated client follows its registration live', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp({ env: { WS_AUTH_TIMEOUT_MS: '300', WS_SWEEP_INTERVAL_MS: '25' } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/ws`;
  const email = uniqueEmail('watcher');
  const { id } = await register(app, registrationBody(email));

  const client = await connectWs(t, url);
  client.send({ type: 'registration.watch', requestId: 'unknown', registrationId: '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90' });
  t.equal((await client.nextOf('error', 'unknown')).code, 'REGISTRATION_NOT_FOUND', 'an unknown id: refused, as over REST');
  client.send({ type: 'registration.watch', requestId: 'w', registrationId: id });
  const ack = await client.nextOf('ack', 'w');
  const rest = await app.inject({ method: 'GET', url: `/v1/registrations/${id}` });
  const first = (ack.result as { registration: { status: string } }).registration;
  t.match(first, { registrationId: id, statusUrl: `/v1/registrations/${id}` }, 'the REST view');
  t.same(Object.keys(first).sort(), Object.keys(rest.json()).sort(), 'the same fields as GET /v1/registrations/:id');

  const [mail] = await h.waitForMails(email);
  if (first.status !== 'awaiting-code') {
    const awaiting = await client.next((f) => f.type === 'registration.updated' && (f.registration as { status: string }).status === 'awaiting-code');
    t.ok(awaiting, 'the code was sent: pushed');
  }
  const done = await verify(app, id, codeFromMail(mail!));
  t.equal(done.statusCode, 200);
  const completed = await client.next((f) => f.type === 'registration.updated' && (f.registration as { status: string }).status === 'completed');
  t.same(completed.registration, done.json(), 'the final view, as REST answered it');
  t.notOk(client.frames.some((f) => JSON.stringify(f).includes(email.toLowerCase()) || JSON.stringify(f).includes(email)), 'no e-mail address in any frame');

  // Over: the authentication deadline applies again to this never-authenticated connection.
  const closed = await client.closeCode();
  t.equal(closed.code, WS_CLOSE_CODES.UNAUTHENTICATED.code);
  t.equal(closed.reason, 'authentication timeout');
});
