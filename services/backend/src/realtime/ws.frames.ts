import type { WsClientFrame, WsClientFrameType } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { WsConnection } from './ws.connection.js';
import type { WsOutput } from './ws.types.js';

/** Frames the gateway answers itself: the connection's own business, not a domain's. */
export type GatewayFrameType = 'auth' | 'ping';
/** Frames a domain handles (chat, presence, registration…). */
export type DomainFrameType = Exclude<WsClientFrameType, GatewayFrameType>;
export type FrameOf<T extends WsClientFrameType> = Extract<WsClientFrame, { type: T }>;

/** Carries out one validated frame; answers (ack, error, events) through `out`. A thrown AppError is the error frame. */
export type FrameHandler<T extends DomainFrameType = DomainFrameType> = (out: WsOutput, conn: WsConnection, frame: FrameOf<T>) => Promise<void>;

export interface FrameOptions {
  /** Accepted before the connection is authenticated (the frame carries its own capability). Default false. */
  beforeAuth?: boolean;
}

/** Where domains register what their frames do (`app.wsFrames`): one handler per frame type. */
export interface WsFrames {
  handle<T extends DomainFrameType>(type: T, handler: FrameHandler<T>, options?: FrameOptions): void;
}

export interface FrameEntry {
  handler: FrameHandler;
  beforeAuth: boolean;
}

export interface FrameRegistry extends WsFrames {
  lookup(type: WsClientFrameType): FrameEntry | undefined;
}

/** The registry the gateway routes by; a second handler for a type is a wiring mistake and throws. */
export function createFrameRegistry(): FrameRegistry {
  const entries = new Map<WsClientFrameType, FrameEntry>();
  return {
    handle(type, handler, options = {}) {
      if (entries.has(type)) throw new Error(`websocket frame ${type} already has a handler`);
      entries.set(type, { handler: handler as unknown as FrameHandler, beforeAuth: options.beforeAuth === true });
    },
    lookup: (type) => entries.get(type),
  };
}

/** The connection's user; handlers of frames not accepted before authentication always have one. */
export function userOf(conn: WsConnection): string {
  if (conn.userId === undefined) throw new AppError('UNAUTHENTICATED');
  return conn.userId;
}
