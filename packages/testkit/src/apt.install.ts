import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * How long apt-get waits for another apt/dpkg to let go of its locks. Two of our own processes can
 * install at once (the browser step of `./ashchat test` and a resolver installing Apertium for
 * `./ashchat dev`); without a wait the second fails at once with exit 100 ("Could not get lock").
 */
const LOCK_TIMEOUT_S = 600;

/** The command prefix that lets apt-get install packages here, or the reason it cannot. */
export function aptPrefix(): string[] | string {
  if (!existsSync('/usr/bin/apt-get')) return 'no apt-get';
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 });
  return sudo.status === 0 ? ['sudo', '-n'] : 'apt-get needs root or passwordless sudo';
}

/**
 * `apt-get update` then `apt-get install` of Debian packages, non-interactive, waiting for the
 * dpkg and lists locks. Returns undefined on success, else why not (the failing command line).
 */
export function aptInstall(packages: readonly string[]): string | undefined {
  const prefix = aptPrefix();
  if (typeof prefix === 'string') return prefix;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const wait = ['-o', `DPkg::Lock::Timeout=${LOCK_TIMEOUT_S}`];
  const steps = [
    ['apt-get', ...wait, 'update', '-qq'],
    ['apt-get', ...wait, 'install', '-y', '-qq', '--no-install-recommends', ...packages],
  ];
  for (const args of steps) {
    const [cmd, ...rest] = [...prefix, ...args];
    const res = spawnSync(cmd!, rest, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 + LOCK_TIMEOUT_S * 1000 });
    if (res.status !== 0) return `"${[cmd, ...rest].join(' ')}" failed (${res.error?.message ?? `exit ${res.status}`})`;
  }
  return undefined;
}
