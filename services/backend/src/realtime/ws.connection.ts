import type { WebSocket } from 'ws';
import type { UserEvent } from './user-events.bus.js';

const SETTLED: Promise<void> = Promise.resolve();

/**
 * What the gateway keeps per connection: plain fields only (no timers, no Fastify request), since
 * an idle connection should cost a few kilobytes. Deadlines are checked by the gateway's one sweep.
 */
export class WsConnection {
  /** Set once authenticated; never changes afterwards (a renewing `auth` must be the same user). */
  userId: string | undefined = undefined;
  /** The session of the current token: its `session.revoked` closes the connection. */
  sessionId = '';
  /** Unauthenticated: when the connection is closed unless it authenticates (ms since the epoch). */
  authDeadline: number;
  /** When the current access token expires (ms since the epoch). */
  expiresAt = 0;
  expiringSent = false;
  /** Cleared by each heartbeat, set by the pong (or any frame): still false at the next beat = dead. */
  alive = true;
  closed = false;

  // Token bucket of incoming frames, refilled lazily from the elapsed time (no timer).
  tokens: number;
  refilledAt: number;
  /** Refused frames in a row. */
  strikes = 0;

  /** Frames are handled one after the other, in the order they came (a send's ack precedes the next). */
  tail: Promise<void> = SETTLED;
  pending = 0;

  /**
   * Live events held back instead of sent: after authentication (until the next frame or
   * `holdUntil`) and during a resume (until the replay is sent). Undefined: events go out at once.
   */
  held: UserEvent[] | undefined = undefined;
  /** When a post-authentication hold ends by itself; 0 while a resume holds (it ends the hold). */
  holdUntil = 0;

  unwatch: (() => void) | undefined = undefined;
  unwatchPresence: (() => void) | undefined = undefined;
  releasePresence: (() => Promise<void>) | undefined = undefined;
  /** Set while the connection follows a registration (which also suspends the auth deadline). */
  stopRegistration: (() => void) | undefined = undefined;

  /** The last typing frame relayed (`<state>:<conversationId>`) and when, for the throttle. */
  typingKey = '';
  typingAt = 0;

  constructor(
    readonly socket: WebSocket,
    /** The client's address (Fastify's request.ip, proxy-aware): the registration status limit counts it. */
    readonly ip: string,
    now: number,
    authTimeoutMs: number,
    burst: number,
  ) {
    this.authDeadline = now + authTimeoutMs;
    this.tokens = burst;
    this.refilledAt = now;
  }
}

/**
 * Takes one token from the connection's bucket: 0 when the frame may pass, else how long until a
 * token is back (ms).
 */
export function takeToken(conn: WsConnection, now: number, perSecond: number, burst: number): number {
  const elapsed = Math.max(0, now - conn.refilledAt);
  conn.tokens = Math.min(burst, conn.tokens + (elapsed * perSecond) / 1_000);
  conn.refilledAt = now;
  if (conn.tokens >= 1) {
    conn.tokens -= 1;
    return 0;
  }
  return Math.ceil(((1 - conn.tokens) * 1_000) / perSecond);
}
