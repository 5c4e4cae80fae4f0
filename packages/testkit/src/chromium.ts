import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
  if (!existsSync('/usr/bin/apt-get')) {
    throw new Error(`no Chromium at ${DEBIAN_CHROMIUM} and no apt-get to install it: install Chromium and set ASHCHAT_CHROMIUM_PATH`);
  }
  const root = process.getuid?.() === 0;
  const prefix = root ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log('[ashchat] installing Debian chromium for the browser tests (one time, about a minute)');
  for (const args of [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium']]) {
    const [cmd, ...rest] = [...prefix, ...args];
    const res = spawnSync(cmd!, rest, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 });
    if (res.status !== 0) {
      throw new Error(`"${[cmd, ...rest].join(' ')}" failed (${res.error?.message ?? `exit ${res.status}`}); install the chromium package by hand`);
    }
  }
  const installed = findChromium();
  if (!installed) throw new Error(`apt-get installed chromium but ${DEBIAN_CHROMIUM} is missing`);
  return installed;
}
