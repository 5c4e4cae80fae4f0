import { CHAT_MESSAGE_CREATED_QUEUE, ChatMessageCreated } from '@ashchat/contracts';
import { createTypedConsumer, createTypedPublisher, describeError, type Logger, type TypedConsumer } from '@ashchat/messaging';
import { SagaNotFoundError, type SagaRuntime } from '@ashchat/saga';
import type { PresenceEvent } from '@ashchat/contracts';
import { isStoreUnavailable } from '../sagas/saga-reply.consumer.js';
import { digestIdOf, type DigestMachine } from './digest.machine.js';
import { createQuietDigests, type QuietDigests } from './digest.quiet.js';

type AmqpConnection = Parameters<typeof createTypedConsumer>[0];

/** Queues the backend both publishes to and consumes (events, not saga requests or replies). */
export const BACKEND_EVENT_QUEUES = [CHAT_MESSAGE_CREATED_QUEUE] as const;

/** The port the message service calls once a message is stored (ids only, never the body). */
export interface MessageEventsPort {
  published(event: Omit<ChatMessageCreated, 'type'>): Promise<void>;
}

/** How long one event may wait for the broker; the send itself never waits for it. */
const PUBLISH_TIMEOUT_MS = 10_000;

/** The quiet memory an instance shares between its publisher and its consumer. */
export const QUIET_DIGESTS_DEFAULTS = { marginMs: 1_000, maxEntries: 100_000 } as const;

/**
 * Whether this instance knows that no UNREAD can come of a message for the user: connected here
 * (online, the message reaches them live), or their digest armed (an UNREAD changes nothing).
 */
export function unreadNeedless(quiet: QuietDigests, connectedHere?: (userId: string) => boolean): (userId: string) => boolean {
  return (userId) => connectedHere?.(userId) === true || quiet.isQuiet(userId);
}

/**
 * Publishes `chat.message.created` to the durable CHAT_MESSAGE_CREATED_QUEUE without holding up
 * the send: the message is stored and delivered live either way; a lost event only costs a digest
 * (logged). `pending` lets shutdown wait for events still on their way. An event that no recipient
 * can need (`needless`, see `unreadNeedless`: the steady state of a busy room) is not published:
 * whichever instance consumed it would do nothing with it.
 */
export function createMessageEventsPublisher(conn: AmqpConnection, o: { queue: string; logger: Logger; needless?: (userId: string) => boolean }) {
  const publisher = createTypedPublisher(conn, { logger: o.logger, queues: [o.queue], sendTimeoutMs: PUBLISH_TIMEOUT_MS });
  const pending = new Set<Promise<void>>();
  const { needless } = o;
  const port: MessageEventsPort = {
    async published(event) {
      if (needless && event.recipientIds.every((id) => id === event.senderId || needless(id))) return;
      const body: ChatMessageCreated = { type: 'chat.message.created', ...event };
      const sent = publisher
        .send(o.queue, ChatMessageCreated, body, { messageId: `message-created:${event.messageId}` })
        .catch((err: unknown) => o.logger.warn({ messageId: event.messageId, err: describeError(err) }, 'chat.message.created not published; no digest for it'))
        .finally(() => pending.delete(sent));
      pending.add(sent);
    },
  };
  return {
    port,
    async close(): Promise<void> {
      await Promise.allSettled([...pending]);
      await publisher.close();
    },
  };
}

export interface DigestEventConsumerDeps {
  queue: string;
  runtime: Pick<SagaRuntime<DigestMachine, unknown, unknown>, 'start' | 'send'>;
  presence: { get(userIds: readonly string[]): Promise<PresenceEvent[]> };
  delayMs: number;
  periodMs: number;
  logger: Logger;
  /** Pause before handing an event back while the store is unavailable (the delivery limit bounds the retries). */
  requeueDelayMs?: number;
  /** Sagas known to ignore UNREAD until a deadline (default: per instance, 1 s margin, 100 000 users). */
  quiet?: QuietDigests;
  /**
   * Whether the user has a live connection on this instance (the gateway's): online for sure, and
   * getting the message live, so neither Redis presence nor a digest is needed for them.
   */
  connectedHere?: (userId: string) => boolean;
}

/**
 * Any backend instance consumes the message events: one UNREAD per recipient who is offline now
 * (online users see the message live), to their digest saga, started on the first one. Malformed
 * events are dead-lettered with the reason by the typed consumer; an unavailable store hands the
 * event back; anything else thrown dead-letters it with the error.
 */
export function createDigestEventConsumer(conn: AmqpConnection, d: DigestEventConsumerDeps): TypedConsumer {
  const requeueDelayMs = d.requeueDelayMs ?? 1_000;
  const quiet = d.quiet ?? createQuietDigests(QUIET_DIGESTS_DEFAULTS);
  // Per user, one UNREAD at a time on this instance: concurrent events (prefetch) wait for the first
  // to learn the saga's state instead of all loading it.
  const inFlight = new Map<string, Promise<void>>();
  async function unread(userId: string, messageId: string): Promise<void> {
    for (let busy = inFlight.get(userId); busy; busy = inFlight.get(userId)) await busy.catch(() => undefined);
    // An armed digest ignores UNREAD: skipping it saves a saga load per recipient and message.
    if (quiet.isQuiet(userId)) return;
    const done = deliver(userId, messageId).finally(() => inFlight.delete(userId));
    inFlight.set(userId, done);
    await done;
  }
  async function deliver(userId: string, messageId: string): Promise<void> {
    const id = digestIdOf(userId);
    let result;
    try {
      result = await d.runtime.send(id, { type: 'UNREAD', messageId });
    } catch (err) {
      if (!(err instanceof SagaNotFoundError)) throw err;
      await d.runtime.start(id, { userId, delayMs: d.delayMs, periodMs: d.periodMs });
      result = await d.runtime.send(id, { type: 'UNREAD', messageId });
    }
    quiet.learn(userId, result.view.snapshot);
  }
  return createTypedConsumer(conn, {
    queue: d.queue,
    schema: ChatMessageCreated,
    logger: d.logger,
    handler: async (event) => {
      // Who cannot need an UNREAD is known here without Redis: a user connected to this instance
      // is online; an armed digest ignores it. In a busy room that is everyone.
      const needless = unreadNeedless(quiet, d.connectedHere);
      const recipients = [...new Set(event.recipientIds)].filter((id) => id !== event.senderId && !needless(id));
      if (recipients.length === 0) return 'ack';
      try {
        const presence = await d.presence.get(recipients);
        const offline = presence.filter((p) => p.status === 'offline').map((p) => p.userId);
        // Sequential per event: a group's burst would otherwise hit the store all at once.
        for (const userId of offline) await unread(userId, event.messageId);
        return 'ack';
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
        d.logger.warn({ messageId: event.messageId, err: describeError(err) }, 'digest store unavailable; message event handed back to the broker');
        await new Promise((resolve) => setTimeout(resolve, requeueDelayMs));
        return 'requeue';
      }
    },
  });
}
