// Helpers for this package's tests only (excluded from the build, not exported).
import { randomUUID } from 'node:crypto';
import { getInfra, type RabbitControl } from '@ashchat/testkit';
import type { Connection, SyncMessage } from 'rabbitmq-client';
import { createAmqpConnection } from './connection.js';
import type { Logger } from './logger.js';
import { deadLetterQueueFor } from './topology.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

/** Keeps entries in memory so tests can assert on them without printing. */
export function createRecordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (obj: object, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const uniqueName = (label: string): string => `test.messaging.${label}.${randomUUID().slice(0, 8)}`;

export async function openConnection(label: string, logger: Logger, uri?: string): Promise<{ conn: Connection; name: string }> {
  const amqpUri = uri ?? (await getInfra()).amqpUri;
  const name = uniqueName(label);
  // Short backoff so recovery after a forced close is quick.
  const conn = createAmqpConnection({ uri: amqpUri, name, logger, connectionOptions: { retryLow: 200, retryHigh: 2000 } });
  await conn.onConnect(10_000);
  return { conn, name };
}

/** Deletes work queues and their dead-letter queues; the shared dead-letter exchange stays. */
export async function deleteQueues(conn: Connection, queues: string[]): Promise<void> {
  for (const queue of queues) {
    await conn.queueDelete({ queue });
    await conn.queueDelete({ queue: deadLetterQueueFor(queue) });
  }
}

/** A promise with its resolver, rejected if nothing resolves it within `ms`. */
export function deferred<T>(label: string, ms = 15_000): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = (value) => {
      clearTimeout(timer);
      res(value);
    };
    timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${label}`)), ms);
  });
  return { promise, resolve };
}

/** Polls `probe` until it returns a value, failing after `timeoutMs` (a deadline, not a sleep). */
export async function eventually<T>(label: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads `count` messages from a queue with basic.get (acked), waiting for them to arrive. */
export async function getMessages(conn: Connection, queue: string, count: number): Promise<SyncMessage[]> {
  const got: SyncMessage[] = [];
  await eventually(`${count} message(s) on ${queue}`, async () => {
    const msg = await conn.basicGet({ queue, noAck: true });
    if (msg) got.push(msg);
    return got.length >= count ? true : undefined;
  });
  return got;
}

/** Server-side close of one named connection (not all of them: other test files share the broker). */
export async function forceCloseConnection(broker: RabbitControl, connectionName: string): Promise<void> {
  const listed = await broker.ctl('list_connections', 'pid', 'client_properties', '--no-table-headers');
  const pids = listed
    .split('\n')
    .filter((line) => line.includes(`"${connectionName}"`))
    .map((line) => line.split('\t')[0] ?? '');
  if (pids.length === 0) throw new Error(`no broker connection named ${connectionName}`);
  for (const pid of pids) await broker.ctl('close_connection', pid, 'test: forced close');
}
