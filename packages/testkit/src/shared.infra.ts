import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceSource } from './infra.types.js';
import { groupMembers, isPidAlive } from './process.util.js';

/**
 * One infrastructure for every `ashchat-infra exec --shared` of a repository (`pnpm -r dev` starts
 * one per service). Files under `.infra/shared/`:
 * - `users/<pid>`: one per process using it, written before anything else, so an owner about to
 *   stop always sees a user that arrived in time; dead pids are pruned, so a SIGKILLed user counts
 *   for nothing.
 * - `state.json`: the owner's pid, its phase and (once ready) the URLs and secrets it resolved.
 * - `lock`: a directory (mkdir is atomic), held for a few milliseconds around every read-decide-write
 *   of the state and the user list.
 * The owner is a detached process of its own (`ashchat-infra shared-owner`), not one of the users:
 * each user may then stop in any order, or be killed, without taking the servers from the others.
 */
export interface SharedPaths {
  dir: string;
  state: string;
  lock: string;
  users: string;
  log: string;
}

export type SharedPhase = 'starting' | 'ready' | 'stopping' | 'failed';

export interface SharedState {
  ownerPid: number;
  phase: SharedPhase;
  /** URLs and secrets for the commands (state.json is written with mode 0600). */
  env?: Record<string, string>;
  sources?: ServiceSource[];
  /** Process groups of the servers the owner started: a successor stops leftovers of a killed owner. */
  serverPids?: number[];
  error?: string;
}

export function sharedPaths(repoRoot: string): SharedPaths {
  const dir = join(repoRoot, '.infra', 'shared');
  return { dir, state: join(dir, 'state.json'), lock: join(dir, 'lock'), users: join(dir, 'users'), log: join(dir, 'owner.log') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A lock whose holder is dead, or that never got a holder pid within this long, is stale. */
const STALE_LOCK_MS = 5_000;

function lockIsStale(lock: string): boolean {
  try {
    const holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (holder > 0) return !isPidAlive(holder);
  } catch {
    // no pid yet: the holder may be between mkdir and write, or have died there
  }
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false;
  }
}

/** Runs `fn` holding the lock; a lock left by a killed holder is broken. */
export async function withSharedLock<T>(paths: SharedPaths, fn: () => T): Promise<T> {
  mkdirSync(paths.dir, { recursive: true });
  for (;;) {
    try {
      mkdirSync(paths.lock);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lockIsStale(paths.lock)) {
        // Renamed away first, so two processes breaking the same stale lock cannot both succeed.
        const aside = `${paths.lock}.stale-${process.pid}`;
        try {
          renameSync(paths.lock, aside);
          rmSync(aside, { recursive: true, force: true });
        } catch {
          // someone else broke it
        }
      } else {
        await sleep(10);
      }
      continue;
    }
    try {
      writeFileSync(join(paths.lock, 'pid'), String(process.pid));
      return fn();
    } finally {
      rmSync(paths.lock, { recursive: true, force: true });
    }
  }
}

export function readSharedState(paths: SharedPaths): SharedState | undefined {
  try {
    return JSON.parse(readFileSync(paths.state, 'utf8')) as SharedState;
  } catch {
    return undefined;
  }
}

