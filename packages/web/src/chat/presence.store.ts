import { signal, type ReadonlySignal } from '@preact/signals';
import type { PresenceEvent } from '@ashchat/contracts';
import type { Realtime } from '../realtime/realtime.client.js';

export interface Presence {
  status: 'online' | 'offline';
  lastSeen: string | null;
}

export type PresenceStore = ReturnType<typeof createPresenceStore>;

/**
 * Presence of the people we share conversations with. The server keeps one subscription per connection,
 * replaced by each `presence.subscribe`: `follow` sends the set when it changes, `resubscribe` after a reconnect.
 */
export function createPresenceStore(realtime: Pick<Realtime, 'request'>) {
  const presences = signal<Readonly<Record<string, Presence>>>({});
  let followed: string[] = [];

  const apply = (events: readonly PresenceEvent[]) => {
    if (events.length === 0) return;
    const next = { ...presences.value };
    for (const e of events) next[e.userId] = { status: e.status, lastSeen: e.lastSeen };
    presences.value = next;
  };

  async function subscribe(): Promise<void> {
    const ids = followed;
    const snapshot = await realtime.request({ type: 'presence.subscribe', userIds: ids }, { beforeOnline: true });
    if (ids === followed) apply(snapshot.presences);
  }

  /** Follows these users (sorted ids); a set equal to the current one sends nothing. */
  function follow(userIds: string[]): void {
    if (userIds.length === followed.length && userIds.every((id, i) => id === followed[i])) return;
    followed = userIds;
    subscribe().catch(() => {}); // offline: the reconnect subscribes again
  }

  return {
    presences: presences as ReadonlySignal<Readonly<Record<string, Presence>>>,
    follow,
    /** For the resume hook: the new connection has no subscription yet. */
    resubscribe: () => (followed.length > 0 ? subscribe().catch(() => {}) : Promise.resolve()),
    apply: (event: PresenceEvent) => apply([event]),
  };
}
