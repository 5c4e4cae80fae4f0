import { Kind, OptionalKind, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { resolveEnv, type EnvRecord } from './env-source.js';
import type { EnvVarKeywords } from './env-vars.js';

export interface LoadConfigOptions {
  /** The environment to read; defaults to `process.env` (plus `.env` in the cwd). */
  env?: EnvRecord;
  /** A dotenv file (relative to the cwd) filling unset variables; `false` reads none. */
  envFile?: string | false;
  /** More variables whose values must never be echoed. */
  secrets?: string[];
}

export interface LoadConfigCheck<T> {
  /**
   * Rules across variables ("SMTP_PASSWORD is required when SMTP_EMAIL is set"). Runs only once
   * every variable is valid on its own; the problems it returns are thrown like any other.
   */
  check?: (config: Readonly<T>) => ConfigProblem[];
}

type VarSchema = TSchema & EnvVarKeywords;

// Names that are secrets whatever the schema says: a forgotten `secret: true` must not leak.
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL/i;
const MAX_ECHO = 120;

/**
 * Reads the variables `schema` names from the environment, applies defaults, converts strings to
 * numbers and booleans, validates, and returns a deep-frozen object. Every problem is collected
 * and thrown together as one ConfigError. Unknown variables are ignored. An empty value counts as
 * unset, because compose files and shells pass `VAR=` for "not configured".
 */
export function loadConfig<S extends TObject>(
  schema: S,
  options: LoadConfigOptions & LoadConfigCheck<Static<S>> = {},
): Readonly<Static<S>> {
  const env = resolveEnv(options);
  const extraSecrets = new Set(options.secrets ?? []);
  const problems: ConfigProblem[] = [];
  const config: Record<string, unknown> = {};

  for (const [name, property] of Object.entries(schema.properties) as [string, VarSchema][]) {
    const secret = property.secret === true || extraSecrets.has(name) || SECRET_NAME.test(name);
    const raw = env[name] === '' ? undefined : env[name];
    let value: unknown;
    if (raw !== undefined) value = convert(property, raw);
    else if (property.default !== undefined) value = Value.Clone(property.default);
    else if (property[OptionalKind] === 'Optional') continue;
    else {
      problems.push({ variable: name, problem: 'required' });
      continue;
    }
    const problem = checkValue(property, value);
    if (problem === undefined) config[name] = value;
    else problems.push({ variable: name, problem: secret ? problem : `${problem}, got ${echo(property, raw ?? value)}` });
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const frozen = deepFreeze(config) as Readonly<Static<S>>;
  const crossProblems = options.check?.(frozen) ?? [];
  if (crossProblems.length > 0) throw new ConfigError(crossProblems);
  return frozen;
}

/**
 * Strict string conversion. TypeBox's Value.Convert is deliberately lenient ("3.5" → 3, "0x10" → 16)
 * which would start a service on a port nobody asked for, so config converts only exact forms.
 */
function convert(schema: TSchema, raw: string): unknown {
  return convertAs(schema[Kind], schema, raw);
}

function convertAs(kind: unknown, schema: TSchema, raw: string): unknown {
  switch (kind) {
    case 'Integer':
      return /^[+-]?\d+$/.test(raw) ? Number(raw) : raw;
    case 'Number':
      return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw) ? Number(raw) : raw;
    case 'Boolean': {
      const lower = raw.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lower)) return true;
      if (['false', '0', 'no', 'off'].includes(lower)) return false;
      return raw;
    }
    case 'Literal':
      if (typeof schema.const === 'number') return convertAs('Number', schema, raw);
      if (typeof schema.const === 'boolean') return convertAs('Boolean', schema, raw);
      return raw;
    case 'Union':
      for (const member of schema.anyOf as TSchema[]) {
        const converted = convert(member, raw);
        if (Value.Check(member, converted)) return converted;
      }
      return raw;
    default:
      return raw;
  }
}

function checkValue(schema: VarSchema, value: unknown): string | undefined {
  const error = Value.Errors(schema, value).First();
  if (error !== undefined) return schema.errorMessage ?? describe(error, schema);
  if (schema.protocols !== undefined && typeof value === 'string') {
    const problem = checkUrl(value, schema.protocols, schema.multiHost === true);
    if (problem !== undefined) return schema.errorMessage ?? problem;
  }
  return undefined;
}

function checkUrl(value: string, protocols: string[], multiHost: boolean): string | undefined {
  const expected = `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`;
  const parts = /^([a-z][a-z0-9+.-]*:)\/\/(?:([^@/?#]*)@)?([^/?#]*)(.*)$/i.exec(value);
  if (parts === null) return expected;
  const [, protocol = '', , hosts = '', rest = ''] = parts;
  if (!protocols.includes(protocol.toLowerCase())) return expected;
  // `new URL` accepts one host only; a replica-set list is checked host by host.
  const hostList = multiHost ? hosts.split(',') : [hosts];
  for (const host of hostList) {
    if (host === '') return `${expected} and a host`;
    try {
      new URL(`${protocol}//${host}${rest}`);
    } catch {
      return `${expected} (not a valid URL)`;
    }
  }
  try {
    if (!multiHost) new URL(value);
  } catch {
    return `${expected} (not a valid URL)`;
  }
  return undefined;
}

function describe(error: ValueError, schema: VarSchema): string {
  const s = error.schema as VarSchema;
  switch (error.type) {
    case ValueErrorType.Integer:
      return 'must be an integer';
    case ValueErrorType.Number:
      return 'must be a number';
    case ValueErrorType.Boolean:
      return 'must be true or false';
    case ValueErrorType.String:
      return 'must be a string';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be at least ${s.minimum}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be at most ${s.maximum}`;
    case ValueErrorType.IntegerExclusiveMinimum:
    case ValueErrorType.NumberExclusiveMinimum:
      return `must be greater than ${s.exclusiveMinimum}`;
    case ValueErrorType.IntegerExclusiveMaximum:
    case ValueErrorType.NumberExclusiveMaximum:
      return `must be less than ${s.exclusiveMaximum}`;
    case ValueErrorType.StringMinLength:
      return `must be at least ${s.minLength} characters long`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${s.maxLength} characters long`;
    case ValueErrorType.StringPattern:
      return `must match ${s.pattern}`;
    case ValueErrorType.Union:
    case ValueErrorType.Literal: {
      const options = literalOptions(schema);
      if (options !== undefined) return `must be one of ${options.join(', ')}`;
      return 'is not an accepted value';
    }
    default:
      return error.message.charAt(0).toLowerCase() + error.message.slice(1);
  }
}

function literalOptions(schema: TSchema): string[] | undefined {
  if (schema[Kind] === 'Literal') return [String(schema.const)];
  if (schema[Kind] !== 'Union') return undefined;
  const members = (schema.anyOf as TSchema[]).map(literalOptions);
  return members.every((m) => m !== undefined) ? members.flat() : undefined;
}

/** Shows a rejected value, with URL credentials masked: a DSN carries its password in clear. */
function echo(schema: VarSchema, value: unknown): string {
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (schema.protocols !== undefined || text.includes('@')) text = text.replace(/^(.*?:\/\/)?.*@/s, '$1***@');
  if (text.length > MAX_ECHO) text = `${text.slice(0, MAX_ECHO)}…`;
  return JSON.stringify(text);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
