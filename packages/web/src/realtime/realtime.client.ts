import { signal, type ReadonlySignal } from '@preact/signals';
import { backoffDelay, DEFAULT_BACKOFF, RATE_LIMITED_MIN_MS, STABLE_CONNECTION_MS } from './realtime.backoff.js';
import { createListeners } from './realtime.listeners.js';
import { browserNetwork, systemClock, type Clock, type NetworkStatus, type TokenSource, type WebSocketConstructor, type WebSocketLike } from './realtime.env.js';
import {
  CLOSE,
  RealtimeError,
  WS_BEARER_PREFIX,
  WS_RESUME_SUBPROTOCOL,
  WS_SUBPROTOCOL,
  type AckResults,
  type ClientFrameOf,
  type ClientFrameType,
  type ServerFrame,
  type ServerFrameOf,
  type ServerFrameType,
} from './realtime.protocol.js';

export type RealtimeStatus = 'connecting' | 'online' | 'offline';

export interface RequestOptions {
  /** Reject after this long without an answer (default 10 s). */
  timeoutMs?: number;
  /** Wait for the connection instead of failing OFFLINE, and send again after a reconnect (idempotent frames only). */
  queue?: boolean;
  /** Send while the resume hooks run, before queued frames (only the hooks use it). */
  beforeOnline?: boolean;
}

export interface Realtime {
  readonly status: ReadonlySignal<RealtimeStatus>;
  /** The authenticated user (from `auth.ok`); null before the first. */
  readonly userId: ReadonlySignal<string | null>;
  request<T extends ClientFrameType>(frame: ClientFrameOf<T> & { type: T }, options?: RequestOptions): Promise<AckResults[T]>;
  on<T extends ServerFrameType>(type: T, listener: (frame: ServerFrameOf<T>) => void): () => void;
  /**
   * Runs after every (re)connect, before queued frames are sent and before status turns online. The
   * first frame the hooks send must be `resume`: with a hook registered the connection offers
   * `ashchat.resume`, so the server holds live events until it; without one they come at once.
   */
  onResume(hook: () => Promise<void> | void): () => void;
  close(): void;
}

export interface RealtimeOptions {
  url: string;
  tokens: TokenSource;
  WebSocketImpl?: WebSocketConstructor;
  random?: () => number;
  clock?: Clock;
  network?: NetworkStatus;
  pingIntervalMs?: number;
}

