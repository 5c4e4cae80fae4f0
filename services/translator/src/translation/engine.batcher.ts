import { EngineRefusedError, type TranslationEngine } from '../engine/index.js';
import { createSemaphore } from './semaphore.js';

export interface EngineBatcherOptions {
  engine: TranslationEngine;
  /** Engine calls in flight at once. */
  concurrency: number;
  /** How long the first text of a pair waits for others to share its call (engines with batches only). */
  windowMs?: number;
}

export interface EngineBatcher {
  /** The translation of one text by one engine call (shared with other texts of the pair where the engine batches). */
  translate(text: string, from: string, to: string): Promise<string>;
}

interface Waiting {
  resolve(text: string): void;
  reject(err: unknown): void;
}

interface Group {
  from: string;
  to: string;
  texts: Map<string, Waiting>;
  timer?: NodeJS.Timeout;
}

const DEFAULT_WINDOW_MS = 5;

/**
 * Between the requests and the engine: the same text of the same pair asked twice at once is
 * translated once; texts of one pair arriving within `windowMs` go in one call where the engine
 * takes batches; and no more than `concurrency` calls are in flight.
 */
export function createEngineBatcher(options: EngineBatcherOptions): EngineBatcher {
  const { engine } = options;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const withPermit = createSemaphore(options.concurrency);
  const pending = new Map<string, Group>();
  const inFlight = new Map<string, Promise<string>>();

  const call = (texts: string[], from: string, to: string): Promise<string[]> => withPermit(() => engine.translate(texts, from, to));

  async function flush(key: string, group: Group): Promise<void> {
    if (pending.get(key) === group) pending.delete(key);
    clearTimeout(group.timer);
    const entries = [...group.texts];
    try {
      const translated = await call(entries.map(([text]) => text), group.from, group.to);
      entries.forEach(([, waiting], i) => waiting.resolve(translated[i] as string));
    } catch (err) {
      if (!(err instanceof EngineRefusedError) || entries.length === 1) {
        for (const [, waiting] of entries) waiting.reject(err);
        return;
      }
      // A refusal answers the whole batch: ask text by text to learn which one the engine refuses.
      await Promise.all(
        entries.map(async ([text, waiting]) => {
          try {
            const [translated] = await call([text], group.from, group.to);
            waiting.resolve(translated as string);
          } catch (single) {
            waiting.reject(single);
          }
        }),
      );
    }
  }

  function enqueue(text: string, from: string, to: string): Promise<string> {
    const key = `${from}|${to}`;
    let group = pending.get(key);
    if (!group) {
      group = { from, to, texts: new Map() };
      pending.set(key, group);
    }
    const current = group;
    const result = new Promise<string>((resolve, reject) => current.texts.set(text, { resolve, reject }));
    if (current.texts.size >= engine.maxBatch) void flush(key, current);
    else current.timer ??= setTimeout(() => void flush(key, current), windowMs);
    return result;
  }

  return {
    translate(text, from, to) {
      const key = `${from}|${to}|${text}`;
      let result = inFlight.get(key);
      if (!result) {
        result = enqueue(text, from, to).finally(() => inFlight.delete(key));
        inFlight.set(key, result);
      }
      return result;
    },
  };
}
