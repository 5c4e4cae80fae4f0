import type { WsCloseName } from '@ashchat/contracts';
import type { AppError } from '../errors/app-error.js';
import type { WsConnection } from './ws.connection.js';
import type { UserEvent } from '../user-events/user-events.bus.js';

/** The gateway's view of its settings (config.ts WS_*) and of the parts it talks to. */

export interface WsGatewaySettings {
  sendBufferBytes: number;
  messagesPerSecond: number;
  messagesBurst: number;
  rateLimitStrikes: number;
  authTimeoutMs: number;
  authExpiryNoticeMs: number;
  heartbeatIntervalMs: number;
  sweepIntervalMs: number;
  resumeHoldMs: number;
  resumeBufferEvents: number;
}

/** What H2's presence plugin offers (`app.presence`); the gateway uses nothing else of it. */
export interface WsPresence {
  connect(userId: string): () => Promise<void>;
  get(userIds: readonly string[]): Promise<UserEvent[]>;
  watch(userIds: readonly string[], listener: (event: UserEvent) => void): Promise<() => void>;
}

/** How frame handlers talk back; the gateway owns sockets, limits and authentication. */
export interface WsOutput {
  send(conn: WsConnection, frame: object): boolean;
  /** Sends, then waits while the socket's buffer is over half its bound (long replays). */
  sendPaced(conn: WsConnection, frame: object): Promise<void>;
  ack(conn: WsConnection, requestId: string | undefined, result: object): void;
  fail(conn: WsConnection, requestId: string | undefined, error: AppError): void;
  close(conn: WsConnection, name: WsCloseName, reason?: string): void;
  deliver(conn: WsConnection, event: UserEvent): void;
  /** Sends the held events (except those `skip` says the client has) and stops holding. */
  flushHeld(conn: WsConnection, skip?: (event: UserEvent) => boolean): void;
  /** Runs `task` in the connection's frame order: after the frames received so far, before later ones. */
  queue(conn: WsConnection, task: () => Promise<void>): void;
  readonly settings: WsGatewaySettings;
}
