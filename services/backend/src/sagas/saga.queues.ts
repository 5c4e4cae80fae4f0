import type { Static, TSchema } from '@sinclair/typebox';
import { namespacedQueue } from '@ashchat/contracts';
import type { SendProps, TypedPublisher } from '@ashchat/messaging';

/** contract queue name → physical queue name under QUEUE_NAMESPACE. */
export type QueueRoutes = Readonly<Record<string, string>>;

/**
 * The physical names of contract queues under QUEUE_NAMESPACE. Lets several environments or test
 * runs share one broker: each only ever sees its own requests and replies.
 */
export function queueRoutes(namespace: string, contractQueues: readonly string[]): QueueRoutes {
  return Object.fromEntries(contractQueues.map((queue) => [queue, namespacedQueue(namespace, queue)]));
}

/**
 * Machines and their persisted outboxes speak the contract names; this publisher maps them to the
 * physical queues at send time, so a namespace never leaks into saga documents or the state charts.
 */
export function routeToQueues(publisher: TypedPublisher, routes: QueueRoutes): TypedPublisher {
  return {
    send<S extends TSchema>(queue: string, schema: S, body: Static<S>, props?: SendProps): Promise<void> {
      return publisher.send(routes[queue] ?? queue, schema, body, props);
    },
    close: () => publisher.close(),
  };
}
