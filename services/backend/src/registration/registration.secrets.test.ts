import t from 'tap';
import { getInfra } from '@ashchat/testkit';
import { leaksIn, monitorRedis } from '../sagas/secrets.test-support.js';
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
  await commands.drain(h.redis, `monitor-end-${id}`);

  const ours = commands.lines.filter((c) => c.includes(id));
  t.ok(ours.length > 0, 'the flow wrote to Redis (sanity check of the monitor)');
  const secrets = { named: { 'the password': password, 'the hash': hash }, codes: [first, second], containsCode };
  t.same(leaksIn(commands.lines, secrets), [], 'no Redis command carried the password, the hash or a code');

  const doc = JSON.stringify(await h.db.collection('registrations').findOne({ _id: id as never }));
  t.notOk(doc.includes(password), 'the saga document never held the password');
  t.notOk(containsCode(doc, first) || containsCode(doc, second), 'nor a code');
});
