// The load generator of `growth.bench.ts`, in its own process (so it shares neither an event loop
// nor a CPU budget with the server it measures). Reads one JSON job per stdin line and answers one
// JSON line per job on stdout; ends when stdin ends. Each job is a closed loop of `concurrency`
// workers over HTTP keep-alive (Node's fetch), bounded in time AND count. Loopback only.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { summarise, type LatencySummary } from './bench.stats.js';

export interface GrowthJob {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** JSON body; every `{uuid}` in it is replaced by a fresh UUID per request (a new clientMessageId). */
  body?: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Upper bound on requests in the measured window, whatever the duration. */
  maxRequests: number;
  /** A request slower than this counts as an error (and is abandoned). */
  requestTimeoutMs: number;
}

export interface GrowthJobResult {
  requests: number;
  perSecond: number;
  latencyMs: LatencySummary;
  /** Answers outside 2xx, and requests that failed (refused, reset, timed out). */
  non2xx: number;
  errors: number;
  firstError?: string;
}

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`refusing to load ${host}: loopback only`);
}

async function runJob(job: GrowthJob): Promise<GrowthJobResult> {
  assertLoopback(job.url);
  const samples: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let firstError: string | undefined;
  let recording = false;
  let started = 0;
  const once = async (): Promise<void> => {
    const t0 = performance.now();
    try {
      const res = await fetch(job.url, {
        method: job.method,
        headers: job.headers,
        ...(job.body === undefined ? {} : { body: job.body.replaceAll('{uuid}', () => randomUUID()) }),
        signal: AbortSignal.timeout(job.requestTimeoutMs),
      });
      // The whole answer is read: a page's latency includes sending it.
      const text = await res.text();
      if (!recording) return;
      samples.push(performance.now() - t0);
      if (res.status < 200 || res.status > 299) {
        non2xx += 1;
        firstError ??= `HTTP ${res.status} ${text.slice(0, 200)}`;
      }
    } catch (error) {
      if (!recording) return;
      errors += 1;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  };
  const loop = async (until: () => boolean): Promise<void> => {
    while (!until()) await once();
  };
  const workers = (until: () => boolean) => Promise.all(Array.from({ length: job.concurrency }, () => loop(until)));

  const warmupEnd = performance.now() + job.warmupMs;
  await workers(() => performance.now() >= warmupEnd);
  recording = true;
  const t0 = performance.now();
  const end = t0 + job.durationMs;
  await workers(() => performance.now() >= end || started++ >= job.maxRequests);
  const elapsed = performance.now() - t0;
  return {
    requests: samples.length + errors,
    perSecond: (samples.length - non2xx) / (elapsed / 1000),
    latencyMs: summarise(samples),
    non2xx,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

// One job at a time, in order: a job never overlaps the next one.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === '') return;
  queue = queue.then(async () => {
    try {
      process.stdout.write(`${JSON.stringify(await runJob(JSON.parse(line) as GrowthJob))}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
    }
  });
});
