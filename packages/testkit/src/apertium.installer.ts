import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall } from './apt.install.js';
import { findExecutable } from './process.util.js';

/** Where Debian's apertium packages put their `.mode` files (what apertium-apy serves). */
export const APERTIUM_MODES = '/usr/share/apertium/modes';
/** The server and the pairs AshChat translates with: eng⇄spa and spa⇄fra. */
export const APERTIUM_PACKAGES = ['apertium-apy', 'apertium-eng-spa', 'apertium-fr-es'] as const;
/** One mode file per pair and direction; apertium-fr-es names its modes with 2-letter codes. */
const REQUIRED_MODES = ['eng-spa.mode', 'spa-eng.mode', 'es-fr.mode', 'fr-es.mode'];

export function findApertiumApy(): string | undefined {
  return findExecutable('apertium-apy', ['/usr/bin', '/usr/local/bin']);
}

/** Undefined when the binary and every pair are there, else what is missing. */
export function apertiumProblem(bin: string | undefined, modesDir: string): string | undefined {
  if (!bin) return 'no apertium-apy binary on PATH';
  const missing = REQUIRED_MODES.filter((m) => !existsSync(join(modesDir, m)));
  return missing.length > 0 ? `Apertium pairs missing in ${modesDir}: ${missing.join(', ')}` : undefined;
}

/**
 * Installs the Debian Apertium packages (one time, about 15 s), as root or through passwordless
 * sudo — the same way the browser tests get Chromium. Returns undefined on success, else why not.
 */
export function installApertium(log: (line: string) => void): string | undefined {
  log(`translation: installing Debian ${APERTIUM_PACKAGES.join(' ')} (one time, about 15 s)`);
  return aptInstall(APERTIUM_PACKAGES);
}
