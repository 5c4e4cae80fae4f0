import t from 'tap';
import { codeFromMail, register, registrationBody, signIn as signInFrom, startRegistrationHarness, uniqueEmail, verify } from '../registration/registration.harness.test-support.js';

t.test('a user created by the registration saga signs in, reads their account and is found by nickname', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const email = uniqueEmail('Grace');
  const nickname = `Grace ${email.slice(6, 14)}`;
  const { id } = await register(app, registrationBody(email, { nickname, preferredLanguage: 'en' }));
  const [mail] = await h.waitForMails(email);
  await h.waitForStatus(app, id, 'awaiting-code');
  t.equal((await verify(app, id, codeFromMail(mail!))).statusCode, 200);

  const signIn = await signInFrom(app, email);
  t.equal(signIn.statusCode, 201, signIn.body);
  const headers = { authorization: `Bearer ${signIn.json<{ accessToken: string }>().accessToken}` };
  const me = await app.inject({ method: 'GET', url: '/v1/me', headers });
  t.match(me.json(), { email, nickname, preferredLanguage: 'en', description: '' });
  const found = await app.inject({ method: 'GET', url: '/v1/users', query: { query: nickname.toUpperCase() }, headers });
  t.same(found.json(), { items: [{ id: me.json<{ id: string }>().id, nickname, avatarUrl: null }], nextCursor: null });
});
