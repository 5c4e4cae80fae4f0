import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';

/**
 * Renders an XState v5 machine as a Mermaid `stateDiagram-v2`, built on xstate's own
 * `toDirectedGraph` (no maintained package does this for v5). Deterministic output: the docs
 * check compares it byte for byte.
 */

/** The parts of xstate's StateNode this module reads. */
interface GraphStateNode {
  key: string;
  path: string[];
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  description?: string;
  initial?: { target: readonly GraphStateNode[] };
  always?: readonly GraphTransition[];
}
interface GraphTransition {
  eventType: string;
  description?: string;
  guard?: unknown;
  target?: readonly GraphStateNode[];
}
interface Graph {
  node: GraphStateNode;
  children: Graph[];
  /** One per (transition, target); a targetless transition points back at its source. */
  edges: { transition: GraphTransition; target: GraphStateNode; targetless: boolean }[];
}

/** xstate's directed graph, plus the eventless `always` transitions it leaves out. */
function graphOf(machine: AnyStateMachine): Graph {
  const convert = (g: DirectedGraphNode): Graph => {
    const node = g.stateNode as unknown as GraphStateNode;
    const edges = g.edges.map((e) => {
      const transition = e.transition as unknown as GraphTransition;
      return { transition, target: e.target as unknown as GraphStateNode, targetless: !transition.target?.length };
    });
    for (const t of node.always ?? []) {
      for (const target of t.target?.length ? t.target : [node]) edges.push({ transition: t, target, targetless: !t.target?.length });
    }
    return { node, children: g.children.map(convert), edges };
  };
  return convert(toDirectedGraph(machine));
}

export interface MachineTransition {
  /** Dotted path of the source state. */
  source: string;
  event: string;
  /** Human-readable guard, e.g. `canResend` or `timerDue(expiry)`; undefined when unguarded. */
  guard?: string;
  /** Dotted target paths; empty for a targetless transition (actions only). */
  targets: string[];
  /** The transition's `description` (what the event means here). */
  description?: string;
}

export interface MachineState {
  path: string;
  type: GraphStateNode['type'];
  description?: string;
}

/** Readable guard text: named guards with their params, and/or/not composed. */
export function describeGuard(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const g = guard as { name?: string; guards?: unknown[] };
    const inner = (g.guards ?? []).map((x) => describeGuard(x) ?? '?');
    if (g.name === 'and') return inner.join(' && ');
    if (g.name === 'or') return inner.map((x) => (x.includes(' ') ? `(${x})` : x)).join(' || ');
    if (g.name === 'not') return `!${inner[0]?.includes(' ') ? `(${inner[0]})` : inner[0]}`;
    return g.name || 'inline';
  }
  const obj = guard as { type?: string; params?: unknown };
  const params = obj.params;
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    return `${obj.type}(${Object.values(params as Record<string, unknown>).map(String).join(', ')})`;
  }
  return obj.type ?? 'inline';
}

const dotted = (n: GraphStateNode): string => n.path.join('.');
/** `xstate.after.<delay>.<state id>` (an `after` delay) reads as `after <delay>ms`; eventless as `(always)`. */
const eventLabel = (eventType: string): string => {
  if (eventType === '') return '(always)';
  const delay = /^xstate\.after\.([^.]+)\./.exec(eventType)?.[1];
  return delay === undefined ? eventType : `after ${/^\d+$/.test(delay) ? `${delay}ms` : delay}`;
};
/** Mermaid ends a statement at `;` and starts a comment at `%%`: keep free text on one safe line. */
const text = (s: string): string => s.replace(/\s+/g, ' ').replace(/;/g, ',').replace(/%%/g, '%');
const mermaidId = (n: GraphStateNode): string => n.path.join('__');

function walk(g: Graph, visit: (g: Graph) => void): void {
  visit(g);
  for (const child of g.children) walk(child, visit);
}

/** Every state below the root, depth first in definition order. */
export function listStates(machine: AnyStateMachine): MachineState[] {
  const out: MachineState[] = [];
  walk(graphOf(machine), ({ node: n }) => {
    if (n.path.length === 0) return;
    out.push({ path: dotted(n), type: n.type, ...(n.description ? { description: n.description } : {}) });
  });
  return out;
}

/** Every transition (including eventless `always`), in definition order; one entry per transition. */
export function listTransitions(machine: AnyStateMachine): MachineTransition[] {
  const out: MachineTransition[] = [];
  walk(graphOf(machine), (g) => {
    const seen = new Set<GraphTransition>();
    for (const { transition: t } of g.edges) {
      if (seen.has(t)) continue;
      seen.add(t);
      const guard = describeGuard(t.guard);
      out.push({
        source: dotted(g.node),
        event: eventLabel(t.eventType),
        ...(guard ? { guard } : {}),
        targets: (t.target ?? []).map(dotted),
        ...(t.description ? { description: t.description } : {}),
      });
    }
  });
  return out;
}

export function toMermaid(machine: AnyStateMachine): string {
  const root = graphOf(machine);
  const lines: string[] = ['stateDiagram-v2'];

  const renderScope = (scope: Graph, indent: string): void => {
    if (scope.node.type === 'parallel') {
      scope.children.forEach((region, i) => {
        if (i > 0) lines.push(`${indent}--`);
        renderState(region, indent);
      });
      return;
    }
    for (const target of scope.node.initial?.target ?? []) lines.push(`${indent}[*] --> ${mermaidId(target)}`);
    for (const child of scope.children) renderState(child, indent);
    for (const child of scope.children) {
      if (child.node.type === 'final') lines.push(`${indent}${mermaidId(child.node)} --> [*]`);
    }
  };

  const renderState = (g: Graph, indent: string): void => {
    const n = g.node;
    const id = mermaidId(n);
    // Declared with its name even when id = name: Mermaid then draws name AND description, not just the description.
    if (n.path.length > 1 || id !== n.key || n.description) lines.push(`${indent}state "${n.key}" as ${id}`);
    if (n.description) lines.push(`${indent}${id} : ${text(n.description)}`);
    if (g.children.length > 0) {
      lines.push(`${indent}state ${id} {`);
      renderScope(g, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };

  renderScope(root, '  ');
  walk(root, (g) => {
    for (const { transition: t, target } of g.edges) {
      const event = eventLabel(t.eventType);
      const guard = describeGuard(t.guard);
      lines.push(`  ${mermaidId(g.node)} --> ${mermaidId(target)} : ${text(`${event}${guard ? ` [${guard}]` : ''}`)}`);
    }
  });
  return `${lines.join('\n')}\n`;
}
