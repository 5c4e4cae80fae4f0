import { fileURLToPath } from 'node:url';
import t from 'tap';
import { describeCycle, folderCycles, folderGraph } from '@ashchat/testkit';

// Folders are layers: each may use those below it, never one that (through others) uses it back.
t.test('no import cycle between the folders of src', async (t) => {
  const graph = folderGraph(fileURLToPath(new URL('.', import.meta.url)));
  t.ok(graph.size > 1, 'the folders were read');
  const cycles = folderCycles(graph);
  t.same(cycles.map((c) => c.join(' → ')), [], cycles.map((c) => describeCycle(graph, c)).join('\n\n') || 'no cycle');
});
