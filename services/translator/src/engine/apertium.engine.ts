import { EngineRefusedError, EngineUnavailableError, engineFetch, engineUrl, jsonBody, type Pair, type TranslationEngine } from './engine.js';
import { fromApertiumCode, toApertiumCode } from './language.codes.js';
import { withoutGenerationMarks } from './apertium.marks.js';

export interface ApertiumOptions {
  url: string;
  timeoutMs: number;
}

interface ApyPairs {
  responseData?: { sourceLanguage?: unknown; targetLanguage?: unknown }[];
}
interface ApyTranslation {
  responseData?: { translatedText?: unknown };
}

/**
 * Apertium APy: `GET /listPairs`, `POST /translate` (a form: a long text does not fit a URL). APy
 * has no batch call, so one text per call; its 400s ("That pair is not installed") are refusals.
 */
export function createApertiumEngine(options: ApertiumOptions): TranslationEngine {
  const { url, timeoutMs } = options;
  return {
    provider: 'apertium',
    maxBatch: 1,

    async pairs() {
      const endpoint = engineUrl(url, 'listPairs');
      const response = await engineFetch(endpoint, { method: 'GET' }, timeoutMs);
      const body = (await jsonBody(response, endpoint)) as ApyPairs;
      if (!response.ok || !Array.isArray(body.responseData)) throw new EngineUnavailableError(`${endpoint.pathname}: HTTP ${response.status} without pairs`);
      const pairs: Pair[] = [];
      for (const entry of body.responseData) {
        if (typeof entry.sourceLanguage !== 'string' || typeof entry.targetLanguage !== 'string') continue;
        const from = fromApertiumCode(entry.sourceLanguage);
        const to = fromApertiumCode(entry.targetLanguage);
        if (from !== undefined && to !== undefined && from !== to) pairs.push({ from, to });
      }
      return pairs;
    },

    async translate(texts, from, to) {
      const endpoint = engineUrl(url, 'translate');
      const results: string[] = [];
      for (const text of texts) {
        const form = new URLSearchParams({ langpair: `${toApertiumCode(from)}|${toApertiumCode(to)}`, q: text, markUnknown: 'no' });
        const response = await engineFetch(endpoint, { method: 'POST', body: form }, timeoutMs);
        if (response.status === 413) throw new EngineRefusedError(`${endpoint.pathname}: HTTP 413`, 'too-long');
        const body = (await jsonBody(response, endpoint)) as ApyTranslation;
        if (response.status >= 400) throw new EngineRefusedError(`${endpoint.pathname}: HTTP ${response.status}`, 'engine-refused');
        const translated = body.responseData?.translatedText;
        if (typeof translated !== 'string') throw new EngineUnavailableError(`${endpoint.pathname}: an answer without translatedText`);
        results.push(withoutGenerationMarks(text, translated));
      }
      return results;
    },
  };
}
