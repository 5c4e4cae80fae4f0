import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import t from 'tap';
import { createMachine, type AnyStateMachine } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';
import { SAGA_DOCS, registrationMachine, type SagaDocEntry } from '@ashchat/backend';
import { REPO_ROOT, checkDocs, renderDocs, writeDocs } from './docs.generate.js';

/** Mermaid ids the renderer uses: the state path joined with `__`. */
const idOf = (node: { path: string[] }): string => node.path.join('__');

function graphEdges(g: DirectedGraphNode): { source: string; target: string; event: string }[] {
  return [
    ...g.edges.map((e) => ({ source: idOf(e.source), target: idOf(e.target), event: e.transition.eventType })),
    ...g.children.flatMap(graphEdges),
  ];
}
function graphNodes(g: DirectedGraphNode): string[] {
  return [...(g.stateNode.path.length > 0 ? [idOf(g.stateNode)] : []), ...g.children.flatMap(graphNodes)];
}

t.test('every state and every transition of every saga machine is in its chart (checked against xstate’s own graph)', async (t) => {
  const files = await renderDocs();
  for (const entry of SAGA_DOCS) {
    const md = files.get(`docs/sagas/${entry.definition.name}.md`);
    t.ok(md, `page for ${entry.definition.name}`);
    const chart = /```mermaid\n([\s\S]*?)```/.exec(md!)?.[1] ?? '';
    const lines = chart.split('\n').map((l) => l.trim());
    const graph = toDirectedGraph(entry.definition.machine);
    const nodes = graphNodes(graph);
    t.ok(nodes.length > 0);
    for (const node of nodes) t.ok(lines.some((l) => l.startsWith(`${node} `) || l.includes(`--> ${node}`) || l.includes(` as ${node}`)), `state ${node} drawn`);
    const edges = graphEdges(graph);
    t.ok(edges.length > 0);
    for (const e of edges) {
      t.ok(lines.some((l) => l.startsWith(`${e.source} --> ${e.target} : ${e.event}`)), `edge ${e.source} --${e.event}--> ${e.target} drawn`);
      t.match(md!, new RegExp(`\\| \`${e.event.replace(/\./g, '\\.')}\` \\|`), `event ${e.event} in the events table`);
    }
    const states = Object.keys(entry.definition.machine.root.states);
    for (const s of states) t.match(md!, new RegExp(`\\| \`${s}\` \\| (atomic|final|compound|parallel) \\|`), `row for ${s}`);
  }
});

t.test('the registration page lists what each state sends and awaits, from the contracts', async (t) => {
  const md = (await renderDocs()).get('docs/sagas/registration.md')!;
  t.match(md, /\| `requestingCode` \| atomic \| `pending` \| on entry: `ACCOUNT_CREATION_QUEUE` \(AccountCreationRequest\)<br>on `CODE_SUBMITTED`: `CONFIRM_EMAIL_CODE_QUEUE` \(ConfirmEmailCodeRequest\) \| reply `code-sent` → `CODE_SENT`/);
  t.match(md, /on `CODE_SUBMITTED`: `CONFIRM_EMAIL_CODE_QUEUE` \(ConfirmEmailCodeRequest\)/);
  t.match(md, /on `CODE_CONFIRMED`: effect `createUser`/);
  t.match(md, /\| `CODE_INVALID` \| reply ConfirmEmailCodeReply `outcome: invalid` on `REGISTRATION_REPLY_QUEUE` \| Wrong code/);
});

/** The registration machine with one transition retargeted, as a developer might change it. */
function changedMachine(): AnyStateMachine {
  const config = registrationMachine.config as { states: Record<string, { on?: Record<string, unknown> }> };
  const awaiting = config.states.awaitingCode!;
  const resend = awaiting.on!.RESEND_REQUESTED as object;
  return createMachine(
    {
      ...(registrationMachine.config as object),
      states: { ...config.states, awaitingCode: { ...awaiting, on: { ...awaiting.on, RESEND_REQUESTED: { ...resend, target: 'awaitingCode' } } } },
    } as never,
    registrationMachine.implementations as never,
  );
}

t.test('a changed machine makes the check fail, naming the file; regenerating makes it pass', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'ashchat-docs-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const all = [...(await renderDocs()).keys()];
  t.ok(all.includes('docs/sagas/registration.md') && all.includes('docs/asyncapi.yaml'));
  t.same(await checkDocs(await renderDocs(), root), all.map((path) => ({ path, problem: 'missing' })), 'every missing file named');
  await writeDocs(await renderDocs(), root);
  t.same(await checkDocs(await renderDocs(), root), [], 'current after writing');

  // Only the registration's machine changes: the other sagas' pages stay as they are.
  const changed: SagaDocEntry[] = SAGA_DOCS.map((e) =>
    e.definition.name === 'registration' ? { ...e, definition: { ...e.definition, machine: changedMachine() } } : e,
  );
  t.same(await checkDocs(await renderDocs(changed), root), [{ path: 'docs/sagas/registration.md', problem: 'differs' }], 'drift named');
  await writeDocs(await renderDocs(changed), root);
  t.same(await checkDocs(await renderDocs(changed), root), [], 'regenerated → passes');
  t.match(await readFile(join(root, 'docs/sagas/registration.md'), 'utf8'), /awaitingCode --> awaitingCode : RESEND_REQUESTED/);

  await writeFile(join(root, 'docs/sagas/removed-saga.md'), '# gone\n');
  t.same(await checkDocs(await renderDocs(), root), [
    { path: 'docs/sagas/registration.md', problem: 'differs' },
    { path: 'docs/sagas/removed-saga.md', problem: 'not generated' },
  ]);
  await writeDocs(await renderDocs(), root);
  t.same((await readdir(join(root, 'docs/sagas'))).sort(), SAGA_DOCS.map((e) => `${e.definition.name}.md`).sort(), 'a page nothing generates is removed');
});

t.test('every saga defined in the services has a page', async (t) => {
  const sources: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) sources.push(path);
    }
  };
  for (const service of await readdir(join(REPO_ROOT, 'services'))) await walk(join(REPO_ROOT, 'services', service, 'src'));
  const defining: string[] = [];
  for (const file of sources) if (/\bdefineSaga\(/.test(await readFile(file, 'utf8'))) defining.push(relative(REPO_ROOT, file));
  t.ok(defining.length > 0, 'found the saga definitions');
  t.equal(SAGA_DOCS.length, defining.length, `one SAGA_DOCS entry per defineSaga() (${defining.join(', ')})`);
});

t.test('the committed docs are current', async (t) => {
  t.same(await checkDocs(await renderDocs()), [], 'run `pnpm run docs` if this fails');
});

