import { randomUUID } from 'node:crypto';
import type { Static, TSchema } from '@sinclair/typebox';
import { ConsumerStatus, type Connection } from 'rabbitmq-client';
import { decodeJson } from './dead-letter.js';
import { closeWithin, DEFAULT_CLOSE_TIMEOUT_MS } from './close.bound.js';
import { describeError, type Logger } from './logger.js';
import { createTypedPublisher } from './publisher.js';
import { assertValid, validationReason } from './validation.js';

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly queue: string,
    readonly correlationId: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply from "${queue}" within ${timeoutMs} ms (correlationId ${correlationId})`);
  }
}

export class RequestClientClosedError extends Error {
  override readonly name = 'RequestClientClosedError';
  constructor() {
    super('request client closed before a reply arrived');
  }
}

/** The responder answered with something that is not JSON or breaks the reply contract. */
export class InvalidReplyError extends Error {
  override readonly name = 'InvalidReplyError';
  constructor(
    readonly queue: string,
    readonly reason: string,
  ) {
    super(`invalid reply from "${queue}": ${reason}`);
  }
}

export interface RequestClient {
  request<Q extends TSchema, R extends TSchema>(
    queue: string,
    requestSchema: Q,
    body: Static<Q>,
    replySchema: R,
    o?: { timeoutMs?: number },
  ): Promise<Static<R>>;
  /** The private reply queue of this instance. */
  readonly replyQueue: string;
  /**
   * Rejects pending requests with RequestClientClosedError, then closes channels, bounded by
   * `closeTimeoutMs` (see DEFAULT_CLOSE_TIMEOUT_MS). Idempotent.
   */
  close(): Promise<void>;
}

interface Pending {
  queue: string;
  schema: TSchema;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * In-memory awaiting variant of request/reply, for synchronous calls only: the pending map lives in
 * this process, so a reply that arrives after a restart or timeout is logged and dropped. Sagas use
 * a durable reply queue instead.
 */
export function createRequestClient(conn: Connection, o: { logger: Logger; timeoutMs?: number; closeTimeoutMs?: number }): RequestClient {
  const { logger } = o;
  const defaultTimeout = o.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // A fixed, unique name (instead of a server-named queue) is re-declared under the same name after
  // a reconnect, so requests sent afterwards are answered to a queue that exists again.
  const replyQueue = `ashchat.reply.${randomUUID()}`;
  const pending = new Map<string, Pending>();
  const closeTimeoutMs = o.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const publisher = createTypedPublisher(conn, { logger, closeTimeoutMs });

  const settle = (correlationId: string): Pending | undefined => {
    const entry = pending.get(correlationId);
    if (entry) {
      pending.delete(correlationId);
      clearTimeout(entry.timer);
    }
    return entry;
  };

  const consumer = conn.createConsumer(
    {
      queue: replyQueue,
      // Private to this connection; gone with it. Classic, since quorum queues cannot be exclusive.
      queueOptions: { exclusive: true, autoDelete: true, durable: false },
      qos: { prefetchCount: 100 },
      requeue: false,
    },
    async (msg) => {
      const entry = msg.correlationId ? settle(msg.correlationId) : undefined;
      if (!entry) {
        logger.warn({ replyQueue, correlationId: msg.correlationId }, 'reply for an unknown or timed-out request dropped');
        return ConsumerStatus.ACK;
      }
      const decoded = decodeJson(msg);
      const reason = decoded.ok ? validationReason(entry.schema, decoded.value) : decoded.reason;
      if (reason !== undefined) {
        logger.error({ queue: entry.queue, correlationId: msg.correlationId, reason }, 'invalid reply');
        entry.reject(new InvalidReplyError(entry.queue, reason));
      } else if (decoded.ok) {
        entry.resolve(decoded.value);
      }
      return ConsumerStatus.ACK;
    },
  );
  consumer.on('error', (err) => logger.error({ replyQueue, err: describeError(err) }, 'reply consumer error'));
  const ready = new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
  let closing: Promise<void> | undefined;

  return {
    replyQueue,
    request(queue, requestSchema, body, replySchema, opts) {
      if (closing) return Promise.reject(new RequestClientClosedError());
      try {
        assertValid(queue, requestSchema, body);
      } catch (err) {
        return Promise.reject(err as Error);
      }
      const correlationId = randomUUID();
      const timeoutMs = opts?.timeoutMs ?? defaultTimeout;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          if (settle(correlationId)) reject(new RequestTimeoutError(queue, correlationId, timeoutMs));
        }, timeoutMs);
        pending.set(correlationId, { queue, schema: replySchema, resolve, reject, timer });
        void (async () => {
          // Sending before the reply queue exists would make the reply unroutable.
          await ready;
          if (!pending.has(correlationId)) return; // timed out or closed meanwhile
          await publisher.send(queue, requestSchema, body, { correlationId, replyTo: replyQueue });
        })().catch((err: unknown) => {
          if (settle(correlationId)) reject(err instanceof Error ? err : new Error(String(err)));
        });
      });
    },
    close() {
      for (const id of [...pending.keys()]) settle(id)?.reject(new RequestClientClosedError());
      closing ??= closeWithin(
        (async () => {
          await consumer.close().catch((err: unknown) => logger.warn({ replyQueue, err: describeError(err) }, 'closing the reply consumer failed'));
          await publisher.close();
        })(),
        closeTimeoutMs,
        logger,
        { replyQueue },
      ).then(() => undefined);
      return closing;
    },
  };
}
