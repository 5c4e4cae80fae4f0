// The rows of `pnpm bench` from cpu.bench.ts's report: CPU of our processes per operation beside
// the bare baselines of the same run, medians of the rounds with their spread in the label.
import type { Figure } from './bench.figures.js';
import type { Spread } from './cpu.proc.js';

export interface CpuReport {
  services: { build: string };
  options: { rounds: number; concurrency: number };
  figures: Partial<Record<CpuFigureName, Spread>>;
  targets: { registrationHashExcludedMs: number; gatewayVsWs: number; gatewayVsSocketIo: number; restRatio: number };
}
type CpuFigureName =
  | 'registrationMs'
  | 'registrationBackendMs'
  | 'registrationVerifierMs'
  | 'hashMs'
  | 'registrationHashExcludedMs'
  | 'gatewayMs'
  | 'wsRelayMs'
  | 'socketIoMs'
  | 'gatewayVsWs'
  | 'gatewayVsSocketIo'
  | 'restMs'
  | 'helloMs'
  | 'restRatio'
  | 'restPerSecond'
  | 'helloPerSecond';

const sig2 = (n: number): string => Number(n.toPrecision(2)).toLocaleString('en-US', { maximumFractionDigits: 6 });
const range = (s: Spread | undefined, scale = 1): string => (s ? `${sig2(s.min * scale)}–${sig2(s.max * scale)}` : '–');

export function cpuFigures(r: CpuReport): Figure[] {
  const f = r.figures;
  const n = r.options.rounds;
  const med = (s: Spread | undefined, scale = 1): number => (s ? s.median * scale : Number.NaN);
  const verdict = (value: number, op: '<=' | '>=', limit: number): boolean => Number.isFinite(value) && (op === '<=' ? value <= limit : value >= limit);
  const setting = `${r.services.build}; median of ${n} rounds`;
  const rows: Omit<Figure, 'bench'>[] = [
    {
      id: 'cpu.registration-hash-excluded',
      figure: `CPU of backend + verifier per completed registration, argon2id hash excluded (${setting}, spread ${range(f.registrationHashExcludedMs)} ms; ${r.options.concurrency} in flight)`,
      unit: 'ms CPU',
      ours: med(f.registrationHashExcludedMs),
      baseline: med(f.hashMs),
      baselineLabel: `one bare argon2id hash in its own process, same run, subtracted; spread ${range(f.hashMs)} ms`,
      ratio: null,
      target: { of: 'ours', op: '<=', value: r.targets.registrationHashExcludedMs },
      pass: verdict(med(f.registrationHashExcludedMs), '<=', r.targets.registrationHashExcludedMs),
    },
    {
      id: 'cpu.registration-total',
      figure: `CPU per completed registration, hash included: backend ${sig2(med(f.registrationBackendMs))} ms + verifier ${sig2(med(f.registrationVerifierMs))} ms (spread ${range(f.registrationMs)} ms)`,
      unit: 'ms CPU',
      ours: med(f.registrationMs),
      baseline: med(f.hashMs),
      baselineLabel: 'one bare argon2id hash',
      ratio: f.registrationMs && f.hashMs ? f.registrationMs.median / f.hashMs.median : null,
      target: null,
      pass: null,
    },
    {
      id: 'cpu.ws-vs-ws',
      figure: `CPU of the gateway (backend) per delivered message, persisted 10-member room (${setting}; ratio spread ${range(f.gatewayVsWs)})`,
      unit: 'µs CPU',
      ours: med(f.gatewayMs, 1000),
      baseline: med(f.wsRelayMs, 1000),
      baselineLabel: 'bare `ws` relay, no persistence, same load',
      ratio: med(f.gatewayVsWs),
      target: { of: 'ratio', op: '<=', value: r.targets.gatewayVsWs },
      pass: verdict(med(f.gatewayVsWs), '<=', r.targets.gatewayVsWs),
    },
    {
      id: 'cpu.ws-vs-socketio',
      figure: `The same gateway CPU per delivered message against a Socket.io relay (ratio spread ${range(f.gatewayVsSocketIo)})`,
      unit: 'µs CPU',
      ours: med(f.gatewayMs, 1000),
      baseline: med(f.socketIoMs, 1000),
      baselineLabel: 'bare Socket.io relay to a room, socket.io-client, same load',
      ratio: med(f.gatewayVsSocketIo),
      target: { of: 'ratio', op: '<=', value: r.targets.gatewayVsSocketIo },
      pass: verdict(med(f.gatewayVsSocketIo), '<=', r.targets.gatewayVsSocketIo),
    },
    {
      id: 'cpu.rest-rate',
      figure: `REST, built backend in its own process: authenticated \`GET /v1/conversations\` req/s (${setting}; ratio spread ${range(f.restRatio)})`,
      unit: '/s',
      ours: med(f.restPerSecond),
      baseline: med(f.helloPerSecond),
      baselineLabel: 'bare Fastify hello-world in its own process',
      ratio: med(f.restRatio),
      target: { of: 'ratio', op: '>=', value: r.targets.restRatio },
      pass: verdict(med(f.restRatio), '>=', r.targets.restRatio),
    },
    {
      id: 'cpu.rest-cpu',
      figure: `REST: backend CPU per authenticated \`GET /v1/conversations\` (spread ${range(f.restMs, 1000)} µs)`,
      unit: 'µs CPU',
      ours: med(f.restMs, 1000),
      baseline: med(f.helloMs, 1000),
      baselineLabel: `bare Fastify hello-world; spread ${range(f.helloMs, 1000)} µs`,
      ratio: f.restMs && f.helloMs ? f.restMs.median / f.helloMs.median : null,
      target: null,
      pass: null,
    },
  ];
  return rows.map((row) => ({ ...row, bench: 'cpu' }) as Figure);
}
