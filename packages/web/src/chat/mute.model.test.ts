import t from 'tap';
import { muteEnd, mutedNow } from './mute.model.js';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');

t.test('mutedNow: not muted, for good, until a later time, ended', async (t) => {
  t.same(mutedNow({ muted: false, mutedUntil: null }, NOW), { muted: false, until: null });
  t.same(mutedNow({ muted: true, mutedUntil: null }, NOW), { muted: true, until: null }, 'for good');
  t.same(mutedNow({ muted: true, mutedUntil: '2026-01-01T13:00:00.000Z' }, NOW), { muted: true, until: '2026-01-01T13:00:00.000Z' });
  t.same(mutedNow({ muted: true, mutedUntil: '2026-01-01T12:00:00.000Z' }, NOW), { muted: false, until: null }, 'ended at its end');
  t.same(mutedNow({ muted: true, mutedUntil: '2025-12-31T12:00:00.000Z' }, NOW), { muted: false, until: null }, 'ended before');
});

t.test('muteEnd: now plus the duration, or null for good', async (t) => {
  t.equal(muteEnd(3_600_000, NOW), '2026-01-01T13:00:00.000Z');
  t.equal(muteEnd(null, NOW), null);
});
