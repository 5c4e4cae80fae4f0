import t from 'tap';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseProcStat } from './process.util.js';
import { waitFor } from './wait-for.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

t.test('a server started by a process that is then SIGKILLed stops by itself (no orphan keeps its port)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ashchat-reaper-'));
  const util = fileURLToPath(new URL('./process.util.ts', import.meta.url));
  // The parent starts a long-running "server" the way ashchat-infra does, prints its pid, and waits.
  const parentCode = `
    const { startProcess } = await import(${JSON.stringify(util)});
    const server = startProcess({ name: 'idle', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], logFile: ${JSON.stringify(join(dir, 'idle.log'))} });
    process.stdout.write(server.pid + '\\n');
    setInterval(() => {}, 1000);
  `;
  const parent = spawn(process.execPath, ['--import=tsx', '--input-type=module', '-e', parentCode], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => parent.kill('SIGKILL'));
  const [line] = (await Promise.race([
    once(parent.stdout!, 'data'),
    new Promise((_, reject) => setTimeout(() => reject(new Error('the parent printed no pid within 20 s')), 20_000).unref()),
  ])) as [Buffer];
  const serverPid = Number(line.toString().trim());
  t.ok(serverPid > 0 && alive(serverPid), 'the server runs');
  t.teardown(() => {
    if (alive(serverPid)) process.kill(-serverPid, 'SIGKILL');
  });

  parent.kill('SIGKILL');
  await once(parent, 'exit');
  await waitFor(() => !alive(serverPid), { timeoutMs: 15_000, intervalMs: 100, message: 'the orphaned server to stop' });
  t.pass('the server went with its parent');
});

t.test("a server its parent stops normally takes its watchdog with it (nothing left to signal a reused group id later)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ashchat-reaper-'));
  const { startProcess } = await import('./process.util.js');
  const server = startProcess({ name: 'idle', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], logFile: join(dir, 'idle.log') });
  const watchdogs = (): string[] =>
    execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('/bin/sh -c') && l.trimEnd().endsWith(` ${process.pid} ${server.pid}`));
  await waitFor(() => watchdogs().length === 1, { timeoutMs: 5_000, message: 'the watchdog of the server' });
  await server.stop(5_000);
  t.notOk(alive(server.pid), 'stopped by its parent');
  await waitFor(() => watchdogs().length === 0, { timeoutMs: 10_000, intervalMs: 100, message: 'the watchdog to exit' });
  t.pass('the watchdog exited by itself');
});

t.test('parseProcStat: the process group and the terminal foreground group, past any command name', async (t) => {
  t.same(parseProcStat('4242 (a ) b (c) S 1 4300 4300 34816 4301 4194560 0 0\n'), { pgrp: 4300, tpgid: 4301 });
  t.same(parseProcStat('77 (node) S 1 77 77 0 -1 4194560 0 0\n'), { pgrp: 77, tpgid: -1 }, 'no terminal');
  if (process.platform !== 'linux') return;
  const pgid = Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(process.pid)], { encoding: 'utf8' }).trim());
  t.equal(parseProcStat(readFileSync('/proc/self/stat', 'utf8')).pgrp, pgid, 'as ps sees this process');
});
