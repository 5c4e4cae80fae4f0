import { randomUUID } from 'node:crypto';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Connection } from 'rabbitmq-client';
import { closeWithin, DEFAULT_CLOSE_TIMEOUT_MS } from './close.bound.js';
import { describeError, type Logger } from './logger.js';
import { publisherTopology } from './topology.js';
import { assertValid } from './validation.js';

export interface SendProps {
  correlationId?: string;
  replyTo?: string;
  /** Defaults to a random UUID; also used to recognise a returned (unroutable) message. */
  messageId?: string;
  headers?: Record<string, unknown>;
}

export interface TypedPublisher {
  /**
   * Validates `body` against `schema` (an invalid body is a bug: throws InvalidMessageError before
   * anything is sent), publishes it persistent as JSON to `queue` through the default exchange and
   * resolves once the broker confirmed it. Rejects on nack, on UnroutableError (no such queue), or
   * when `sendTimeoutMs` passes — after a timeout the message may still arrive (at-least-once).
   */
  send<S extends TSchema>(queue: string, schema: S, body: Static<S>, props?: SendProps): Promise<void>;
  /** Closes the channel, bounded by `closeTimeoutMs` (see DEFAULT_CLOSE_TIMEOUT_MS). Idempotent. */
  close(): Promise<void>;
}

export interface TypedPublisherOptions {
  logger: Logger;
  /** Work queues (re)declared with `workQueue()` plus their dead-letter path on every new channel. */
  queues?: string[];
  /** Publish attempts across reconnects; each waits for the connection (acquireTimeout). */
  maxAttempts?: number;
  /** Upper bound for one send() including retries. */
  sendTimeoutMs?: number;
  /** Bound of close(); DEFAULT_CLOSE_TIMEOUT_MS when omitted. */
  closeTimeoutMs?: number;
}

/** The broker had no queue for the message (mandatory publish came back). Nothing was stored. */
export class UnroutableError extends Error {
  override readonly name = 'UnroutableError';
  constructor(
    readonly queue: string,
    readonly messageId: string,
  ) {
    super(`message ${messageId} could not be routed: queue "${queue}" does not exist`);
  }
}

export class PublishTimeoutError extends Error {
  override readonly name = 'PublishTimeoutError';
  constructor(
    readonly queue: string,
    readonly timeoutMs: number,
  ) {
    super(`publishing to "${queue}" was not confirmed within ${timeoutMs} ms`);
  }
}

export class PublisherClosedError extends Error {
  override readonly name = 'PublisherClosedError';
  constructor() {
    super('publisher is closed');
  }
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_SEND_TIMEOUT_MS = 60_000;

/** Rejects after `ms` unless `work` settles first; the timer never outlives the race. */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createTypedPublisher(conn: Connection, o: TypedPublisherOptions): TypedPublisher {
  const { logger } = o;
  const sendTimeoutMs = o.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  // Message ids the broker handed back as unroutable. The broker sends basic.return before the
  // confirm of the same message; rabbitmq-client emits the return via setImmediate but resolves
  // the confirm at once, so send() yields one setImmediate turn before looking here.
  const returned = new Set<string>();
  const publisher = conn.createPublisher({
    confirm: true,
    maxAttempts: o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...publisherTopology(o.queues ?? []),
  });
  publisher.on('basic.return', (msg) => {
    if (typeof msg.messageId === 'string') returned.add(msg.messageId);
    logger.warn(
      { routingKey: msg.routingKey, messageId: msg.messageId, replyText: msg.replyText },
      'message returned by the broker as unroutable',
    );
  });
  publisher.on('retry', (err, envelope) =>
    logger.warn({ err: describeError(err), routingKey: envelope.routingKey }, 'publish failed; retrying'),
  );

  let closing: Promise<void> | undefined;

  return {
    async send(queue, schema, body, props = {}) {
      if (closing) throw new PublisherClosedError();
      assertValid(queue, schema, body);
      const messageId = props.messageId ?? randomUUID();
      const sent = publisher.send(
        {
          exchange: '',
          routingKey: queue,
          // Unroutable messages come back instead of vanishing silently.
          mandatory: true,
          durable: true,
          contentType: 'application/json',
          messageId,
          ...(props.correlationId !== undefined ? { correlationId: props.correlationId } : {}),
          ...(props.replyTo !== undefined ? { replyTo: props.replyTo } : {}),
          ...(props.headers !== undefined ? { headers: props.headers } : {}),
        },
        // A Buffer keeps our contentType; rabbitmq-client would otherwise pick one itself.
        Buffer.from(JSON.stringify(body), 'utf8'),
      );
      try {
        await withTimeout(sent, sendTimeoutMs, () => new PublishTimeoutError(queue, sendTimeoutMs));
        await new Promise((resolve) => setImmediate(resolve));
        if (returned.has(messageId)) throw new UnroutableError(queue, messageId);
      } finally {
        returned.delete(messageId);
      }
      logger.debug({ queue, messageId, correlationId: props.correlationId }, 'message published');
    },
    close() {
      // A send waiting for the reconnect holds the channel setup, and close() waits for it.
      closing ??= closeWithin(publisher.close(), o.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS, logger, { channel: 'publisher' }).then(() => undefined);
      return closing;
    },
  };
}
