/**
 * The cut to five database commands per registration (README, "Database commands"): a code taken
 * before the "code sent" reply is applied, and the user created inline with the verdict.
 */
import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { SagaInlineRun, SagaView } from '@ashchat/saga';
import { waitFor } from '@ashchat/testkit';
import { undoCreateUser } from './create-user.effect.js';
import { codeFromMail, holdingPublisher, register, registrationBody, signIn, startRegistrationHarness, uniqueEmail, verify } from './registration.harness.test-support.js';

t.test('a code submitted before the "code sent" reply is applied completes; that late reply is ignored', async (t) => {
  const h = await startRegistrationHarness(t, { env: { VERIFY_WAIT_MS: '15000' } });
  // A takes the REST calls and consumes no replies: the "code sent" reply waits in the queue.
  const a = await h.startApp({ registration: { consumeReplies: false } });
  const email = uniqueEmail('late');
  const { id } = await register(a, registrationBody(email));
  const code = codeFromMail((await h.waitForMails(email))[0]!);
  t.match((await a.inject({ method: 'GET', url: `/v1/registrations/${id}` })).json(), { status: 'pending' }, 'the reply is not applied yet');

  const verified = verify(a, id, code);
  // B comes up and consumes both replies: "code sent" (now stale) and the verdict.
  const b = await h.startApp();
  const res = await verified;
  t.equal(res.statusCode, 200);
  t.equal(res.json().status, 'completed');
  const { outcomes } = b.registration.replyStats;
  await waitFor(() => outcomes.applied + outcomes.ignored === 2, { message: 'B to count both replies' });
  t.equal(outcomes.applied, 1, 'the verdict');
  t.equal(outcomes.ignored, 1, 'the late "code sent"');
  t.equal(await h.db.collection('users').countDocuments({ emailNormalized: email.toLowerCase() }), 1);
});

t.test('a crash between the user insert and the saga write: the redelivered verdict finds its user and completes', async (t) => {
  const h = await startRegistrationHarness(t, { env: { VERIFY_WAIT_MS: '300', SAGA_RELAY_INTERVAL_MS: '200' } });
  const held = new Set<string>([h.queues.confirmEmailCode]);
  const app = await h.startApp({ registration: { publisher: holdingPublisher(held) } });
  const email = uniqueEmail('crash-insert');
  const { id } = await register(app, registrationBody(email));
  const code = codeFromMail((await h.waitForMails(email))[0]!);
  t.equal((await verify(app, id, code)).statusCode, 202, 'the check is held: still verifying');

  // What a run that died before its write leaves behind: the user from the saga's own payload, the saga untouched.
  const doc = await h.db.collection('registrations').findOne({ _id: id as never });
  t.equal(doc?.state, 'verifyingCode');
  const c = (JSON.parse(doc!.snapshot as string) as { context: Record<string, string> }).context;
  const crashed = await app.users.repository.insert(
    { _id: id, registrationId: id, email: c.email!, emailNormalized: c.emailNormalized!, nickname: c.nickname!, preferredLanguage: c.preferredLanguage!, passwordHash: c.passwordHash! },
    new Date(),
  );
  t.equal(crashed.outcome, 'created');

  held.clear();
  await h.waitForStatus(app, id, 'completed', 20_000);
  t.equal(await h.db.collection('users').countDocuments({ emailNormalized: email.toLowerCase() }), 1, 'one user');
  const user = await app.users.repository.findById(id);
  t.same(user?.createdAt, crashed.outcome === 'created' ? crashed.user.createdAt : null, "the crashed run's user is the account");
  t.equal((await signIn(app, email)).statusCode, 201, 'and signs in from the device that submitted the code');
});

t.test('undoing a createUser run whose write was lost: only a user it made, only for a registration that ended otherwise', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const { users } = app;
  const devices = app.devices.repository;
  const undo = undoCreateUser({ users: users.repository, devices });
  const made = async (): Promise<string> => {
    const id = randomUUID();
    const email = uniqueEmail('undo');
    await users.repository.insert({ _id: id, registrationId: id, email, emailNormalized: email.toLowerCase(), nickname: 'undo', preferredLanguage: 'en', passwordHash: 'x' }, new Date());
    await devices.trust({ userId: id, deviceIdHash: `d-${id}`, name: null }, new Date());
    return id;
  };
  const run = (userId: string, created: boolean): SagaInlineRun => ({ name: 'createUser', effectId: 'u9', payload: {}, result: { type: 'USER_CREATED', userId, created } });
  const stored = (state: string, final: boolean) => ({ id: 'r', state, final }) as unknown as SagaView;

  const cases: Array<[string, boolean, SagaView, boolean]> = [
    ['ended expired, this run made it', true, stored('expired', true), false],
    ['ended locked, this run made it', true, stored('locked', true), false],
    ['completed meanwhile', true, stored('completed', true), true],
    ['still open (its next createUser finds the user)', true, stored('awaitingCode', false), true],
    ['an earlier run made it', false, stored('expired', true), true],
  ];
  for (const [label, created, view, kept] of cases) {
    const id = await made();
    await undo(run(id, created), view);
    t.equal(Boolean(await users.repository.findById(id)), kept, `${label}: user ${kept ? 'kept' : 'removed'}`);
    t.equal((await devices.listOf(id)).length, kept ? 1 : 0, `${label}: devices ${kept ? 'kept' : 'removed'}`);
  }
});
