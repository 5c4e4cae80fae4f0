import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedService, ServiceName } from './infra.types.js';
import { throwIfAborted, type ServiceContext } from './service.context.js';
import { waitFor } from './wait-for.js';

let runtimeCheck: Promise<string | undefined> | undefined;

/** Cheap hints that a Docker/Podman engine might exist; avoids loading testcontainers for nothing. */
function runtimeHints(env: ServiceContext['env']): boolean {
  if (env.DOCKER_HOST || env.TESTCONTAINERS_HOST_OVERRIDE) return true;
  const home = homedir();
  const runtimeDir = env.XDG_RUNTIME_DIR ?? '';
  const sockets = [
    '/var/run/docker.sock',
    join(home, '.docker/run/docker.sock'),
    join(home, '.docker/desktop/docker.sock'),
    join(runtimeDir, 'docker.sock'),
    join(runtimeDir, 'podman/podman.sock'),
    join(home, '.testcontainers.properties'),
  ];
  if (sockets.some((s) => existsSync(s))) return true;
  try {
    return /"currentContext"/.test(readFileSync(join(home, '.docker/config.json'), 'utf8'));
  } catch {
    return false;
  }
}

/** Undefined when a container runtime answers, else the reason it is not usable. */
export async function containerRuntimeProblem(ctx: ServiceContext): Promise<string | undefined> {
  if (!ctx.docker) return 'Docker fallback disabled';
  runtimeCheck ??= (async () => {
    if (!runtimeHints(ctx.env)) return 'no Docker/Podman socket found';
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await Promise.race([
        getContainerRuntimeClient(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 15_000).unref()),
      ]);
      return undefined;
    } catch (err) {
      return `container runtime not reachable: ${(err as Error).message}`;
    }
  })();
  return runtimeCheck;
}

export interface ContainerSpec {
  service: ServiceName;
  /** Image to pull, or the tag to give the image built from `build`. */
  image: string;
  /** Build the image from a Dockerfile (for engines without a published image of our own). */
  build?: { context: string; dockerfile: string };
  ports: number[];
  env?: Record<string, string>;
  command?: string[];
  /** Builds the URI from the mapped host/ports. */
  uri: (host: string, port: (containerPort: number) => number) => string;
  /** Handshake on the built URI; the container counts as started once it answers. */
  ready: (uri: string) => Promise<boolean>;
  extraEnv?: (host: string, port: (containerPort: number) => number) => Record<string, string>;
}

/** Starts a container with testcontainers (lazy import: plain dev runs never load it). */
export async function startContainer(ctx: ServiceContext, spec: ContainerSpec): Promise<ResolvedService> {
  throwIfAborted(ctx.signal);
  const { GenericContainer, Wait } = await import('testcontainers');
  ctx.logger.info(`${spec.service}: starting Docker container ${spec.image} (first pull can take a while)`);
  const base = spec.build
    ? await GenericContainer.fromDockerfile(spec.build.context, spec.build.dockerfile).build(spec.image, { deleteOnExit: false })
    : new GenericContainer(spec.image);
  let builder = base
    .withExposedPorts(...spec.ports)
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(120_000);
  if (spec.env) builder = builder.withEnvironment(spec.env);
  if (spec.command) builder = builder.withCommand(spec.command);
  const container = await builder.start();
  const host = container.getHost();
  const port = (p: number) => container.getMappedPort(p);
  const uri = spec.uri(host, port);
  try {
    await waitFor(() => spec.ready(uri), {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: `${spec.image} to answer`,
      signal: ctx.signal,
    });
  } catch (err) {
    await container.stop().catch(() => undefined);
    throw err;
  }
  return {
    source: { service: spec.service, kind: 'docker', uri, detail: `container ${spec.image} ${container.getId().slice(0, 12)}` },
    extraEnv: spec.extraEnv?.(host, port),
    async stop() {
      await container.stop();
    },
  };
}
