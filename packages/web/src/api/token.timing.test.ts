import t from 'tap';
import { isFresh, MIN_LEFT_ON_LOAD_MS, refreshDelayMs, usableOnLoad } from './token.timing.js';

t.test('refreshDelayMs: a fifth of the life early, between 5 s and 60 s before expiry', async (t) => {
  t.equal(refreshDelayMs(900), 840_000, 'a 15-minute token: a minute early (the 60 s cap)');
  t.equal(refreshDelayMs(120), 96_000, 'a 2-minute token: a fifth (24 s) early');
  t.equal(refreshDelayMs(10), 5_000, 'a 10 s token: the 5 s floor');
  t.equal(refreshDelayMs(3), 1_000, 'never sooner than a second: no refresh loop on tiny lifetimes');
  t.equal(refreshDelayMs(0), 1_000);
  for (const seconds of [1, 7, 30, 61, 300, 3600, 86_400]) {
    const delay = refreshDelayMs(seconds);
    t.ok(delay >= 1_000, `${seconds}s: not sooner than a second`);
    t.ok(delay <= Math.max(1_000, seconds * 1000 - 5_000), `${seconds}s: at least 5 s before expiry`);
  }
});

t.test('isFresh: good until 5 s before expiry', async (t) => {
  t.equal(isFresh(100_000, 94_999), true);
  t.equal(isFresh(100_000, 95_000), false);
  t.equal(isFresh(100_000, 200_000), false);
});

t.test('usableOnLoad: a reload keeps an access token with more than a minute left', async (t) => {
  const now = 1_000_000;
  t.equal(MIN_LEFT_ON_LOAD_MS, 60_000);
  t.equal(usableOnLoad(now + 14 * 60_000, now), true, 'reloaded a minute after a refresh: no new refresh');
  t.equal(usableOnLoad(now + 60_001, now), true);
  t.equal(usableOnLoad(now + 60_000, now), false, 'a minute or less: refresh now');
  t.equal(usableOnLoad(now - 1, now), false, 'expired');
});
