// The services `cpu.bench.ts` measures, each its own built process on this run's database, queue
// namespace and Redis database, at the production log level; and the helpers that time a load
// window against their CPU.
import type { BackendConfig } from '@ashchat/backend';
import type { ProfileWindow } from './cpu.profile.js';
import { BACKEND_ENTRY, VERIFIER_ENTRY, cpuOf, spawnBuilt, type BuiltChild } from './cpu.proc.js';

/** Production's level (both services' config default): every request is logged, as in production. */
export const PRODUCTION_LOG_LEVEL = 'info';

const LIFTED = '100000000';
/** Every request of a bench comes from one IP and a handful of accounts: the limiters would measure themselves. */
const LIMITS_LIFTED = {
  REGISTRATION_RATE_LIMIT_PER_IP: LIFTED,
  REGISTRATION_RATE_LIMIT_PER_EMAIL: LIFTED,
  REGISTRATION_STATUS_RATE_LIMIT_PER_IP: LIFTED,
  REGISTRATION_STATUS_RATE_LIMIT_PER_EMAIL: LIFTED,
  AUTH_RATE_LIMIT_PER_IP: LIFTED,
  AUTH_RATE_LIMIT_PER_ACCOUNT: LIFTED,
  WS_MESSAGES_PER_SECOND: '10000',
  WS_MESSAGES_BURST: '100000',
};

export interface ServiceOptions {
  profileDir?: string;
  /** With profileDir: the .cpuprofile is named `<service>-<profileTag>`. */
  profileTag?: string;
}

const profile = (service: string, o: ServiceOptions): { profileAs?: string; profileDir?: string } =>
  o.profileDir ? { profileAs: `${service}-${o.profileTag ?? 'run'}`, profileDir: o.profileDir } : {};

/** The built backend (dist/server.js) on `config`'s database, namespace and secrets; its base URL once /ready answers 200. */
export async function startBuiltBackend(config: BackendConfig, o: ServiceOptions = {}): Promise<{ process: BuiltChild; base: string }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    MONGODB_URI: config.MONGODB_URI,
    MONGODB_DB: config.MONGODB_DB,
    AMQP_URI: config.AMQP_URI,
    REDIS_URI: config.REDIS_URI,
    VERIFICATION_CODE_SECRET: config.VERIFICATION_CODE_SECRET,
    JWT_SECRET: config.JWT_SECRET,
    QUEUE_NAMESPACE: config.QUEUE_NAMESPACE,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: PRODUCTION_LOG_LEVEL,
    NODE_ENV: 'production',
    ...LIMITS_LIFTED,
  };
  const child = spawnBuilt(BACKEND_ENTRY, { env, ...profile('backend', o) });
  const [, base] = await child.line(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000).catch(async (err: unknown) => {
    await child.stop();
    throw err;
  });
  for (let i = 0; i < 600; i += 1) {
    if ((await fetch(`${base}/ready`).catch(() => undefined))?.status === 200) return { process: child, base: base! };
    await new Promise((r) => setTimeout(r, 100));
  }
  await child.stop();
  throw new Error('the built backend did not become ready within 60 s');
}

/** The built verifier (dist/main.js) sharing `config`'s broker, namespace, Redis and secret, mailing to `smtpUri`. */
export async function startBuiltVerifier(config: BackendConfig, smtpUri: string, o: ServiceOptions = {}): Promise<BuiltChild> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AMQP_URI: config.AMQP_URI,
    REDIS_URI: config.REDIS_URI,
    QUEUE_NAMESPACE: config.QUEUE_NAMESPACE,
    VERIFICATION_CODE_SECRET: config.VERIFICATION_CODE_SECRET,
    SMTP_URI: smtpUri,
    VERIFIER_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: PRODUCTION_LOG_LEVEL,
    NODE_ENV: 'production',
  };
  const child = spawnBuilt(VERIFIER_ENTRY, { env, ...profile('verifier', o) });
  try {
    await child.line(/worker started/, 60_000);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return child;
}

export interface CpuWindow<R> {
  result: R;
  /** CPU ms of each measured process over the window, in the order given. */
  cpuMs: number[];
  elapsedMs: number;
}

/** Runs `load` and reads the CPU time of `pids` right before and right after it. */
export async function measureWindow<R>(pids: readonly number[], load: () => Promise<R>): Promise<CpuWindow<R>> {
  const before = pids.map((pid) => cpuOf([pid]));
  const t0 = performance.now();
  const result = await load();
  const elapsedMs = performance.now() - t0;
  return { result, elapsedMs, cpuMs: pids.map((pid, i) => cpuOf([pid]) - before[i]!) };
}

/** The span of a load, in ms after `child` was spawned: what its profile is summarised over. */
export const windowOf = (child: BuiltChild, from: number, to: number): ProfileWindow => ({ fromMs: from - child.spawnedAt, toMs: to - child.spawnedAt });
