import { existsSync } from 'node:fs';
import { aptInstall } from './apt.install.js';

/** Where Debian's `chromium` package puts the browser; Playwright drives it (never a browser download). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The browser for UI tests: ASHCHAT_CHROMIUM_PATH, else Debian's, else undefined. */
export function findChromium(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const explicit = env.ASHCHAT_CHROMIUM_PATH;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}

/**
 * Makes sure a Chromium is installed for the browser tests: on Debian/Ubuntu it installs the
 * `chromium` package with apt-get (as root, or through passwordless sudo). Throws, saying what to
 * do, when it cannot — the browser tests are part of the suite and must not silently skip.
 */
export function ensureChromium(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const found = findChromium();
  if (found) return found;
  log('[ashchat] installing Debian chromium for the browser tests (one time, about a minute)');
  const problem = aptInstall(['chromium']);
  if (problem) throw new Error(`no Chromium at ${DEBIAN_CHROMIUM} and ${problem}: install the chromium package by hand, or set ASHCHAT_CHROMIUM_PATH`);
  const installed = findChromium();
  if (!installed) throw new Error(`apt-get installed chromium but ${DEBIAN_CHROMIUM} is missing`);
  return installed;
}
