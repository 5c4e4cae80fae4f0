import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BinaryChoice, InfraLogger, ResolveOptions } from './infra.types.js';

/** Everything one service resolver needs, already defaulted. */
export interface ServiceContext {
  env: Readonly<Record<string, string | undefined>>;
  repoRoot: string;
  /** Port to probe and to start on; 0 = skip the probe and start on a free port. */
  port: number;
  /** Only for SMTP: the Mailpit-style HTTP API port (0 = skip probe / free port). */
  mailApiPort: number;
  start: boolean;
  isolated: boolean;
  envProbeTimeoutMs: number;
  docker: boolean;
  embeddedSmtp: boolean;
  binaries: NonNullable<ResolveOptions['binaries']>;
  installApertium: boolean;
  apertiumModes: string;
  cacheDir: string;
  logger: InfraLogger;
  signal?: AbortSignal;
}

export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.ASHCHAT_INFRA_CACHE_DIR) return env.ASHCHAT_INFRA_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ashchat');
}

/** An explicit option wins, then the env override (e.g. ASHCHAT_FERRETDB_BIN), else search. */
export function binaryChoice(
  option: BinaryChoice,
  env: Readonly<Record<string, string | undefined>>,
  envName: string,
): BinaryChoice {
  if (option !== undefined) return option;
  const fromEnv = env[envName];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  return fromEnv === 'false' || fromEnv === '0' ? false : fromEnv;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('infra resolution aborted');
}

/** Hides the password part of a URL so start-up lines never print secrets. */
export function redactUrl(uri: string): string {
  try {
    const u = new URL(uri);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return uri;
  }
}
