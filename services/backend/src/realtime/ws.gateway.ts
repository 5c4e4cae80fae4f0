import { WebSocket, type RawData } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import { ChatEvent, ERROR_CATALOGUE, PresenceEvent, TypingEvent, WS_CLOSE_CODES, type WsClientFrame, type WsCloseName } from '@ashchat/contracts';
import { AppError, isAppError } from '../errors/app-error.js';
import { asAppError } from '../errors/dependency-errors.js';
import type { TokenCheck } from './ws.auth.js';
import { takeToken, WsConnection } from './ws.connection.js';
import { parseFrame } from './ws.parse.js';
import type { UserEvent, UserEventBus } from '../user-events/user-events.bus.js';
import type { FrameRegistry } from './ws.frames.js';
import type { WsGatewaySettings, WsOutput, WsPresence } from './ws.types.js';

export interface WsGatewayDeps {
  settings: WsGatewaySettings;
  log: FastifyBaseLogger;
  verifyToken: (token: string) => Promise<TokenCheck>;
  bus: Pick<UserEventBus, 'watch' | 'onGap'>;
  presence: () => WsPresence | undefined;
  /** What the domains registered for their frame types (`app.wsFrames`). */
  frames: FrameRegistry;
  now?: () => number;
}

/** Events a client receives as they are; anything else on the user's channel is internal. */
/** The `type` literal of an event schema (each is `Type.Object({ type: Type.Literal(…), … })`). */
const typeOf = (schema: { properties: { type: { const?: unknown } } }): string => String(schema.properties.type.const);
// From the contracts, so a new chat event reaches clients without a list here to forget (message.translated once was).
const FORWARDED = new Set([...ChatEvent.anyOf.map(typeOf), typeOf(TypingEvent), typeOf(PresenceEvent)]);
/** Frames waiting to be handled per connection; beyond, refused (the token bucket bounds it first). */
const MAX_PENDING_FRAMES = 32;
/** On shutdown, how long connections get to complete the close handshake before they are dropped. */
const SHUTDOWN_GRACE_MS = 2_000;

/** ws sends a Buffer as a binary frame unless told otherwise. */
const TEXT = { binary: false } as const;

const kConnection = Symbol('ashchat.ws.connection');
type TaggedSocket = WebSocket & { [kConnection]?: WsConnection };

export interface WsGateway {
  /** `resume`: the client offered the `ashchat.resume` subprotocol (it sends `resume` first). */
  accept(socket: WebSocket, client: { bearer: string | undefined; ip: string; resume?: boolean }): void;
  start(): void;
  shutdown(): Promise<void>;
  readonly stats: { connections: number; slowConsumersClosed: number; rateLimitClosed: number };
  /** Whether the user has an authenticated connection on this instance (so is online and gets events live). */
  hasUser(userId: string): boolean;
}

/**
 * The connections of this instance. One sweep timer (auth deadlines, token expiry notices, holds)
 * and one heartbeat timer serve every connection; socket listeners are shared functions that find
 * their connection on the socket, so a connection costs its fields and little else.
 */
