import t from 'tap';
import { loggerOptions } from '@ashchat/service-kit';
import { getInfra } from '@ashchat/testkit';
import { codeFromMail, containsCode, signIn, startRegistrationHarness, wrongCode } from '../registration/registration.harness.test-support.js';
import { allDocuments, leaksIn, monitorRedis, recordLog, recordPublished } from '../sagas/secrets.test-support.js';
import { hashRefreshToken } from './refresh-token.js';
import { NEW_DEVICE_ID, challengeMail, deny, denialTokenFromMail, registeredAccount, submitCode, waitForChallenge } from './device-challenge.harness.test-support.js';

t.test('the client’s device id, the codes, the tokens and the deny token never reach MongoDB in clear, a queue, Redis or the log', async (t) => {
  const h = await startRegistrationHarness(t);
  const log = recordLog();
  const published = recordPublished();
  const app = await h.startApp({ env: { LOG_LEVEL: 'trace' }, server: { logger: { ...loggerOptions('trace'), stream: log.stream } }, deviceChallenge: { publisher: published.publisher } });
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

  await commands.drain(h.redis, `monitor-end-${first}`);
  const sent = published.messages.map((m) => JSON.stringify(m));
  t.ok(commands.lines.some((c) => c.includes(first)), 'the flow wrote to Redis (sanity check of the monitor)');
  t.ok(sent.some((m) => m.includes(first)), 'and published (sanity check of the recorder)');
  t.ok(log.lines.length > 0, 'and logged (sanity check of the stream)');

  const named = { 'the client device id': NEW_DEVICE_ID, 'the other client device id': otherDevice, 'the access token': tokens.accessToken, 'the refresh token': tokens.refreshToken, 'the denial token': denialToken };
  const codes = [code, wrongCode(code), codeFromMail(secondMail)];
  const secrets = { named, codes, containsCode };
  t.same(leaksIn(commands.lines, secrets), [], 'nothing in Redis');
  t.same(leaksIn(sent, secrets), [], 'nothing in a queue message');
  t.same(leaksIn(log.lines, secrets), [], 'nothing in the log');

  const everything = await allDocuments(h.db);
  t.ok(everything.some((d) => d.includes(hashRefreshToken(tokens.refreshToken))), 'the refresh token is stored as its digest (sanity check of the scan)');
  t.same(leaksIn(everything, secrets), [], 'nothing in MongoDB in clear');
});
