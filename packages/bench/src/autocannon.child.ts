import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export interface HttpLoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
  signal?: AbortSignal;
}

export interface HttpLoadResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

const AUTOCANNON_BIN = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/**
 * Runs autocannon in its OWN process (its CLI with `--json`), so the load generator does not share
 * an event loop, a CPU or a heap with the server it measures. Loopback only.
 */
export function runHttpLoad(o: HttpLoadOptions): Promise<HttpLoadResult> {
  const url = new URL(o.url);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`refusing to load ${url.host}: loopback only`);
  const args = [AUTOCANNON_BIN, '--json', '-c', String(o.connections), '-d', String(o.durationSeconds)];
  for (const [name, value] of Object.entries(o.headers ?? {})) args.push('-H', `${name}=${value}`);
  args.push(o.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err.trim().slice(-500)}`));
      try {
        const r = JSON.parse(out) as {
          requests: { average: number; total: number };
          latency: { p50: number; p99: number };
          non2xx: number;
          errors: number;
        };
        resolve({
          requestsPerSecond: r.requests.average,
          latencyP50Ms: r.latency.p50,
          latencyP99Ms: r.latency.p99,
          requests: r.requests.total,
          non2xx: r.non2xx,
          errors: r.errors,
        });
      } catch (e) {
        reject(new Error(`autocannon printed no JSON: ${String(e)}; ${out.slice(0, 300)}`));
      }
    });
  });
}