export function createWsGateway(deps: WsGatewayDeps): WsGateway {
  const { settings: s, log } = deps;
  const now = deps.now ?? Date.now;
  const connections = new Set<WsConnection>();
  /** Authenticated connections per user (those counted: `conn.unwatch` is set). */
  const users = new Map<string, number>();
  /**
   * Each event's frame, serialised and encoded once: the bus hands every recipient on this
   * instance the same event object, so a message to a room costs one JSON.stringify, not one per socket.
   */
  const frames = new WeakMap<UserEvent, Buffer>();
  const stats = { connections: 0, slowConsumersClosed: 0, rateLimitClosed: 0 };
  let timers: NodeJS.Timeout[] = [];
  let stopGap: () => void = () => undefined;

  function release(conn: WsConnection): void {
    if (conn.closed) return;
    conn.closed = true;
    connections.delete(conn);
    stats.connections = connections.size;
    conn.held = undefined;
    if (conn.unwatch && conn.userId !== undefined) {
      const left = (users.get(conn.userId) ?? 1) - 1;
      if (left > 0) users.set(conn.userId, left);
      else users.delete(conn.userId);
    }
    conn.unwatch?.();
    conn.unwatchPresence?.();
    conn.releaseAll();
    conn.releasePresence?.().catch((err: unknown) => log.warn({ err: String(err) }, 'presence release failed'));
  }

  function close(conn: WsConnection, name: WsCloseName, reason = name.toLowerCase()): void {
    if (name === 'SLOW_CONSUMER') stats.slowConsumersClosed += 1;
    if (name === 'RATE_LIMITED') stats.rateLimitClosed += 1;
    release(conn);
    conn.socket.close(WS_CLOSE_CODES[name].code, reason);
  }

  function send(conn: WsConnection, frame: object): boolean {
    const { socket } = conn;
    if (conn.closed || socket.readyState !== WebSocket.OPEN) return false;
    // Never queue without bound: a client that does not read is closed, and resumes later.
    if (socket.bufferedAmount > s.sendBufferBytes) {
      close(conn, 'SLOW_CONSUMER');
      return false;
    }
    socket.send(JSON.stringify(frame));
    return true;
  }

  /** `send` of a user event: the same bytes for every socket (see `frames`). */
  function sendEvent(conn: WsConnection, event: UserEvent): void {
    const { socket } = conn;
    if (conn.closed || socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > s.sendBufferBytes) return close(conn, 'SLOW_CONSUMER');
    let frame = frames.get(event);
    if (!frame) frames.set(event, (frame = Buffer.from(JSON.stringify(event))));
    socket.send(frame, TEXT);
  }

  async function sendPaced(conn: WsConnection, frame: object): Promise<void> {
    const { socket } = conn;
    if (conn.closed || socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > s.sendBufferBytes) return close(conn, 'SLOW_CONSUMER');
    const data = JSON.stringify(frame);
    if (socket.bufferedAmount + data.length <= s.sendBufferBytes / 2) return socket.send(data);
    // ws calls back once this frame went to the kernel (or the socket died): the buffer drained.
    await new Promise<void>((resolve) => socket.send(data, () => resolve()));
  }

  const ack: WsOutput['ack'] = (conn, requestId, result) => {
    send(conn, requestId === undefined ? { type: 'ack', result } : { type: 'ack', requestId, result });
  };
  const fail: WsOutput['fail'] = (conn, requestId, error) => {
    const frame = { type: 'error', ...(requestId === undefined ? {} : { requestId }), code: error.code, message: ERROR_CATALOGUE[error.code].message };
    send(conn, error.details === undefined ? frame : { ...frame, details: error.details });
  };

  function deliver(conn: WsConnection, event: UserEvent): void {
    if (conn.closed) return;
    if (event.type === 'session.revoked') {
      if ((event as { sessionId?: unknown }).sessionId === conn.sessionId) close(conn, 'SESSION_REVOKED');
      return;
    }
    if (!FORWARDED.has(event.type)) return;
    const late = conn.afterResume;
    if (late) {
      if (now() >= late.until) conn.afterResume = undefined;
      else if (late.skip(event)) return;
    }
    if (conn.held) {
      if (conn.held.length >= s.resumeBufferEvents) close(conn, 'SLOW_CONSUMER');
      else conn.held.push(event);
      return;
    }
    sendEvent(conn, event);
  }

  function flushHeld(conn: WsConnection, skip?: (event: UserEvent) => boolean): void {
    const held = conn.held;
    conn.held = undefined;
    conn.holdUntil = 0;
    if (skip) conn.afterResume = { skip, until: now() + s.resumeHoldMs };
    for (const event of held ?? []) if (!skip?.(event)) sendEvent(conn, event);
  }

  async function authenticate(conn: WsConnection, token: string, requestId: string | undefined, resume = false): Promise<void> {
    const check = await deps.verifyToken(token);
    if (conn.closed) return;
    if (conn.userId !== undefined) {
      // A renewal: refusing it leaves the connection as it was, until its current token expires.
      if (!check.ok || check.userId !== conn.userId) return fail(conn, requestId, new AppError('UNAUTHENTICATED'));
      conn.sessionId = check.sessionId;
      conn.expiresAt = check.expiresAt;
      conn.expiringSent = false;
      send(conn, authOk(requestId, check.userId, check.expiresAt));
      return;
    }
    if (!check.ok) return close(conn, check.close);
    conn.userId = check.userId;
    conn.sessionId = check.sessionId;
    conn.expiresAt = check.expiresAt;
    // Held only for a client that said a resume follows, so the replay cannot be overtaken; any
    // other client gets its live events at once (the hold used to delay them until the next frame).
    if (s.resumeHoldMs > 0 && (conn.resumeDeclared || resume)) {
      conn.held = [];
      conn.holdUntil = now() + s.resumeHoldMs;
    }
    const userId = check.userId;
    let unwatch: () => void;
    try {
      unwatch = await deps.bus.watch(userId, (event) => deliver(conn, event));
    } catch (err) {
      log.warn({ err: String(err) }, 'websocket: could not subscribe to user events');
      return close(conn, 'TRY_AGAIN_LATER', 'events unavailable');
    }
    if (conn.closed) return unwatch();
    conn.unwatch = unwatch;
    users.set(userId, (users.get(userId) ?? 0) + 1);
    conn.releasePresence = deps.presence()?.connect(userId);
    send(conn, authOk(requestId, userId, check.expiresAt));
  }

  const queue: WsOutput['queue'] = (conn, task) => {
    if (!conn.closed) enqueue(conn, task);
  };
  const out: WsOutput = { send, sendPaced, ack, fail, close, deliver, flushHeld, queue, settings: s };
  async function dispatch(conn: WsConnection, frame: WsClientFrame): Promise<void> {
    if (conn.closed) return;
    // The next frame after authentication ends the hold, unless it is the resume the hold is for.
    if (conn.holdUntil !== 0 && frame.type !== 'resume') flushHeld(conn);
    try {
      if (frame.type === 'auth') return await authenticate(conn, frame.accessToken, frame.requestId, frame.resume === true);
      if (frame.type === 'ping') return void send(conn, frame.requestId === undefined ? { type: 'pong' } : { type: 'pong', requestId: frame.requestId });
      // Before authentication only what a domain declared open (its frame carries its own capability).
      const entry = deps.frames.lookup(frame.type);
      if (conn.userId === undefined && !entry?.beforeAuth) throw new AppError('UNAUTHENTICATED');
      if (!entry) throw new AppError('UNKNOWN_FRAME_TYPE');
      await entry.handler(out, conn, frame);
    } catch (err) {
      // A dependency outage answers its 503 code (as over REST), not INTERNAL_ERROR.
      const appError = asAppError(err);
      if (!isAppError(err)) log.error({ err, frame: frame.type }, 'websocket frame failed');
      fail(conn, frame.requestId, appError);
    }
  }

  function enqueue(conn: WsConnection, task: () => Promise<void>): void {
    conn.pending += 1;
    conn.tail = conn.tail
      .then(task)
      .catch((err: unknown) => log.error({ err }, 'websocket task failed'))
      .finally(() => {
        conn.pending -= 1;
      });
  }

  function onMessage(this: TaggedSocket, data: RawData, isBinary: boolean): void {
    const conn = this[kConnection];
    if (!conn || conn.closed) return;
    conn.alive = true;
    const parsed = isBinary ? undefined : parseFrame(rawText(data));
    const requestId = parsed ? (parsed.ok ? parsed.frame.requestId : parsed.requestId) : undefined;
    const wait = takeToken(conn, now(), s.messagesPerSecond, s.messagesBurst);
    if (wait > 0 || conn.pending >= MAX_PENDING_FRAMES) {
      conn.strikes += 1;
      if (conn.strikes >= s.rateLimitStrikes) return close(conn, 'RATE_LIMITED');
      return fail(conn, requestId, new AppError('RATE_LIMITED', { details: { retryAfterMs: Math.max(wait, 1) } }));
    }
    conn.strikes = 0;
    if (!parsed) return fail(conn, undefined, new AppError('MALFORMED_JSON', { details: { reason: 'frames are JSON text, not binary' } }));
    if (!parsed.ok) return fail(conn, requestId, parsed.error);
    const frame = parsed.frame;
    enqueue(conn, () => dispatch(conn, frame));
  }

  function onClose(this: TaggedSocket): void {
    const conn = this[kConnection];
    if (conn) release(conn);
  }
  function onPong(this: TaggedSocket): void {
    const conn = this[kConnection];
    if (conn) conn.alive = true;
  }
  function onError(this: TaggedSocket, err: Error): void {
    // Protocol errors (oversized frame: 1009, bad UTF-8) already started the close handshake.
    log.debug({ err: err.message }, 'websocket error');
    if (this.readyState === WebSocket.OPEN) this.terminate();
  }

  function sweep(): void {
    const t = now();
    for (const conn of connections) {
      if (conn.userId === undefined) {
        if (t >= conn.authDeadline) close(conn, 'UNAUTHENTICATED', 'authentication timeout');
        continue;
      }
      if (t >= conn.expiresAt) {
        close(conn, 'TOKEN_EXPIRED');
        continue;
      }
      if (!conn.expiringSent && t >= conn.expiresAt - s.authExpiryNoticeMs) {
        conn.expiringSent = true;
        send(conn, { type: 'auth.expiring', expiresAt: new Date(conn.expiresAt).toISOString() });
      }
      if (conn.holdUntil !== 0 && t >= conn.holdUntil) flushHeld(conn);
    }
  }

  function heartbeat(): void {
    for (const conn of connections) {
      if (!conn.alive) {
        release(conn);
        conn.socket.terminate();
        continue;
      }
      conn.alive = false;
      conn.socket.ping();
    }
  }

  return {
    stats,
    hasUser: (userId) => users.has(userId),
    accept(socket, client) {
      const conn = new WsConnection(socket, client.ip, now(), s.authTimeoutMs, s.messagesBurst);
      const tagged = socket as TaggedSocket;
      tagged[kConnection] = conn;
      conn.resumeDeclared = client.resume === true;
      // Replaces @fastify/websocket's error listener, whose closure keeps the request alive.
      socket.removeAllListeners('error');
      socket.on('error', onError);
      socket.on('message', onMessage);
      socket.on('close', onClose);
      socket.on('pong', onPong);
      connections.add(conn);
      stats.connections = connections.size;
      if (client.bearer !== undefined) {
        const token = client.bearer;
        enqueue(conn, () => authenticate(conn, token, undefined));
      }
    },
    start() {
      if (timers.length > 0) return;
      timers = [setInterval(sweep, s.sweepIntervalMs), setInterval(heartbeat, s.heartbeatIntervalMs)];
      for (const timer of timers) timer.unref();
      // Events (a session.revoked among them) may have been lost: the clients resume from the
      // database after reconnecting, which a live connection cannot do by itself.
      stopGap = deps.bus.onGap(() => {
        for (const conn of [...connections]) if (conn.userId !== undefined) close(conn, 'EVENTS_LOST');
      });
    },
    async shutdown() {
      stopGap();
      for (const timer of timers) clearInterval(timer);
      timers = [];
      const sockets = [...connections].map((conn) => conn.socket);
      for (const conn of [...connections]) close(conn, 'GOING_AWAY', 'server shutting down');
      const open = sockets.filter((socket) => socket.readyState !== WebSocket.CLOSED);
      if (open.length === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(open.map((socket) => new Promise((resolve) => socket.once('close', resolve)))),
        new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
      ]);
      clearTimeout(timer);
      for (const socket of open) if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
    },
  };
}

function authOk(requestId: string | undefined, userId: string, expiresAt: number): object {
  return { type: 'auth.ok', ...(requestId === undefined ? {} : { requestId }), userId, expiresAt: new Date(expiresAt).toISOString() };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
