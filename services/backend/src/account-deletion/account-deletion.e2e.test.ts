/**
 * End to end on the real infrastructure, with the real verifier: an account made through the
 * registration saga is deleted; its partners keep tombstones, its groups pass on or close, nothing
 * of it remains, its address gets the notice and can register again.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ObjectId } from 'mongodb';
import t from 'tap';
import { DELETED_USER_ID } from '@ashchat/contracts';
import { waitFor } from '@ashchat/testkit';
import {
  PASSWORD,
  codeFromMail,
  mailFor,
  register,
  registrationBody,
  signIn,
  startRegistrationHarness,
  uniqueEmail,
  verify,
  type RegistrationHarness,
} from '../registration/registration.harness.test-support.js';
import { signedInUser, type ChatTestUser } from '../chat/chat.test-support.js';
import { ACCOUNT_DELETIONS_COLLECTION } from './account-deletion.plugin.js';
import { waitForCompleted, withToken } from './account-deletion.app.test-support.js';

/** Registers `email` through the saga and the verifier's mailed code; the new user's id. */
async function registerAccount(h: RegistrationHarness, app: FastifyInstance, email: string, nickname: string): Promise<string> {
  const { res, id } = await register(app, registrationBody(email, { nickname }));
  if (res.statusCode !== 202) throw new Error(`register: ${res.statusCode} ${res.body}`);
  const mails = await waitFor(async () => {
    const all = await h.waitForMails(email);
    return all.some((m) => m.Text.includes(`registration=${id}`)) ? all : undefined;
  });
  const verified = await verify(app, id, codeFromMail(mailFor(mails, id)));
  if (verified.statusCode !== 200) throw new Error(`verify: ${verified.statusCode} ${verified.body}`);
  const user = await app.users.repository.findByEmail(email);
  if (!user) throw new Error('registered user not found');
  return user._id;
}

/** Every document of every collection whose JSON contains `needle` (case-insensitive), by collection. */
async function scan(h: RegistrationHarness, needle: string, skip: (collection: string) => boolean = () => false): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  const lower = needle.toLowerCase();
  for (const { name } of await h.db.listCollections().toArray()) {
    if (skip(name)) continue;
    const docs = await h.db.collection(name).find({}).toArray();
    const hits = docs.filter((d) => JSON.stringify(d).toLowerCase().includes(lower)).length;
    if (hits > 0) found[name] = hits;
  }
  return found;
}

