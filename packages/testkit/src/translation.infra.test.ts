import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { apertiumAnswers, resolveInfra, type ResolvedInfra } from './index.js';
import { groupMembers, isPidAlive } from './process.util.js';
import { memoryLogger } from './test-support.js';

/** A private apertium-apy on a free port (port 0 skips the default-port probe); never installs. */
function privateApertium(extra: Parameters<typeof resolveInfra>[0] = {}): Promise<ResolvedInfra> {
  return resolveInfra({
    services: ['translation'],
    env: {},
    ports: { translation: 0 },
    docker: false,
    installApertium: false,
    logger: memoryLogger(),
    ...extra,
  });
}

async function translate(url: string, langpair: string, q: string): Promise<string> {
  const res = await fetch(`${url}/translate`, { method: 'POST', body: new URLSearchParams({ langpair, q }), signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { responseData?: { translatedText?: string } };
  return body.responseData?.translatedText ?? '';
}

t.test('a local apertium-apy is started on a free port, lists and translates, and stop() ends it', async (t) => {
  const resolved = await privateApertium();
  t.teardown(() => resolved.stop());
  const [source] = resolved.sources;
  t.match(source, { service: 'translation', kind: 'binary', detail: /^started apertium-apy pid \d+, data \S+\/\.infra\/translation-\d+$/ });
  const pid = Number(/pid (\d+)/.exec(source!.detail)![1]);
  const dataDir = /data (\S+)$/.exec(source!.detail)![1]!;
  const url = resolved.infra.translationUrl;
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.not(Number(new URL(url).port), 2737, 'not the default port');
  t.same(resolved.env, { TRANSLATION_URL: url, TRANSLATION_PROVIDER: 'apertium' });

  const pairs = (await (await fetch(`${url}/listPairs`)).json()) as { responseData: { sourceLanguage: string; targetLanguage: string }[] };
  for (const [from, to] of [['eng', 'spa'], ['spa', 'eng'], ['spa', 'fra'], ['fra', 'spa']]) {
    t.ok(pairs.responseData.some((p) => p.sourceLanguage === from && p.targetLanguage === to), `${from}→${to} is listed`);
  }
  t.equal(await translate(url, 'eng|spa', 'good morning'), 'buenos días', 'eng|spa translates');
  t.ok(existsSync(join(dataDir, 'apertium-apy.log')), 'its log goes to the data dir');

  await resolved.stop();
  t.notOk(isPidAlive(pid), 'apertium-apy is gone after stop()');
  t.same(groupMembers(pid), [], 'with its translation pipelines');
  t.notOk(existsSync(dataDir), 'the throw-away data dir is removed');
  t.notOk(await apertiumAnswers(url, 300), 'nothing answers on its port any more');
});

t.test('an explicit TRANSLATION_URL wins over a server on the local port; the local port is used next', async (t) => {
  const local = await privateApertium();
  t.teardown(() => local.stop());
  const port = Number(new URL(local.infra.translationUrl).port);
  const viaEnv = await resolveInfra({
    services: ['translation'],
    env: { TRANSLATION_URL: local.infra.translationUrl },
    ports: { translation: 1 },
    logger: memoryLogger(),
  });
  t.match(viaEnv.sources, [{ kind: 'env', uri: local.infra.translationUrl }]);
  t.same(viaEnv.env, { TRANSLATION_URL: local.infra.translationUrl, TRANSLATION_PROVIDER: 'apertium' });
  const viaPort = await resolveInfra({ services: ['translation'], env: {}, ports: { translation: port }, logger: memoryLogger() });
  t.match(viaPort.sources, [{ kind: 'local-port', uri: `http://127.0.0.1:${port}` }]);
  await viaEnv.stop();
  await viaPort.stop();
  t.ok(await apertiumAnswers(local.infra.translationUrl), 'stopping a resolution that started nothing stops nothing');
});

t.test('a TRANSLATION_URL that does not answer is a start-up error naming the variable', async (t) => {
  await t.rejects(
    resolveInfra({ services: ['translation'], env: { TRANSLATION_URL: 'http://127.0.0.1:1' }, envProbeTimeoutMs: 500, logger: memoryLogger() }),
    /TRANSLATION_URL=http:\/\/127\.0\.0\.1:1 to answer a translation handshake/,
  );
  await t.rejects(
    resolveInfra({
      services: ['translation'],
      env: { TRANSLATION_URL: 'http://127.0.0.1:1', TRANSLATION_PROVIDER: 'libretranslate' },
      envProbeTimeoutMs: 500,
      logger: memoryLogger(),
    }),
    /TRANSLATION_URL=http:\/\/127\.0\.0\.1:1/,
  );
});

t.test('a bad TRANSLATION_PROVIDER, or LibreTranslate without a URL, is a start-up error', async (t) => {
  await t.rejects(privateApertium({ env: { TRANSLATION_PROVIDER: 'deepl' } }), /TRANSLATION_PROVIDER=deepl is not supported/);
  await t.rejects(privateApertium({ env: { TRANSLATION_PROVIDER: 'libretranslate' } }), /TRANSLATION_PROVIDER=libretranslate needs TRANSLATION_URL/);
});

t.test('nothing found and nothing startable → a clear error saying what to install', async (t) => {
  await t.rejects(
    privateApertium({ binaries: { apertiumApy: false } }),
    /translation: no server found[\s\S]*TRANSLATION_URL is not set[\s\S]*apertium-apy disabled[\s\S]*apt install apertium-apy apertium-eng-spa apertium-fr-es/,
  );
  const empty = mkdtempSync(join(tmpdir(), 'ashchat-modes-'));
  t.teardown(() => rmSync(empty, { recursive: true, force: true }));
  await t.rejects(privateApertium({ apertiumModes: empty }), /Apertium pairs missing in \S+: eng-spa\.mode, spa-eng\.mode, es-fr\.mode, fr-es\.mode/);
});

t.test('start: false reports an engine on the default port without starting one', async (t) => {
  const local = await privateApertium();
  t.teardown(() => local.stop());
  const port = Number(new URL(local.infra.translationUrl).port);
  const found = await resolveInfra({ services: ['translation'], env: {}, ports: { translation: port }, start: false, logger: memoryLogger() });
  t.match(found.sources, [{ kind: 'local-port' }]);
  const none = await resolveInfra({ services: ['translation'], env: {}, ports: { translation: 0 }, start: false, logger: memoryLogger() });
  t.same(none.sources, []);
});
