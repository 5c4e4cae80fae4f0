import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { getInfra, waitFor } from './index.js';
import { groupMembers, isPidAlive } from './process.util.js';

const here = (f: string) => JSON.stringify(fileURLToPath(new URL(f, import.meta.url)));

t.test('getInfra returns every URL, once per process', async (t) => {
  const a = await getInfra();
  const b = await getInfra();
  t.equal(a, b, 'memoised');
  for (const [k, v] of Object.entries(a)) t.match(v, /^(mongodb|amqp|redis|smtp|http):\/\/\S+$/, `${k} is a URL`);
});

t.test('servers started in-process do not keep it alive and die with it', async (t) => {
  // A child process resolves a private redis-server the way getInfra does, then simply ends.
  const script = `
    const { resolveInfra } = await import(${here('./infra.resolver.ts')});
    const { tearDownOnExit } = await import(${here('./get-infra.ts')});
    const r = await resolveInfra({ services: ['redis'], env: {}, ports: { redis: 0 }, docker: false, isolated: true,
      logger: { info() {}, warn() {} } });
    tearDownOnExit(r);
    console.log(JSON.stringify(r.sources));`;
  const child = spawn(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  t.equal(code, 0, 'the process ended on its own (nothing kept the event loop alive)');
  const [source] = JSON.parse(out) as { kind: string; detail: string }[];
  t.equal(source?.kind, 'binary');
  const pid = Number(/pid (\d+)/.exec(source!.detail)![1]);
  await waitFor(() => !isPidAlive(pid) && groupMembers(pid).length === 0, {
    timeoutMs: 10_000,
    message: `redis-server ${pid} to stop after its owner exited`,
  });
  t.pass(`redis-server ${pid} stopped with its owner`);
});
