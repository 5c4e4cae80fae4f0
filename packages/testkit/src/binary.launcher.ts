import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, isPidAlive, isTcpOpen, logTail, startProcess, type StartedProcess } from './process.util.js';
import type { ResolvedService, ServiceName, SourceKind } from './infra.types.js';
import { throwIfAborted, type ServiceContext } from './service.context.js';

export interface StartTarget {
  port: number;
  dataDir: string;
  /** Throw-away data dir (free port / isolated run): removed after stop. */
  ephemeral: boolean;
}

/**
 * Where a started server lives. Default port + `.infra/<dir>/` for `pnpm dev` (data survives runs);
 * a free port + `.infra/<dir>-<port>/` when isolated, when asked for port 0, or when the default
 * port is taken by something that did not answer the protocol handshake.
 */
export async function startTarget(ctx: ServiceContext, dir: string): Promise<StartTarget> {
  let port = ctx.port;
  let ephemeral = false;
  if (ctx.isolated || port === 0 || (await isTcpOpen(port))) {
    if (port !== 0 && !ctx.isolated) ctx.logger.warn(`port ${port} is busy with something else; using a free port for ${dir}`);
    port = await freePort();
    ephemeral = true;
  }
  const infraDir = join(ctx.repoRoot, '.infra');
  if (ephemeral) sweepStaleEphemeralDirs(infraDir, dir);
  const dataDir = join(infraDir, ephemeral ? `${dir}-${port}` : dir);
  mkdirSync(dataDir, { recursive: true });
  // Owner marker: a process killed before its exit handler ran leaves the dir; the next run sweeps it.
  if (ephemeral) writeFileSync(join(dataDir, OWNER_FILE), String(process.pid));
  return { port, dataDir, ephemeral };
}

const OWNER_FILE = '.ashchat-owner';

function sweepStaleEphemeralDirs(infraDir: string, dir: string): void {
  if (!existsSync(infraDir)) return;
  for (const entry of readdirSync(infraDir)) {
    if (!new RegExp(`^${dir}-\\d+$`).test(entry)) continue;
    const ownerFile = join(infraDir, entry, OWNER_FILE);
    try {
      const owner = Number(readFileSync(ownerFile, 'utf8'));
      if (owner > 0 && !isPidAlive(owner)) rmSync(join(infraDir, entry), { recursive: true, force: true });
    } catch {
      // no marker: not ours to delete
    }
  }
}

export interface LaunchOptions {
  ctx: ServiceContext;
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** Real protocol handshake; true once the server answers. */
  ready: () => Promise<boolean>;
  timeoutMs?: number;
}

/** Starts a server and waits for its handshake; on failure stops it and throws with the log tail. */
export async function launchServer(o: LaunchOptions): Promise<StartedProcess> {
  const proc = startProcess({ name: o.name, command: o.command, args: o.args, env: o.env, cwd: o.cwd, logFile: o.logFile });
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  try {
    for (;;) {
      throwIfAborted(o.ctx.signal);
      if (await o.ready().catch(() => false)) return proc;
      if (proc.hasExited()) {
        throw new Error(`${o.name} exited during start-up (${String(await proc.exited)})`);
      }
      if (Date.now() > deadline) throw new Error(`${o.name} did not answer within ${o.timeoutMs ?? 30_000} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  } catch (err) {
    await proc.stop(5_000).catch(() => undefined);
    const tail = logTail(o.logFile);
    const message = `${(err as Error).message}\n--- last lines of ${o.logFile} ---\n${tail || '(empty)'}`;
    throw new Error(message, { cause: err });
  }
}

/** Wraps a started process as a resolved service whose stop() also cleans a throw-away data dir. */
export function processService(o: {
  service: ServiceName;
  kind?: SourceKind;
  uri: string;
  detail: string;
  proc: StartedProcess;
  target: StartTarget;
  extraEnv?: Record<string, string>;
  afterStop?: () => Promise<void>;
}): ResolvedService {
  return {
    source: { service: o.service, kind: o.kind ?? 'binary', uri: o.uri, detail: o.detail },
    extraEnv: o.extraEnv,
    pid: o.proc.pid,
    async stop() {
      await o.proc.stop();
      await o.afterStop?.();
      if (o.target.ephemeral) rmSync(o.target.dataDir, { recursive: true, force: true });
    },
    killSync: () => o.proc.killSync(),
    unref: () => o.proc.unref(),
  };
}
