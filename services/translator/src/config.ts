import { Type, type Static } from '@sinclair/typebox';
import { WORKER_ENV } from '@ashchat/service-kit';
import { PortVar, SecretVar, UriVar, loadConfig, type LoadConfigOptions } from '@ashchat/config';

export const TRANSLATION_PROVIDERS = ['apertium', 'libretranslate'] as const;
export type TranslationProvider = (typeof TRANSLATION_PROVIDERS)[number];

/** Every environment variable the translator reads. */
export const TranslatorConfigSchema = Type.Object({
  TRANSLATOR_PORT: PortVar(3002, { description: 'Port of the health endpoints' }),
  ...WORKER_ENV,
  /** Base URL of the engine: an Apertium APy (`http://127.0.0.1:2737`) or a LibreTranslate server. */
  TRANSLATION_URL: UriVar(['http', 'https']),
  TRANSLATION_PROVIDER: Type.Union(
    TRANSLATION_PROVIDERS.map((provider) => Type.Literal(provider)),
    { default: 'apertium', errorMessage: `must be one of ${TRANSLATION_PROVIDERS.join(', ')}` },
  ),
  /** LibreTranslate's `api_key`, sent with every translation; never logged. */
  TRANSLATION_API_KEY: Type.Optional(SecretVar()),
  /** Engine calls in flight at once (each a batch for LibreTranslate, one text for Apertium). */
  TRANSLATOR_CONCURRENCY: Type.Integer({ default: 4, minimum: 1, maximum: 64 }),
  /** Bound of one engine call; past it the engine counts as unreachable and the request waits. */
  TRANSLATION_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 120_000 }),
  TRANSLATION_CACHE_TTL_SECONDS: Type.Integer({ default: 7 * 24 * 3600, minimum: 1, maximum: 365 * 24 * 3600 }),
  /** Requests taken from the queue at once: more lets texts of one pair share an engine call. */
  TRANSLATOR_PREFETCH: Type.Integer({ default: 32, minimum: 1, maximum: 1000 }),
});

export type TranslatorConfig = Readonly<Static<typeof TranslatorConfigSchema>>;

export function loadTranslatorConfig(options?: LoadConfigOptions): TranslatorConfig {
  return Object.freeze(loadConfig(TranslatorConfigSchema, options));
}
