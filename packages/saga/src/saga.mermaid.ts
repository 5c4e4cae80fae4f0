import type { AnyStateMachine } from 'xstate';

/**
 * Renders an XState v5 machine as a Mermaid `stateDiagram-v2` by walking its state nodes (no
 * maintained package does this for v5). Deterministic output: the docs check compares it byte for byte.
 */

interface GraphNode {
  key: string;
  path: string[];
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  description?: string;
  states: Record<string, GraphNode>;
  initial?: { target: readonly GraphNode[] };
  transitions: Map<string, readonly GraphTransition[]>;
  always?: readonly GraphTransition[];
}
interface GraphTransition {
  eventType: string;
  guard?: unknown;
  target?: readonly GraphNode[];
}

export interface MachineTransition {
  /** Dotted path of the source state. */
  source: string;
  event: string;
  /** Human-readable guard, e.g. `canResend` or `timerDue(expiry)`; undefined when unguarded. */
  guard?: string;
  /** Dotted target paths; empty for a targetless transition (actions only). */
  targets: string[];
}

export interface MachineState {
  path: string;
  type: GraphNode['type'];
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

const dotted = (n: GraphNode): string => n.path.join('.');
/** Mermaid ends a statement at `;` and starts a comment at `%%`: keep free text on one safe line. */
const text = (s: string): string => s.replace(/\s+/g, ' ').replace(/;/g, ',').replace(/%%/g, '%');
const mermaidId = (n: GraphNode): string => n.path.join('__');

function walk(node: GraphNode, visit: (n: GraphNode) => void): void {
  visit(node);
  for (const child of Object.values(node.states)) walk(child, visit);
}

/** Every state below the root, depth first in definition order. */
export function listStates(machine: AnyStateMachine): MachineState[] {
  const out: MachineState[] = [];
  walk(machine.root as unknown as GraphNode, (n) => {
    if (n.path.length === 0) return;
    out.push({ path: dotted(n), type: n.type, ...(n.description ? { description: n.description } : {}) });
  });
  return out;
}

/** Every transition (including eventless `always`), in definition order. */
export function listTransitions(machine: AnyStateMachine): MachineTransition[] {
  const out: MachineTransition[] = [];
  walk(machine.root as unknown as GraphNode, (n) => {
    const all = [...n.transitions.values()].flat().concat(n.always ?? []);
    for (const t of all) {
      const guard = describeGuard(t.guard);
      out.push({
        source: dotted(n),
        event: t.eventType === '' ? '(always)' : t.eventType,
        ...(guard ? { guard } : {}),
        targets: (t.target ?? []).map(dotted),
      });
    }
  });
  return out;
}

export function toMermaid(machine: AnyStateMachine): string {
  const root = machine.root as unknown as GraphNode;
  const lines: string[] = ['stateDiagram-v2'];
  const byPath = new Map<string, GraphNode>();
  walk(root, (n) => byPath.set(dotted(n), n));

  const renderScope = (scope: GraphNode, indent: string): void => {
    const children = Object.values(scope.states);
    if (scope.type === 'parallel') {
      children.forEach((region, i) => {
        if (i > 0) lines.push(`${indent}--`);
        renderState(region, indent);
      });
      return;
    }
    for (const target of scope.initial?.target ?? []) lines.push(`${indent}[*] --> ${mermaidId(target)}`);
    for (const child of children) renderState(child, indent);
    for (const child of children) {
      if (child.type === 'final') lines.push(`${indent}${mermaidId(child)} --> [*]`);
    }
  };

  const renderState = (n: GraphNode, indent: string): void => {
    const id = mermaidId(n);
    if (n.path.length > 1 || id !== n.key) lines.push(`${indent}state "${n.key}" as ${id}`);
    if (n.description) lines.push(`${indent}${id} : ${text(n.description)}`);
    if (Object.keys(n.states).length > 0) {
      lines.push(`${indent}state ${id} {`);
      renderScope(n, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };

  renderScope(root, '  ');
  for (const t of listTransitions(machine)) {
    const from = mermaidId(byPath.get(t.source)!);
    const label = text(`${t.event}${t.guard ? ` [${t.guard}]` : ''}`);
    const targets = t.targets.length > 0 ? t.targets : [t.source];
    for (const target of targets) lines.push(`  ${from} --> ${mermaidId(byPath.get(target)!)} : ${label}`);
  }
  return `${lines.join('\n')}\n`;
}
