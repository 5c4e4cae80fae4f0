// The figures of `pnpm bench`, read from each bench's `--json` report (no I/O here): ours, its
// baseline, the ratio and the target, with a verdict. A target missed is a MISS, never hidden.
import type { BenchReport } from './bench.report.js';
import type { HttpLoadResult } from './autocannon.child.js';
import type { LatencySummary } from './bench.stats.js';
import type { GrowthJobResult } from './growth.load.child.js';
import type { RoomResult } from './ws.load.child.js';
import type { LoadResult } from './translation.load.js';
import type { DeliveryReport } from './translation.delivery.js';
import type { CountsReport } from './counts.bench.js';
import { countsFigures } from './counts.figures.js';
import { cpuFigures, type CpuReport } from './cpu.figures.js';

export const BENCH_NAMES = ['registration', 'rest', 'ws', 'growth', 'translation', 'counts', 'cpu'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

export interface Target {
  /** What must hold: `ratio >= value`, or `ours <= value` / `ratio <= value`. */
  of: 'ratio' | 'ours';
  op: '>=' | '<=';
  value: number;
}

export interface Figure {
  id: string;
  bench: BenchName;
  figure: string;
  unit: string;
  ours: number;
  /** p50 next to a p99, where the figure is a latency. */
  oursP50?: number;
  baseline: number | null;
  baselineP50?: number;
  baselineLabel: string;
  ratio: number | null;
  target: Target | null;
  /** null: reported only, no target. */
  pass: boolean | null;
}

interface RestReport {
  runs: { conversations: HttpLoadResult; helloWorld: HttpLoadResult; conversationsUncached: HttpLoadResult };
  target: { ratio: number; target: number };
}
interface WsReport {
  runs: { gateway: RoomResult; relay: RoomResult };
  options: { idleConnections: number; roomSize: number };
  idle?: { opened: number; failed: number; perConnection: number };
  targets: { rssPerConnection?: { target: number } };
}
interface GrowthReport {
  options: { sizes: number[] };
  runs: Record<string, Record<'firstPage' | 'deepPage' | 'send', GrowthJobResult>>;
  targets: { op: 'firstPage' | 'deepPage' | 'send'; size: number; baselineSize: number; ratio: number; target: number }[];
}

const verdict = (target: Target | null, ours: number, ratio: number | null): boolean | null => {
  if (!target) return null;
  const value = target.of === 'ratio' ? ratio : ours;
  if (value === null || !Number.isFinite(value)) return false;
  return target.op === '>=' ? value >= target.value : value <= target.value;
};

function figure(f: Omit<Figure, 'pass'>): Figure {
  return { ...f, pass: verdict(f.target, f.ours, f.ratio) };
}

const ratioOf = (a: number, b: number | null): number | null => (b === null || b === 0 ? null : a / b);

function registrationFigures(r: BenchReport): Figure[] {
  const hash = r.runs.find((x) => x.kind === 'baseline' && x.name.startsWith('bare argon2id'));
  const echo = r.runs.find((x) => x.kind === 'baseline' && x.name.startsWith('bare request/reply echo'));
  const regs = r.runs.filter((x) => x.kind === 'registration');
  // The first registration run is the default hash at the default concurrency; the cheap hash is named m=1024.
  const main = regs[0];
  const cheap = regs.find((x) => x.name.includes('m=1024'));
  if (!hash || !echo || !main || !cheap) throw new Error('registration report: a run is missing');
  const lat = (l: LatencySummary | undefined) => l ?? { p50: Number.NaN, p99: Number.NaN, count: 0, mean: Number.NaN, max: Number.NaN };
  const reg = lat(main.result.latencies.register);
  const ver = lat(main.result.latencies.verify);
  const hashLat = lat(hash.result.latencies.total);
  const echoLat = lat(echo.result.latencies.total);
  const c = main.result.concurrency;
  return [
    figure({ id: 'registration.rate', bench: 'registration', figure: `Registration saga: completed registrations/s (default argon2id, ${c} in flight)`, unit: '/s', ours: main.result.perSecond, baseline: hash.result.perSecond, baselineLabel: 'bare argon2id hashes, same parameters', ratio: ratioOf(main.result.perSecond, hash.result.perSecond), target: { of: 'ratio', op: '>=', value: 0.7 } }),
    figure({ id: 'registration.cheap-rate', bench: 'registration', figure: 'Registration saga with the bench-only cheap hash: registrations/s', unit: '/s', ours: cheap.result.perSecond, baseline: echo.result.perSecond, baselineLabel: 'bare request/reply echoes on the same RabbitMQ', ratio: ratioOf(cheap.result.perSecond, echo.result.perSecond), target: { of: 'ratio', op: '>=', value: 0.2 } }),
    figure({ id: 'registration.register-latency', bench: 'registration', figure: 'Registration: `POST /v1/registrations` latency p50 / p99', unit: 'ms', ours: reg.p99, oursP50: reg.p50, baseline: hashLat.p99, baselineP50: hashLat.p50, baselineLabel: 'one bare argon2id hash', ratio: ratioOf(reg.p99, hashLat.p99), target: null }),
    figure({ id: 'registration.verify-latency', bench: 'registration', figure: 'Registration: code verification latency p50 / p99', unit: 'ms', ours: ver.p99, oursP50: ver.p50, baseline: echoLat.p99, baselineP50: echoLat.p50, baselineLabel: 'one bare request/reply echo', ratio: ratioOf(ver.p99, echoLat.p99), target: null }),
  ];
}

function restFigures(r: RestReport): Figure[] {
  const hello = r.runs.helloWorld.requestsPerSecond;
  return [
    figure({ id: 'rest.conversations', bench: 'rest', figure: 'REST: authenticated `GET /v1/conversations` req/s (autocannon)', unit: '/s', ours: r.runs.conversations.requestsPerSecond, baseline: hello, baselineLabel: 'bare Fastify hello-world', ratio: ratioOf(r.runs.conversations.requestsPerSecond, hello), target: { of: 'ratio', op: '>=', value: r.target.target } }),
    figure({ id: 'rest.conversations-uncached', bench: 'rest', figure: 'REST: the same route with the caches off', unit: '/s', ours: r.runs.conversationsUncached.requestsPerSecond, baseline: hello, baselineLabel: 'bare Fastify hello-world', ratio: ratioOf(r.runs.conversationsUncached.requestsPerSecond, hello), target: null }),
  ];
}

function wsFigures(r: WsReport): Figure[] {
  const { gateway, relay } = r.runs;
  const figures = [
    figure({ id: 'ws.room-rate', bench: 'ws', figure: `WebSocket: delivered msgs/s in a ${r.options.roomSize}-member room, messages persisted`, unit: '/s', ours: gateway.deliveredPerSecond, baseline: relay.deliveredPerSecond, baselineLabel: 'bare `ws` relay, no persistence', ratio: ratioOf(gateway.deliveredPerSecond, relay.deliveredPerSecond), target: { of: 'ratio', op: '>=', value: 0.5 } }),
    figure({ id: 'ws.room-latency', bench: 'ws', figure: 'WebSocket: send → receive latency p50 / p99 in that room', unit: 'ms', ours: gateway.latencyMs.p99, oursP50: gateway.latencyMs.p50, baseline: relay.latencyMs.p99, baselineP50: relay.latencyMs.p50, baselineLabel: 'bare `ws` relay', ratio: ratioOf(gateway.latencyMs.p99, relay.latencyMs.p99), target: null }),
  ];
  const rssTarget = (r.targets.rssPerConnection?.target ?? 16 * 1024) / 1024;
  figures.push(
    figure({
      id: 'ws.idle-rss',
      bench: 'ws',
      figure: `WebSocket: server RSS per idle authenticated connection at ${(r.idle?.opened ?? 0).toLocaleString('en-US')} connections${r.idle && r.idle.failed > 0 ? ` (${r.idle.failed} failed to open)` : ''}`,
      unit: 'KB',
      ours: r.idle ? r.idle.perConnection / 1024 : Number.NaN,
      baseline: null,
      baselineLabel: 'none',
      ratio: null,
      target: { of: 'ours', op: '<=', value: rssTarget },
    }),
  );
  return figures;
}

const OP_LABEL = { firstPage: 'history read, newest page', deepPage: 'history read, a page 100 messages above the oldest', send: 'message send' } as const;
const count = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

function growthFigures(r: GrowthReport): Figure[] {
  const ops = Object.keys(OP_LABEL);
  const targets = [...r.targets].sort((a, b) => ops.indexOf(a.op) - ops.indexOf(b.op) || a.size - b.size);
  return targets.map((t) => {
    const ours = r.runs[String(t.size)]![t.op].latencyMs;
    const base = r.runs[String(t.baselineSize)]![t.op].latencyMs;
    // A read that takes seconds leaves a handful of samples in the window: their p99 is their maximum.
    const few = ours.count < 100 ? ` (${ours.count} requests in the window: the p99 is the slowest)` : '';
    return figure({ id: `growth.${t.op}.${t.size}`, bench: 'growth', figure: `Growth: p99 of ${OP_LABEL[t.op]} with ${count(t.size)} stored messages${few}`, unit: 'ms', ours: ours.p99, oursP50: ours.p50, baseline: base.p99, baselineP50: base.p50, baselineLabel: `the same with ${count(t.baselineSize)} messages`, ratio: t.ratio, target: { of: 'ratio', op: '<=', value: t.target } });
  });
}

interface TranslationReport {
  options: { concurrency: number };
  runs: { bare: LoadResult; translator: LoadResult; cached: LoadResult };
  delivery: DeliveryReport;
}

/** Delivery with translation on may not be slower than this × without (p99s): "latency unchanged", with room for noise. */
const DELIVERY_RATIO_LIMIT = 1.5;

function translationFigures(r: TranslationReport): Figure[] {
  const { bare, translator, cached } = r.runs;
  const { on, off } = r.delivery;
  return [
    figure({ id: 'translation.rate', bench: 'translation', figure: `Translation: translations/s through the translator, en → es, texts never seen (${r.options.concurrency} in flight)`, unit: '/s', ours: translator.perSecond, baseline: bare.perSecond, baselineLabel: 'bare Apertium `POST /translate`, same load', ratio: ratioOf(translator.perSecond, bare.perSecond), target: null }),
    figure({ id: 'translation.cached-rate', bench: 'translation', figure: 'Translation: translations/s of texts the translator has cached', unit: '/s', ours: cached.perSecond, baseline: translator.perSecond, baselineLabel: 'the same translator, texts never seen', ratio: ratioOf(cached.perSecond, translator.perSecond), target: null }),
    figure({ id: 'translation.delivery-latency', bench: 'translation', figure: "Translation on: message delivery latency p50 / p99 (send → the reader's `message.new`, reader of another language)", unit: 'ms', ours: on.latencyMs.p99, oursP50: on.latencyMs.p50, baseline: off.latencyMs.p99, baselineP50: off.latencyMs.p50, baselineLabel: "translation off (reader of the sender's language), same run", ratio: ratioOf(on.latencyMs.p99, off.latencyMs.p99), target: { of: 'ratio', op: '<=', value: DELIVERY_RATIO_LIMIT } }),
    figure({ id: 'translation.arrival-latency', bench: 'translation', figure: `Translation: send → the reader's \`message.translated\` p50 / p99 (${on.translated} of ${on.requested} arrived)`, unit: 'ms', ours: on.translationMs.p99, oursP50: on.translationMs.p50, baseline: null, baselineLabel: 'none', ratio: null, target: null }),
  ];
}

/** The figures of one bench's report; throws when the report lacks what a figure needs. */
export function figuresOf(bench: BenchName, report: unknown): Figure[] {
  switch (bench) {
    case 'registration':
      return registrationFigures(report as BenchReport);
    case 'rest':
      return restFigures(report as RestReport);
    case 'ws':
      return wsFigures(report as WsReport);
    case 'growth':
      return growthFigures(report as GrowthReport);
    case 'translation':
      return translationFigures(report as TranslationReport);
    case 'counts':
      return countsFigures(report as CountsReport);
    case 'cpu':
      return cpuFigures(report as CpuReport);
  }
}
