// CPU time of processes measured from outside (/proc/<pid>/stat), and the services as production
// runs them: their built JavaScript (`dist/`), plain `node`, no TypeScript loader, no source condition.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { NodeChild } from './ws.processes.js';

/** Clock ticks per second of utime/stime (USER_HZ); 100 on about every Linux. */
export const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads, argon2's pool included), in ms; 10 ms resolution at CLK_TCK 100. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Summed CPU ms of several processes, read back to back. */
export const cpuOf = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The built services and the workspace packages they load from `dist/`. */
const BUILT = ['services/backend', 'services/verifier', 'packages/config', 'packages/contracts', 'packages/messaging', 'packages/saga', 'packages/service-kit'];
export const BACKEND_ENTRY = join(root, 'services/backend/dist/server.js');
export const VERIFIER_ENTRY = join(root, 'services/verifier/dist/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const oldestBuild = (pkg: string): number => {
  try {
    return statSync(join(root, pkg, 'dist/index.js')).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * Builds the services (tsc, in dependency order) when a `dist/` is missing or older than its
 * sources; says which. Returns what happened, for the report.
 */
export function ensureBuilt(log: (line: string) => void): string {
  const stale = BUILT.filter((pkg) => oldestBuild(pkg) < newestMtime(join(root, pkg, 'src')));
  if (stale.length === 0) return 'dist/ up to date, not rebuilt';
  log(`building: dist/ missing or older than src/ in ${stale.join(', ')}`);
  // The web client's build (vite, slow) is left out: the backend only serves its dist/, which these figures do not measure.
  const filters = ['@ashchat/backend...', '@ashchat/verifier...', '!@ashchat/web'].flatMap((f) => ['--filter', f]);
  try {
    execFileSync(join(root, 'ashchat'), ['-r', '--sort', ...filters, 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  } catch (err) {
    // tsc still emits on type errors (a shared checkout: someone's edit in progress); refuse only when nothing runnable is there.
    if (oldestBuild('services/backend') === 0 || oldestBuild('services/verifier') === 0) throw err;
    log('the build reported errors (see above); measuring the JavaScript tsc emitted anyway');
    return `built before the run, WITH ERRORS reported by tsc (dist/ was stale in ${stale.join(', ')})`;
  }
  return `built before the run (dist/ missing or older than src/ in ${stale.join(', ')})`;
}

export interface BuiltChild extends NodeChild {
  /** performance.now() at the spawn: a --cpu-prof profile's clock starts about then. */
  spawnedAt: number;
}

/**
 * Runs a built service: `node [--cpu-prof] <entry>`, cwd outside the repository (no .env). The
 * workspace packages resolve to their `dist/` through the default export condition.
 */
export function spawnBuilt(entry: string, o: { env: Record<string, string>; profileAs?: string; profileDir?: string }): BuiltChild {
  const spawnedAt = performance.now();
  const args = o.profileAs ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir ?? tmpdir()}`, `--cpu-prof-name=${o.profileAs}.cpuprofile`, entry] : [entry];
  const child = spawn(process.execPath, args, { cwd: tmpdir(), env: o.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const seen: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  const waiters = new Set<(l: string) => void>();
  createInterface({ input: child.stdout }).on('line', (l) => {
    // Production logs every request at info: keep only the recent lines.
    seen.push(l);
    if (seen.length > 200) seen.shift();
    for (const waiter of [...waiters]) waiter(l);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    spawnedAt,
    stderrTail: () => stderr,
    collectGarbage: () => Promise.reject(new Error('not started with inspect')),
    line(pattern, timeoutMs) {
      const already = seen.map((l) => l.match(pattern)).find((m) => m !== null);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        const waiter = (l: string): void => {
          const m = l.match(pattern);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; stderr: ${stderr.slice(-1_000)}; stdout: ${seen.slice(-5).join('\n')}`));
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then(() => {
          done();
          reject(new Error(`${entry} exited before ${pattern}; stderr: ${stderr.slice(-1_000)}; stdout: ${seen.slice(-5).join('\n')}`));
        });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM: the graceful shutdown exits normally, which is when --cpu-prof writes its file.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Median and spread of the rounds of one figure. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}
export function spread(rounds: number[]): Spread {
  const sorted = [...rounds].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, rounds };
}
