import WebSocket from 'ws';
import { WS_RESUME_SUBPROTOCOL, WS_SUBPROTOCOL, WS_BEARER_PREFIX } from '@ashchat/contracts';
import { call } from './chat.account.js';
import { holesBelow, resumeSeq, type DeviceLog, type ResumeRecord, type SentRecord } from './chat.log.js';

// One simulated device: a WebSocket that resumes on every (re)connect, one send in flight at a time
// (so its own acks must come back in position order), retried with the same client id until acked.

export interface DeviceOptions {
  log: DeviceLog;
  token: string;
  backends: readonly string[];
  /** Index into `backends` of the first connection (a seeded choice). */
  firstBackend: number;
}

export interface ChatDevice {
  readonly log: DeviceLog;
  /** Sends a new message (refused while one is in flight or the device is not connected). */
  send(conversationId: string, via: 'ws' | 'rest', body: string): boolean;
  busy(): boolean;
  connected(): boolean;
  /** Closes on purpose; reconnects (and resumes) after `pauseMs`. */
  disconnect(pauseMs: number): void;
  /** Ids of the messages it has, per conversation (received live, replayed or paged). */
  has(conversationId: string, messageId: string): boolean;
  /** Makes sure a connection is (being) made now: the quiet period wants every device back. */
  wake(): void;
  close(): void;
}

const RESUME_TIMEOUT_MS = 10_000;
const ACK_TIMEOUT_MS = 8_000;
const PING_EVERY_MS = 5_000;
const BACKOFF_MS = [100, 250, 500, 1_000, 2_000];

