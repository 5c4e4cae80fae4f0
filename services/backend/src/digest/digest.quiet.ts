/**
 * Which digest sagas an UNREAD cannot change, and until when: lets the message-event consumer skip
 * the saga load for recipients whose digest is already armed (the steady state of a busy room).
 */
import type { SnapshotFrom } from 'xstate';
import type { DigestMachine } from './digest.machine.js';

/**
 * Until when (ms since epoch) an UNREAD is a no-op for a saga in this snapshot; null if it may count.
 * - `waiting`: UNREAD has no transition; only the `digest` timer leaves the state.
 * - `sending` / `cooldown` with `unreadSince` set: `rememberUnread` keeps the first time, so a
 *   further UNREAD changes nothing; `MAIL_REPLIED` (sending → cooldown) keeps it too; only the
 *   `cooldown` timer leaves both states.
 * Anything else (`idle`, `composing`, nothing remembered yet) needs the event.
 */
export function unreadQuietUntil(snapshot: Pick<SnapshotFrom<DigestMachine>, 'value' | 'context'>): number | null {
  const { value, context } = snapshot;
  if (value === 'waiting') return context.timers.digest?.at ?? null;
  if ((value === 'sending' || value === 'cooldown') && context.unreadSince !== null) return context.timers.cooldown?.at ?? null;
  return null;
}

export interface QuietDigests {
  /** Whether an UNREAD for the user is known to change nothing now. */
  isQuiet(userId: string): boolean;
  /** Remembers the saga's state after an event was applied (or ignored) by it. */
  learn(userId: string, snapshot: Pick<SnapshotFrom<DigestMachine>, 'value' | 'context'>): void;
  forget(userId: string): void;
  readonly size: number;
}

/**
 * Per-instance memory of quiet sagas. Safe across instances because a quiet state ends only by its
 * own timer: nobody else can move the saga out of it earlier. `marginMs` is taken off the deadline
 * for clock skew between instances and a timer that fires early; an entry is dropped once the
 * deadline minus the margin is reached, and the next message pays one saga send again.
 * Bounded: the oldest entries go first past `maxEntries`.
 */
export function createQuietDigests(o: { marginMs: number; maxEntries: number; now?: () => number }): QuietDigests {
  const now = o.now ?? Date.now;
  const until = new Map<string, number>();
  return {
    isQuiet(userId) {
      const t = until.get(userId);
      if (t === undefined) return false;
      if (now() < t) return true;
      until.delete(userId);
      return false;
    },
    learn(userId, snapshot) {
      until.delete(userId);
      const quiet = unreadQuietUntil(snapshot);
      if (quiet === null || quiet - o.marginMs <= now()) return;
      until.set(userId, quiet - o.marginMs);
      if (until.size > o.maxEntries) until.delete(until.keys().next().value!);
    },
    forget(userId) {
      until.delete(userId);
    },
    get size() {
      return until.size;
    },
  };
}
