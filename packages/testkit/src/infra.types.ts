/** Connection URLs of every dependency AshChat needs (what `getInfra()` returns). */
export interface Infra {
  amqpUri: string;
  redisUri: string;
  mongodbUri: string;
  smtpUri: string;
  /** Base URL of a Mailpit-compatible HTTP API (GET /api/v1/messages, GET /api/v1/message/{ID}). */
  mailApiUrl: string;
  /** Base URL of the machine-translation engine (Apertium APy, or LibreTranslate when TRANSLATION_PROVIDER says so). */
  translationUrl: string;
}

export type ServiceName = 'mongodb' | 'rabbitmq' | 'redis' | 'smtp' | 'translation';
export const SERVICE_NAMES: readonly ServiceName[] = ['mongodb', 'rabbitmq', 'redis', 'smtp', 'translation'];

/** Where a dependency came from, in resolution order. */
export type SourceKind = 'env' | 'local-port' | 'binary' | 'embedded' | 'docker';

export interface ServiceSource {
  service: ServiceName;
  kind: SourceKind;
  uri: string;
  /** Human-readable detail, e.g. "ferretdb pid 123, data .infra/ferretdb". Never contains secrets. */
  detail: string;
}

/** Minimal logger: the resolver explains what it does, one line at a time. */
export interface InfraLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Ports probed in step (b) and used when starting something in steps (c)/(d). */
export interface InfraPorts {
  mongodb: number;
  rabbitmq: number;
  redis: number;
  smtp: number;
  mailApi: number;
  translation: number;
}

export const DEFAULT_PORTS: Readonly<InfraPorts> = Object.freeze({
  mongodb: 27017,
  rabbitmq: 5672,
  redis: 6379,
  smtp: 1025,
  mailApi: 8025,
  translation: 2737,
});

/** A binary path, or `false` to never use that binary (tests force a specific branch this way). */
export type BinaryChoice = string | false | undefined;

export interface ResolveOptions {
  /** Which services to resolve (default: all of SERVICE_NAMES). */
  services?: readonly ServiceName[];
  /** Environment to read explicit URLs from (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Repo root holding `.infra/` (default: nearest ancestor with pnpm-workspace.yaml). */
  repoRoot?: string;
  /**
   * Ports to probe and to start on. A port of 0 skips the "already listening" probe and starts
   * on a free port (tests use this to exercise the start path next to a running server).
   */
  ports?: Partial<InfraPorts>;
  /** false = only explicit env + already-listening servers (the `env` command). Default true. */
  start?: boolean;
  /**
   * Start missing servers on free ports with throw-away data dirs instead of the default ports,
   * so parallel test processes never fight over one port or data dir. Default false.
   */
  isolated?: boolean;
  /** How long an explicit env URL may take to answer before it is an error (default 10 s). */
  envProbeTimeoutMs?: number;
  /** Allow Docker (testcontainers) as a fallback. Default true. */
  docker?: boolean;
  /** Use the embedded SMTP sink when nothing answers (default true). */
  embeddedSmtp?: boolean;
  binaries?: {
    mongod?: BinaryChoice;
    ferretdb?: BinaryChoice;
    redisServer?: BinaryChoice;
    rabbitmqServer?: BinaryChoice;
    apertiumApy?: BinaryChoice;
  };
  /** Install the Apertium Debian packages with apt-get when missing (root or sudo -n). Default true. */
  installApertium?: boolean;
  /** Directory of Apertium's `.mode` files (default /usr/share/apertium/modes). */
  apertiumModes?: string;
  /** Cache dir for built tools (default `${XDG_CACHE_HOME:-~/.cache}/ashchat`). */
  cacheDir?: string;
  logger?: InfraLogger;
  /** Aborting stops whatever was started so far and rejects. */
  signal?: AbortSignal;
}

/** What a service resolver hands back: the URL(s), where they came from, and how to stop it. */
export interface ResolvedService {
  source: ServiceSource;
  /** Extra exported values (e.g. MAIL_API_URL, RabbitMQ node name for rabbitmqctl). */
  extraEnv?: Record<string, string>;
  stop?: () => Promise<void>;
  /** Process group of a started server (its pid), for a successor to stop if we are killed. */
  pid?: number;
  /** Synchronous best-effort kill, for process 'exit' handlers (no awaiting possible there). */
  killSync?: () => void;
  /** Let the process exit while this keeps running (in-process servers, child handles). */
  unref?: () => void;
}

export interface ResolvedInfra {
  infra: Infra;
  sources: ServiceSource[];
  /** Env vars to export for child processes (URLs + helpers such as ASHCHAT_RABBITMQ_NODE). */
  env: Record<string, string>;
  /** Process groups of the servers this resolution started. */
  pids: number[];
  /** Stops everything this resolution started (LIFO), waiting for processes to be gone. */
  stop(): Promise<void>;
  /** Synchronous best-effort kill of started processes (for process 'exit'). */
  killSync(): void;
  /** Do not keep the event loop alive because of started servers/children. */
  unref(): void;
}
