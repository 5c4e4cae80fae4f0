import { TranslationRequest, TRANSLATION_TEXT_MAX } from '@ashchat/contracts';
import { createTypedPublisher, describeError, type Logger } from '@ashchat/messaging';
import type { AmqpConnection } from '../plugins/amqp.plugin.js';
import type { ChatTranslationPort } from '../chat/translation.ports.js';
import type { MessageDocument, MessageRepository, StoredTranslation } from '../chat/message.repository.js';
import { hasLetters } from '../chat/message.language.js';
import { textVersionOf } from '../chat/message.translation.js';
import type { UserRepository } from '../users/user.repository.js';
import { readersByLanguage } from './translation.readers.js';

/** Languages one request may name (TranslationRequest.targets). */
const MAX_TARGETS = 20;
/** How long one request may wait for the broker; the send itself never waits for it. */
const PUBLISH_TIMEOUT_MS = 10_000;

export interface TranslationRequesterDeps {
  /** The namespaced TRANSLATION_QUEUE. */
  queue: string;
  /** The namespaced TRANSLATION_REPLY_QUEUE (the request's replyTo). */
  replyTo: string;
  messages: Pick<MessageRepository, 'setTranslations'>;
  users: Pick<UserRepository, 'translationProfilesOf'>;
  logger: Logger;
}

/** `<messageId>:<version>`: the request's id, correlationId and AMQP messageId (a re-publish keeps it). */
export const requestIdOf = (messageId: string, version: number): string => `${messageId}:${version}`;

/** The languages still to ask for: those without a final translation of this text version. */
export function targetsToRequest(message: Pick<MessageDocument, 'translations' | 'textVersion'>, wanted: Iterable<string>): string[] {
  const version = textVersionOf(message);
  return [...wanted].filter((language) => {
    const stored = message.translations?.[language];
    return !(stored && stored.version === version && stored.status !== 'pending');
  });
}

/**
 * Asks the translator for one message's translations: ONE request per text version, holding every
 * language its readers need. Fire and forget (the send is delivered either way; a lost request
 * costs a translation, logged without the text); `pending` lets shutdown wait for those on their way.
 */
export function createTranslationRequester(conn: AmqpConnection, d: TranslationRequesterDeps) {
  const publisher = createTypedPublisher(conn, { logger: d.logger, queues: [d.queue], sendTimeoutMs: PUBLISH_TIMEOUT_MS });
  const pending = new Set<Promise<void>>();

  async function request(message: MessageDocument, members: readonly string[], senderId: string): Promise<void> {
    const source = message.language;
    const text = message.body;
    if (!source || message.deletedAt || text === null || !hasLetters(text) || text.length > TRANSLATION_TEXT_MAX) return;
    const readers = await readersByLanguage(d.users, members, { senderId, source });
    // The contract's bound on one request; a conversation reading more languages than that is not expected.
    const targets = targetsToRequest(message, readers.keys()).slice(0, MAX_TARGETS);
    if (targets.length === 0) return;
    const version = textVersionOf(message);
    // Stored first, so history says `pending` until the reply; languages already pending stay as they are.
    const fresh = targets.filter((language) => message.translations?.[language]?.version !== version);
    const entries = Object.fromEntries(fresh.map((language): [string, StoredTranslation] => [language, { status: 'pending', version }]));
    if (!(await d.messages.setTranslations(message._id, version, entries))) return;
    const messageId = message._id.toHexString();
    const requestId = requestIdOf(messageId, version);
    const body: TranslationRequest = { requestId, messageId, version, source, targets, text };
    await publisher.send(d.queue, TranslationRequest, body, { messageId: requestId, correlationId: requestId, replyTo: d.replyTo });
  }

  const port: ChatTranslationPort = {
    async requested({ message, members, senderId }) {
      const sent = request(message, members, senderId)
        .catch((err: unknown) =>
          d.logger.warn({ messageId: message._id.toHexString(), err: describeError(err) }, 'translation not requested; the message stays untranslated'),
        )
        .finally(() => pending.delete(sent));
      pending.add(sent);
    },
  };
  return {
    port,
    /** Resolves once the requests on their way now are published (or failed): tests wait on it. */
    async settled(): Promise<void> {
      await Promise.allSettled([...pending]);
    },
    async close(): Promise<void> {
      await Promise.allSettled([...pending]);
      await publisher.close();
    },
  };
}
