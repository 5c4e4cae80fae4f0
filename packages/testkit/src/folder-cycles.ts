import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The import graph between the folders of a service's `src`: an edge A → B when a file under
 * `src/A` imports one under `src/B` (static, dynamic, type-only and re-exports alike; tests and
 * test helpers count too, they live in the folders). Files directly in `src` (the composition root,
 * app-wide test helpers) belong to no folder and are left out. Read with a regex over the source
 * text, no compiler: only relative specifiers matter, and those are plain string literals.
 */
export type FolderGraph = Map<string, Map<string, string[]>>;

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
const SOURCE = /\.(?:ts|mts|cts|tsx)$/;

/** Relative import specifiers of one file's text (comments are not told apart: keep them free of `from '../x'`). */
export function relativeImports(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1]!);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !file.split(sep).includes('node_modules'));
}

/** The top-level folder of `file` under `srcDir`, or undefined for files in `srcDir` itself or outside it. */
function folderOf(srcDir: string, file: string): string | undefined {
  const parts = relative(srcDir, file).split(sep);
  if (parts.length < 2 || parts[0] === '..') return undefined;
  return parts[0];
}

/** The folder graph of `srcDir`; each edge keeps the files that make it (`from → to`) for the message. */
export function folderGraph(srcDir: string): FolderGraph {
  const root = resolve(srcDir);
  const graph: FolderGraph = new Map();
  for (const file of sourceFiles(root)) {
    const from = folderOf(root, file);
    if (from === undefined) continue;
    const edges = graph.get(from) ?? new Map<string, string[]>();
    graph.set(from, edges);
    for (const specifier of relativeImports(readFileSync(file, 'utf8'))) {
      const to = folderOf(root, resolve(dirname(file), specifier));
      if (to === undefined || to === from) continue;
      const why = edges.get(to) ?? [];
      why.push(`${relative(root, file)} → ${specifier}`);
      edges.set(to, why);
    }
  }
  return graph;
}

/**
 * Cycles of the graph as closed paths (`['a', 'b', 'a']`): for each folder caught in one, the
 * shortest; none when the folders form layers. Pure: only the edges' keys matter.
 */
export function folderCycles(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  // Tarjan's strongly connected components, then one cycle through each component.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const targets = (node: string): string[] => [...(graph.get(node)?.keys() ?? [])].sort();

  const visit = (node: string): void => {
    indexOf.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of targets(node)) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
      }
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let top: string;
      do {
        top = stack.pop()!;
        onStack.delete(top);
        component.push(top);
      } while (top !== node);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indexOf.has(node)) visit(node);

  const cycles = new Map<string, string[]>();
  for (const component of components) {
    const members = new Set(component);
    // The shortest way back to each member inside its component (breadth first): every folder of a
    // tangle shows up in some reported cycle, each cycle once (rotated to start at its least folder).
    for (const start of [...component].sort()) {
      const previous = new Map<string, string>();
      const queue = [start];
      let found: string[] | undefined;
      while (queue.length > 0 && !found) {
        const node = queue.shift()!;
        for (const next of targets(node)) {
          if (!members.has(next)) continue;
          if (next === start) {
            found = [node];
            while (found[0] !== start) found.unshift(previous.get(found[0]!)!);
            break;
          }
          if (!previous.has(next)) {
            previous.set(next, node);
            queue.push(next);
          }
        }
      }
      if (!found) continue;
      const least = found.indexOf([...found].sort()[0]!);
      const rotated = [...found.slice(least), ...found.slice(0, least)];
      cycles.set(rotated.join(' '), [...rotated, rotated[0]!]);
    }
  }
  return [...cycles.values()];
}

/** A readable account of a cycle: each step with the first file that makes it. */
export function describeCycle(graph: FolderGraph, cycle: readonly string[]): string {
  const steps = cycle.slice(1).map((to, i) => {
    const from = cycle[i]!;
    const why = graph.get(from)?.get(to) ?? [];
    return `  ${from} → ${to}: ${why[0] ?? '?'}${why.length > 1 ? ` (and ${why.length - 1} more)` : ''}`;
  });
  return [`${cycle.join(' → ')}`, ...steps].join('\n');
}
