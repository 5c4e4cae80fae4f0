import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { importSpecifiers, shippingViolations } from './shipping.boundary.js';

const SERVICES = fileURLToPath(new URL('../../../services/', import.meta.url));

t.test('no service ships test or tooling code, and none holds bench or generator code', async (t) => {
  const services = await readdir(SERVICES);
  t.ok(services.includes('backend') && services.includes('verifier'), `found the services (${services.join(', ')})`);
  for (const service of services) t.same(shippingViolations(join(SERVICES, service)), [], service);
});

/** A service directory of the given files (path → text) and production dependencies. */
async function service(t: { teardown(fn: () => unknown): void }, files: Record<string, string>, dependencies: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ashchat-boundary-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ dependencies }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

t.test('a shipped file importing a test helper, a harness, a fixture or a tooling package is named', async (t) => {
  const dir = await service(t, {
    'src/server.ts': "import { buildTestApp } from './app.test-support.js';\nimport { createBackend } from './backend.js';\n",
    'src/registration/registration.plugin.ts': "import type { RegistrationHarness } from './registration.harness.test-support.js';\n",
    'src/users/user.service.ts': "const seed = await import('./users.fixture.js');\nexport { renderDocs } from '@ashchat/docs';\n",
    'src/realtime/ws.gateway.ts': "import { getInfra } from '@ashchat/testkit';\nimport { stringify } from 'yaml';\n",
    // Test-only files may import test code: the build leaves them out.
    'src/app.test.ts': "import { buildTestApp } from './app.test-support.js';\n",
    'src/registration/registration.harness.test-support.ts': "import { getInfra } from '@ashchat/testkit';\n",
  });
  t.same(shippingViolations(dir), [
    { file: 'src/realtime/ws.gateway.ts', problem: "imports a test or tooling package: '@ashchat/testkit'" },
    { file: 'src/realtime/ws.gateway.ts', problem: "imports a test or tooling library: 'yaml'" },
    { file: 'src/registration/registration.plugin.ts', problem: "imports test code: './registration.harness.test-support.js'" },
    { file: 'src/server.ts', problem: "imports test code: './app.test-support.js'" },
    { file: 'src/users/user.service.ts', problem: "imports test code: './users.fixture.js'" },
    { file: 'src/users/user.service.ts', problem: "imports a test or tooling package: '@ashchat/docs'" },
  ]);
});

t.test('bench or generator code inside a service, and tooling libraries as production dependencies, are named', async (t) => {
  const dir = await service(
    t,
    { 'src/bench/rest.bench.ts': '', 'src/growth.bench.ts': '', 'src/docs/docs.generate.ts': '', 'src/docs/openapi.plugin.ts': '' },
    { fastify: '^5.0.0', yaml: '^2.0.0', autocannon: '^9.0.0' },
  );
  const found = shippingViolations(dir);
  t.same(found.filter((v) => v.file !== 'package.json').map((v) => v.file).sort(), ['src/bench/rest.bench.ts', 'src/docs/docs.generate.ts', 'src/growth.bench.ts']);
  t.same(found.filter((v) => v.file === 'package.json').map((v) => v.problem).sort(), [
    'production dependency on a test or tooling library: autocannon',
    'production dependency on a test or tooling library: yaml',
  ]);
});

t.test('import specifiers: static, type-only, dynamic and re-exports', async (t) => {
  const source = [
    "import a from './a.js';",
    "import type { B } from './b.js';",
    "import './side-effect.js';",
    "export { c } from './c.js';",
    "export * from './d.js';",
    "const e = await import('./e.js');",
  ].join('\n');
  t.same(importSpecifiers(source), ['./a.js', './b.js', './side-effect.js', './c.js', './d.js', './e.js']);
});
