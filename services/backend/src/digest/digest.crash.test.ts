/**
 * Restart safety: a backend KILLED after its digest request went out but before it recorded that
 * leaves the request in the saga's outbox; the next backend publishes it again, and the verifier
 * (dedup key = saga id + period) answers `already-sent` instead of mailing twice.
 */
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startEntry, waitFor, within } from '@ashchat/testkit';
import { testEnv } from '../app.test-support.js';
import { directConversation, sendMessage } from '../chat/chat.test-support.js';
import { startRegistrationHarness } from '../registration/registration.harness.test-support.js';
import { DIGEST_ENV, namedUser, waitForDigest } from './digest.test-support.js';

const childEntry = fileURLToPath(new URL('./digest.crash-child.test-support.ts', import.meta.url));

t.test('a backend killed right after publishing the digest request: the next one never mails it twice', async (t) => {
  const h = await startRegistrationHarness(t, { env: DIGEST_ENV });
  // The seeding instance only serves the sends: no message events, no timers, no replies.
  const seed = await h.startApp({ digest: { consumeEvents: false, background: false, consumeReplies: false } });
  const ada = await namedUser(seed, 'Ada Crash');
  const bob = await namedUser(seed, 'Bob Crash');
  const direct = await directConversation(bob, ada);

  const env = await testEnv({ ...DIGEST_ENV, MONGODB_DB: h.dbName, QUEUE_NAMESPACE: h.namespace, LOG_LEVEL: 'silent' });
  const held = startEntry(childEntry, env);
  t.teardown(() => held.child.kill('SIGKILL'));
  await held.waitForOutput(/LISTENING (\S+)/, 60_000);

  await sendMessage(bob, direct, 'Hello @Ada Crash', 'b-1');
  await held.waitForOutput(/PUBLISHED/, 30_000);
  await h.waitForMails(ada.email, 1);
  held.child.kill('SIGKILL');
  t.equal(await within(held.exited, 15_000, 'the killed backend exits'), 'SIGKILL');
  const left = await waitForDigest(h.db, ada.id, (d) => d.state === 'sending', 'the saga left in sending');
  t.equal(left.outbox.length, 1, 'the request is still in the outbox');

  const next = await h.startApp();
  // On the outcomes, not `received`: a reply is counted as received before it is handled.
  const handled = (): number => Object.values(next.digest.replyStats.outcomes).reduce((a, b) => a + b, 0);
  await waitFor(() => handled() >= 2, { timeoutMs: 30_000, message: 'the first reply and the one to the request sent again, both handled' });
  const done = await waitForDigest(h.db, ada.id, (d) => d.state === 'cooldown' && d.outbox.length === 0, 'the saga in its cooldown, outbox empty');
  t.equal(done.state, 'cooldown');
  const { outcomes } = next.digest.replyStats;
  t.equal(outcomes.applied, 1, 'one reply moved the saga');
  t.ok(outcomes.ignored >= 1, 'the answer to the repeated request changed nothing');
  t.equal(outcomes.malformed + outcomes['unknown-saga'], 0);
  t.equal((await h.mailbox.search(`to:"${ada.email}"`)).length, 1, 'exactly one mail');
});
