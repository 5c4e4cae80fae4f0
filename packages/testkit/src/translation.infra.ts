import { join } from 'node:path';
import { apertiumProblem, findApertiumApy, installApertium } from './apertium.installer.js';
import { launchServer, processService, startTarget } from './binary.launcher.js';
import type { InfraLogger, ResolvedService } from './infra.types.js';
import { binaryChoice, type ServiceContext } from './service.context.js';
import { runSteps, type ServiceSteps } from './service.steps.js';

export type TranslationProvider = 'apertium' | 'libretranslate';
const PROVIDERS: readonly TranslationProvider[] = ['apertium', 'libretranslate'];

/** TRANSLATION_PROVIDER, apertium when unset; anything else is a start-up error naming the variable. */
export function translationProvider(env: Readonly<Record<string, string | undefined>>): TranslationProvider {
  const given = env.TRANSLATION_PROVIDER;
  if (!given) return 'apertium';
  if ((PROVIDERS as readonly string[]).includes(given)) return given as TranslationProvider;
  throw new Error(`TRANSLATION_PROVIDER=${given} is not supported (use ${PROVIDERS.join(' or ')})`);
}

const endpoint = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) return undefined;
  return res.json();
}

/** Apertium APy handshake: GET /listPairs answers JSON with a `responseData` list. */
export async function apertiumAnswers(url: string, timeoutMs = 1_500): Promise<boolean> {
  try {
    const body = (await getJson(endpoint(url, '/listPairs'), timeoutMs)) as { responseData?: unknown } | undefined;
    return Array.isArray(body?.responseData);
  } catch {
    return false;
  }
}

/** LibreTranslate handshake: GET /languages answers a JSON list. */
export async function libretranslateAnswers(url: string, timeoutMs = 1_500): Promise<boolean> {
  try {
    return Array.isArray(await getJson(endpoint(url, '/languages'), timeoutMs));
  } catch {
    return false;
  }
}

/**
 * APy starts a pair's pipeline on its first request (about a second); doing that once here keeps
 * the first test or bench measurement from paying for it. Failure only costs that second.
 */
async function warmApertium(url: string, logger: InfraLogger): Promise<void> {
  try {
    const res = await fetch(endpoint(url, '/translate?langpair=eng%7Cspa&q=hello'), { signal: AbortSignal.timeout(15_000) });
    if (!res.ok) logger.warn(`translation: warming eng|spa answered HTTP ${res.status}`);
  } catch (err) {
    logger.warn(`translation: warming eng|spa failed (${(err as Error).message})`);
  }
}

/** The apertium-apy to run, installing the Debian packages first when they are missing and allowed. */
function apertiumBinary(ctx: ServiceContext, notes: string[]): string | undefined {
  const choice = binaryChoice(ctx.binaries.apertiumApy, ctx.env, 'ASHCHAT_APERTIUM_APY_BIN');
  if (choice === false) {
    notes.push('apertium-apy disabled by option');
    return undefined;
  }
  let bin = choice || findApertiumApy();
  let problem = apertiumProblem(bin, ctx.apertiumModes);
  // An explicitly given binary is the user's choice: never install over it.
  if (problem && !choice && ctx.installApertium) {
    const failed = installApertium((line) => ctx.logger.info(line));
    if (failed) notes.push(`installing Apertium: ${failed}`);
    bin = findApertiumApy();
    problem = apertiumProblem(bin, ctx.apertiumModes);
  }
  if (problem) {
    notes.push(problem);
    return undefined;
  }
  return bin;
}

async function startApertium(ctx: ServiceContext, notes: string[]): Promise<ResolvedService | undefined> {
  const bin = apertiumBinary(ctx, notes);
  if (!bin) return undefined;
  const target = await startTarget(ctx, 'translation');
  const uri = `http://127.0.0.1:${target.port}`;
  ctx.logger.info(`translation: starting ${bin} on port ${target.port} (pairs ${ctx.apertiumModes})`);
  const proc = await launchServer({
    ctx,
    name: 'apertium-apy',
    command: bin,
    args: ['-p', String(target.port), ctx.apertiumModes],
    // APy looks for optional databases (langNames.db) relative to its working directory.
    cwd: target.dataDir,
    logFile: join(target.dataDir, 'apertium-apy.log'),
    ready: () => apertiumAnswers(uri, 500),
  });
  await warmApertium(uri, ctx.logger);
  return processService({
    service: 'translation',
    uri,
    detail: `started apertium-apy pid ${proc.pid}, data ${target.dataDir}`,
    proc,
    target,
  });
}

/**
 * The translation engine: TRANSLATION_URL (Apertium APy, or LibreTranslate when
 * TRANSLATION_PROVIDER=libretranslate) → an APy on the default port → the local apertium-apy
 * (apt-installed when missing) → the compose image under Docker → an error saying what to install.
 */
export async function resolveTranslation(ctx: ServiceContext): Promise<ResolvedService | undefined> {
  const provider = translationProvider(ctx.env);
  if (provider === 'libretranslate' && !ctx.env.TRANSLATION_URL) {
    if (!ctx.start) return undefined;
    throw new Error('TRANSLATION_PROVIDER=libretranslate needs TRANSLATION_URL (only Apertium is started locally)');
  }
  const steps: ServiceSteps = {
    service: 'translation',
    envName: 'TRANSLATION_URL',
    localUri: (port) => `http://127.0.0.1:${port}`,
    probe: (uri) => (provider === 'libretranslate' ? libretranslateAnswers(uri) : apertiumAnswers(uri)),
    startBinary: (notes) => startApertium(ctx, notes),
    container: {
      image: 'ashchat-translation:local',
      build: { context: join(ctx.repoRoot, 'compose'), dockerfile: 'translation.Dockerfile' },
      ports: [2737],
      uri: (host, port) => `http://${host}:${port(2737)}`,
    },
    installHelp:
      'install Apertium (apt install apertium-apy apertium-eng-spa apertium-fr-es), start Docker, ' +
      'or set TRANSLATION_URL (an Apertium APy, or a LibreTranslate with TRANSLATION_PROVIDER=libretranslate).',
  };
  const resolved = await runSteps(ctx, steps);
  if (resolved) resolved.extraEnv = { ...resolved.extraEnv, TRANSLATION_PROVIDER: provider };
  return resolved;
}
