import { isUtf8 } from 'node:buffer';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_REASON_HEADER, deadLetterQueueName } from '@ashchat/contracts';
import type { AsyncMessage, Connection, Envelope } from 'rabbitmq-client';
import { describeError, type Logger } from './logger.js';
import { deadLetterBinding, deadLetterExchange, deadLetterQueue } from './topology.js';
import { truncateReason } from './validation.js';

/** Headers added next to the reason so a dead letter can be traced back and replayed. */
export const ORIGINAL_QUEUE_HEADER = 'x-ashchat-original-queue';
export const ORIGINAL_EXCHANGE_HEADER = 'x-ashchat-original-exchange';
export const ORIGINAL_ROUTING_KEY_HEADER = 'x-ashchat-original-routing-key';

export type Decoded = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * The JSON value of a message. rabbitmq-client already parses `application/json` bodies, leaves a
 * Buffer when that parse fails, and turns `text/plain` into a string.
 */
export function decodeJson(msg: Pick<AsyncMessage, 'body' | 'contentType' | 'contentEncoding'>): Decoded {
  if (msg.contentEncoding) return { ok: false, reason: `unsupported content-encoding "${msg.contentEncoding}"` };
  const { body } = msg;
  // Bytes that are not UTF-8 are refused, not decoded into U+FFFD. (An `application/json` body was
  // already decoded by rabbitmq-client, leniently: our publishers only send validated contracts.)
  if (Buffer.isBuffer(body) && !isUtf8(body)) return { ok: false, reason: 'invalid UTF-8' };
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' && msg.contentType !== 'application/json' ? body : undefined;
  if (text === undefined) return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
}

/** The body as bytes, as close to what was sent as the client library lets us get. */
export function rawBody(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body) ?? '', 'utf8');
}

// Properties copied to the dead letter. `expiration` is left out on purpose: a dead letter must not expire.
const COPIED = ['contentType', 'contentEncoding', 'correlationId', 'replyTo', 'messageId', 'timestamp', 'type', 'userId', 'appId', 'priority'] as const;

export function deadLetterEnvelope(queue: string, msg: AsyncMessage, reason: string): Envelope {
  const envelope: Envelope = {
    exchange: DEAD_LETTER_EXCHANGE,
    routingKey: deadLetterQueueName(queue),
    durable: true,
    headers: {
      ...msg.headers,
      [DEAD_LETTER_REASON_HEADER]: truncateReason(reason),
      [ORIGINAL_QUEUE_HEADER]: queue,
      [ORIGINAL_EXCHANGE_HEADER]: msg.exchange,
      [ORIGINAL_ROUTING_KEY_HEADER]: msg.routingKey,
    },
  };
  for (const key of COPIED) {
    // Only defined values: an explicit undefined would override rabbitmq-client's defaults.
    if (msg[key] !== undefined) (envelope as Record<string, unknown>)[key] = msg[key];
  }
  return envelope;
}

export interface DeadLetterer {
  /** Copies `msg` to `<queue>.dead-letter` with `reason`; false when that publish failed. */
  deadLetter(msg: AsyncMessage, reason: string): Promise<boolean>;
  /** Settles once the dead-letter exchange, queue and binding were declared (or that failed). */
  readonly declared: Promise<void>;
  close(): Promise<void>;
}

export function createDeadLetterer(conn: Connection, o: { queue: string; logger: Logger }): DeadLetterer {
  const { queue, logger } = o;
  const topology = { queues: [deadLetterQueue(queue)], exchanges: [deadLetterExchange()], queueBindings: [deadLetterBinding(queue)] };
  // Re-declared on every new channel, so the path exists again after a reconnect.
  const publisher = conn.createPublisher({ confirm: true, maxAttempts: 3, ...topology });
  // Declared eagerly as well: the broker dead-letters rejected and over-delivered messages to this
  // path on its own, possibly before we ever publish a dead letter ourselves.
  const declared = (async () => {
    for (const q of topology.queues) await conn.queueDeclare(q);
    for (const e of topology.exchanges) await conn.exchangeDeclare(e);
    for (const b of topology.queueBindings) await conn.queueBind(b);
  })().catch((err: unknown) => {
    logger.error({ queue, err: describeError(err) }, 'declaring the dead-letter path failed');
  });
  let closing: Promise<void> | undefined;

  return {
    declared,
    async deadLetter(msg, reason) {
      const context = { queue, reason, messageId: msg.messageId, correlationId: msg.correlationId };
      try {
        await publisher.send(deadLetterEnvelope(queue, msg, reason), rawBody(msg.body));
        logger.warn(context, 'message dead-lettered');
        return true;
      } catch (err) {
        logger.error({ ...context, err: describeError(err) }, 'publishing a dead letter failed');
        return false;
      }
    },
    close() {
      closing ??= (async () => {
        await declared;
        await publisher.close().catch((err: unknown) => {
          logger.warn({ queue, err: describeError(err) }, 'closing the dead-letter publisher failed');
        });
      })();
      return closing;
    },
  };
}
