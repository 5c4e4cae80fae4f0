import type { WebSocket } from 'ws';
import type { UserEvent } from '../user-events/user-events.bus.js';

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
  /**
   * Unauthenticated: when the connection is closed unless it authenticates (ms since the epoch).
   * A frame accepted before authentication may push it out while it keeps the connection useful
   * (`registration.watch` sets Infinity until its registration is final).
   */
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
   * Live events held back instead of sent: after authentication of a client that declared a resume
   * (until the next frame or `holdUntil`) and during a resume (until the replay is sent). Undefined: events go out at once.
   */
  held: UserEvent[] | undefined = undefined;
  /** When a post-authentication hold ends by itself; 0 while a resume holds (it ends the hold). */
  holdUntil = 0;
  /**
   * After a resume: for a while (the resume hold's length), live events the replay already covered are
   * still dropped — a message stored before the replay read it can be published to this instance after
   * the hold ended, and would reach the client twice.
   */
  afterResume: { skip: (event: UserEvent) => boolean; until: number } | undefined = undefined;
  /**
   * The client said it will resume (subprotocol `ashchat.resume` or `auth` with `resume: true`):
   * only then are live events held after authentication; a client that only listens gets them at once.
   */
  resumeDeclared = false;

  unwatch: (() => void) | undefined = undefined;
  unwatchPresence: (() => void) | undefined = undefined;
  releasePresence: (() => Promise<void>) | undefined = undefined;
  /** What frame handlers started for the connection and stop when it ends (`onRelease`); created on first use. */
  private releases: Set<() => void> | undefined = undefined;

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

  /** Runs `stop` when the connection ends (a watch a frame started); the returned function forgets it. */
  onRelease(stop: () => void): () => void {
    (this.releases ??= new Set()).add(stop);
    return () => void this.releases?.delete(stop);
  }

  /** The gateway's part when the connection ends: every `onRelease` once. */
  releaseAll(): void {
    const releases = this.releases;
    this.releases = undefined;
    for (const stop of releases ?? []) stop();
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