export function startDevice(o: DeviceOptions): ChatDevice {
  const { log } = o;
  const wsUrl = (base: string) => `${base.replace(/^http/, 'ws')}/v1/ws`;
  const held = new Map<string, Set<number>>(); // conversation → positions held
  const holes = new Map<string, Set<number>>();
  const ids = new Map<string, Set<string>>(); // conversation → message ids held
  for (const c of log.conversations) {
    held.set(c, new Set());
    holes.set(c, new Set());
    ids.set(c, new Set());
  }
  let backend = o.firstBackend;
  let socket: WebSocket | undefined;
  let ready = false; // resumed: live and sending
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let requestSeq = 0;
  let pending: { record: SentRecord; body: string; requestId?: string; timer?: NodeJS.Timeout } | undefined;
  let resume: { requestId: string; record: ResumeRecord; timer: NodeJS.Timeout; top: Map<string, number> } | undefined;

  const error = (line: string) => {
    if (log.errors.length < 50) log.errors.push(line);
  };
  const nextId = (kind: string) => `${kind}-${++requestSeq}`;

  function keep(conversationId: string, messageId: string, seq: number, replay: boolean, connection: number): void {
    log.received.push({ conversationId, messageId, seq, connection, replay });
    ids.get(conversationId)?.add(messageId);
    if (seq > 0) held.get(conversationId)?.add(seq);
  }

  function connect(): void {
    if (closed || socket) return;
    const base = o.backends[backend % o.backends.length]!;
    const connection = ++log.connections;
    const ws = new WebSocket(wsUrl(base), [WS_SUBPROTOCOL, `${WS_BEARER_PREFIX}${o.token}`, WS_RESUME_SUBPROTOCOL], { handshakeTimeout: 5_000 });
    socket = ws;
    let alive = true;
    const pinger = setInterval(() => {
      if (!alive) return void ws.terminate(); // no pong since the last ping: a dead peer
      alive = false;
      ws.ping();
    }, PING_EVERY_MS);
    ws.on('pong', () => (alive = true));
    ws.on('open', () => sendResume(ws, base, connection));
    ws.on('message', (data) => {
      let frame: Record<string, unknown>;
      try {
        frame = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        return error(`connection ${connection}: a frame that is not JSON`);
      }
      onFrame(frame, connection);
    });
    ws.on('error', () => undefined); // followed by 'close'
    ws.on('close', (code) => {
      clearInterval(pinger);
      if (socket !== ws) return;
      socket = undefined;
      const wasReady = ready;
      ready = false;
      if (resume) {
        clearTimeout(resume.timer);
        resume.record.failed ??= `closed ${code}`;
        resume = undefined;
      }
      if (pending?.record.via === 'ws') {
        clearTimeout(pending.timer);
        pending.requestId = undefined; // sent again after the next resume
      }
      if (closed) return;
      if (code !== 1000) log.cutConnections += 1;
      if (wasReady) failures = 0;
      // The next backend: the one that just failed may be the one that is down.
      backend += 1;
      const delay = BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]!;
      scheduleReconnect(code === 1000 ? reconnectDelay : delay);
    });
  }

  let reconnectDelay = 0;
  function scheduleReconnect(ms: number): void {
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, ms);
  }

  function sendResume(ws: WebSocket, base: string, connection: number): void {
    const cursors = log.conversations.map((conversationId) => {
      const lastSeq = resumeSeq(held.get(conversationId)!, holes.get(conversationId)!);
      return { conversationId, lastMessageId: null, lastSeq };
    });
    const requestId = nextId('resume');
    const record: ResumeRecord = { connection, backend: base, replayed: 0, incomplete: [], skipped: [], cursors: Object.fromEntries(cursors.map((c) => [c.conversationId, c.lastSeq])) };
    log.resumes.push(record);
    const timer = setTimeout(() => {
      record.failed ??= 'no ack in time';
      ws.terminate();
    }, RESUME_TIMEOUT_MS);
    resume = { requestId, record, timer, top: new Map() };
    ws.send(JSON.stringify({ type: 'resume', requestId, cursors }));
  }

  function onFrame(frame: Record<string, unknown>, connection: number): void {
    if (frame.type === 'message.new') {
      const message = frame.message as { id: string; seq: number };
      const conversationId = String(frame.conversationId);
      const replay = resume !== undefined;
      if (replay) resume!.top.set(conversationId, Math.max(resume!.top.get(conversationId) ?? 0, message.seq));
      keep(conversationId, message.id, message.seq, replay, connection);
      return;
    }
    if (frame.type === 'ack' && resume && frame.requestId === resume.requestId) return void onResumed(frame.result as Record<string, string[] | number>);
    if ((frame.type === 'ack' || frame.type === 'error') && pending && frame.requestId === pending.requestId) {
      clearTimeout(pending.timer);
      if (frame.type === 'ack') return acked((frame.result as { message: { id: string; seq: number } }).message);
      const code = String(frame.code);
      if (code === 'INTERNAL_ERROR' || code === 'NOT_READY' || code === 'RATE_LIMITED' || code.endsWith('_UNAVAILABLE')) return retryLater();
      error(`send ${pending.record.clientMessageId} refused: ${code}`);
      pending.record.gaveUp = true;
      pending = undefined;
    }
  }

  function onResumed(result: Record<string, string[] | number>): void {
    const r = resume!;
    clearTimeout(r.timer);
    resume = undefined;
    r.record.replayed = Number(result.replayed);
    r.record.incomplete = result.incomplete as string[];
    r.record.skipped = result.skipped as string[];
    for (const [conversationId, top] of r.top) {
      if (!r.record.incomplete.includes(conversationId)) holesBelow(held.get(conversationId)!, top, holes.get(conversationId)!);
    }
    ready = true;
    for (const conversationId of r.record.incomplete) void page(conversationId);
    if (pending?.record.via === 'ws' && pending.requestId === undefined) transmit();
  }

  /** History over REST for a conversation the replay could not cover (more than one resume replays). */
  async function page(conversationId: string): Promise<void> {
    let before: string | undefined;
    try {
      for (let n = 0; n < 50; n++) {
        const query = before ? `?limit=100&before=${encodeURIComponent(before)}` : '?limit=100';
        const answer = await call(o.backends[backend % o.backends.length]!, 'GET', `/v1/conversations/${conversationId}/messages${query}`, undefined, o.token);
        if (answer.status !== 200) throw new Error(`history answered ${answer.status}`);
        for (const m of answer.body.items as Array<{ id: string; seq: number }>) {
          if (ids.get(conversationId)?.has(m.id)) continue;
          log.paged.push({ conversationId, messageId: m.id, seq: m.seq });
          ids.get(conversationId)?.add(m.id);
          held.get(conversationId)?.add(m.seq);
        }
        before = (answer.body.nextCursor as string | null) ?? undefined;
        if (!before) return;
      }
    } catch (e) {
      error(`paging ${conversationId}: ${(e as Error).message}`);
    }
  }

  function acked(message: { id: string; seq: number }): void {
    const { record } = pending!;
    record.messageId = message.id;
    record.seq = message.seq;
    pending = undefined;
  }

  function retryLater(): void {
    if (!pending) return;
    pending.requestId = undefined;
    const p = pending;
    p.timer = setTimeout(() => pending === p && p.requestId === undefined && transmit(), 300);
  }

  /** (Re)sends the pending message with its one client id. */
  function transmit(): void {
    if (!pending) return;
    const p = pending;
    if (p.record.via === 'rest') return void transmitRest(p);
    if (!ready || !socket) return; // after the next resume
    p.record.attempts += 1;
    p.requestId = nextId('send');
    const ws = socket;
    ws.send(JSON.stringify({ type: 'message.send', requestId: p.requestId, conversationId: p.record.conversationId, body: p.body, clientMessageId: p.record.clientMessageId }));
    // No answer in time: a stuck connection; cut it, the resend follows the resume.
    p.timer = setTimeout(() => pending === p && ws.terminate(), ACK_TIMEOUT_MS);
  }

  async function transmitRest(p: NonNullable<typeof pending>): Promise<void> {
    p.record.attempts += 1;
    const base = o.backends[(backend + p.record.attempts) % o.backends.length]!;
    const path = `/v1/conversations/${p.record.conversationId}/messages`;
    try {
      const answer = await call(base, 'POST', path, { body: p.body, clientMessageId: p.record.clientMessageId }, o.token);
      if (pending !== p) return;
      if (answer.status === 200 || answer.status === 201) return acked(answer.body as { id: string; seq: number });
      if (answer.status < 500 && answer.status !== 429) {
        error(`REST send ${p.record.clientMessageId} answered ${answer.status} ${String(answer.body.code)}`);
        p.record.gaveUp = true;
        pending = undefined;
        return;
      }
    } catch {
      // A cut connection or a dead backend: the same client id again shortly.
    }
    if (pending === p) p.timer = setTimeout(() => pending === p && transmit(), 300);
  }

  connect();
  return {
    log,
    send(conversationId, via, body) {
      if (pending || !ready || closed) return false;
      const record: SentRecord = { conversationId, clientMessageId: `${log.device}.${log.sent.length + 1}`, via, attempts: 0 };
      log.sent.push(record);
      pending = { record, body };
      transmit();
      return true;
    },
    busy: () => pending !== undefined,
    connected: () => ready,
    disconnect(pauseMs) {
      if (!socket || !ready) return;
      log.intentionalDisconnects += 1;
      reconnectDelay = pauseMs;
      socket.close(1000);
    },
    has: (conversationId, messageId) => ids.get(conversationId)?.has(messageId) ?? false,
    wake() {
      if (socket || closed) return;
      clearTimeout(reconnectTimer);
      connect();
    },
    close() {
      closed = true;
      log.synced = ready;
      clearTimeout(reconnectTimer);
      clearTimeout(pending?.timer);
      if (resume) clearTimeout(resume.timer);
      if (pending) pending.record.gaveUp = true;
      socket?.close(1000);
    },
  };
}
