import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';

/** Test-only: runs a TypeScript entry point (a service main) as its own process, the way `pnpm dev` does. */
export interface RunningEntry {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** Resolves with the first match of `pattern` in stdout; rejects on exit or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function startEntry(entry: string, env: Record<string, string>): RunningEntry {
  // The same workspace resolution as the tests themselves: tsx plus the source condition.
  const conditions = process.execArgv.filter((a) => a.startsWith('--conditions') || a === '-C');
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), ...(conditions.length > 0 ? conditions : ['--conditions=ashchat-source']), entry],
    // Only the given environment and a neutral cwd: neither the test's variables nor a
    // developer's .env may change what the entry point sees.
    { cwd: tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });

  function waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = out.match(pattern);
        if (match === null) return;
        finish();
        resolve(match);
      };
      const onExit = (): void => {
        finish();
        reject(new Error(`process exited before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.off('exit', onExit);
      };
      child.stdout?.on('data', check);
      child.once('exit', onExit);
      check();
    });
  }

  return { child, stdout: () => out, stderr: () => err, exited, waitForOutput };
}

/** Resolves with `promise`, or rejects after `timeoutMs` naming `what`. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
