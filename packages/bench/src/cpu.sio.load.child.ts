// Load generator for the Socket.io relay (cpu.sio.relay.child.ts), in its own process: the room
// load of ws.load.child.ts spoken through socket.io-client. Reads one JSON line of settings from
// stdin, prints one JSON line (a RoomResult) when the window ends and what is under way arrived.
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { summarise } from './bench.stats.js';
import type { RoomResult } from './ws.load.child.js';

export interface SioRoomSettings {
  url: string;
  members: number;
  conversationId: string;
  bodyBytes: number;
  window: number;
  durationMs: number;
}

const DRAIN_TIMEOUT_MS = 15_000;

function connect(url: string): Promise<Socket> {
  if (!['127.0.0.1', 'localhost'].includes(new URL(url).hostname)) throw new Error(`refusing to load ${url}: loopback only`);
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, timeout: 30_000 });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function room(s: SioRoomSettings): Promise<RoomResult> {
  const sockets = await Promise.all(Array.from({ length: s.members }, () => connect(s.url)));
  const body = 'x'.repeat(s.bodyBytes);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const seq = sockets.map(() => 0);
  let sending = true;
  let sent = 0;
  let delivered = 0;
  let inFlight = 0;
  let outstanding = 0;
  let settle: (() => void) | undefined;
  const measureTo = performance.now() + s.durationMs;
  const checkSettled = (): void => {
    if (!sending && inFlight === 0 && outstanding <= 0) settle?.();
  };
  const send = (i: number): void => {
    if (performance.now() >= measureTo) sending = false;
    if (!sending) return checkSettled();
    const id = `${i}-${(seq[i]! += 1)}`;
    sentAt.set(id, performance.now());
    outstanding += s.members - 1;
    sent += 1;
    inFlight += 1;
    sockets[i]!.emit('message.send', { conversationId: s.conversationId, body, clientMessageId: id }, () => {
      inFlight -= 1;
      send(i);
    });
  };
  sockets.forEach((socket, i) =>
    socket.on('message.new', (event: { message?: { clientMessageId?: string } }) => {
      const id = event.message?.clientMessageId ?? '';
      const at = sentAt.get(id);
      if (at === undefined || id.startsWith(`${i}-`)) return;
      latencies.push(performance.now() - at);
      delivered += 1;
      outstanding -= 1;
      checkSettled();
    }),
  );
  for (let i = 0; i < sockets.length; i += 1) for (let w = 0; w < s.window; w += 1) send(i);
  const stopper = setTimeout(() => {
    sending = false;
    checkSettled();
  }, s.durationMs);
  await new Promise<void>((resolve) => {
    settle = resolve;
    setTimeout(resolve, s.durationMs + DRAIN_TIMEOUT_MS).unref();
  });
  clearTimeout(stopper);
  for (const socket of sockets) socket.disconnect();
  return { sent, delivered, deliveredPerSecond: delivered / (s.durationMs / 1000), errors: 0, latencyMs: summarise(latencies) };
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const first = await lines.next();
process.stdout.write(`${JSON.stringify(await room(JSON.parse(String(first.value)) as SioRoomSettings))}\n`);
process.exit(0);
