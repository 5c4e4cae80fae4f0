import t from 'tap';
import { backoffDelay, DEFAULT_BACKOFF, RATE_LIMITED_MIN_MS } from './realtime.backoff.js';

t.test('delays double per attempt up to the cap, half of each random', async (t) => {
  const low = Array.from({ length: 10 }, (_, i) => backoffDelay(i, () => 0));
  const high = Array.from({ length: 10 }, (_, i) => backoffDelay(i, () => 0.999999));
  t.same(low, [250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000]);
  t.same(high, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  t.equal(backoffDelay(1, () => 0.5), 750);
  t.ok(backoffDelay(1000, () => 0.5) <= DEFAULT_BACKOFF.capMs, 'huge attempt counts stay capped');
});

t.test('after a rate-limit close the delay has a floor', async (t) => {
  t.equal(backoffDelay(0, () => 0, { ...DEFAULT_BACKOFF, minMs: RATE_LIMITED_MIN_MS }), RATE_LIMITED_MIN_MS);
  t.equal(backoffDelay(9, () => 0.999999, { ...DEFAULT_BACKOFF, minMs: RATE_LIMITED_MIN_MS }), 30000);
});
