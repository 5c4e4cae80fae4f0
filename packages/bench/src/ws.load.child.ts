// The load generator of `pnpm bench:ws`, in its own process (so it shares neither an event loop
// nor a heap with the server it measures). Reads one JSON line of settings from stdin, reports JSON
// lines on stdout. Loopback only; every loop is bounded in count and time.
//   room: members send through their own sockets (a window of unacknowledged sends each) and every
//         member receives; reports deliveries to the other members per second and send→receive latency.
//   idle: opens N authenticated connections, reports, holds them until stdin says `close`.
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { summarise, type LatencySummary } from './bench.stats.js';

export interface RoomSettings {
  mode: 'room';
  url: string;
  /** Subprotocols of each member's socket (the bearer token for the gateway; none for the relay). */
  members: string[][];
  /** The frame that says a socket is ready: `auth.ok` (gateway) or none (ready once open). */
  readyFrame: string | null;
  conversationId: string;
  bodyBytes: number;
  window: number;
  warmupMs: number;
  durationMs: number;
}
export interface RoomResult {
  sent: number;
  /** message.new frames of messages sent in the measured window, received by members other than the sender. */
  delivered: number;
  deliveredPerSecond: number;
  errors: number;
  latencyMs: LatencySummary;
}
export interface IdleSettings {
  mode: 'idle';
  url: string;
  /** Subprotocols per connection; connection i uses entry i modulo their number. */
  protocols: string[][];
  readyFrame: string | null;
  count: number;
  concurrency: number;
}
export interface IdleResult {
  opened: number;
  failed: number;
  elapsedMs: number;
  firstFailure?: string;
}

const OPEN_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 15_000;

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`refusing to load ${host}: loopback only`);
}

/** Opens a socket and resolves once it is ready (open, or the ready frame arrived); rejects on close, error or timeout. */
function openSocket(url: string, protocols: string[], readyFrame: string | null): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { perMessageDeflate: false });
    const timer = setTimeout(() => fail(new Error('not ready in time')), OPEN_TIMEOUT_MS);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(err);
    };
    const ready = (): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      resolve(socket);
    };
    socket.on('error', (err) => fail(err));
    socket.on('close', (code) => fail(new Error(`closed with ${code}`)));
    socket.on('open', () => {
      if (readyFrame === null) ready();
    });
    socket.on('message', (data) => {
      if (readyFrame !== null && (JSON.parse(data.toString()) as { type?: string }).type === readyFrame) ready();
    });
  });
}

async function room(s: RoomSettings): Promise<RoomResult> {
  const sockets = await Promise.all(s.members.map((p) => openSocket(s.url, p, s.readyFrame)));
  const body = 'x'.repeat(s.bodyBytes);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let sending = true;
  let sent = 0;
  let delivered = 0;
  let errors = 0;
  let inFlight = 0;
  let outstanding = 0; // deliveries to others still expected for measured messages
  const start = performance.now();
  const measureFrom = start + s.warmupMs;
  const measureTo = measureFrom + s.durationMs;
  const seq = s.members.map(() => 0);
  let settle: (() => void) | undefined;
  const checkSettled = (): void => {
    if (!sending && inFlight === 0 && outstanding <= 0) settle?.();
  };

  const send = (i: number): void => {
    const now = performance.now();
    if (now >= measureTo) sending = false;
    if (!sending) return checkSettled();
    const id = `${i}-${(seq[i]! += 1)}`;
    if (now >= measureFrom) {
      sentAt.set(id, now);
      outstanding += s.members.length - 1;
      sent += 1;
    }
    inFlight += 1;
    sockets[i]!.send(JSON.stringify({ type: 'message.send', requestId: id, conversationId: s.conversationId, body, clientMessageId: id }));
  };

  sockets.forEach((socket, i) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; message?: { clientMessageId?: string } };
      if (frame.type === 'ack' || frame.type === 'error') {
        if (frame.type === 'error') errors += 1;
        inFlight -= 1;
        send(i);
      } else if (frame.type === 'message.new') {
        const id = frame.message?.clientMessageId ?? '';
        const at = sentAt.get(id);
        if (at === undefined || id.startsWith(`${i}-`)) return;
        latencies.push(performance.now() - at);
        delivered += 1;
        outstanding -= 1;
        checkSettled();
      }
    });
  });
  for (let i = 0; i < sockets.length; i += 1) for (let w = 0; w < s.window; w += 1) send(i);
  // Sending stops at measureTo (also checked on every ack); then a bounded wait for what is under way.
  const stopper = setTimeout(() => {
    sending = false;
    checkSettled();
  }, measureTo - performance.now());
  await new Promise<void>((resolve) => {
    settle = resolve;
    setTimeout(resolve, s.warmupMs + s.durationMs + DRAIN_TIMEOUT_MS).unref();
  });
  clearTimeout(stopper);
  for (const socket of sockets) socket.terminate();
  return { sent, delivered, deliveredPerSecond: delivered / (s.durationMs / 1000), errors, latencyMs: summarise(latencies) };
}

async function idle(s: IdleSettings, lines: AsyncIterableIterator<string>): Promise<void> {
  const sockets: WebSocket[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < s.count) {
      const i = next++;
      try {
        const socket = await openSocket(s.url, s.protocols[i % s.protocols.length]!, s.readyFrame);
        socket.on('error', () => undefined);
        sockets.push(socket);
      } catch (err) {
        failed += 1;
        firstFailure ??= String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(s.concurrency, s.count) }, worker));
  const result: IdleResult = { opened: sockets.length, failed, elapsedMs: performance.now() - start, ...(firstFailure ? { firstFailure } : {}) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for await (const line of lines) if (line.trim() === 'close') break;
  for (const socket of sockets) socket.terminate();
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const first = await lines.next();
const settings = JSON.parse(String(first.value)) as RoomSettings | IdleSettings;
assertLoopback(settings.url);
if (settings.mode === 'room') process.stdout.write(`${JSON.stringify(await room(settings))}\n`);
else await idle(settings, lines);
process.exit(0);
