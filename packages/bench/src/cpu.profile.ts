// Summarises a V8 .cpuprofile (`node --cpu-prof`): self time per function and per package, so a
// profile says where a service's CPU goes without opening DevTools.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy time (idle excluded). */
  share: number;
}
export interface ProfileSummary {
  file: string;
  /** The part of the profile summarised, ms after it started (the load windows; start-up excluded). */
  window?: ProfileWindow;
  busyMs: number;
  idleMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
}

/** Which package a frame belongs to: an npm package, a workspace package, a Node internal module, or V8's own bucket. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const npm = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url);
  if (npm) return npm[1]!;
  const workspace = /\/(services|packages)\/([^/]+)\//.exec(url);
  if (workspace) return `@ashchat/${workspace[2]}`;
  const internal = /^node:(?:internal\/)?([^/]+)/.exec(url);
  if (internal) return `node:${internal[1]}`;
  return url;
}

const shortUrl = (url: string): string => url.replace(/^file:\/\/.*?\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^file:\/\/.*?\/(services|packages)\//, '$1/');

export interface ProfileWindow {
  fromMs: number;
  toMs: number;
}

/**
 * Self time per function (name + file:line) and per package of one profile; the `top` of each.
 * With `window`, only the samples taken in it count: module loading and schema compilation at
 * start-up would otherwise outweigh a few seconds of load.
 */
export function summariseProfile(file: string, top = 12, window?: ProfileWindow): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = 0;
  // timeDeltas[i] is the time since the previous sample: it belongs to sample i's frame (V8's convention).
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    at += delta;
    if (window && (at < window.fromMs || at > window.toMs)) return;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let idleMs = 0;
  let busyMs = 0;
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    const fn = `${functionName || '(anonymous)'}${url ? ` ${shortUrl(url)}:${lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
  }
  const rank = (m: Map<string, number>): SelfTime[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }));
  return { file, ...(window ? { window } : {}), busyMs, idleMs, functions: rank(functions), packages: rank(packages) };
}

/** Plain-text lines of a summary, for stderr and the report. */
export function formatProfile(title: string, s: ProfileSummary): string {
  const pct = (x: SelfTime): string => `${(x.share * 100).toFixed(1).padStart(5)} %  ${x.name}`;
  return [
    `${title}: ${(s.busyMs / 1000).toFixed(1)} s busy (idle ${(s.idleMs / 1000).toFixed(1)} s)${s.window ? ` from ${(s.window.fromMs / 1000).toFixed(1)} s to ${(s.window.toMs / 1000).toFixed(1)} s after start` : ''}, ${s.file}`,
    '  top packages by self time:',
    ...s.packages.map((p) => `    ${pct(p)}`),
    '  top functions by self time:',
    ...s.functions.map((f) => `    ${pct(f)}`),
  ].join('\n');
}
