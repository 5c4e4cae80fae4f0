import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export type EnvRecord = Record<string, string | undefined>;

/**
 * Reads a dotenv file with Node's own parser (the same rules as `node --env-file`). A missing file
 * is normal outside local development, so it yields nothing; any other read error is real.
 */
export function readEnvFile(path: string): EnvRecord {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseEnv(content);
}

/**
 * The environment the configuration is read from. Like `process.loadEnvFile`, values from the file
 * only fill variables the real environment does not set, so an operator's variable always wins.
 * The default `.env` lookup applies only when reading the real process environment: an explicit
 * `env` is taken as the whole environment, which keeps tests independent of a developer's `.env`.
 */
export function resolveEnv(options: { env?: EnvRecord; envFile?: string | false }): EnvRecord {
  const base = options.env ?? process.env;
  const file =
    options.envFile === undefined ? (options.env === undefined ? '.env' : false) : options.envFile;
  if (file === false) return { ...base };
  const fromFile = readEnvFile(resolve(process.cwd(), file));
  const merged: EnvRecord = { ...base };
  for (const [name, value] of Object.entries(fromFile)) {
    if (merged[name] === undefined) merged[name] = value;
  }
  return merged;
}