t.test('an account is deleted completely; what others shared with it stays, without it', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  await app.accountDeletion.started;

  const email = uniqueEmail('gone');
  const nickname = `Zed${randomUUID().slice(0, 6)}`;
  const userId = await registerAccount(h, app, email, nickname);
  const session = await signIn(app, email);
  t.equal(session.statusCode, 201, session.body);
  const ada = withToken(app, session.json<{ accessToken: string }>().accessToken);
  const bob: ChatTestUser = await signedInUser(app);
  const cy: ChatTestUser = await signedInUser(app);

  // A direct conversation: messages both ways, one of Ada's edited, one deleted.
  const direct = (await ada('POST', '/v1/conversations', { type: 'direct', members: [bob.id] })).json<{ id: string }>().id;
  const sent = async (conversationId: string, body: string): Promise<string> => {
    const res = await ada('POST', `/v1/conversations/${conversationId}/messages`, { body, clientMessageId: randomUUID() });
    t.equal(res.statusCode, 201, res.body);
    return res.json<{ id: string }>().id;
  };
  const first = await sent(direct, `hello from ${nickname}`);
  const second = await sent(direct, 'second');
  await sent(direct, 'third');
  t.equal((await ada('PATCH', `/v1/conversations/${direct}/messages/${first}`, { body: 'hello, edited' })).statusCode, 200);
  t.equal((await ada('DELETE', `/v1/conversations/${direct}/messages/${second}`)).statusCode, 200);
  t.equal((await bob.call('POST', `/v1/conversations/${direct}/messages`, { body: 'hi Ada', clientMessageId: randomUUID() })).statusCode, 201);
  t.equal((await bob.call('POST', `/v1/conversations/${direct}/read`, { upTo: first })).statusCode, 200);
  t.equal((await ada('POST', `/v1/conversations/${direct}/read`, { upTo: first })).statusCode, 200);

  // A group Ada owns: Cy joined before Bob, so Cy takes over. And a group with nobody else.
  const owned = (await ada('POST', '/v1/conversations', { type: 'group', name: 'Engines', members: [cy.id, bob.id] })).json<{ id: string }>().id;
  await sent(owned, 'welcome');
  const solo = (await ada('POST', '/v1/conversations', { type: 'group', name: 'Notes', members: [] })).json<{ id: string }>().id;
  await sent(solo, 'note to self');
  // A group Bob owns: Ada just leaves it.
  const bobs = (await bob.call('POST', '/v1/conversations', { type: 'group', name: 'Bob and friends', members: [userId, cy.id] })).json<{ id: string }>().id;
  await sent(bobs, 'hi all');

  const started = await ada('DELETE', '/v1/me', { password: PASSWORD });
  t.equal(started.statusCode, 202, started.body);
  const { deletionId } = started.json<{ deletionId: string }>();
  await waitForCompleted(app, deletionId);

  t.test('the account cannot sign in, its token is dead', async (t) => {
    t.equal((await signIn(app, email)).statusCode, 401);
    t.equal((await ada('GET', '/v1/me')).statusCode, 401);
  });

  t.test('the direct partner sees tombstones, its own message intact', async (t) => {
    const page = (await bob.call('GET', `/v1/conversations/${direct}/messages`)).json<{ items: Array<Record<string, unknown>> }>();
    const theirs = page.items.filter((m) => m.senderId !== bob.id);
    t.equal(theirs.length, 3);
    for (const m of theirs) {
      t.match(m, { senderId: DELETED_USER_ID, body: null, clientMessageId: `deleted:${m.id as string}` });
      t.type(m.deletedAt, 'string');
    }
    t.type(theirs.find((m) => m.id === first)?.editedAt, 'string', 'editedAt kept');
    t.match(page.items.find((m) => m.senderId === bob.id), { body: 'hi Ada' });
    const list = (await bob.call('GET', '/v1/conversations')).json<{ items: Array<{ id: string; members: string[] }> }>();
    t.same(list.items.find((c) => c.id === direct)?.members, [bob.id], 'the direct conversation stays, with Bob alone');
  });

  t.test('the owned group passed to the earliest-joined member; the solo group is closed', async (t) => {
    const view = (await cy.call('GET', '/v1/conversations')).json<{ items: Array<{ id: string; ownerId: string; members: string[] }> }>();
    t.match(view.items.find((c) => c.id === owned), { ownerId: cy.id, members: [cy.id, bob.id] });
    t.match(view.items.find((c) => c.id === bobs), { ownerId: bob.id, members: [bob.id, cy.id] });
    t.equal(await h.db.collection('conversations').countDocuments({ _id: new ObjectId(solo) }), 0);
    t.equal(await h.db.collection('messages').countDocuments({ conversationId: new ObjectId(solo) }), 0);
    t.equal(await h.db.collection('conversation_members').countDocuments({ conversationId: new ObjectId(solo) }), 0);
    // Cy, now the owner, may manage the group.
    t.equal((await cy.call('DELETE', `/v1/conversations/${owned}/members/${bob.id}`)).statusCode, 200);
  });

  t.test('nothing of the profile remains; the finished deletion keeps ids and times only', async (t) => {
    await waitFor(async () => (await app.accountDeletion.runtime.get(deletionId))?.pendingOutbox === 0, { message: 'the notice sent and its outbox entry dropped' });
    t.same(await scan(h, userId, (c) => c === ACCOUNT_DELETIONS_COLLECTION), {}, 'the user id');
    t.same(await scan(h, email), {}, 'the e-mail address');
    t.same(await scan(h, nickname), {}, 'the nickname');
    const doc = await h.db.collection(ACCOUNT_DELETIONS_COLLECTION).findOne({ _id: deletionId as never });
    t.match(doc, { final: true, state: 'completed' });
  });

  t.test('the address was told, and can register again', async (t) => {
    const mails = await h.waitForMails(email, 2);
    t.ok(mails.some((m) => /deleted/i.test(m.Subject)), 'the deletion notice');
    const again = await registerAccount(h, app, email, nickname);
    t.not(again, userId, 'a new account');
    t.equal((await signIn(app, email)).statusCode, 201);
  });
});
