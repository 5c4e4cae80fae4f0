import { DEAD_LETTER_REASON_HEADER, deadLetterQueueName, type AccountNotice } from '@ashchat/contracts';
import type { SyncMessage } from 'rabbitmq-client';
import t from 'tap';
import { eventually, startHarness, type Harness } from './verification.test-support.js';
import { accountNoticeKey } from './account-notice.store.js';
import { formatUtcTime } from './account-mail.templates.js';

/** Log lines that close one delivery of the notice: mailed, or found already mailed. */
const deliveriesDone = (h: Harness, noticeId: string): number =>
  h.logs.filter((e) => e.line.includes(noticeId) && /account notice handled|notice was already mailed/.test(e.line)).length;
const waitForDeliveries = (h: Harness, noticeId: string, count: number) =>
  eventually(`${count} handled deliveries of ${noticeId}`, () => (deliveriesDone(h, noticeId) >= count ? true : undefined));

async function deadLetters(h: Harness, count: number): Promise<SyncMessage[]> {
  const got: SyncMessage[] = [];
  await eventually(`${count} dead letter(s)`, async () => {
    const msg = await h.amqp.basicGet({ queue: deadLetterQueueName(h.queues.accountNotice), noAck: true });
    if (msg) got.push(msg);
    return got.length >= count ? true : undefined;
  });
  return got;
}

t.test('with a working SMTP server', async (t) => {
  const h = await startHarness({ smtp: 'sink' });
  t.teardown(() => h.close());

  await t.test('password changed: mailed with the time, the sessions note and the reset link', async (t) => {
    const at = Date.UTC(2026, 11, 5, 16, 18);
    const notice = h.notice({ kind: 'password-changed', at, nickname: 'Ada' });
    await h.publishNotice(notice);
    const [mail] = await eventually('the notice mail', () => (h.mailsTo(notice.email).length ? h.mailsTo(notice.email) : undefined));
    t.equal(mail!.subject, 'Your AshChat password was changed');
    t.match(mail!.text, 'Hello Ada,');
    t.match(mail!.text, `Your AshChat password was changed on ${formatUtcTime('en', at)}.`);
    t.match(mail!.text, 'December 5, 2026 at 4:18 PM UTC');
    t.match(mail!.text, 'All your other sessions were signed out.');
    t.match(mail!.text, /^https:\/\/chat\.example\/password-reset$/m);
    t.same(await h.redis.hgetall(accountNoticeKey(notice.noticeId)), { status: 'sent' }, 'remembered as sent, nothing else');
  });

  await t.test('account deleted, in Spanish', async (t) => {
    const notice = h.notice({ noticeId: `account-deleted:${Date.now()}`, kind: 'account-deleted', preferredLanguage: 'es-MX' });
    await h.publishNotice(notice);
    const [mail] = await eventually('the notice mail', () => (h.mailsTo(notice.email).length ? h.mailsTo(notice.email) : undefined));
    t.equal(mail!.subject, 'Se ha eliminado tu cuenta de AshChat');
    t.match(mail!.text, 'usuario eliminado');
    t.match(mail!.text, 'volver a usarse para registrarse');
  });

  await t.test('the same notice published again later is not mailed again', async (t) => {
    const notice = h.notice();
    await h.publishNotice(notice);
    await waitForDeliveries(h, notice.noticeId, 1);
    await h.publishNotice(notice);
    await waitForDeliveries(h, notice.noticeId, 2);
    t.equal(h.mailsTo(notice.email).length, 1, 'one mail for two deliveries');
    t.ok(h.logs.some((e) => e.line.includes(notice.noticeId) && e.line.includes('already mailed')), 'the second one saw the first');
  });

  await t.test('the same notice delivered several times at once is mailed once', async (t) => {
    const notice = h.notice();
    await Promise.all([h.publishNotice(notice), h.publishNotice(notice), h.publishNotice(notice)]);
    await waitForDeliveries(h, notice.noticeId, 3);
    t.equal(h.mailsTo(notice.email).length, 1, 'one mail for three concurrent deliveries');
    t.equal(h.logs.filter((e) => e.line.includes(notice.noticeId) && e.line.includes('account notice handled')).length, 1, 'one sender');
  });

  await t.test('two notices with different ids are two mails', async (t) => {
    const first = h.notice();
    const second: AccountNotice = { ...first, noticeId: `${first.noticeId}-2` };
    await h.publishNotice(first);
    await h.publishNotice(second);
    await eventually('two mails', () => (h.mailsTo(first.email).length === 2 ? true : undefined));
    t.pass('each notice id is its own mail');
  });

  await t.test('a malformed notice is dead-lettered with the reason', async (t) => {
    const publisher = h.amqp.createPublisher({ confirm: true });
    t.teardown(() => publisher.close());
    await publisher.send({ routingKey: h.queues.accountNotice, correlationId: 'bad-notice', contentType: 'application/json' }, { noticeId: 'x y', kind: 'other' });
    const [dead] = await deadLetters(h, 1);
    t.equal(dead!.correlationId, 'bad-notice');
    t.match(String(dead!.headers?.[DEAD_LETTER_REASON_HEADER]), /^schema validation failed/);
  });
});

t.test('SMTP down: retried with backoff, then dead-lettered with the reason; the claim is released', async (t) => {
  const h = await startHarness({ smtp: 'closed', smtpMaxRetries: 2, smtpRetryBaseMs: 5 });
  t.teardown(() => h.close());
  const notice = h.notice();
  await h.publishNotice(notice);
  const [dead] = await deadLetters(h, 1);
  const reason = String(dead!.headers?.[DEAD_LETTER_REASON_HEADER]);
  t.match(reason, /^handler failed: NoticeMailFailedError: mail delivery failed after 3 attempts/, reason);
  t.notMatch(reason, /example\.test|127\.0\.0\.1/, 'no address or server text in the reason');
  const body: unknown = Buffer.isBuffer(dead!.body) || typeof dead!.body === 'string' ? JSON.parse(String(dead!.body)) : dead!.body;
  t.match(body, { noticeId: notice.noticeId, kind: notice.kind }, 'the notice itself is kept for a replay');
  const retries = h.logs.filter((e) => e.level === 'warn' && e.line.includes(notice.noticeId) && e.line.includes('retrying'));
  t.equal(retries.length, 2, 'two retries after the first attempt');
  t.equal(await h.redis.exists(accountNoticeKey(notice.noticeId)), 0, 'no "sending" marker left: a replay may mail it');
});