interface Pending {
  frame: Record<string, unknown>;
  resolve(value: unknown): void;
  reject(error: RealtimeError): void;
  timer: unknown;
  queue: boolean;
  sentOn: WebSocketLike | null;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_AUTH_FAILURES = 3;
const ANSWER_TYPES = new Set(['ack', 'pong', 'auth.ok', 'error']);

export function createRealtime(options: RealtimeOptions): Realtime {
  const WS = options.WebSocketImpl ?? (globalThis as unknown as { WebSocket: WebSocketConstructor }).WebSocket;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const network = options.network ?? browserNetwork();
  const pingIntervalMs = options.pingIntervalMs ?? 25_000;

  const status = signal<RealtimeStatus>('connecting');
  const userId = signal<string | null>(null);
  const pending = new Map<string, Pending>();
  const queued: string[] = [];
  const listeners = createListeners();
  const hooks: Array<() => Promise<void> | void> = [];
  let socket: WebSocketLike | null = null;
  let online = false; // hooks done, queue flushed: requests go straight out
  let stopped = false;
  let seq = 0;
  let attempt = 0;
  let authFailures = 0;
  let openedAt: number | null = null;
  let lastSent: string | null = null;
  let reconnectTimer: unknown = null;
  let pingTimer: unknown = null;

  function transmit(id: string, entry: Pending): void {
    if (!socket) return;
    entry.sentOn = socket;
    lastSent = id;
    socket.send(JSON.stringify({ ...entry.frame, requestId: id }));
  }

  function settle(id: string): Pending | undefined {
    const entry = pending.get(id);
    if (!entry) return undefined;
    pending.delete(id);
    clock.clearTimeout(entry.timer);
    const at = queued.indexOf(id);
    if (at >= 0) queued.splice(at, 1);
    return entry;
  }

  function request(frame: Record<string, unknown>, opts: RequestOptions = {}): Promise<unknown> {
    if (stopped) return Promise.reject(new RealtimeError('CLOSED', 'The realtime client is closed'));
    const canSend = socket !== null && (online || (opts.beforeOnline === true && openedAt !== null));
    if (!canSend && !opts.queue) return Promise.reject(new RealtimeError('OFFLINE', 'Not connected'));
    const id = `r-${++seq}`;
    return new Promise((resolve, reject) => {
      const timer = clock.setTimeout(() => settle(id)?.reject(new RealtimeError('TIMEOUT', `No answer to ${String(frame.type)}`)), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const entry: Pending = { frame, resolve, reject, timer, queue: opts.queue === true, sentOn: null };
      pending.set(id, entry);
      if (canSend) transmit(id, entry);
      else queued.push(id);
    });
  }

  function onFrame(raw: unknown): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(raw)) as ServerFrame;
    } catch {
      return;
    }
    const id = 'requestId' in frame ? frame.requestId : undefined;
    if (ANSWER_TYPES.has(frame.type) && id !== undefined) {
      const entry = settle(id);
      if (entry && frame.type === 'error') entry.reject(new RealtimeError(frame.code, frame.message, frame.details));
      else if (entry) entry.resolve(frame.type === 'ack' ? frame.result : frame);
    }
    if (frame.type === 'auth.ok') {
      userId.value = frame.userId;
      authFailures = 0;
    }
    if (frame.type === 'auth.expiring') void renewAuth();
    listeners.dispatch(frame);
  }

  async function renewAuth(): Promise<void> {
    const token = await freshToken();
    if (!token || !socket) return; // without a renewal the server closes with 4419 and we reconnect
    request({ type: 'auth', accessToken: token }, { beforeOnline: true }).catch(() => {});
  }

  function freshToken(): Promise<string | null> {
    return (options.tokens.freshAccessToken ?? options.tokens.accessToken).call(options.tokens).catch(() => null);
  }

  async function connect(token?: string): Promise<void> {
    reconnectTimer = null;
    if (stopped || socket) return;
    if (!network.onLine()) {
      status.value = 'offline';
      return; // the network's online event connects again
    }
    status.value = 'connecting';
    const accessToken = token ?? (await options.tokens.accessToken().catch(() => null));
    if (stopped || socket) return;
    if (!accessToken) return endSession('unauthenticated');
    const ws = new WS(options.url, [WS_SUBPROTOCOL, WS_BEARER_PREFIX + accessToken, ...(hooks.length > 0 ? [WS_RESUME_SUBPROTOCOL] : [])]);
    socket = ws;
    ws.onmessage = (event) => onFrame(event.data);
    ws.onclose = (event) => onClosed(ws, event.code);
    ws.onerror = () => {}; // a close event follows every error
    ws.onopen = () => void onOpen(ws);
  }

  async function onOpen(ws: WebSocketLike): Promise<void> {
    openedAt = clock.now();
    for (const hook of hooks) {
      try {
        await hook();
      } catch (error) {
        console.error('realtime resume hook failed', error);
      }
      if (socket !== ws) return;
    }
    online = true;
    status.value = 'online';
    for (const id of queued.splice(0)) {
      const entry = pending.get(id);
      if (entry) transmit(id, entry);
    }
    schedulePing(ws);
  }

  function schedulePing(ws: WebSocketLike): void {
    clock.clearTimeout(pingTimer);
    pingTimer = clock.setTimeout(() => {
      if (socket !== ws) return;
      request({ type: 'ping' }).then(
        () => schedulePing(ws),
        // No pong: the connection is dead without having closed (network gone); do not wait for TCP to notice.
        (error: RealtimeError) => error.code === 'TIMEOUT' && socket === ws && drop(ws, 4000),
      );
    }, pingIntervalMs);
  }

  /** Abandons a socket at once and handles it as closed with `code`. */
  function drop(ws: WebSocketLike, code: number): void {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(code === CLOSE.NORMAL ? CLOSE.NORMAL : 4000);
    } catch {
      // already closed
    }
    onClosed(ws, code);
  }

  function onClosed(ws: WebSocketLike, code: number): void {
    if (socket !== ws) return;
    socket = null;
    online = false;
    clock.clearTimeout(pingTimer);
    const stable = openedAt !== null && clock.now() - openedAt >= STABLE_CONNECTION_MS;
    openedAt = null;
    const refused = code === CLOSE.MESSAGE_TOO_BIG || code === CLOSE.INVALID_UTF8 ? lastSent : null;
    for (const [id, entry] of [...pending]) {
      if (entry.sentOn !== ws) continue;
      if (entry.queue && id !== refused) {
        entry.sentOn = null;
        queued.push(id);
      } else {
        settle(id);
        entry.reject(id === refused ? new RealtimeError('FRAME_REFUSED', 'The server refused the frame') : new RealtimeError('DISCONNECTED', 'The connection closed'));
      }
    }
    if (stopped) return;
    status.value = network.onLine() ? 'connecting' : 'offline';
    if (code === CLOSE.SESSION_REVOKED) return endSession('revoked');
    if (code === CLOSE.UNAUTHENTICATED || code === CLOSE.TOKEN_EXPIRED) {
      if (++authFailures >= MAX_AUTH_FAILURES) return endSession('unauthenticated');
      void freshToken().then((token) => (token ? void connect(token) : endSession('unauthenticated')));
      return;
    }
    if (stable) attempt = 0;
    const delay = backoffDelay(attempt++, random, code === CLOSE.RATE_LIMITED ? { ...DEFAULT_BACKOFF, minMs: RATE_LIMITED_MIN_MS } : DEFAULT_BACKOFF);
    reconnectTimer = clock.setTimeout(() => void connect(), delay);
  }

  function endSession(reason: 'revoked' | 'unauthenticated'): void {
    close();
    options.tokens.sessionEnded(reason);
  }

  function close(): void {
    if (stopped) return;
    stopped = true;
    unsubscribeNetwork();
    clock.clearTimeout(reconnectTimer);
    clock.clearTimeout(pingTimer);
    for (const id of [...pending.keys()]) settle(id)?.reject(new RealtimeError('CLOSED', 'The realtime client is closed'));
    const ws = socket;
    socket = null;
    online = false;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close(CLOSE.NORMAL);
    }
    status.value = 'offline';
  }

  const unsubscribeNetwork = network.subscribe((isOnline) => {
    if (stopped) return;
    if (!isOnline) {
      status.value = 'offline';
      if (socket) drop(socket, 4000);
      clock.clearTimeout(reconnectTimer);
      reconnectTimer = null;
    } else if (!socket) {
      clock.clearTimeout(reconnectTimer);
      attempt = 0;
      void connect();
    }
  });

  void connect();

  return {
    status,
    userId,
    request: request as Realtime['request'],
    on: listeners.on,
    onResume(hook) {
      hooks.push(hook);
      return () => {
        const at = hooks.indexOf(hook);
        if (at >= 0) hooks.splice(at, 1);
      };
    },
    close,
  };
}
