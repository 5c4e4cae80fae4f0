// One child process of the chaos system (a service or the database server) that can be killed and
// started again with the same command, port and environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { watchForParentDeath } from '@ashchat/testkit';

export interface ManagedProcess {
  readonly name: string;
  pid(): number | undefined;
  running(): boolean;
  start(): void;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Exits nobody asked for (a crash), with their code or signal. */
  unexpectedExits(): readonly string[];
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: readonly string[];
  env: Record<string, string>;
  /** Every start appends its stdout and stderr here (kept for a post-mortem, never printed). */
  logFile: string;
}

/** A TypeScript entry point run the way the tests run services: tsx plus the workspace source condition. */
export function tsEntry(entry: string): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), '--conditions=ashchat-source', entry] };
}

export function managedProcess(spec: ProcessSpec): ManagedProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let expectingExit = false;
  let log: WriteStream | undefined;
  const crashes: string[] = [];

  const gone = (): boolean => child === undefined || child.exitCode !== null || child.signalCode !== null;

  function start(): void {
    if (!gone()) throw new Error(`${spec.name} is already running`);
    log ??= createWriteStream(spec.logFile, { flags: 'a' });
    log.write(`--- ${new Date().toISOString()} start ${spec.name}\n`);
    expectingExit = false;
    // Own process group: a watchdog kills the whole group if the chaos run itself dies (SIGKILL, OOM),
    // so no service outlives the run. Neutral cwd and only the given environment, like the tests.
    const c = spawn(spec.command, [...spec.args], { cwd: tmpdir(), env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = c;
    c.stdout?.pipe(log, { end: false });
    c.stderr?.pipe(log, { end: false });
    exited = new Promise<void>((resolve) => {
      c.once('exit', (code, signal) => {
        if (!expectingExit) crashes.push(`${spec.name} exited by itself (${code ?? signal ?? 'unknown'})`);
        log?.write(`--- ${new Date().toISOString()} ${spec.name} exited (${code ?? signal})\n`);
        resolve();
      });
    });
    if (c.pid !== undefined) watchForParentDeath(c.pid);
  }

  async function signalAndWait(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    if (gone()) return;
    expectingExit = true;
    child?.kill(signal);
    const timer = setTimeout(() => child?.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  return {
    name: spec.name,
    pid: () => (gone() ? undefined : child?.pid),
    running: () => !gone(),
    start,
    kill: () => signalAndWait('SIGKILL', 0),
    stop: (graceMs = 10_000) => signalAndWait('SIGTERM', graceMs),
    unexpectedExits: () => crashes,
  };
}
