import t from 'tap';
import type { TSchema } from '@sinclair/typebox';
import { MESSAGING_APPLICATIONS, MESSAGING_CATALOGUE, catalogueQueue } from './messaging.catalogue.js';
import { QUEUE_NAMES } from './queues.js';
import { RegistrationReply } from './verification.messages.js';
import { DeviceChallengeReply, PasswordResetReply } from './account.messages.js';

const ids = (schemas: readonly TSchema[]): string[] => schemas.map((s) => String(s.$id)).sort();

t.test('the catalogue lists every contract queue exactly once', async (t) => {
  t.same(MESSAGING_CATALOGUE.map((q) => q.name).sort(), [...QUEUE_NAMES].sort());
  t.throws(() => catalogueQueue('NO_SUCH_QUEUE'), /not in the messaging catalogue/);
  t.equal(catalogueQueue(QUEUE_NAMES[0]).name, QUEUE_NAMES[0]);
});

t.test('every queue has senders and receivers among the known applications', async (t) => {
  const apps = Object.keys(MESSAGING_APPLICATIONS);
  for (const q of MESSAGING_CATALOGUE) {
    t.ok(q.senders.length > 0 && q.receivers.length > 0, `${q.name} has both ends`);
    for (const app of [...q.senders, ...q.receivers]) t.ok(apps.includes(app), `${q.name}: ${app} is known`);
    t.ok(q.messages.length > 0, `${q.name} carries messages`);
  }
});

t.test('a request lives on one queue; only replies are shared by reply queues', async (t) => {
  const all = MESSAGING_CATALOGUE.flatMap((q) => q.messages.map((m) => m.schema.$id));
  const replies = new Set(MESSAGING_CATALOGUE.flatMap((q) => q.messages.flatMap((m) => (m.reply ? [m.reply.schema.$id] : []))));
  const shared = all.filter((id, i) => all.indexOf(id) !== i);
  t.ok(shared.every((id) => replies.has(id)), `shared: ${shared.join(', ')}`);
  for (const q of MESSAGING_CATALOGUE) t.equal(new Set(q.messages.map((m) => m.schema.$id)).size, q.messages.length, `${q.name} lists each message once`);
});

t.test('a queue is consumed as its only message or as the union of its messages', async (t) => {
  for (const q of MESSAGING_CATALOGUE) {
    if (q.messages.length === 1) t.equal(q.consumedAs, q.messages[0]?.schema, q.name);
    else t.same(ids((q.consumedAs.anyOf ?? []) as TSchema[]), ids(q.messages.map((m) => m.schema)), q.name);
  }
  // The reply consumer validates against RegistrationReply: it must admit every reply the catalogue sends there.
  t.same(ids(RegistrationReply.anyOf), ids(catalogueQueue('REGISTRATION_REPLY_QUEUE').messages.map((m) => m.schema)));
  t.same(ids(PasswordResetReply.anyOf), ids(catalogueQueue('PASSWORD_RESET_REPLY_QUEUE').messages.map((m) => m.schema)));
  t.same(ids(DeviceChallengeReply.anyOf), ids(catalogueQueue('DEVICE_CHALLENGE_REPLY_QUEUE').messages.map((m) => m.schema)));
});

t.test('every reply goes back to the requester, on a queue that carries it', async (t) => {
  let requests = 0;
  for (const q of MESSAGING_CATALOGUE) {
    for (const m of q.messages) {
      if (!m.reply) continue;
      requests += 1;
      const replyQueue = catalogueQueue(m.reply.queue);
      t.ok(replyQueue.messages.some((r) => r.schema === m.reply?.schema), `${m.schema.$id}: ${m.reply.schema.$id} is on ${replyQueue.name}`);
      t.same([...replyQueue.senders].sort(), [...q.receivers].sort(), `${m.schema.$id}: its receivers send the reply`);
      t.same([...replyQueue.receivers].sort(), [...q.senders].sort(), `${m.schema.$id}: its senders receive the reply`);
    }
  }
  t.equal(requests, 7, 'account creation, confirm e-mail code, reset code, device code, confirm code, the digest mail and translation are requests');
  t.notOk(catalogueQueue('ACCOUNT_NOTICE_QUEUE').messages.some((m) => m.reply), 'account notices are one way');
});
