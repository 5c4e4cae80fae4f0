// Section of `cpu.bench.ts`: CPU of the built backend + verifier per completed registration (the
// default argon2id hash), and in the same run the CPU of one bare hash (cpu.hash.child.ts), which
// is subtracted: the backend hashes once per registration.
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startSmtpSink } from '@ashchat/testkit';
import type { BackendConfig } from '@ashchat/backend';
import { createCodeInbox } from './mail.inbox.js';
import { createRegistrationClient } from './registration.client.js';
import { registrationOperation, type FlowCounters } from './registration.flow.js';
import type { RegistrationEnv } from './registration.env.js';
import { cpuMs } from './cpu.proc.js';
import type { ProfileWindow } from './cpu.profile.js';
import { measureWindow, startBuiltBackend, startBuiltVerifier, windowOf, type ServiceOptions } from './cpu.services.js';
import { spawnNode } from './ws.processes.js';

export interface RegistrationRound {
  completed: number;
  failed: number;
  perSecond: number;
  backendMsPerOp: number;
  verifierMsPerOp: number;
  msPerOp: number;
  hashes: number;
  hashMsPerHash: number;
  /** msPerOp − hashMsPerHash. */
  hashExcludedMsPerOp: number;
}

export interface RegistrationOptions extends ServiceOptions {
  rounds: number;
  durationMs: number;
  warmupMs: number;
  hashMs: number;
  concurrency: number;
  log(line: string): void;
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** A closed loop of `concurrency` workers for `ms`; every operation started is awaited and counted. */
async function closedLoop(op: () => Promise<unknown>, concurrency: number, ms: number): Promise<{ completed: number; failed: number; firstError?: string }> {
  const end = performance.now() + ms;
  let completed = 0;
  let failed = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        try {
          await op();
          completed += 1;
        } catch (err) {
          failed += 1;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    }),
  );
  return { completed, failed, ...(firstError ? { firstError } : {}) };
}

/** Bare hashes in their own process for `ms` after a short warm-up: CPU ms per hash and the count. */
async function hashCpu(config: BackendConfig, concurrency: number, ms: number): Promise<{ hashes: number; msPerHash: number }> {
  const params = { memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM, concurrency };
  const child = spawnNode([here('./cpu.hash.child.ts'), JSON.stringify(params)], { env: { PATH: process.env.PATH ?? '' } });
  try {
    await child.line(/^ready$/, 30_000);
    let seq = 0;
    const count = async (): Promise<{ count: number; cpu: number }> => {
      seq += 1;
      child.child.stdin!.write(`count ${seq}\n`);
      const [, done] = await child.line(new RegExp(`^count ${seq} (\\d+)$`), 30_000);
      return { count: Number(done), cpu: cpuMs(child.child.pid!) };
    };
    await new Promise((r) => setTimeout(r, 500));
    const a = await count();
    await new Promise((r) => setTimeout(r, ms));
    const b = await count();
    return { hashes: b.count - a.count, msPerHash: (b.cpu - a.cpu) / (b.count - a.count) };
  } finally {
    child.child.stdin!.end();
    await child.stop();
  }
}

export async function measureRegistration(config: BackendConfig, o: RegistrationOptions): Promise<{ rounds: RegistrationRound[]; windows: Record<string, ProfileWindow> }> {
  const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0, maxMessages: 100_000 });
  const inbox = createCodeInbox(sink);
  const mongo = await MongoClient.connect(config.MONGODB_URI);
  const stops: (() => Promise<void>)[] = [];
  try {
    const verifier = await startBuiltVerifier(config, `${sink.smtpUri}?pool=true`, { ...o, profileTag: 'registration' });
    stops.push(() => verifier.stop());
    const backend = await startBuiltBackend(config, { ...o, profileTag: 'registration' });
    stops.unshift(() => backend.process.stop());
    const counters: FlowCounters = { verifyRetries: 0, statusPolls: 0 };
    // registrationOperation reads only the client and the inbox of an env.
    const op = registrationOperation({ client: createRegistrationClient(backend.base), inbox } as RegistrationEnv, counters);
    o.log(`registration: warm-up ${o.warmupMs} ms, ${o.concurrency} in flight`);
    await closedLoop(op, o.concurrency, o.warmupMs);
    const pids = [backend.process.child.pid!, verifier.child.pid!];
    const rounds: RegistrationRound[] = [];
    const from = performance.now();
    for (let r = 1; r <= o.rounds; r += 1) {
      o.log(`registration round ${r}/${o.rounds}: ${o.durationMs} ms of registrations, then ${o.hashMs} ms of bare hashes`);
      const w = await measureWindow(pids, () => closedLoop(op, o.concurrency, o.durationMs));
      if (w.result.failed > 0) throw new Error(`${w.result.failed} registrations failed: ${w.result.firstError}`);
      const hash = await hashCpu(config, o.concurrency, o.hashMs);
      const n = w.result.completed;
      const msPerOp = (w.cpuMs[0]! + w.cpuMs[1]!) / n;
      rounds.push({
        completed: n,
        failed: w.result.failed,
        perSecond: n / (w.elapsedMs / 1000),
        backendMsPerOp: w.cpuMs[0]! / n,
        verifierMsPerOp: w.cpuMs[1]! / n,
        msPerOp,
        hashes: hash.hashes,
        hashMsPerHash: hash.msPerHash,
        hashExcludedMsPerOp: msPerOp - hash.msPerHash,
      });
    }
    const to = performance.now();
    const windows = { 'backend-registration': windowOf(backend.process, from, to), 'verifier-registration': windowOf(verifier, from, to) };
    const users = await mongo.db(config.MONGODB_DB).collection('users').countDocuments();
    o.log(`registration: ${users} users stored; verify retries ${counters.verifyRetries}, status polls ${counters.statusPolls}`);
    return { rounds, windows };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    inbox.close();
    await sink.close();
    await mongo.db(config.MONGODB_DB).dropDatabase().catch(() => undefined);
    await mongo.close();
  }
}
