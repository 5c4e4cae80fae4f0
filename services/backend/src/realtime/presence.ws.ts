import { AppError } from '../errors/app-error.js';
import type { FrameHandler } from './ws.frames.js';
import type { WsPresence } from './ws.types.js';
import type { UserEvent, UserEventBus } from '../user-events/user-events.bus.js';

export interface PresenceSubscribeDeps {
  presence: () => WsPresence | undefined;
  /** The subscriber's own channel: `conversation.updated` there may change who it may follow. */
  bus: Pick<UserEventBus, 'watch'>;
  /** Which of the ids share a conversation with the user (conversation.repository.ts), in one go. */
  sharing: (userId: string, userIds: readonly string[]) => Promise<Set<string>>;
  log: { warn(obj: object, msg: string): void };
}

/** One `presence.subscribe` of a connection, until the next one (or the connection) ends it. */
interface Subscription {
  wanted: string[];
  /** Who the subscriber may follow now: the only users whose presence reaches it. */
  visible: Set<string>;
  unwatch: () => void;
  stopSelf: () => void;
  /** A recheck waits in the connection's queue: further membership changes join it. */
  recheckQueued: boolean;
  ended: boolean;
}

/**
 * `presence.subscribe` (registered by chat, whose conversations decide who may follow whom): only the subscriber and users sharing a conversation with it are followed.
 * Any other id (a stranger, or no user at all) is listed in `unavailable` and nothing of it is
 * read: both take the same path, so the answer does not tell them apart. Each `conversation.updated`
 * reaching the subscriber (a member added or removed, from any instance) queues a new check behind
 * the frames received so far: users who no longer share a conversation stop reaching it before any
 * later frame is answered, users who now do start with their current presence.
 */
export function createPresenceSubscribe(deps: PresenceSubscribeDeps): FrameHandler<'presence.subscribe'> {
  async function allowedOf(userId: string, wanted: readonly string[]): Promise<Set<string>> {
    const allowed = await deps.sharing(userId, wanted);
    if (wanted.includes(userId)) allowed.add(userId);
    return allowed;
  }

  function end(sub: Subscription): void {
    sub.ended = true;
    sub.visible.clear();
    sub.unwatch();
    sub.stopSelf();
  }

  return async (out, conn, { userIds, requestId }) => {
    if (conn.userId === undefined) throw new AppError('UNAUTHENTICATED');
    const userId = conn.userId;
    const presence = deps.presence();
    if (!presence) throw new AppError('PRESENCE_UNAVAILABLE');
    conn.unwatchPresence?.();
    conn.unwatchPresence = undefined;
    const wanted = [...new Set(userIds)];
    if (wanted.length === 0) return out.ack(conn, requestId, { presences: [], unavailable: [] });

    const sub: Subscription = { wanted, visible: new Set(), unwatch: () => undefined, stopSelf: () => undefined, recheckQueued: false, ended: false };
    const stop = (): void => end(sub);
    const live = (): boolean => !sub.ended && !conn.closed && conn.unwatchPresence === stop;
    const listener = (event: UserEvent): void => {
      if (!sub.ended && sub.visible.has((event as { userId?: string }).userId ?? '')) out.deliver(conn, event);
    };
    conn.unwatchPresence = stop;

    /** Re-reads who may be followed; starts the newly allowed with their current state. */
    async function recheck(): Promise<void> {
      sub.recheckQueued = false;
      if (!live()) return;
      const allowed = await allowedOf(userId, sub.wanted);
      if (!live()) return;
      const visible = sub.wanted.filter((u) => allowed.has(u));
      const added = visible.filter((u) => !sub.visible.has(u));
      if (added.length === 0 && visible.length === sub.visible.size) return;
      // From here on the listener drops the users no longer allowed, before any await.
      sub.visible = new Set(visible);
      const unwatch = visible.length > 0 ? await presence!.watch(visible, listener) : () => undefined;
      if (!live()) return unwatch();
      sub.unwatch();
      sub.unwatch = unwatch;
      if (added.length > 0) for (const p of await presence!.get(added)) listener(p);
    }
    const onOwnEvent = (event: UserEvent): void => {
      // `block.updated` (relations/): a block began or ended between the subscriber and someone.
      if ((event.type !== 'conversation.updated' && event.type !== 'block.updated') || sub.recheckQueued || !live()) return;
      sub.recheckQueued = true;
      out.queue(conn, () =>
        recheck().catch((err: unknown) => {
          // The subscription goes on as it was; the next membership change checks again.
          deps.log.warn({ err: String(err) }, 'presence recheck failed');
        }),
      );
    };

    try {
      // Watched before the check: a membership change after it arrives as an event and checks again.
      sub.stopSelf = await deps.bus.watch(userId, onOwnEvent);
      if (!live()) return sub.stopSelf();
      const allowed = await allowedOf(userId, wanted);
      if (!live()) return;
      const visible = wanted.filter((u) => allowed.has(u));
      const unavailable = wanted.filter((u) => !allowed.has(u));
      sub.visible = new Set(visible);
      if (visible.length === 0) return out.ack(conn, requestId, { presences: [], unavailable });
      // Watch first, then read: a change in between arrives as an event rather than being missed.
      sub.unwatch = await presence.watch(visible, listener);
      if (!live()) return sub.unwatch();
      out.ack(conn, requestId, { presences: await presence.get(visible), unavailable });
    } catch (err) {
      stop();
      if (conn.unwatchPresence === stop) conn.unwatchPresence = undefined;
      throw err;
    }
  };
}
