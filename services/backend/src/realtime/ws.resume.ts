import type { ResumeCursor } from '@ashchat/contracts';
import type { ResumeReader } from './resume.reader.js';
import type { WsConnection } from './ws.connection.js';
import type { WsOutput } from './ws.types.js';
import type { UserEvent } from './user-events.bus.js';

/** Below every ObjectId: a cursor of null (nothing seen yet) covers the conversation from its start. */
const ZERO_ID = '000000000000000000000000';

/**
 * The gateway's side of resume. The connection is subscribed to the user's events since it was
 * authenticated, and live events are held from before the read until the missed messages are
 * sent; held `message.new` the replay covered (or that are not after the cursor) are then dropped.
 * So each message after the cursors reaches the client once, in order per conversation, and the
 * ack marks where the replay ends. Ids are 24 lower-case hex digits: string order is id order.
 */
export function createResume(reader: ResumeReader, maxMessages: number) {
  return async function resume(out: WsOutput, conn: WsConnection, cursors: ResumeCursor[], requestId: string | undefined): Promise<void> {
    const userId = conn.userId;
    if (userId === undefined) return;
    // Hold until the replay is out (keeping what the post-authentication hold collected).
    conn.held ??= [];
    conn.holdUntil = 0;
    const floor = new Map<string, string>();
    for (const c of cursors) {
      const cursor = c.lastMessageId ?? ZERO_ID;
      const known = floor.get(c.conversationId);
      if (known === undefined || cursor < known) floor.set(c.conversationId, cursor);
    }
    const sent = new Set<string>();
    const skip = (event: UserEvent): boolean => {
      if (event.type !== 'message.new') return false;
      const { conversationId, message } = event as unknown as { conversationId: string; message: { id: string } };
      const cursor = floor.get(conversationId);
      return sent.has(message.id) || (cursor !== undefined && message.id <= cursor);
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
