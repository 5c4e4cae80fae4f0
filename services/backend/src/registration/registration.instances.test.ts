import t from 'tap';
import type { TypedPublisher } from '@ashchat/messaging';
import { waitFor } from '@ashchat/testkit';
import { codeFromMail, register, registrationBody, startRegistrationHarness, uniqueEmail, verify } from './registration.harness.test-support.js';

t.test('two instances on one database: replies are applied by whichever instance consumes them', async (t) => {
  const h = await startRegistrationHarness(t);
  const a = await h.startApp({ registration: { consumeReplies: false } });
  const b = await h.startApp();
  const email = uniqueEmail('two');

  const { id } = await register(a, registrationBody(email));
  const code = codeFromMail((await h.waitForMails(email))[0]!);
  await h.waitForStatus(a, id, 'awaiting-code');
  t.equal(a.registration.replyStats.received, 0, 'A consumes no replies');
  await waitFor(() => b.registration.replyStats.outcomes.applied === 1, { message: 'B to count the code-sent reply' });

  const res = await verify(a, id, code);
  t.equal(res.statusCode, 200, 'A answers from the stored saga although B applied the verdict');
  t.equal(res.json().status, 'completed');
  t.equal(a.registration.replyStats.received, 0);
  // B counts the reply once its handling (including the user insert) returned.
  await waitFor(() => b.registration.replyStats.outcomes.applied === 2, { message: 'B to count the confirm reply' });
  t.ok(await b.users.repository.findByEmail(email));
});

t.test('a crash between persisting and publishing: the next instance relays the request once', async (t) => {
  const h = await startRegistrationHarness(t, { env: { SAGA_RELAY_INTERVAL_MS: '200' } });
  const attempts: string[] = [];
  const crashing = (real: TypedPublisher): TypedPublisher => ({
    async send(queue) {
      attempts.push(queue);
      throw new Error('simulated crash before publish');
    },
    close: () => real.close(),
  });
  const a = await h.startApp({ registration: { publisher: crashing } });
  const email = uniqueEmail('crash');

  const { res, id } = await register(a, registrationBody(email));
  t.equal(res.statusCode, 202, 'the registration is accepted: it is persisted');
  t.ok(attempts.length >= 1, 'a publish was attempted and failed');
  const doc = await h.db.collection('registrations').findOne({ _id: id as never });
  t.equal(doc?.outbox.length, 1, 'the request waits in the outbox');
  await h.closeApp(a);

  const b = await h.startApp({ env: { SAGA_RELAY_INTERVAL_MS: '200' } });
  const [mail] = await h.waitForMails(email);
  await h.waitForStatus(b, id, 'awaiting-code');
  const ok = await verify(b, id, codeFromMail(mail!));
  t.equal(ok.statusCode, 200);

  t.equal((await h.waitForMails(email)).length, 1, 'exactly one mail');
  t.equal(await h.db.collection('users').countDocuments({ emailNormalized: email.toLowerCase() }), 1, 'exactly one user');
  await waitFor(async () => (await h.db.collection('registrations').findOne({ _id: id as never }))?.outbox.length === 0, {
    message: 'the outbox to be empty',
  });
});
