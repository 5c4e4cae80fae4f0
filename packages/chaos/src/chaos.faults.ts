// Runs the fault schedule against the system, one fault at a time (a fault starts at its planned
// offset or once the previous one recovered, whichever is later), and measures each recovery.
import type { ChaosSystem } from './chaos.system.js';
import type { FaultKind, PlannedFault } from './chaos.schedule.js';

export interface FaultRecord {
  kind: FaultKind;
  target?: string;
  /** Offset from the start of the load phase. */
  injectedAtMs: number;
  /** From injection until every /ready is 200 and the probe succeeds through every backend; undefined = not within the bound. */
  recoveryMs?: number;
  /** What was done (e.g. "closed 9 connections") or why it was skipped. */
  note: string;
  skipped?: boolean;
  /** The fault could not be injected (e.g. no connection of the run found): fails the run. */
  injectionFailed?: boolean;
}

export interface FaultRun {
  /** Resolves with every fault's record once the last one recovered (or gave up). */
  done: Promise<FaultRecord[]>;
  /** Injects no further faults (a running one still recovers). */
  cancel(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inject(system: ChaosSystem, f: PlannedFault): Promise<string> {
  switch (f.kind) {
    case 'backend-kill':
    case 'verifier-kill':
    case 'translator-kill': {
      const name = f.target!;
      await system.kill(name);
      await sleep(f.downMs);
      system.start(name);
      return `SIGKILL ${name}, started again after ${f.downMs} ms`;
    }
    case 'amqp-close': {
      const closed = await system.closeAmqpConnections();
      if (closed === 0) throw new Error('no AMQP connection of the run found to close');
      return `closed ${closed} AMQP connections of the run's processes from the broker`;
    }
    case 'redis-kill': {
      const killed = await system.killRedisClients();
      if (killed === 0) throw new Error('no Redis client of the run found to kill');
      return `killed ${killed} clients of the run's Redis database`;
    }
    case 'db-stop':
      await system.stopDb();
      await sleep(f.downMs);
      await system.startDb();
      return `database server SIGKILLed, started again on the same port after ${f.downMs} ms`;
  }
}

export function runFaults(system: ChaosSystem, plan: readonly PlannedFault[], o: { startedAt: number; recoveryBoundMs: number; log: (line: string) => void }): FaultRun {
  let cancelled = false;
  const records: FaultRecord[] = [];
  const done = (async () => {
    for (const f of plan) {
      const wait = o.startedAt + f.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      if (cancelled) break;
      const injectedAt = Date.now();
      const base = { kind: f.kind, ...(f.target === undefined ? {} : { target: f.target }), injectedAtMs: injectedAt - o.startedAt };
      const unavailable = system.unavailableFaults[f.kind];
      if (unavailable !== undefined) {
        records.push({ ...base, skipped: true, note: `skipped: ${unavailable}` });
        o.log(`chaos: fault ${f.kind} SKIPPED: ${unavailable}`);
        continue;
      }
      o.log(`chaos: fault ${f.kind}${f.target ? ` ${f.target}` : ''} at +${(base.injectedAtMs / 1000).toFixed(1)} s`);
      let note: string;
      let injectionFailed = false;
      try {
        note = await inject(system, f);
      } catch (err) {
        note = `injection failed: ${(err as Error).message}`;
        injectionFailed = true;
      }
      let recoveryMs: number | undefined;
      // What recovery waited for last (a /ready, a probe): says where the time went.
      let waitedFor: string[] = [];
      while (Date.now() - injectedAt < o.recoveryBoundMs) {
        const problems = await system.problems();
        if (problems.length === 0) {
          recoveryMs = Date.now() - injectedAt;
          break;
        }
        waitedFor = problems;
        await sleep(100);
      }
      if (waitedFor.length > 0) note += `; last waited for ${waitedFor.join(', ')}`;
      records.push({ ...base, note, ...(recoveryMs === undefined ? {} : { recoveryMs }), ...(injectionFailed ? { injectionFailed } : {}) });
      o.log(
        recoveryMs === undefined
          ? `chaos:   NOT recovered within ${o.recoveryBoundMs / 1000} s (${note})`
          : `chaos:   recovered in ${(recoveryMs / 1000).toFixed(2)} s (${note})`,
      );
    }
    return records;
  })();
  return {
    done,
    cancel() {
      cancelled = true;
    },
  };
}
