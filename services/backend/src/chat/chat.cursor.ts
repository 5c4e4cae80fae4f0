import { ObjectId } from 'mongodb';
import { AppError } from '../errors/app-error.js';
import type { ActivityCursor } from './conversation.repository.js';

/**
 * Cursors are opaque to clients (base64url JSON) so their content can change without breaking them.
 * Messages page by `_id` alone: ids are unique and ordered, so a page boundary never skips or
 * repeats a message, whatever is inserted meanwhile. Conversations page by (lastActivityAt, id).
 */
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(cursor: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the refusal.
  }
  throw new AppError('INVALID_CURSOR');
}

const isObjectIdHex = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{24}$/.test(value);

export const encodeMessageCursor = (id: ObjectId): string => encode({ m: id.toHexString() });

export function decodeMessageCursor(cursor: string): ObjectId {
  const { m } = decode(cursor);
  if (!isObjectIdHex(m)) throw new AppError('INVALID_CURSOR');
  return new ObjectId(m);
}

export const encodeActivityCursor = (c: ActivityCursor): string => encode({ t: c.lastActivityAt.getTime(), c: c.conversationId.toHexString() });

export function decodeActivityCursor(cursor: string): ActivityCursor {
  const { t, c } = decode(cursor);
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0 || !isObjectIdHex(c)) throw new AppError('INVALID_CURSOR');
  return { lastActivityAt: new Date(t), conversationId: new ObjectId(c) };
}
