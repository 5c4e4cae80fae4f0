/**
 * `pnpm docs` writes every generated file under docs/ from the code that has the behaviour;
 * `pnpm docs:check` renders the same files in memory and exits 1, naming each file that differs,
 * is missing, or is a generated file no longer produced.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SAGA_DOCS } from '@ashchat/backend';
import { renderAsyncApi } from './asyncapi.document.js';
import { renderWebSocketAsyncApi } from './asyncapi.websocket.js';
import { renderOpenApi } from './openapi.document.js';
import { renderSagaDoc } from './saga-doc.render.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Directories whose every file is generated (a file there that nothing produces is stale). */
const GENERATED_DIRS = ['docs/sagas'];

/** Repository-relative path → content, for every generated file. */
export async function renderDocs(entries = SAGA_DOCS): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of entries) files.set(`docs/sagas/${entry.definition.name}.md`, renderSagaDoc(entry));
  files.set('docs/asyncapi.yaml', renderAsyncApi());
  files.set('docs/asyncapi.websocket.yaml', renderWebSocketAsyncApi());
  files.set('docs/openapi.json', await renderOpenApi());
  return files;
}

export interface DocsDrift {
  path: string;
  problem: 'differs' | 'missing' | 'not generated';
}

/** What differs between the rendered files and the tree at `root`. */
export async function checkDocs(files: Map<string, string>, root = REPO_ROOT): Promise<DocsDrift[]> {
  const drift: DocsDrift[] = [];
  for (const [path, wanted] of files) {
    const current = await readFile(join(root, path), 'utf8').catch(() => null);
    if (current === null) drift.push({ path, problem: 'missing' });
    else if (current !== wanted) drift.push({ path, problem: 'differs' });
  }
  for (const dir of GENERATED_DIRS) {
    const present = await readdir(join(root, dir)).catch(() => [] as string[]);
    for (const name of present.sort()) {
      const path = `${dir}/${name}`;
      if (!files.has(path)) drift.push({ path, problem: 'not generated' });
    }
  }
  return drift;
}

/** Writes the rendered files and removes stale generated ones; returns what changed. */
export async function writeDocs(files: Map<string, string>, root = REPO_ROOT): Promise<DocsDrift[]> {
  const drift = await checkDocs(files, root);
  for (const { path, problem } of drift) {
    const target = join(root, path);
    if (problem === 'not generated') {
      await rm(target);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, files.get(path)!);
  }
  return drift;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const check = process.argv.includes('--check');
  const files = await renderDocs();
  if (check) {
    const drift = await checkDocs(files);
    if (drift.length > 0) {
      process.stderr.write(`docs/ is out of date with the code:\n${drift.map((d) => `  ${d.path}: ${d.problem}`).join('\n')}\nRun: pnpm run docs\n`);
      process.exitCode = 1;
    } else process.stdout.write(`docs/ is current (${files.size} generated files).\n`);
  } else {
    const changed = await writeDocs(files);
    process.stdout.write(changed.length > 0 ? `Updated ${changed.map((d) => relative('.', d.path)).join(', ')}\n` : 'docs/ was already current.\n');
  }
}
