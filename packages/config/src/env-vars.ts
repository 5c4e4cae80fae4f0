import { Type, type SchemaOptions, type TInteger, type TLiteral, type TString, type TUnion } from '@sinclair/typebox';

/**
 * Keywords loadConfig understands beyond JSON Schema. TypeBox keeps unknown keywords on the schema
 * and ignores them when checking, so they travel with the variable's definition.
 */
export interface EnvVarKeywords {
  /** Never echo the value in error messages. */
  secret?: boolean;
  /** The value must parse with `new URL` and use one of these protocols (`'amqp:'`). */
  protocols?: string[];
  /** Accept `scheme://h1:p1,h2:p2/...` (MongoDB replica sets), which `new URL` rejects. */
  multiHost?: boolean;
  /** Replaces the generated explanation when the value is invalid. */
  errorMessage?: string;
}

export type EnvVarOptions = SchemaOptions & EnvVarKeywords;

const withColon = (protocol: string): string => (protocol.endsWith(':') ? protocol : `${protocol}:`);

/** A URL whose protocol is one of `protocols` (`['amqp', 'amqps']`; the trailing colon is optional). */
export function UriVar(protocols: string[], options: EnvVarOptions = {}): TString {
  return Type.String({ ...options, minLength: 1, protocols: protocols.map(withColon) });
}

/** A TCP port. 0 is allowed: it asks the OS for a free port, which tests rely on. */
export function PortVar(defaultPort?: number, options: EnvVarOptions = {}): TInteger {
  return Type.Integer({
    ...options,
    minimum: 0,
    maximum: 65535,
    ...(defaultPort === undefined ? {} : { default: defaultPort }),
  });
}

/** A secret string: never echoed in errors; a minimum length keeps placeholder values out. */
export function SecretVar(options: EnvVarOptions & { minLength?: number } = {}): TString {
  return Type.String({ ...options, minLength: options.minLength ?? 1, secret: true });
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A pino log level. */
export function LogLevelVar(
  defaultLevel: LogLevel = 'info',
  options: EnvVarOptions = {},
): TUnion<TLiteral<LogLevel>[]> {
  return Type.Union(
    LOG_LEVELS.map((level) => Type.Literal(level)),
    { ...options, default: defaultLevel },
  );
}
