export { createEngineBatcher, type EngineBatcher } from './engine.batcher.js';
export { createPairsCache, type PairsCache } from './pairs.cache.js';
export { createRequestTranslator, isTemporaryFailure, type RequestTranslator } from './request.translator.js';
export { createTranslationCache, CacheUnavailableError, type TranslationCache } from './translation.cache.js';
export { planRoute, routeHops, needsTranslation, type Route } from './route.planner.js';
export { startTranslationWorker, type TranslationWorkerDeps } from './translation.worker.js';
