/**
 * Test-only (excluded from the build): recorders for everything a saga's secrets could leak
 * into — Redis commands, published messages, log lines, MongoDB documents — and one scanner that
 * names what leaked. Each secrets test drives its flow, then scans every record.
 */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { TypedPublisher } from '@ashchat/messaging';
import { waitFor } from '@ashchat/testkit';
import type { Db } from 'mongodb';

export interface RedisMonitor {
  /** One command a line, as Redis prints it: timestamp, client, then the quoted arguments. */
  lines: string[];
  /** Sends a last command through `redis` and waits until the monitor saw it: every earlier command was seen too. */
  drain(redis: { get(key: string): Promise<unknown> }, marker: string): Promise<void>;
  close(): void;
}

/**
 * MONITOR over a plain socket (ioredis's monitor mode loses track of its command queue under load).
 * It sees every command any client sends (other test files' traffic included).
 */
export async function monitorRedis(uri: string): Promise<RedisMonitor> {
  const url = new URL(uri);
  const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const lines: string[] = [];
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\r\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  socket.on('error', () => undefined);
  if (url.password) socket.write(`AUTH ${decodeURIComponent(url.username || 'default')} ${decodeURIComponent(url.password)}\r\n`);
  socket.write('MONITOR\r\n');
  await waitFor(() => lines.includes('+OK') && lines.length >= (url.password ? 2 : 1), { message: 'MONITOR to start' });
  return {
    lines,
    async drain(redis, marker) {
      await redis.get(marker);
      await waitFor(() => lines.some((c) => c.includes(marker)), { message: 'the monitor to see the last command' });
    },
    close: () => socket.destroy(),
  };
}

/** A log destination that keeps every line (pass `stream` to the logger options). */
export function recordLog(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
}

export interface PublishedMessage {
  queue: string;
  body: unknown;
  props: unknown;
}

/** Wraps a saga's publisher (the `publisher` test option) to record each message, then sends it for real. */
export function recordPublished(): { messages: PublishedMessage[]; publisher: (real: TypedPublisher) => TypedPublisher } {
  const messages: PublishedMessage[] = [];
  return {
    messages,
    publisher: (real) => ({
      async send(queue, schema, body, props) {
        messages.push({ queue, body, props });
        return real.send(queue, schema, body, props);
      },
      close: () => real.close(),
    }),
  };
}

/** Every document of every collection of `db`, as JSON. */
export async function allDocuments(db: Db): Promise<string[]> {
  const out: string[] = [];
  for (const c of await db.listCollections().toArray()) for (const doc of await db.collection(c.name).find().toArray()) out.push(JSON.stringify(doc));
  return out;
}

export interface Secrets {
  /** Secrets found by substring, by what they are ('the refresh token': value). */
  named: Record<string, string>;
  /** Codes, found by `containsCode` (a code may be written in more than one form). */
  codes?: string[];
  containsCode?: (text: string, code: string) => boolean;
}

/** Names each secret found in each text ('a code' for codes); empty when nothing leaked. */
export function leaksIn(texts: readonly string[], { named, codes = [], containsCode = (x, c) => x.includes(c) }: Secrets): string[] {
  return texts.flatMap((text) => [
    ...Object.entries(named)
      .filter(([, v]) => text.includes(v))
      .map(([k]) => k),
    ...(codes.some((c) => containsCode(text, c)) ? ['a code'] : []),
  ]);
}
