import type { RegistrationView, ResumeCursor, TypingEvent, WsClientFrame } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { ChatModule } from '../chat/chat.plugin.js';
import type { WsConnection } from './ws.connection.js';
import type { FrameHandler, WsOutput } from './ws.types.js';
import type { UserEventBus } from './user-events.bus.js';
import type { PresenceSubscribe } from './ws.presence.js';

export interface FrameHandlerDeps {
  chat: Pick<ChatModule, 'messages' | 'access'>;
  bus: Pick<UserEventBus, 'publish'>;
  /** `presence.subscribe`, limited to users sharing a conversation (ws.presence.ts). */
  subscribePresence: PresenceSubscribe;
  /** Replays what the client missed, then acks (ws.resume.ts). */
  resume: (out: WsOutput, conn: WsConnection, cursors: ResumeCursor[], requestId: string | undefined) => Promise<void>;
  /** Starts following a registration for the connection; its current view (ws.registration.ts). */
  watchRegistration: (out: WsOutput, conn: WsConnection, registrationId: string) => Promise<RegistrationView>;
  typingThrottleMs: number;
  typingTtlMs: number;
  now?: () => number;
}

/**
 * What each client frame does, with the same services (and so the same rules and error codes) as
 * REST. Runs only for authenticated connections, except `auth`, `ping` and `registration.watch`.
 */
export function createFrameHandlers(deps: FrameHandlerDeps): (out: WsOutput) => FrameHandler {
  const now = deps.now ?? Date.now;
  const { access } = deps.chat;

  /** The user's id; the gateway lets only `auth`, `ping` and `registration.watch` through before authentication. */
  const userOf = (conn: WsConnection): string => {
    if (conn.userId === undefined) throw new AppError('UNAUTHENTICATED');
    return conn.userId;
  };

  async function typing(out: WsOutput, conn: WsConnection, conversationId: string, state: 'start' | 'stop', requestId: string | undefined): Promise<void> {
    const userId = userOf(conn);
    const key = `${state}:${conversationId}`;
    const t = now();
    // Clients repeat `typing.start` while the user types: relay it at most once per window.
    if (conn.typingKey === key && t - conn.typingAt < deps.typingThrottleMs) return out.ack(conn, requestId, {});
    // Members only (CONVERSATION_NOT_FOUND otherwise), from the same cached answer a send uses.
    const { members } = await access(userId, conversationId);
    const event: TypingEvent = { type: 'typing', conversationId, userId, state, expiresInMs: deps.typingTtlMs };
    await deps.bus.publish(
      members.filter((m) => m !== userId),
      event,
    );
    conn.typingKey = key;
    conn.typingAt = t;
    out.ack(conn, requestId, {});
  }

  return (out) =>
    async (conn: WsConnection, frame: WsClientFrame): Promise<void> => {
      const { requestId } = frame;
      switch (frame.type) {
        case 'auth':
          return out.authenticate(conn, frame.accessToken, requestId);
        case 'ping':
          out.send(conn, requestId === undefined ? { type: 'pong' } : { type: 'pong', requestId });
          return;
        case 'message.send': {
          const result = await deps.chat.messages.send(userOf(conn), frame.conversationId, { body: frame.body, clientMessageId: frame.clientMessageId });
          return out.ack(conn, requestId, result);
        }
        case 'message.read':
          return out.ack(conn, requestId, await deps.chat.messages.markRead(userOf(conn), frame.conversationId, frame.upTo));
        case 'typing.start':
        case 'typing.stop':
          return typing(out, conn, frame.conversationId, frame.type === 'typing.start' ? 'start' : 'stop', requestId);
        case 'presence.subscribe':
          userOf(conn);
          return deps.subscribePresence(out, conn, frame.userIds, requestId);
        case 'resume':
          userOf(conn);
          return deps.resume(out, conn, frame.cursors, requestId);
        case 'registration.watch':
          return out.ack(conn, requestId, { registration: await deps.watchRegistration(out, conn, frame.registrationId) });
      }
    };
}
