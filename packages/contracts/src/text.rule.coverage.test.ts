import t from 'tap';
import { Kind, Type, type TSchema } from '@sinclair/typebox';
import * as contracts from './index.js';
import { isTextFormat } from './text.rule.js';

/*
 * Every string field of every exported contract (REST bodies, params, queries and answers, WebSocket
 * frames, queue messages, events) must be under the text rule, so a field added later cannot forget
 * it: a text format, or a closed set (enum/const), or an anchored allow-list pattern (ids, codes,
 * cursors) that cannot match a control character in the first place.
 */

type Json = Record<string, unknown>;
const isSchema = (v: unknown): v is TSchema => typeof v === 'object' && v !== null && Kind in v;

/** Formats that are strict syntaxes of their own (no control characters can match them). */
// `emoji` (reaction.schema.ts): one RGI emoji grapheme; no control or free text can pass it.
const STRICT_FORMATS = new Set(['date-time', 'emoji']);
/** Escapes an allow-list may use: character classes of ASCII letters/digits, and escaped punctuation. */
const SAFE_ESCAPE = /^[dw!-/:-@[-`{-~]$/;

/**
 * Whether `pattern` only matches strings made of printable ASCII: anchored at both ends, no
 * top-level alternation (it would loosen an anchor), no negated class, no `.`, and no escape that
 * reaches beyond ASCII (`\s`, `\S`, `\p{…}`, `\u…`…).
 */
function isAllowListPattern(pattern: string): boolean {
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$')) return false;
  const body = pattern.slice(1, -1);
  let inClass = false;
  let depth = 0;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (c < ' ' || c > '~') return false;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined || !SAFE_ESCAPE.test(next)) return false;
      i += 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      if (body[i + 1] === '^') return false;
      inClass = true;
    } else if (c === '.' || c === '$' || c === '^') return false;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '|' && depth === 0) return false;
  }
  return !inClass && depth === 0;
}

function stringProblem(s: Json): string | undefined {
  if (s.const !== undefined || Array.isArray(s.enum)) return undefined;
  if (isTextFormat(s.format) || (typeof s.format === 'string' && STRICT_FORMATS.has(s.format))) return undefined;
  if (typeof s.pattern === 'string' && isAllowListPattern(s.pattern)) return undefined;
  return 'free text without the text rule (use TextString/LineString/DisplayNameString, an enum, or an anchored allow-list pattern)';
}

/** Every string schema reachable from `schema`, with its path; refs are collected to check they resolve. */
function walk(schema: unknown, path: string, visit: (s: Json, path: string) => void, refs: Set<string>): void {
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Json;
  if (typeof s.$ref === 'string') refs.add(s.$ref);
  const kind = (schema as { [Kind]?: unknown })[Kind];
  if (s.type === 'string' || kind === 'String' || kind === 'Literal') visit(s, path);
  for (const key of ['anyOf', 'allOf', 'oneOf', 'prefixItems'] as const) {
    if (Array.isArray(s[key])) (s[key] as unknown[]).forEach((sub, i) => walk(sub, `${path}/${key}/${i}`, visit, refs));
  }
  for (const key of ['properties', 'patternProperties'] as const) {
    const props = s[key];
    if (typeof props === 'object' && props !== null) for (const [k, sub] of Object.entries(props)) walk(sub, `${path}/${k}`, visit, refs);
  }
  for (const key of ['items', 'additionalProperties', 'not'] as const) walk(s[key], `${path}/${key}`, visit, refs);
}

/** Every TypeBox schema among the exports, also inside exported records and arrays (frame maps, the messaging catalogue). */
function exportedSchemas(): Array<[string, TSchema]> {
  const found: Array<[string, TSchema]> = [];
  const seen = new Set<unknown>();
  const collect = (value: unknown, name: string): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (isSchema(value)) found.push([name, value]);
    else for (const [k, v] of Object.entries(value)) collect(v, `${name}.${k}`);
  };
  for (const [name, value] of Object.entries(contracts)) collect(value, name);
  return found;
}

function problems(roots: Array<[string, TSchema]>): { problems: string[]; strings: number; unresolved: string[] } {
  const out: string[] = [];
  const refs = new Set<string>();
  const ids = new Set<string>();
  let strings = 0;
  for (const [name, schema] of roots) {
    if (typeof schema.$id === 'string') ids.add(schema.$id);
    walk(
      schema,
      name,
      (s, path) => {
        strings += 1;
        const problem = stringProblem(s);
        if (problem !== undefined) out.push(`${path}: ${problem}`);
      },
      refs,
    );
  }
  return { problems: out, strings, unresolved: [...refs].filter((r) => !ids.has(r)) };
}

t.test('every string field of every exported contract is under the text rule', async (t) => {
  const roots = exportedSchemas();
  const names = new Set(roots.map(([n]) => n));
  // The walk must see every kind of contract, or it proves nothing.
  for (const expected of ['SendMessageBody', 'CreateSessionBody', 'UserSearchQuery', 'CreateConversationBody', 'WsClientFrame', 'AccountCreationRequest', 'ChatEvent', 'ErrorResponse']) {
    t.ok(names.has(expected), `walks ${expected}`);
  }
  const result = problems(roots);
  t.ok(result.strings > 50, `checked ${result.strings} string schemas in ${roots.length} exported schemas`);
  t.same(result.problems, [], 'no free-text string escapes the rule');
  t.same(result.unresolved, [], 'every $ref points at an exported schema (so it was walked too)');
});

t.test('the walk catches a field that forgot the rule, wherever it hides', async (t) => {
  const bare = Type.Object({
    a: Type.String(),
    b: Type.Optional(Type.Array(Type.String({ pattern: '\\S' }))),
    c: Type.Union([Type.Null(), Type.Object({ d: Type.String({ format: 'email' }) })]),
    e: Type.Record(Type.String(), Type.String({ maxLength: 3 })),
    ok: Type.Union([Type.Literal('x'), contracts.Uuid, contracts.TextString(), Type.String({ enum: ['a', 'b'] })]),
  });
  t.same(problems([['Bare', bare]]).problems.map((p) => p.split(':')[0]), ['Bare/a', 'Bare/b/items', 'Bare/c/anyOf/1/d', 'Bare/e/^(.*)$']);
});

t.test('allow-list patterns', async (t) => {
  for (const p of ['^[0-9a-f]{24}$', '^[A-Za-z0-9_.:-]+$', '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$', '^\\d{6}$', '^(a|b)$']) t.ok(isAllowListPattern(p), p);
  for (const p of ['\\S', '^.*$', '^[^x]+$', '^[\\s\\S]*$', '^a|b$', '^[\\u0000-\\uffff]+$', '^\\p{L}+$', '^[^\\s@]+@[^\\s@]+$', '^ab', 'ab$', '^a\\$', '^\u00e9$', '^a(b$']) {
    t.notOk(isAllowListPattern(p), p);
  }
});
