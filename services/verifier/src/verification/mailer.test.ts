import t from 'tap';
import { backoffDelay, isPermanentMailError, mailFailureReason, RetriesExhaustedError, withRetry } from './mailer.js';

t.test('backoff doubles per retry and jitters within 50–100 %', async (t) => {
  t.equal(backoffDelay(100, 0, () => 0), 50);
  t.equal(backoffDelay(100, 0, () => 0.999999), 100);
  t.equal(backoffDelay(100, 3, () => 0), 400);
  t.equal(backoffDelay(100, 3, () => 0.5), 600);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(40, 2);
    if (d < 80 || d > 160) t.fail(`delay ${d} outside [80, 160]`);
  }
});

t.test('retries transient failures until one attempt succeeds', async (t) => {
  let calls = 0;
  const retries: { attempt: number; delayMs: number }[] = [];
  const result = await withRetry(
    async () => {
      if (++calls < 3) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' });
      return 'sent';
    },
    { maxRetries: 3, baseDelayMs: 2, random: () => 0, onRetry: ({ attempt, delayMs }) => retries.push({ attempt, delayMs }) },
  );
  t.equal(result, 'sent');
  t.equal(calls, 3);
  t.same(retries, [{ attempt: 1, delayMs: 1 }, { attempt: 2, delayMs: 2 }]);
});

t.test('gives up after 1 + maxRetries attempts', async (t) => {
  let calls = 0;
  const err = await withRetry(
    async () => {
      calls++;
      throw Object.assign(new Error('greeting never received'), { code: 'ETIMEDOUT' });
    },
    { maxRetries: 2, baseDelayMs: 1 },
  ).catch((e: unknown) => e);
  t.equal(calls, 3);
  t.type(err, RetriesExhaustedError);
  t.equal((err as RetriesExhaustedError).attempts, 3);
  t.equal(mailFailureReason(err), 'mail delivery failed after 3 attempts (ETIMEDOUT)');
});

t.test('permanent SMTP rejections are not retried, and the reason omits the server text', async (t) => {
  let calls = 0;
  const rejected = Object.assign(new Error('550 5.1.1 <ada@example.org>: Recipient address rejected'), { code: 'EENVELOPE', responseCode: 550 });
  const err = await withRetry(
    async () => {
      calls++;
      throw rejected;
    },
    { maxRetries: 5, baseDelayMs: 1 },
  ).catch((e: unknown) => e);
  t.equal(calls, 1);
  t.ok(isPermanentMailError(rejected));
  t.notOk(isPermanentMailError(Object.assign(new Error('try later'), { responseCode: 421 })));
  t.notOk(isPermanentMailError(new Error('boom')));
  t.equal(mailFailureReason(err), 'mail delivery failed after 1 attempt (EENVELOPE, SMTP 550)');
  t.notMatch(mailFailureReason(err), 'ada@example.org');
});
