import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * What a service ships is its `src` minus the test-only files its tsconfig.build.json excludes.
 * None of that may import test code (test helpers, harnesses, fixtures, the testkit) or tooling
 * (benches, document generators, their libraries), or the build would carry them, or fail without
 * them; and the tooling itself lives in packages/bench and packages/docs, not in a service.
 */
export const TEST_ONLY_FILE = /\.(?:test|test-support|test-harness|fixture)\.[cm]?tsx?$/;

/** Specifiers a shipped file may not import: test code, tooling packages and tooling-only libraries. */
const FORBIDDEN: readonly { test: (specifier: string) => boolean; why: string }[] = [
  { test: (s) => /\.(?:test|test-support|test-harness|fixture)(?:\.[cm]?[jt]sx?)?$/.test(s), why: 'test code' },
  { test: (s) => /^@ashchat\/(?:testkit|bench|docs)(?:\/|$)/.test(s), why: 'a test or tooling package' },
  {
    test: (s) => /^(?:tap|fast-check|playwright-core|autocannon|yaml|@asyncapi\/parser|@seriousme\/openapi-schema-validator)(?:\/|$)/.test(s),
    why: 'a test or tooling library',
  },
];

/** Files and folders whose names say bench or generator code. */
const TOOLING_PATH = /(?:^|\/)bench(?:\/|$)|\.bench\.[cm]?tsx?$|\.generate\.[cm]?tsx?$/;

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;
const SOURCE = /\.[cm]?tsx?$/;

/** Every import specifier in a file's text: static, dynamic, type-only and re-exports alike. */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1]!);
}

export interface Violation {
  /** Path relative to the service directory. */
  file: string;
  problem: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !file.split(sep).includes('node_modules'));
}

/** What in one service (`serviceDir`, holding `src` and `package.json`) breaks the rules above. */
export function shippingViolations(serviceDir: string): Violation[] {
  const violations: Violation[] = [];
  const src = join(serviceDir, 'src');
  for (const file of sourceFiles(src)) {
    const path = relative(serviceDir, file).split(sep).join('/');
    if (TOOLING_PATH.test(relative(src, file).split(sep).join('/'))) {
      violations.push({ file: path, problem: 'bench or generator code inside the service' });
    }
    if (TEST_ONLY_FILE.test(file)) continue;
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      const rule = FORBIDDEN.find((r) => r.test(specifier));
      if (rule) violations.push({ file: path, problem: `imports ${rule.why}: '${specifier}'` });
    }
  }
  const pkg = JSON.parse(readFileSync(join(serviceDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    const rule = FORBIDDEN.find((r) => r.test(name));
    if (rule) violations.push({ file: 'package.json', problem: `production dependency on ${rule.why}: ${name}` });
  }
  // By file (stable: a file's problems keep their order), whatever order the directory listing had.
  return violations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
