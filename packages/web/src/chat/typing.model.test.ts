import t from 'tap';
import type { TypingEvent } from '@ashchat/contracts';
import { applyTyping, clearTyping, nextExpiry, onKeystroke, onStopped, pruneTyping, typingUsers, type OwnTyping } from './typing.model.js';

const CONV = 'a'.repeat(24);
const BOB = '00000000-0000-4000-8000-000000000002';
const CAROL = '00000000-0000-4000-8000-000000000003';
const ev = (userId: string, state: 'start' | 'stop', expiresInMs = 5000): TypingEvent => ({ type: 'typing', conversationId: CONV, userId, state, expiresInMs });

t.test('a start lapses after expiresInMs unless repeated; a stop ends it at once', async (t) => {
  let s = applyTyping({}, ev(BOB, 'start'), 1000);
  s = applyTyping(s, ev(CAROL, 'start', 2000), 1000);
  t.same(typingUsers(s, CONV, 1000), [BOB, CAROL]);
  t.equal(nextExpiry(s, 1000), 3000);
  t.same(typingUsers(s, CONV, 3000), [BOB], "Carol's lapsed");
  s = applyTyping(s, ev(BOB, 'start'), 5500); // repeated: extended
  t.same(typingUsers(s, CONV, 7000), [BOB]);
  t.same(typingUsers(s, CONV, 10500), []);
  s = applyTyping(s, ev(BOB, 'stop'), 6000);
  t.same(typingUsers(s, CONV, 6000), []);
  t.same(pruneTyping(applyTyping({}, ev(BOB, 'start', 10), 0), 20), {});
  t.equal(nextExpiry({}, 0), null);
  t.same(typingUsers(clearTyping(applyTyping({}, ev(BOB, 'start'), 0), CONV, BOB), CONV, 1), [], 'a message ends the indicator');
});

t.test('own typing: a start at most every 3 s while typing, one stop afterwards', async (t) => {
  let own: OwnTyping = { lastStart: {} };
  const starts: number[] = [];
  for (const now of [0, 500, 2900, 3000, 3100, 6500]) {
    const r = onKeystroke(own, CONV, now);
    own = r.own;
    if (r.sendStart) starts.push(now);
  }
  t.same(starts, [0, 3000, 6500]);
  const stop = onStopped(own, CONV);
  t.ok(stop.sendStop);
  t.notOk(onStopped(stop.own, CONV).sendStop, 'no second stop');
  t.ok(onKeystroke(stop.own, CONV, 6600).sendStart, 'typing again after a stop starts at once');
});
