import { Connection, type ConnectionOptions } from 'rabbitmq-client';
import { closeWithin, DEFAULT_CLOSE_TIMEOUT_MS } from './close.bound.js';
import { describeError, type Logger } from './logger.js';

/** The URL with its password replaced, safe for logs. */
export function redactAmqpUrl(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    // An unparseable URL may still contain a password: never echo it.
    return '<invalid AMQP URL>';
  }
}

export interface AmqpConnectionOptions {
  uri: string;
  /** Shown in the RabbitMQ management UI and `rabbitmqctl list_connections`. */
  name: string;
  logger: Logger;
  /** Extra rabbitmq-client options (heartbeat, retryLow/retryHigh, ...). */
  connectionOptions?: Omit<ConnectionOptions, 'url' | 'connectionName'>;
  /** Bound of close(), after which the socket is destroyed; DEFAULT_CLOSE_TIMEOUT_MS when omitted. */
  closeTimeoutMs?: number;
}

/**
 * One reconnecting AMQP connection per process role. rabbitmq-client reconnects with backoff by
 * itself; publishers and consumers created on it re-declare their topology after every reconnect.
 * Its close() is idempotent and bounded (see DEFAULT_CLOSE_TIMEOUT_MS).
 */
export function createAmqpConnection(o: AmqpConnectionOptions): Connection {
  const url = redactAmqpUrl(o.uri);
  // noDelay: request/reply sends small frames and waits for the answer; with Nagle's algorithm on
  // (rabbitmq-client's default) each quiet round trip stalls ~40 ms on the delayed ACK.
  const conn = new Connection({ noDelay: true, ...o.connectionOptions, url: o.uri, connectionName: o.name });
  const base = { amqp: url, connectionName: o.name };
  // Without an 'error' listener an EventEmitter error would crash the process.
  conn.on('error', (err) => o.logger.error({ ...base, err: describeError(err) }, 'AMQP connection error'));
  conn.on('connection', () => o.logger.info(base, 'AMQP connection (re)established'));
  conn.on('connection.blocked', (reason) =>
    o.logger.warn({ ...base, reason }, 'AMQP connection blocked by the broker; publishing is paused'),
  );
  conn.on('connection.unblocked', () => o.logger.info(base, 'AMQP connection unblocked'));
  // rabbitmq-client's close() waits for every channel to close, which needs the broker; and a second
  // close() during a reconnect waits for a socket 'close' that already happened, forever. So: one
  // close, bounded, then the socket is destroyed (unacked messages return to their queues anyway).
  const close = conn.close.bind(conn);
  let closing: Promise<void> | undefined;
  conn.close = () => {
    closing ??= (async () => {
      const timeoutMs = o.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
      if (!(await closeWithin(close(), timeoutMs, o.logger, base))) conn.unsafeDestroy();
    })();
    return closing;
  };
  return conn;
}
