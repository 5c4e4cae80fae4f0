// Load for `bench:translation` part (a): the backend's side of the translation queues (requests
// with replyTo, replies matched by correlationId), a closed loop keeping N requests in flight, the
// bare engine as baseline, and texts that never repeat unless asked to (the translator caches).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TRANSLATION_REPLY_QUEUE, TranslationRequest, deadLetterQueueName, namespacedQueue } from '@ashchat/contracts';
import { createAmqpConnection, createSilentLogger, createTypedPublisher, decodeJson, workQueue } from '@ashchat/messaging';
import { translatorQueues } from '@ashchat/translator';
import { summarise, type LatencySummary } from './bench.stats.js';

export interface LoadResult {
  /** Operations completed inside the measured window, per second. */
  perSecond: number;
  completed: number;
  errors: number;
  latencyMs: LatencySummary;
}

export interface LoadOptions {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

/**
 * Closed loop: `concurrency` workers each run `op` back to back; operations that finish inside the
 * window after the warm-up count (by their end: with seconds-long operations, counting by start
 * would leave out most of the window). `op(i)` gets a number unique across the run.
 */
export async function closedLoop(o: LoadOptions, op: (i: number) => Promise<void>): Promise<LoadResult> {
  const start = performance.now();
  const from = start + o.warmupMs;
  const until = from + o.durationMs;
  const samples: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: unknown;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        await op(next++);
      } catch (err) {
        errors += 1;
        firstError ??= err;
        continue;
      }
      const t1 = performance.now();
      if (t1 >= from && t1 <= until) samples.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  if (samples.length === 0 && firstError) throw firstError;
  return { perSecond: samples.length / (o.durationMs / 1000), completed: samples.length, errors, latencyMs: summarise(samples) };
}

const SUBJECTS = ['My sister', 'The new teacher', 'Our neighbour', 'The driver', 'A friend of mine', 'The old doctor', 'Your brother', 'The small child', 'Every student', 'The manager'];
const VERBS = ['bought', 'found', 'painted', 'sold', 'cleaned', 'carried', 'wanted', 'lost', 'opened', 'closed'];
const OBJECTS = ['a red car', 'the blue house', 'three books', 'a big table', 'the green door', 'two tickets', 'a warm coat', 'the kitchen window', 'some bread', 'a black bicycle'];
const PLACES = ['near the station', 'in the city', 'after the meeting', 'before dinner', 'at the market', 'on Monday', 'in the morning', 'with great care', 'yesterday evening', 'last summer'];

/** An English sentence of about ten words, different for every `i` (the number makes sure). */
export function benchSentence(i: number): string {
  const pick = (list: string[], n: number) => list[Math.floor(i / n) % list.length]!;
  return `${pick(SUBJECTS, 1)} ${pick(VERBS, 10)} ${pick(OBJECTS, 100)} ${pick(PLACES, 1000)} for ${i} people.`;
}

/** The baseline: one text to Apertium's POST /translate, as the translator's engine sends it, no queue, no cache. */
export async function bareApertium(url: string, text: string, langpair = 'eng|spa'): Promise<void> {
  const res = await fetch(`${url.replace(/\/+$/, '')}/translate`, { method: 'POST', body: new URLSearchParams({ langpair, q: text }) });
  const body = (await res.json()) as { responseStatus?: number; responseData?: { translatedText?: unknown } };
  if (!res.ok || typeof body.responseData?.translatedText !== 'string') throw new Error(`apertium answered HTTP ${res.status}`);
}

export interface Requester {
  /** Sends one request (eng → `targets`) and resolves with the reply's results once it is back. */
  translate(text: string, targets: string[]): Promise<{ status: string }[]>;
  close(): Promise<void>;
}

/** The backend's side of one namespace's translation queues, on its own connection. */
export async function startRequester(amqpUri: string, namespace: string, timeoutMs = 30_000): Promise<Requester> {
  const logger = createSilentLogger();
  const amqp = createAmqpConnection({ uri: amqpUri, name: `bench.translation.${namespace}`, logger });
  await amqp.onConnect(10_000);
  const queue = translatorQueues(namespace).translation;
  const replyQueue = namespacedQueue(namespace, TRANSLATION_REPLY_QUEUE);
  const publisher = createTypedPublisher(amqp, { logger, queues: [queue, replyQueue] });
  const pending = new Map<string, (results: { status: string }[]) => void>();
  const consumer = amqp.createConsumer({ queue: replyQueue, queueOptions: workQueue(replyQueue), qos: { prefetchCount: 256 } }, (msg) => {
    const decoded = decodeJson(msg);
    const body = (decoded.ok ? decoded.value : {}) as { results?: { status: string }[] };
    const done = msg.correlationId ? pending.get(msg.correlationId) : undefined;
    if (done) pending.delete(msg.correlationId!);
    done?.(body.results ?? []);
  });
  await new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
  return {
    async translate(text, targets) {
      const messageId = randomBytes(12).toString('hex');
      const request: TranslationRequest = { requestId: `${messageId}:0`, messageId, version: 0, source: 'en', targets, text };
      const reply = new Promise<{ status: string }[]>((resolve, reject) => {
        pending.set(request.requestId, resolve);
        setTimeout(() => {
          if (pending.delete(request.requestId)) reject(new Error(`no reply within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
      await publisher.send(queue, TranslationRequest, request, { replyTo: replyQueue, correlationId: request.requestId, messageId: request.requestId });
      return reply;
    },
    async close() {
      await consumer.close();
      await publisher.close();
      for (const q of [queue, replyQueue]) {
        await amqp.queueDelete({ queue: q }).catch(() => undefined);
        await amqp.queueDelete({ queue: deadLetterQueueName(q) }).catch(() => undefined);
      }
      await amqp.close();
    },
  };
}
