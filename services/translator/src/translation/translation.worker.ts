import { TranslationReply, TranslationRequest, TranslationResult } from '@ashchat/contracts';
import { createTypedConsumer, createTypedPublisher, describeError, UnroutableError, validationReason, type Logger, type TypedConsumer } from '@ashchat/messaging';
import type { Connection } from 'rabbitmq-client';
import { isTemporaryFailure, type RequestTranslator } from './request.translator.js';

export interface TranslationWorkerDeps {
  amqp: Connection;
  logger: Logger;
  /** The physical TRANSLATION_QUEUE (namespaced by the service). */
  queue: string;
  prefetch: number;
  translate: RequestTranslator;
  /** Pauses between tries while the engine or Redis is down (default 250 ms doubling to 5 s). */
  retry?: { firstMs: number; maxMs: number };
  /** After this long waiting, the request goes back to the queue (default 10 min, under the broker's 30 min consumer timeout). */
  maxHoldMs?: number;
}

/**
 * Consumes translation requests and answers each on its replyTo with its correlationId: reply
 * first (confirmed), then ack. A malformed request is dead-lettered with the reason. While the
 * engine is unreachable a request is held and tried again after a growing pause — not requeued at
 * once, which would spin and spend the queue's delivery limit — so it is answered once it is back.
 */
export function startTranslationWorker(deps: TranslationWorkerDeps): TypedConsumer {
  const { logger, queue } = deps;
  const retry = deps.retry ?? { firstMs: 250, maxMs: 5_000 };
  const maxHoldMs = deps.maxHoldMs ?? 10 * 60_000;
  const replies = createTypedPublisher(deps.amqp, { logger });
  const closing = new AbortController();
  let waitingSince: number | undefined;

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resolve();
      }
      closing.signal.addEventListener('abort', done);
    });

  /** The results, or null when the request should go back to the queue (closing, or held too long). */
  async function translateWaiting(request: TranslationRequest, ctx: object): Promise<TranslationResult[] | null> {
    const started = Date.now();
    for (let delay = retry.firstMs; ; delay = Math.min(delay * 2, retry.maxMs)) {
      try {
        const results = await deps.translate(request);
        if (waitingSince !== undefined) {
          logger.info({ queue, waitedMs: Date.now() - waitingSince }, 'translation engine answers again');
          waitingSince = undefined;
        }
        return results;
      } catch (err) {
        if (!isTemporaryFailure(err)) throw err;
        // One line per outage, not per request and try.
        if (waitingSince === undefined) {
          waitingSince = Date.now();
          logger.warn({ queue, err: describeError(err) }, 'translation engine or cache unavailable; requests wait');
        }
        if (closing.signal.aborted || Date.now() - started > maxHoldMs) return null;
        await pause(delay);
        if (closing.signal.aborted) return null;
        logger.debug({ ...ctx }, 'trying the translation again');
      }
    }
  }

  /** A translation the contract refuses (a control character, too long) is no translation. */
  const checked = (result: TranslationResult): TranslationResult =>
    validationReason(TranslationResult, result) === undefined ? result : { target: result.target, status: 'untranslated', reason: 'engine-refused' };

  const consumer = createTypedConsumer(deps.amqp, {
    queue,
    schema: TranslationRequest,
    logger,
    prefetch: deps.prefetch,
    async handler(request, msg) {
      const { replyTo, correlationId } = msg;
      // Thrown errors are dead-lettered with their message as the reason.
      if (!replyTo || !correlationId) throw new Error(`request without ${[!replyTo && 'replyTo', !correlationId && 'correlationId'].filter(Boolean).join(' and ')}`);
      // Ids, languages and sizes only: the text is the user's.
      const ctx = { queue, requestId: request.requestId, source: request.source, targets: request.targets, chars: request.text.length };
      const started = Date.now();
      const results = await translateWaiting(request, ctx);
      if (results === null) return 'requeue';
      const reply: TranslationReply = {
        requestId: request.requestId,
        messageId: request.messageId,
        version: request.version,
        source: request.source,
        results: results.map(checked),
      };
      try {
        await replies.send(replyTo, TranslationReply, reply, { correlationId });
      } catch (err) {
        // Nobody consumes that queue: retrying would not help, the dead letter says why.
        if (err instanceof UnroutableError) throw new Error(`reply queue "${replyTo}" does not exist; the reply was not delivered`);
        logger.error({ ...ctx, err: describeError(err) }, 'publishing the reply failed; requeueing the request');
        return 'requeue';
      }
      const outcomes = reply.results.map((r) => (r.status === 'translated' ? `${r.target}:ok` : `${r.target}:${r.reason}`));
      logger.info({ ...ctx, outcomes, durationMs: Date.now() - started }, 'translation answered');
      return 'ack';
    },
  });

  let closed: Promise<void> | undefined;
  return {
    ready: consumer.ready,
    close() {
      closed ??= (async () => {
        // Waiting requests go back to the queue at once instead of holding the shutdown.
        closing.abort();
        await consumer.close();
        await replies.close();
      })();
      return closed;
    },
  };
}