/** Atomic replace (write aside, rename); readable by the owner only, as it holds secrets. */
export function writeSharedState(paths: SharedPaths, state: SharedState): void {
  mkdirSync(paths.dir, { recursive: true });
  const tmp = `${paths.state}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, paths.state);
}

export function registerUser(paths: SharedPaths, pid = process.pid): void {
  mkdirSync(paths.users, { recursive: true });
  writeFileSync(join(paths.users, String(pid)), String(pid));
}

export function unregisterUser(paths: SharedPaths, pid = process.pid): void {
  rmSync(join(paths.users, String(pid)), { force: true });
}

/** Registered users that are still alive; the others' files are removed. */
export function liveUsers(paths: SharedPaths): number[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(paths.users);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid > 0 && isPidAlive(pid)) live.push(pid);
    else rmSync(join(paths.users, entry), { force: true });
  }
  return live;
}

/**
 * Stops servers a killed owner left behind (its watchdogs do too, but only after a second or
 * more): a successor must not find a dying server on a default port and take it for a live one.
 */
export async function stopLeftovers(groups: readonly number[], graceMs = 10_000): Promise<void> {
  const alive = () => groups.filter((g) => groupMembers(g).length > 0);
  const signal = (sig: NodeJS.Signals) => {
    for (const g of alive()) {
      try {
        process.kill(-g, sig);
      } catch {
        // gone meanwhile
      }
    }
  };
  if (alive().length === 0) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive().length > 0 && Date.now() < deadline) await sleep(100);
  signal('SIGKILL');
  while (alive().length > 0 && Date.now() < deadline + 5_000) await sleep(100);
}

export interface AttachOptions {
  paths: SharedPaths;
  /** Starts the owner process (detached) and returns its pid. */
  spawnOwner: () => number;
  signal?: AbortSignal;
  onWait?: (state: SharedState | undefined) => void;
}

/**
 * Registers this process as a user and returns the ready state, starting an owner when there is
 * none (or only a dead one). Throws when the owner failed or `signal` aborts; the caller detaches.
 */
export async function attachShared(o: AttachOptions): Promise<SharedState> {
  registerUser(o.paths);
  let reported: SharedPhase | undefined;
  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason instanceof Error ? o.signal.reason : new Error('aborted');
    const state = await withSharedLock(o.paths, () => {
      const s = readSharedState(o.paths);
      if (s && (isPidAlive(s.ownerPid) || s.phase === 'failed')) return s;
      // No owner, or a dead one (SIGKILL): this user claims the start (others wait on its pid).
      const claim: SharedState = { ownerPid: process.pid, phase: 'starting', serverPids: s?.serverPids ?? [] };
      writeSharedState(o.paths, claim);
      return { ...claim, phase: 'claimed' as const };
    });
    if (state.phase === 'claimed') {
      await stopLeftovers(state.serverPids ?? []);
      await withSharedLock(o.paths, () => writeSharedState(o.paths, { ownerPid: o.spawnOwner(), phase: 'starting' }));
      continue;
    }
    if (state.phase === 'ready') return state;
    if (state.phase === 'failed') {
      // Cleared so that the next run tries again instead of repeating this error forever.
      await withSharedLock(o.paths, () => {
        if (readSharedState(o.paths)?.ownerPid === state.ownerPid) rmSync(o.paths.state, { force: true });
      });
      throw new Error(`the shared infrastructure did not start: ${state.error ?? 'unknown error'}`);
    }
    if (state.phase !== reported) o.onWait?.(state);
    reported = state.phase;
    await sleep(100);
  }
}

/**
 * Unregisters this process. The last user waits (up to `timeoutMs`) until the owner has stopped
 * everything, so that when `pnpm -r dev` returns, the servers and their ports are gone.
 */
export async function detachShared(paths: SharedPaths, timeoutMs = 60_000): Promise<void> {
  unregisterUser(paths);
  const { last, owner } = await withSharedLock(paths, () => ({
    last: liveUsers(paths).length === 0,
    owner: readSharedState(paths)?.ownerPid,
  }));
  if (!last || owner === undefined) return;
  const deadline = Date.now() + timeoutMs;
  while (isPidAlive(owner) && Date.now() < deadline) await sleep(100);
}

/**
 * The owner's side: publishes the ready state, then returns once no user is left (marking the
 * state `stopping` under the lock, so a user arriving now waits for a fresh owner instead of
 * attaching to servers about to stop), or once `signal` aborts.
 */
export async function serveShared(
  paths: SharedPaths,
  ready: Omit<SharedState, 'ownerPid' | 'phase'>,
  signal: AbortSignal,
  pollMs = 200,
): Promise<void> {
  await withSharedLock(paths, () => writeSharedState(paths, { ...ready, ownerPid: process.pid, phase: 'ready' }));
  for (;;) {
    const done = await withSharedLock(paths, () => {
      const mine = readSharedState(paths)?.ownerPid === process.pid;
      if (mine && liveUsers(paths).length > 0 && !signal.aborted) return false;
      if (mine) writeSharedState(paths, { ...ready, ownerPid: process.pid, phase: 'stopping' });
      return true;
    });
    if (done) return;
    await sleep(pollMs);
  }
}

/** After the owner stopped everything: its state goes (unless a successor already replaced it). */
export async function clearSharedState(paths: SharedPaths, failure?: string): Promise<void> {
  await withSharedLock(paths, () => {
    if (readSharedState(paths)?.ownerPid !== process.pid) return;
    if (failure === undefined) rmSync(paths.state, { force: true });
    else writeSharedState(paths, { ownerPid: process.pid, phase: 'failed', error: failure });
  });
}
