import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync,
  statSync, unlinkSync, writeFileSync, createWriteStream,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BinaryChoice, InfraLogger } from './infra.types.js';
import { findExecutable, isPidAlive, logTail } from './process.util.js';

export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';

/** A binary is only trusted if it starts: a build without version.txt panics right away. */
export function ferretdbWorks(bin: string): boolean {
  const res = spawnSync(bin, ['--version'], { timeout: 15_000, stdio: 'ignore' });
  return res.status === 0;
}

export function findGo(): string | undefined {
  return findExecutable('go', ['/usr/local/go/bin', join(homedir(), 'go/bin'), '/opt/homebrew/bin']);
}

/**
 * Path of a working ferretdb: explicit path, PATH, ~/go/bin, then our cache; otherwise builds
 * v1.24.2 with Go into `<cacheDir>/bin` (once, under a file lock). Undefined when neither exists.
 */
export async function ensureFerretdb(o: {
  explicit?: BinaryChoice;
  cacheDir: string;
  logger: InfraLogger;
  notes: string[];
}): Promise<string | undefined> {
  if (typeof o.explicit === 'string') {
    if (ferretdbWorks(o.explicit)) return o.explicit;
    throw new Error(`ferretdb binary ${o.explicit} (ASHCHAT_FERRETDB_BIN / option) does not run "--version"`);
  }
  const binDir = join(o.cacheDir, 'bin');
  const cached = join(binDir, 'ferretdb');
  const candidates = [findExecutable('ferretdb'), join(homedir(), 'go/bin/ferretdb'), cached];
  for (const c of candidates) {
    if (c && exists(c) && ferretdbWorks(c)) return c;
  }
  const go = findGo();
  if (!go) {
    o.notes.push('no ferretdb binary (PATH, ~/go/bin, cache) and no Go toolchain to build it');
    return undefined;
  }
  mkdirSync(binDir, { recursive: true });
  const release = await acquireLock(join(o.cacheDir, 'ferretdb.build.lock'), o.logger);
  try {
    // Another process may have finished the build while we waited for the lock.
    if (exists(cached) && ferretdbWorks(cached)) return cached;
    await buildFerretdb(go, o.cacheDir, cached, o.logger);
    return cached;
  } finally {
    release();
  }
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Exclusive-create lock file holding our pid; a lock whose owner died is taken over. */
async function acquireLock(file: string, logger: InfraLogger): Promise<() => void> {
  const deadline = Date.now() + 20 * 60_000;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(readFileSafe(file));
    if (!owner || !isPidAlive(owner)) {
      try {
        unlinkSync(file);
      } catch {
        // someone else removed it first
      }
      continue;
    }
    if (!announced) {
      logger.info(`mongodb: waiting for process ${owner}, which is building FerretDB`);
      announced = true;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the FerretDB build lock ${file}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`\n$ ${cmd} ${args.join(' ')}   (in ${cwd})\n`);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`"${cmd} ${args.join(' ')}" exited with ${code}`);
  } finally {
    await new Promise((r) => log.end(r));
  }
}

async function buildFerretdb(go: string, cacheDir: string, target: string, logger: InfraLogger): Promise<void> {
  const logFile = join(cacheDir, 'ferretdb-build.log');
  const started = Date.now();
  const env = { ...process.env, GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' ') };
  logger.info(
    `mongodb: no mongod and no working ferretdb found; building FerretDB ${FERRETDB_VERSION} with ${go} ` +
      `into ${target} (one-time, about 1-2 minutes; log: ${logFile})`,
  );
  const tmp = mkdtempSync(join(tmpdir(), 'ashchat-ferretdb-'));
  try {
    const gobin = join(tmp, 'gobin');
    try {
      await run(go, ['install', `${MODULE}/cmd/ferretdb@${FERRETDB_VERSION}`], tmp, { ...env, GOBIN: gobin }, logFile);
      if (ferretdbWorks(join(gobin, 'ferretdb'))) {
        installBinary(join(gobin, 'ferretdb'), target);
        logger.info(`mongodb: FerretDB installed with go install in ${Math.round((Date.now() - started) / 1000)} s`);
        return;
      }
      logger.info('mongodb: the go-install build cannot start (module zip lacks version.txt); rebuilding from source');
    } catch {
      logger.info('mongodb: "go install" failed (module proxy refuses the version lookup); building from the module source');
    }
    // A throw-away module that requires FerretDB makes `go mod tidy` fetch it and its dependencies.
    const mod = join(tmp, 'mod');
    mkdirSync(mod);
    writeFileSync(join(mod, 'go.mod'), `module ferretdb-build\n\ngo 1.24\n\nrequire ${MODULE} ${FERRETDB_VERSION}\n`);
    writeFileSync(join(mod, 'tools.go'), `package tools\n\nimport _ "${MODULE}/cmd/ferretdb"\n`);
    logger.info('mongodb: downloading the FerretDB module and its dependencies (go mod tidy)');
    await run(go, ['mod', 'tidy'], mod, env, logFile);
    const modcache = spawnSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8', env }).stdout.trim();
    const src = join(tmp, 'src');
    cpSync(join(modcache, 'github.com/!ferret!d!b/!ferret!d!b@' + FERRETDB_VERSION), src, { recursive: true });
    makeWritable(src);
    // FerretDB embeds build/version/version.txt and panics at start without it; the zip omits it.
    mkdirSync(join(src, 'build/version'), { recursive: true });
    writeFileSync(join(src, 'build/version/version.txt'), FERRETDB_VERSION);
    logger.info('mongodb: compiling FerretDB (go build)');
    const out = join(tmp, 'ferretdb');
    await run(go, ['build', '-o', out, './cmd/ferretdb'], src, env, logFile);
    if (!ferretdbWorks(out)) throw new Error('the built ferretdb does not run "--version"');
    installBinary(out, target);
    logger.info(`mongodb: FerretDB built in ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (err) {
    throw new Error(
      `building FerretDB failed: ${(err as Error).message}\n--- last lines of ${logFile} ---\n${logTail(logFile)}`,
      { cause: err },
    );
  } finally {
    makeWritable(tmp);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Copy then rename into place, so a concurrent reader never sees a half-written binary. */
function installBinary(from: string, target: string): void {
  cpSync(from, `${target}.tmp`);
  chmodSync(`${target}.tmp`, 0o755);
  renameSync(`${target}.tmp`, target);
}

/** Module cache copies are read-only; make them writable so we can patch and delete them. */
function makeWritable(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) makeWritable(p);
      else if (entry.isFile()) chmodSync(p, 0o644 | (statSync(p).mode & 0o111));
    }
  } catch {
    // best effort
  }
}
