import { ObjectId } from 'mongodb';
import { TranslationReply, type MessageTranslatedEvent, type TranslationResult } from '@ashchat/contracts';
import { createTypedConsumer, describeError, type Logger, type TypedConsumer } from '@ashchat/messaging';
import type { ConversationRepository } from '../chat/conversation.repository.js';
import type { MessageDocument, MessageRepository, StoredTranslation } from '../chat/message.repository.js';
import { textVersionOf } from '../chat/message.translation.js';
import type { AmqpConnection } from '../plugins/amqp.plugin.js';
import { isStoreUnavailable } from '../sagas/saga-reply.consumer.js';
import type { UserRepository } from '../users/user.repository.js';
import { readersByLanguage } from './translation.readers.js';

/** Replies this instance handled, by outcome: `applied` stored something; `unchanged` was a repeat, or for an edited, deleted or missing message. */
export interface TranslationReplyStats {
  applied: number;
  unchanged: number;
}

export interface TranslationReplyConsumerDeps {
  /** The namespaced TRANSLATION_REPLY_QUEUE (durable, shared by every instance). */
  queue: string;
  messages: Pick<MessageRepository, 'byId' | 'setTranslations'>;
  conversations: Pick<ConversationRepository, 'membersOf'>;
  users: Pick<UserRepository, 'translationProfilesOf'>;
  /** Tells users (every device, every instance); never throws. */
  events: { publish(userIds: readonly string[], event: MessageTranslatedEvent): Promise<void> };
  logger: Logger;
  /** Counted after each reply is handled. */
  stats?: TranslationReplyStats;
  /** Pause before handing a reply back while the store is unavailable (the delivery limit bounds the retries). */
  requeueDelayMs?: number;
}

export const storedTranslationOf = (r: TranslationResult, version: number): StoredTranslation =>
  r.status === 'translated'
    ? { status: 'translated', text: r.text, via: r.via, reason: null, version }
    : { status: 'untranslated', text: null, via: [], reason: r.reason, version };

/** The results the message does not have yet: a repeated reply (already final for this version) brings none. */
export function newResults(message: Pick<MessageDocument, 'translations'>, reply: Pick<TranslationReply, 'results' | 'version'>): TranslationResult[] {
  const seen = new Set<string>();
  return reply.results.filter((r) => {
    if (seen.has(r.target)) return false;
    seen.add(r.target);
    const stored = message.translations?.[r.target];
    return !(stored && stored.version === reply.version && stored.status !== 'pending');
  });
}

/**
 * Applies the translator's replies: the results a message still at that text version lacks are
 * stored in ONE update (FerretDB rewrites the whole document per update: one per language would lose
 * writes), then `message.translated` goes to the members who read that language. A reply for an
 * edited, deleted or missing message, or a repeat, changes nothing and sends nothing. Malformed
 * replies are dead-lettered with the reason by the typed consumer; an unavailable store hands the
 * reply back after a pause.
 */
export function createTranslationReplyConsumer(conn: AmqpConnection, d: TranslationReplyConsumerDeps): TypedConsumer {
  const requeueDelayMs = d.requeueDelayMs ?? 1_000;
  // Copies of one reply handled at once on this instance would both find the translation missing:
  // they take turns, so the second finds it stored and sends nothing.
  const inFlight = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(requestId: string, fn: () => Promise<T>): Promise<T> {
    const run = (inFlight.get(requestId) ?? Promise.resolve()).catch(() => undefined).then(fn);
    inFlight.set(requestId, run);
    void run.catch(() => undefined).finally(() => inFlight.get(requestId) === run && inFlight.delete(requestId));
    return run;
  }

  async function apply(reply: TranslationReply): Promise<'applied' | 'unchanged'> {
    const message = await d.messages.byId(new ObjectId(reply.messageId));
    if (!message || message.deletedAt || textVersionOf(message) !== reply.version) return 'unchanged';
    const results = newResults(message, reply);
    if (results.length === 0) return 'unchanged';
    const entries = Object.fromEntries(results.map((r) => [r.target, storedTranslationOf(r, reply.version)]));
    if (!(await d.messages.setTranslations(message._id, reply.version, entries))) return 'unchanged';
    const members = (await d.conversations.membersOf([message.conversationId])).get(message.conversationId.toHexString()) ?? [];
    const readers = await readersByLanguage(d.users, members, { senderId: message.senderId, source: reply.source });
    const conversationId = message.conversationId.toHexString();
    for (const [language, stored] of Object.entries(entries)) {
      const userIds = readers.get(language);
      if (!userIds?.length) continue;
      await d.events.publish(userIds, {
        type: 'message.translated',
        conversationId,
        messageId: reply.messageId,
        translation: { language, status: stored.status === 'translated' ? 'translated' : 'untranslated', text: stored.text ?? null, via: stored.via ?? [], reason: stored.reason ?? null },
      });
    }
    return 'applied';
  }

  return createTypedConsumer(conn, {
    queue: d.queue,
    schema: TranslationReply,
    logger: d.logger,
    handler: async (reply) => {
      try {
        const outcome = await oneAtATime(reply.requestId, () => apply(reply));
        if (d.stats) d.stats[outcome] += 1;
        return 'ack';
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
        d.logger.warn({ messageId: reply.messageId, err: describeError(err) }, 'message store unavailable; translation reply handed back to the broker');
        await new Promise((resolve) => setTimeout(resolve, requeueDelayMs));
        return 'requeue';
      }
    },
  });
}
