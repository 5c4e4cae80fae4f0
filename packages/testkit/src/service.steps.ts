import { containerRuntimeProblem, startContainer, type ContainerSpec } from './docker.infra.js';
import type { ResolvedService, ServiceName } from './infra.types.js';
import { isTcpOpen } from './process.util.js';
import { redactUrl, throwIfAborted, type ServiceContext } from './service.context.js';
import { waitFor } from './wait-for.js';

export type Probe = (uri: string) => Promise<boolean>;

export interface ServiceSteps {
  service: ServiceName;
  /** Env var holding an explicit URL (step a). */
  envName: string;
  /** URL of the server on the default local port (step b). */
  localUri: (port: number) => string;
  /** Real protocol handshake against a URL. */
  probe: Probe;
  /** Step (c): start a local binary; undefined when no binary is installed (the reason goes to `notes`). */
  startBinary: (notes: string[]) => Promise<ResolvedService | undefined>;
  /** Step (d): the Docker image to run when nothing local exists. */
  container?: Omit<ContainerSpec, 'service' | 'ready'>;
  /** Step (e): what to install, for the final error. */
  installHelp: string;
}

/** Step (a): an explicit URL must answer; a wrong URL is an error, never silently replaced. */
export async function fromEnv(ctx: ServiceContext, s: ServiceSteps): Promise<ResolvedService | undefined> {
  const uri = ctx.env[s.envName];
  if (!uri) return undefined;
  await waitFor(() => s.probe(uri), {
    timeoutMs: ctx.envProbeTimeoutMs,
    intervalMs: 250,
    message: `${s.envName}=${redactUrl(uri)} to answer a ${s.service} handshake (fix or unset ${s.envName})`,
    signal: ctx.signal,
  });
  return { source: { service: s.service, kind: 'env', uri, detail: `from ${s.envName}` } };
}

/** Step (b): something on the default port that answers the protocol handshake. */
export async function fromLocalPort(ctx: ServiceContext, s: ServiceSteps): Promise<ResolvedService | undefined> {
  if (ctx.port === 0 || !(await isTcpOpen(ctx.port))) return undefined;
  const uri = s.localUri(ctx.port);
  if (!(await s.probe(uri).catch(() => false))) {
    ctx.logger.warn(`${s.service}: port ${ctx.port} is open but does not answer a ${s.service} handshake`);
    return undefined;
  }
  return { source: { service: s.service, kind: 'local-port', uri, detail: `already listening on 127.0.0.1:${ctx.port}` } };
}

/** Runs (a) → (b) → (c) → (d) → (e) for one service. Undefined only when `start` is false. */
export async function runSteps(ctx: ServiceContext, s: ServiceSteps): Promise<ResolvedService | undefined> {
  const explicit = await fromEnv(ctx, s);
  if (explicit) return explicit;
  throwIfAborted(ctx.signal);
  const local = await fromLocalPort(ctx, s);
  if (local) return local;
  if (!ctx.start) return undefined;
  throwIfAborted(ctx.signal);
  const notes: string[] = [];
  const started = await s.startBinary(notes);
  if (started) return started;
  throwIfAborted(ctx.signal);
  if (s.container) {
    const problem = await containerRuntimeProblem(ctx);
    if (!problem) return startContainer(ctx, { ...s.container, service: s.service, ready: s.probe });
    notes.push(`Docker: ${problem}`);
  }
  throw new Error(
    `${s.service}: no server found and none could be started.\n` +
      `  - ${s.envName} is not set\n` +
      `  - nothing answers on 127.0.0.1:${ctx.port || '(default port skipped)'}\n` +
      notes.map((n) => `  - ${n}\n`).join('') +
      `Fix: ${s.installHelp}`,
  );
}
