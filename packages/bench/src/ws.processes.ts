// Child processes of `pnpm bench:ws`: spawned with enough file descriptors for thousands of
// sockets, read line by line, measured (RSS) and stopped — every wait bounded.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';

export interface FdLimits {
  soft: number;
  hard: number;
}

/** This process' open-file limits (children inherit them); undefined where /proc is not there. */
export function fdLimits(): FdLimits | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line?.slice('Max open files'.length).trim().split(/\s+/) ?? []).map((v) => (v === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(v)));
    return soft && hard ? { soft, hard } : undefined;
  } catch {
    return undefined;
  }
}

export interface NodeChild {
  child: ChildProcess;
  /** The next stdout line matching `pattern` (lines already seen included); bounded. */
  line(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The end of stderr, for error messages. */
  stderrTail(): string;
  /** With `inspect`: runs a full garbage collection in the child (inspector protocol), so RSS samples hold live memory. */
  collectGarbage(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `node <args>` (tsx and the workspace source condition, like the tests' entries). When
 * `openFiles` is above the current soft limit, a shell raises it (up to the hard limit) before
 * exec'ing node, so the child — same pid — can hold that many sockets.
 */
export function spawnNode(args: string[], o: { env: Record<string, string>; openFiles?: number; inspect?: boolean }): NodeChild {
  const nodeArgs = [...(o.inspect ? ['--inspect=127.0.0.1:0'] : []), '--import', import.meta.resolve('tsx'), '--conditions=ashchat-source', ...args];
  const limits = fdLimits();
  const raise = o.openFiles !== undefined && limits !== undefined && limits.soft < o.openFiles;
  const child = raise
    ? spawn('/bin/sh', ['-c', 'ulimit -n "$0" && exec "$@"', String(Math.min(o.openFiles!, limits!.hard)), process.execPath, ...nodeArgs], {
        cwd: tmpdir(),
        env: o.env,
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, nodeArgs, { cwd: tmpdir(), env: o.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const seen: string[] = [];
  const waiters = new Set<(l: string) => void>();
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (l) => {
    // Only the recent lines are kept: a server logging every request must not grow this without bound.
    seen.push(l);
    if (seen.length > 500) seen.shift();
    for (const waiter of [...waiters]) waiter(l);
  });
  // The head (the inspector's address) and the tail (errors) of stderr.
  let stderrHead = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderrHead.length < 1_000) stderrHead += d.toString();
    stderr = (stderr + d.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  async function collectGarbage(): Promise<void> {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(stderrHead)?.[1];
    if (!url) throw new Error('the child was not started with inspect');
    const socket = new WebSocket(url);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer to collectGarbage within 30 s')), 30_000);
        socket.on('error', reject);
        socket.on('open', () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
        socket.on('message', (data) => {
          if ((JSON.parse(data.toString()) as { id?: number }).id !== 1) return;
          clearTimeout(timer);
          resolve();
        });
      });
    } finally {
      socket.terminate();
    }
  }

  return {
    child,
    collectGarbage,
    stderrTail: () => stderr,
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
          if (!m) return;
          done();
          resolve(m);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; stderr: ${stderr.slice(-1_000)}`));
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then(() => {
          done();
          reject(new Error(`process exited before ${pattern}; stderr: ${stderr.slice(-1_000)}; stdout: ${seen.slice(-5).join('\n')}`));
        });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process, in bytes. */
export function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux: ask ps
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

/** The median of `count` RSS samples, each after a full GC: garbage of the set-up does not count. */
export async function medianRss(child: NodeChild, count = 5): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await child.collectGarbage();
    samples.push(rssOf(child.child.pid!));
  }
  return samples.sort((a, b) => a - b)[Math.floor(count / 2)]!;
}
