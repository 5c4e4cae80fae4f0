import { EngineRefusedError, EngineUnavailableError, engineFetch, engineUrl, jsonBody, type Pair, type TranslationEngine } from './engine.js';

export interface LibreTranslateOptions {
  url: string;
  timeoutMs: number;
  /** Sent as `api_key` with every translation; never logged. */
  apiKey?: string | undefined;
  /** Texts per call (LibreTranslate translates an array of `q` in one request). */
  maxBatch?: number;
}

interface LibreLanguage {
  code?: unknown;
  targets?: unknown;
}

/** `zh-Hans` → `zh`; undefined for anything that is no ISO 639 code. */
function languageCode(code: unknown): string | undefined {
  if (typeof code !== 'string') return undefined;
  const primary = code.toLowerCase().split('-')[0] ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

// LibreTranslate words its limit as "… exceeds text limit (…)" or "… exceeds character limit …".
const LIMIT_ERROR = /limit|too long|exceed/i;

/**
 * A LibreTranslate-compatible server: `GET /languages` (each with its targets), `POST /translate`
 * with a JSON body whose `q` is an array, answered `{translatedText: string[]}`. A 4xx answers the
 * batch with `{error}`: an over-limit text is `too-long`, anything else `engine-refused`.
 */
export function createLibreTranslateEngine(options: LibreTranslateOptions): TranslationEngine {
  const { url, timeoutMs, apiKey } = options;
  return {
    provider: 'libretranslate',
    maxBatch: options.maxBatch ?? 25,

    async pairs() {
      const endpoint = engineUrl(url, 'languages');
      const response = await engineFetch(endpoint, { method: 'GET' }, timeoutMs);
      const body = await jsonBody(response, endpoint);
      if (!response.ok || !Array.isArray(body)) throw new EngineUnavailableError(`${endpoint.pathname}: HTTP ${response.status} without languages`);
      const pairs = new Map<string, Pair>();
      for (const language of body as LibreLanguage[]) {
        const from = languageCode(language.code);
        if (from === undefined || !Array.isArray(language.targets)) continue;
        for (const target of language.targets) {
          const to = languageCode(target);
          if (to !== undefined && to !== from) pairs.set(`${from}|${to}`, { from, to });
        }
      }
      return [...pairs.values()];
    },

    async translate(texts, from, to) {
      const endpoint = engineUrl(url, 'translate');
      const request = { q: texts, source: from, target: to, format: 'text', ...(apiKey !== undefined ? { api_key: apiKey } : {}) };
      const response = await engineFetch(
        endpoint,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) },
        timeoutMs,
      );
      const body = (await jsonBody(response, endpoint)) as { translatedText?: unknown; error?: unknown };
      if (response.status >= 400) {
        const error = typeof body.error === 'string' ? body.error : '';
        const tooLong = response.status === 413 || LIMIT_ERROR.test(error);
        throw new EngineRefusedError(`${endpoint.pathname}: HTTP ${response.status}`, tooLong ? 'too-long' : 'engine-refused');
      }
      const translated = body.translatedText;
      if (!Array.isArray(translated) || translated.length !== texts.length || !translated.every((t) => typeof t === 'string'))
        throw new EngineUnavailableError(`${endpoint.pathname}: an answer without one translatedText per text`);
      return translated as string[];
    },
  };
}
