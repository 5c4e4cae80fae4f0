// Shared bits for this package's own tests (not exported from index.ts).
import { existsSync } from 'node:fs';
import type { InfraLogger } from './infra.types.js';

/** Collects resolver log lines so tests stay quiet and can assert on them. */
export function memoryLogger(): InfraLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => void lines.push(m), warn: (m) => void lines.push(`WARNING: ${m}`) };
}

/**
 * An existing FerretDB binary, so tests exercise the FerretDB start path without spending minutes
 * building one (ASHCHAT_FERRETDB_BIN, else the binary this machine was provisioned with).
 * Undefined lets the resolver search/build as it would for a user.
 */
export function knownFerretdb(): string | undefined {
  if (process.env.ASHCHAT_FERRETDB_BIN) return process.env.ASHCHAT_FERRETDB_BIN;
  return existsSync('/tmp/ferret-probe/bin/ferretdb') ? '/tmp/ferret-probe/bin/ferretdb' : undefined;
}
