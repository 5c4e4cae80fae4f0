export { EngineRefusedError, EngineUnavailableError, type Pair, type TranslationEngine } from './engine.js';
export { createApertiumEngine, type ApertiumOptions } from './apertium.engine.js';
export { createLibreTranslateEngine, type LibreTranslateOptions } from './libretranslate.engine.js';
export { createEngine, type EngineSettings } from './engine.factory.js';
