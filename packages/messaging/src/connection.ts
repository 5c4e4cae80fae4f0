import { Connection, type ConnectionOptions } from 'rabbitmq-client';
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
}

/**
 * One reconnecting AMQP connection per process role. rabbitmq-client reconnects with backoff by
 * itself; publishers and consumers created on it re-declare their topology after every reconnect.
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
  return conn;
}
