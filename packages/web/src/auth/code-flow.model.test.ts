import t from 'tap';
import { describeFlow, formatCountdown, type CodeFlowViewLike } from './code-flow.model.js';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();
const awaiting: CodeFlowViewLike = {
  status: 'awaiting-code',
  attemptsLeft: 5,
  expiresAt: at(600),
  resendAvailableAt: at(45),
  resendsLeft: 3,
  lastError: null,
};

t.test('awaiting the code: expiry and resend countdowns, no attempts shown before a wrong code', async (t) => {
  const flow = describeFlow(awaiting, NOW);
  t.equal(flow.phase, 'awaiting-code');
  t.equal(flow.expiresInMs, 600_000);
  t.equal(flow.resendInMs, 45_000);
  t.equal(flow.attemptsLeft, null);
  t.equal(flow.message, null);
  t.equal(flow.moving, false);
  t.equal(describeFlow(awaiting, NOW + 60_000).resendInMs, 0, 'the cooldown over: resend now');
});

t.test('after a wrong code: the message and the attempts left', async (t) => {
  const flow = describeFlow({ ...awaiting, attemptsLeft: 2, lastError: 'invalid-code' }, NOW);
  t.equal(flow.message, 'auth.flow.invalidCode');
  t.equal(flow.attemptsLeft, 2);
  t.equal(describeFlow({ ...awaiting, lastError: 'verifier-timeout' }, NOW).message, 'auth.flow.verifierTimeout');
});

t.test('no resend when none is left or the server gives no time', async (t) => {
  t.equal(describeFlow({ ...awaiting, resendsLeft: 0 }, NOW).resendInMs, null);
  t.equal(describeFlow({ ...awaiting, resendAvailableAt: null }, NOW).resendInMs, null);
  t.equal(describeFlow({ ...awaiting, resendsLeft: undefined }, NOW).resendInMs, 45_000, 'older views without resendsLeft');
});

t.test('the end states and the moving ones', async (t) => {
  t.same(
    [describeFlow({ ...awaiting, status: 'locked' }, NOW), describeFlow({ ...awaiting, status: 'expired' }, NOW), describeFlow({ ...awaiting, status: 'denied' }, NOW)].map((f) => [f.phase, f.message]),
    [
      ['over', 'auth.flow.locked'],
      ['over', 'auth.flow.expired'],
      ['over', 'auth.flow.denied'],
    ],
  );
  const failed = describeFlow({ ...awaiting, status: 'failed', reason: 'email-taken' }, NOW);
  t.equal(failed.reason, 'auth.reason.email-taken');
  t.equal(describeFlow({ ...awaiting, expiresAt: at(-1) }, NOW).phase, 'over', 'a code past its expiry is over before the server says so');
  t.equal(describeFlow({ ...awaiting, status: 'pending' }, NOW).moving, true);
  t.equal(describeFlow({ ...awaiting, status: 'verifying' }, NOW).phase, 'verifying');
  t.equal(describeFlow({ ...awaiting, status: 'verifying' }, NOW).resendInMs, null, 'no resend while a code is checked');
  t.equal(describeFlow({ ...awaiting, status: 'completed' }, NOW).phase, 'completed');
});

t.test('formatCountdown rounds up', async (t) => {
  t.equal(formatCountdown(45_000), '0:45');
  t.equal(formatCountdown(44_001), '0:45');
  t.equal(formatCountdown(600_000), '10:00');
  t.equal(formatCountdown(3_725_000), '1:02:05');
  t.equal(formatCountdown(-5), '0:00');
});
