import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, closeSync, mkdirSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** First executable called `name` on PATH or in `extraDirs`. */
export function findExecutable(name: string, extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir.replace(/^~(?=\/|$)/, homedir()), name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here, keep looking
    }
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1 (released again before returning; fine for local dev/test). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on host:port (cheap pre-check before a handshake). */
export async function isTcpOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Last `lines` lines of a log file ('' if unreadable). */
export function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Live (non-zombie) processes of a process group. Linux reads /proc so that zombies whose parent
 * never reaps them (common with minimal container inits) do not count as "still running".
 */
export function groupMembers(pgid: number): number[] {
  if (process.platform === 'linux') {
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // Fields after the ")" that ends the command name: state ppid pgrp ...
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
      } catch {
        // process vanished while scanning
      }
    }
    return pids;
  }
  try {
    process.kill(-pgid, 0);
    return [pgid];
  } catch {
    return [];
  }
}

/** Process group and the terminal's foreground process group (`tpgid`, -1 without a terminal) from a /proc/<pid>/stat line. */
export function parseProcStat(stat: string): { pgrp: number; tpgid: number } {
  // Fields after the ")" that ends the command name (which may itself hold spaces and parentheses).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pgrp: Number(fields[2]), tpgid: Number(fields[5]) };
}

/**
 * Whether this process is in the foreground process group of its terminal: a Ctrl-C there reaches
 * every process of the group, so a child in the same group already has it. False when unknown
 * (no /proc, no terminal), so callers fall back to forwarding.
 */
export function inTerminalForeground(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const { pgrp, tpgid } = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
    return tpgid > 0 && tpgid === pgrp;
  } catch {
    return false;
  }
}

export function isPidAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface StartedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  hasExited(): boolean;
  /** SIGTERM to the whole group, wait, SIGKILL after `graceMs`, wait until no member is left. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous SIGTERM to the group (for process 'exit' handlers, which cannot await). */
  killSync(): void;
  unref(): void;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Spawns a server in its own process group (detached) so Ctrl-C in the terminal does not hit it
 * half-way and so stop() can kill it together with any helper processes it forks.
 */
export function startProcess(o: StartProcessOptions): StartedProcess {
  mkdirSync(dirname(o.logFile), { recursive: true });
  const fd = openSync(o.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(o.command, o.args, {
      cwd: o.cwd,
      env: o.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  let exitedFlag = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (err) => {
      exitedFlag = true;
      resolve(`spawn error: ${err.message}`);
    });
  });
  const pid = child.pid ?? -1;
  if (pid > 0) watchForParentDeath(pid);
  const signalGroup = (sig: NodeJS.Signals) => {
    if (pid <= 0) return;
    try {
      process.kill(-pid, sig);
    } catch {
      // group already gone
    }
  };
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (exitedFlag && groupMembers(pid).length === 0) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return exitedFlag && groupMembers(pid).length === 0;
  };
  return {
    name: o.name,
    pid,
    logFile: o.logFile,
    child,
    exited,
    hasExited: () => exitedFlag,
    async stop(graceMs = 15_000) {
      if (pid <= 0) return;
      signalGroup('SIGTERM');
      if (await waitGone(graceMs)) return;
      signalGroup('SIGKILL');
      if (!(await waitGone(5_000))) {
        throw new Error(`${o.name} (pid ${pid}) did not stop; members left: ${groupMembers(pid).join(', ')}`);
      }
    },
    killSync: () => signalGroup('SIGTERM'),
    unref: () => child.unref(),
  };
}

/**
 * A server runs in its own process group, so it would outlive a parent killed with SIGKILL (no
 * handler runs then) and keep its port. A tiny detached shell watches both: once the parent is
 * gone while the server's group is still there, it stops the group (TERM, then KILL). It exits by
 * itself when the server stops first, so it never signals a group id reused later.
 */
const REAPER = [
  'while kill -0 "$0" 2>/dev/null && kill -0 -"$1" 2>/dev/null; do sleep 1; done',
  'kill -0 "$0" 2>/dev/null && exit 0',
  'kill -TERM -"$1" 2>/dev/null',
  'i=0; while [ $i -lt 10 ] && kill -0 -"$1" 2>/dev/null; do sleep 1; i=$((i+1)); done',
  'kill -KILL -"$1" 2>/dev/null',
].join('\n');

export function watchForParentDeath(groupId: number): void {
  if (process.platform === 'win32') return;
  try {
    spawn('/bin/sh', ['-c', REAPER, String(process.pid), String(groupId)], { detached: true, stdio: 'ignore' }).unref();
  } catch {
    // Without a shell the server simply has no watchdog; stop() and the exit handlers still apply.
  }
}
