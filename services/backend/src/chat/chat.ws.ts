import type { TypingEvent } from '@ashchat/contracts';
import type { UserEvent, UserEventBus } from '../user-events/user-events.bus.js';
import { createPresenceSubscribe } from '../realtime/presence.ws.js';
import type { WsConnection } from '../realtime/ws.connection.js';
import { userOf, type FrameHandler, type WsFrames } from '../realtime/ws.frames.js';
import type { WsPresence } from '../realtime/ws.types.js';
import type { AccessReader } from './conversation.access.js';
import type { ConversationRepository } from './conversation.repository.js';
import type { MessageService } from './message.service.js';
import type { ResumeReader } from './resume.reader.js';
import type { ChatBlockReader } from './relations.ports.js';

export interface ChatFramesDeps {
  messages: Pick<MessageService, 'send' | 'markRead'>;
  access: AccessReader;
  bus: Pick<UserEventBus, 'publish' | 'watch'>;
  /** Replays what a reconnecting client missed (resume.reader.ts). */
  resumeReader: ResumeReader;
  /** Who may follow whose presence: users sharing a conversation. */
  conversations: Pick<ConversationRepository, 'sharingAConversation'>;
  /** Blocks (relations/): no typing and no presence between the two users of a block. */
  blocks?: Pick<ChatBlockReader, 'blockedWith'>;
  /** Presence is optional: served only when its plugin is registered. */
  presence: () => WsPresence | undefined;
  log: { warn(obj: object, msg: string): void };
  typingThrottleMs: number;
  typingTtlMs: number;
  resumeMaxMessages: number;
  now?: () => number;
}

/**
 * Chat's frames on the gateway (`app.wsFrames`), with the same services (and so the same rules
 * and error codes) as REST: message.send, message.read, typing.start/stop, resume, and
 * presence.subscribe, whose rule (only users sharing a conversation) is chat's. All of them need
 * an authenticated connection.
 */
export function registerChatFrames(frames: WsFrames, deps: ChatFramesDeps): void {
  frames.handle('message.send', async (out, conn, frame) => {
    const { body, clientMessageId, replyTo, attachmentIds } = frame;
    const result = await deps.messages.send(userOf(conn), frame.conversationId, {
      body,
      clientMessageId,
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(attachmentIds === undefined ? {} : { attachmentIds }),
    });
    out.ack(conn, frame.requestId, result);
  });
  frames.handle('message.read', async (out, conn, frame) => {
    out.ack(conn, frame.requestId, await deps.messages.markRead(userOf(conn), frame.conversationId, frame.upTo));
  });
  const typing = createTyping(deps);
  frames.handle('typing.start', typing);
  frames.handle('typing.stop', typing);
  frames.handle('resume', createResume(deps.resumeReader, deps.resumeMaxMessages));
  frames.handle(
    'presence.subscribe',
    createPresenceSubscribe({
      presence: deps.presence,
      bus: deps.bus,
      sharing: (userId, userIds) => sharingUnblocked(deps, userId, userIds),
      log: deps.log,
    }),
  );
}

/** Who of `userIds` the user may follow: sharing a conversation, and no block either way (then they are `unavailable`, like strangers). */
async function sharingUnblocked(deps: ChatFramesDeps, userId: string, userIds: readonly string[]): Promise<Set<string>> {
  const [sharing, blocked] = await Promise.all([deps.conversations.sharingAConversation(userId, userIds), deps.blocks?.blockedWith(userId)]);
  for (const id of blocked ?? []) sharing.delete(id);
  return sharing;
}

/** The last typing frame relayed per connection (`<state>:<conversationId>`) and when, for the throttle. */
interface TypingRelay {
  key: string;
  at: number;
}

function createTyping(deps: ChatFramesDeps): FrameHandler<'typing.start' | 'typing.stop'> {
  const now = deps.now ?? Date.now;
  // Kept beside the connection, not in it: gone with the connection, nothing for the gateway to know.
  const relayed = new WeakMap<WsConnection, TypingRelay>();
  return async (out, conn, frame) => {
    const userId = userOf(conn);
    const { conversationId, requestId } = frame;
    const state = frame.type === 'typing.start' ? 'start' : 'stop';
    const key = `${state}:${conversationId}`;
    const t = now();
    const last = relayed.get(conn);
    // Clients repeat `typing.start` while the user types: relay it at most once per window.
    if (last?.key === key && t - last.at < deps.typingThrottleMs) return out.ack(conn, requestId, {});
    // Members only (CONVERSATION_NOT_FOUND otherwise), from the same cached answer a send uses.
    const { members } = await deps.access(userId, conversationId);
    const event: TypingEvent = { type: 'typing', conversationId, userId, state, expiresInMs: deps.typingTtlMs };
    // Not to users of a block with the typer, in any conversation (typing tells that someone is there).
    const blocked = deps.blocks ? await deps.blocks.blockedWith(userId) : undefined;
    await deps.bus.publish(
      members.filter((m) => m !== userId && !blocked?.has(m)),
      event,
    );
    relayed.set(conn, { key, at: t });
    out.ack(conn, requestId, {});
  };
}

/** Below every ObjectId: a cursor of null (nothing seen yet) covers the conversation from its start. */
const ZERO_ID = '000000000000000000000000';

/**
 * `resume`. The connection is subscribed to the user's events since it was authenticated, and
 * live events are held (the gateway's hold) from before the read until the missed messages are
 * sent; held `message.new` the replay covered (or that are not after the cursor) are then dropped.
 * So each message after the cursors reaches the client once, in order per conversation, and the
 * ack marks where the replay ends. Ids are 24 lower-case hex digits: string order is id order.
 */
function createResume(reader: ResumeReader, maxMessages: number): FrameHandler<'resume'> {
  return async (out, conn, { cursors, requestId }) => {
    const userId = userOf(conn);
    // Hold until the replay is out (keeping what the post-authentication hold collected).
    conn.held ??= [];
    conn.holdUntil = 0;
    const floor = new Map<string, string>();
    const seqFloor = new Map<string, number>();
    for (const c of cursors) {
      const cursor = c.lastMessageId ?? ZERO_ID;
      const known = floor.get(c.conversationId);
      if (known === undefined || cursor < known) floor.set(c.conversationId, cursor);
      if (c.lastSeq !== undefined) seqFloor.set(c.conversationId, Math.min(c.lastSeq, seqFloor.get(c.conversationId) ?? c.lastSeq));
    }
    const sent = new Set<string>();
    const skip = (event: UserEvent): boolean => {
      if (event.type !== 'message.new') return false;
      const { conversationId, message } = event as unknown as { conversationId: string; message: { id: string; seq?: number } };
      if (sent.has(message.id)) return true;
      // A cursor by position covers what is at or below it (as the replay read it); else by id.
      const seqCursor = seqFloor.get(conversationId);
      if (seqCursor !== undefined) return (message.seq ?? 0) <= seqCursor;
      const cursor = floor.get(conversationId);
      return cursor !== undefined && message.id <= cursor;
    };
    try {
      const { messages, incomplete, skipped } = await reader.missed(userId, cursors, maxMessages, maxMessages);
      for (const message of messages) {
        if (conn.closed) return;
        await out.sendPaced(conn, { type: 'message.new', conversationId: message.conversationId, message });
        sent.add(message.id);
      }
      out.ack(conn, requestId, { replayed: sent.size, incomplete, skipped });
    } finally {
      out.flushHeld(conn, skip);
    }
  };
}
