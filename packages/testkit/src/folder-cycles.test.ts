import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t from 'tap';
import { describeCycle, folderCycles, folderGraph, relativeImports } from './folder-cycles.js';

const graphOf = (edges: Record<string, string[]>): Map<string, Map<string, string[]>> =>
  new Map(Object.entries(edges).map(([from, tos]) => [from, new Map(tos.map((to) => [to, []]))]));

t.test('relative specifiers of static, type-only, side-effect, dynamic imports and re-exports', async (t) => {
  const source = [
    "import { a } from '../a/a.js';",
    "import type { B } from '../b/b.js';",
    "import '../c/c.js';",
    "const d = await import('../d/d.js');",
    "export { e } from './e.js';",
    "export * from \"../f/f.js\";",
    "import { g } from '@ashchat/contracts';",
    'import {\n  h,\n} from "../h/h.js";',
  ].join('\n');
  t.same(relativeImports(source), ['../a/a.js', '../b/b.js', '../c/c.js', '../d/d.js', './e.js', '../f/f.js', '../h/h.js']);
});

t.test('no cycle in a layered graph', async (t) => {
  t.same(folderCycles(graphOf({ chat: ['realtime', 'errors'], realtime: ['errors'], registration: ['realtime'], errors: [] })), []);
});

t.test('a cycle is found and named as a closed path, through however many folders', async (t) => {
  t.same(folderCycles(graphOf({ chat: ['realtime'], realtime: ['chat'] })), [['chat', 'realtime', 'chat']]);
  t.same(folderCycles(graphOf({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] })), [['a', 'b', 'c', 'a']]);
  // Two loops through one folder: both are named.
  t.same(folderCycles(graphOf({ a: ['b', 'c'], b: ['a'], c: ['a'] })), [['a', 'b', 'a'], ['a', 'c', 'a']]);
  t.same(folderCycles(graphOf({ a: ['b'], b: ['a'], c: ['d'], d: ['c'] })).length, 2);
});

t.test('the folder graph of a source tree: files in src itself and imports inside a folder make no edge', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'folder-cycles-'));
  t.teardown(() => rmSync(src, { recursive: true, force: true }));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), text);
  };
  write('app.ts', "import chat from './chat/chat.plugin.js';\n");
  write('app.test-support.ts', "import { buildApp } from './app.js';\n");
  write('chat/chat.plugin.ts', "import { x } from './chat.service.js';\nimport type { WsOutput } from '../realtime/ws.types.js';\n");
  write('chat/chat.service.ts', "export const x = 1;\n");
  write('realtime/ws.types.ts', "export type WsOutput = object;\n");
  write('realtime/ws.gateway.test.ts', "import { buildTestApp } from '../app.test-support.js';\n");
  t.same(folderCycles(folderGraph(src)), []);

  // A test in realtime using chat's helpers closes the loop: tests belong to their folder.
  write('realtime/ws.chat.test.ts', "import { send } from '../chat/chat.test-support.js';\n");
  write('chat/chat.test-support.ts', 'export const send = 1;\n');
  const graph = folderGraph(src);
  const cycles = folderCycles(graph);
  t.same(cycles, [['chat', 'realtime', 'chat']]);
  const text = describeCycle(graph, cycles[0]!);
  t.match(text, /chat → realtime: chat\/chat\.plugin\.ts → \.\.\/realtime\/ws\.types\.js/);
  t.match(text, /realtime → chat: realtime\/ws\.chat\.test\.ts → \.\.\/chat\/chat\.test-support\.js/);
});
