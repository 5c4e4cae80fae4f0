import type { WS_CLOSE_CODES, WsClientFrame, WsServerFrame } from '@ashchat/contracts';

export { WS_BEARER_PREFIX, WS_RESUME_SUBPROTOCOL, WS_SUBPROTOCOL } from '../api/protocol.constants.js';

/**
 * The close codes of the contract. A copy because importing WS_CLOSE_CODES by value would bundle TypeBox
 * into the browser; `satisfies` ties every entry to the contract's literal, so a change there fails the typecheck.
 */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  EVENTS_LOST: 1012,
  MESSAGE_TOO_BIG: 1009,
  INVALID_UTF8: 1007,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
  SLOW_CONSUMER: 4008,
  RATE_LIMITED: 4029,
  UNAUTHENTICATED: 4401,
  SESSION_REVOKED: 4403,
  TOKEN_EXPIRED: 4419,
} as const satisfies { [K in keyof typeof WS_CLOSE_CODES]: (typeof WS_CLOSE_CODES)[K]['code'] };

export type ClientFrame = WsClientFrame;
export type ClientFrameType = ClientFrame['type'];
/** A client frame of one type, without the requestId the client assigns. */
export type ClientFrameOf<T extends ClientFrameType> = Omit<Extract<ClientFrame, { type: T }>, 'requestId'>;

export type ServerFrame = WsServerFrame;
export type ServerFrameType = ServerFrame['type'];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;

/** What a request's answer resolves to, per client frame type (the ack's result, or auth.ok / pong). */
type AckResult = Extract<ServerFrame, { type: 'ack' }>['result'];
export interface AckResults {
  auth: ServerFrameOf<'auth.ok'>;
  ping: ServerFrameOf<'pong'>;
  'message.send': Extract<AckResult, { created: boolean }>;
  'message.read': Extract<AckResult, { unreadCount: number }>;
  'typing.start': AckResult;
  'typing.stop': AckResult;
  'presence.subscribe': Extract<AckResult, { presences: unknown }>;
  resume: Extract<AckResult, { incomplete: unknown }>;
  'registration.watch': Extract<AckResult, { registration: unknown }>;
}

/** Client-side failure codes, next to the server's error catalogue codes of `error` frames. */
export type LocalErrorCode = 'TIMEOUT' | 'DISCONNECTED' | 'OFFLINE' | 'FRAME_REFUSED' | 'CLOSED';

export class RealtimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RealtimeError';
  }

  /** The server's RATE_LIMITED details carry how long to wait. */
  get retryAfterMs(): number | undefined {
    const d = this.details as { retryAfterMs?: unknown } | undefined;
    return typeof d?.retryAfterMs === 'number' ? d.retryAfterMs : undefined;
  }
}
