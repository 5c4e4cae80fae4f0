import { QUOTE_EXCERPT_GRAPHEMES, type Quote } from '@ashchat/contracts';
import type { ObjectId } from 'mongodb';
import type { MessageDocument, MessageRepository, StoredQuote } from './message.repository.js';

/*
 * Replies carry a quote of the message they answer, stored with the reply (so a page of history
 * needs no join for the text). Whether the original was deleted since is resolved when replies are
 * read: one `_id $in` query per page for the quoted ids (an `_id` lookup, which FerretDB serves from
 * its primary key), instead of rewriting every reply on delete — on FerretDB that update would scan
 * the conversation and, not being atomic, could be undone by a concurrent edit of the reply, or miss
 * a reply stored while the delete ran. Reading is always right, whatever the interleaving.
 */

/** Sender and deletion of quoted messages, by id (MessageRepository.quotedStates). */
export type QuotedStates = ReadonlyMap<string, { senderId: string; deleted: boolean }>;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The first `max` graphemes of `text` (never splits a character, an emoji sequence or an accent from its letter). */
export function excerptOf(text: string, max = QUOTE_EXCERPT_GRAPHEMES): string {
  let end = 0;
  let count = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (count === max) break;
    end = index + segment.length;
    count += 1;
  }
  return text.slice(0, end);
}

/** The quote a reply to `original` stores. */
export function quoteOf(original: MessageDocument): StoredQuote {
  const deleted = original.deletedAt !== null || original.body === null;
  return { id: original._id, senderId: original.senderId, excerpt: deleted ? null : excerptOf(original.body ?? ''), deleted };
}

/** The quote as members see it: deleted (no text) if the original is deleted now or gone. */
export function toQuote(stored: StoredQuote | null | undefined, quoted?: QuotedStates): Quote | null {
  if (!stored) return null;
  const id = stored.id.toHexString();
  const now = quoted?.get(id);
  // Not looked up (a fresh send): as stored. Looked up but missing: the original is gone.
  const deleted = stored.deleted || (quoted !== undefined && (now === undefined || now.deleted));
  return { id, senderId: now?.senderId ?? stored.senderId, excerpt: deleted ? null : stored.excerpt, deleted };
}

/** One read of the originals quoted by these messages (none when no message is a reply to a live one). */
export async function readQuotedStates(
  messages: Pick<MessageRepository, 'quotedStates'>,
  docs: readonly (MessageDocument | null | undefined)[],
): Promise<QuotedStates | undefined> {
  const ids = new Map<string, ObjectId>();
  for (const d of docs) if (d?.replyTo && !d.replyTo.deleted) ids.set(d.replyTo.id.toHexString(), d.replyTo.id);
  if (ids.size === 0) return undefined;
  return messages.quotedStates([...ids.values()]);
}
