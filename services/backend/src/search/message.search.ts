import type { Collection, Db, Filter, ObjectId } from 'mongodb';
import type { DatabaseCapabilities } from '../database/database.capabilities.js';
import type { MessageDocument } from '../chat/message.repository.js';
import { wordPattern } from './search.words.js';

/** What one search asks: folded words (all must occur), where, below which id, how many. */
export interface SearchRequest {
  words: readonly string[];
  conversationIds: readonly ObjectId[];
  beforeId: ObjectId | undefined;
  limit: number;
}

export interface SearchResult {
  /** Up to `limit + 1` matches, newest first (one more than asked tells that there are more). */
  matches: MessageDocument[];
  /**
   * Set when the search stopped at its bound before looking at every older message: the oldest
   * message it looked at (continue strictly below it). Never set by the text index.
   */
  scannedDownTo: ObjectId | null;
}

export interface MessageSearch {
  readonly strategy: 'text-index' | 'bounded-scan';
  /** Creates the index the strategy needs (the text index; nothing for the scan). */
  ensureIndexes(): Promise<void>;
  find(request: SearchRequest): Promise<SearchResult>;
}

export const TEXT_INDEX_NAME = 'messages_body_text';
/** `$in` lists stay this short, so a user in many conversations costs several queries, not one huge one. */
export const CONVERSATION_BATCH = 500;

export function batches<T>(items: readonly T[], size = CONVERSATION_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const inConversations = (ids: readonly ObjectId[], beforeId: ObjectId | undefined): Filter<MessageDocument> => ({
  conversationId: { $in: [...ids] },
  ...(beforeId ? { _id: { $lt: beforeId } } : {}),
});

/**
 * MongoDB: one `$text` query. Each word is a quoted phrase, so all of them must occur (unquoted
 * words would be ORed); the index itself ignores case and accents (text index version 3).
 */
export function textSearchFilter(words: readonly string[], ids: readonly ObjectId[], beforeId: ObjectId | undefined): Filter<MessageDocument> {
  const phrases = words.map((w) => w.replace(/["\\]/g, ' ').trim()).filter((w) => w.length > 0);
  return {
    ...inConversations(ids, beforeId),
    deletedAt: null,
    $text: { $search: phrases.map((p) => `"${p}"`).join(' '), $caseSensitive: false, $diacriticSensitive: false },
  };
}

/** The fallback's match: every word's pattern on the body, inside the scanned window `[oldest, before)`. */
export function scanMatchFilter(
  words: readonly string[],
  ids: readonly ObjectId[],
  beforeId: ObjectId | undefined,
  oldest: ObjectId | undefined,
): Filter<MessageDocument> {
  const base = inConversations(ids, beforeId);
  const range = oldest ? { _id: { ...(beforeId ? { $lt: beforeId } : {}), $gte: oldest } } : {};
  return {
    ...base,
    ...range,
    deletedAt: null,
    $and: words.map((w) => ({ body: { $regex: wordPattern(w), $options: 'i' } })),
  };
}

const newestFirst = (a: MessageDocument, b: MessageDocument): number => (a._id.toHexString() < b._id.toHexString() ? 1 : -1);
const newestIdFirst = (a: ObjectId, b: ObjectId): number => (a.toHexString() < b.toHexString() ? 1 : -1);

function textIndexSearch(messages: Collection<MessageDocument>, batchSize: number): MessageSearch {
  return {
    strategy: 'text-index',
    async ensureIndexes() {
      await messages.createIndex({ body: 'text' }, { name: TEXT_INDEX_NAME, default_language: 'none' });
    },
    async find({ words, conversationIds, beforeId, limit }) {
      const pages = await Promise.all(
        batches(conversationIds, batchSize).map((ids) => messages.find(textSearchFilter(words, ids, beforeId)).sort({ _id: -1 }).limit(limit + 1).toArray()),
      );
      return { matches: pages.flat().sort(newestFirst).slice(0, limit + 1), scannedDownTo: null };
    },
  };
}

/**
 * FerretDB (no `$text`): looks at the newest `scanLimit` messages below the cursor and nothing
 * else. First their ids (the window; one id more tells whether older ones exist), then the
 * matches inside it. The window is never larger, however rare the words.
 */
function boundedScanSearch(messages: Collection<MessageDocument>, scanLimit: number, batchSize: number): MessageSearch {
  return {
    strategy: 'bounded-scan',
    async ensureIndexes() {
      // The {conversationId, _id} index of chat is all the scan uses.
    },
    async find({ words, conversationIds, beforeId, limit }) {
      const groups = batches(conversationIds, batchSize);
      const windowIds = (
        await Promise.all(
          groups.map((ids) =>
            messages
              .find(inConversations(ids, beforeId), { projection: { _id: 1 } })
              .sort({ _id: -1 })
              .limit(scanLimit + 1)
              .toArray(),
          ),
        )
      )
        .flat()
        .map((d) => d._id)
        .sort(newestIdFirst)
        .slice(0, scanLimit + 1);
      if (windowIds.length === 0) return { matches: [], scannedDownTo: null };
      const bounded = windowIds.length > scanLimit;
      const oldest = bounded ? windowIds[scanLimit - 1] : undefined;
      const pages = await Promise.all(
        groups.map((ids) => messages.find(scanMatchFilter(words, ids, beforeId, oldest)).sort({ _id: -1 }).limit(limit + 1).toArray()),
      );
      const matches = pages.flat().sort(newestFirst).slice(0, limit + 1);
      // A full page ends above the window's edge: the next page starts a new window there.
      return { matches, scannedDownTo: bounded && matches.length <= limit ? (oldest ?? null) : null };
    },
  };
}

export interface MessageSearchDeps {
  capabilities: Pick<DatabaseCapabilities, 'textSearch'>;
  db: Db;
  /** The fallback's bound (SEARCH_SCAN_LIMIT). */
  scanLimit: number;
  collectionName?: string;
  /** Conversations per `$in` (CONVERSATION_BATCH; tests make it small to cross batches). */
  batchSize?: number;
}

/** The one place the strategy is chosen, by what the server can (database.capabilities.ts). */
export function createMessageSearch({ capabilities, db, scanLimit, collectionName = 'messages', batchSize = CONVERSATION_BATCH }: MessageSearchDeps): MessageSearch {
  const messages = db.collection<MessageDocument>(collectionName);
  return capabilities.textSearch ? textIndexSearch(messages, batchSize) : boundedScanSearch(messages, scanLimit, batchSize);
}
