import { createApertiumEngine } from './apertium.engine.js';
import type { TranslationEngine } from './engine.js';
import { createLibreTranslateEngine } from './libretranslate.engine.js';

export interface EngineSettings {
  provider: 'apertium' | 'libretranslate';
  url: string;
  timeoutMs: number;
  apiKey?: string | undefined;
}

/** The engine the configuration names. */
export function createEngine(settings: EngineSettings): TranslationEngine {
  const { url, timeoutMs } = settings;
  return settings.provider === 'apertium'
    ? createApertiumEngine({ url, timeoutMs })
    : createLibreTranslateEngine({ url, timeoutMs, apiKey: settings.apiKey });
}
