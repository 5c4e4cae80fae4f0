export { createTranslator, type Translator, type TranslatorOptions, type StartOptions } from './translator.js';
export { TranslatorConfigSchema, loadTranslatorConfig, TRANSLATION_PROVIDERS, type TranslatorConfig, type TranslationProvider } from './config.js';
export { translatorQueues, type TranslatorQueues } from './worker.js';
export {
  createApertiumEngine,
  createLibreTranslateEngine,
  EngineRefusedError,
  EngineUnavailableError,
  type Pair,
  type TranslationEngine,
} from './engine/index.js';
