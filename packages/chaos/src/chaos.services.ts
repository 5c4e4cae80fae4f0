// The environment of each AshChat process in a chaos run: production code paths, with timings and
// limits that suit a short run from one IP (every client of the load is 127.0.0.1).
import { join } from 'node:path';
import { tsEntry, type ProcessSpec } from './chaos.process.js';

export interface ServicesEnv {
  repoRoot: string;
  workDir: string;
  mongodbUri: string;
  mongodbDb: string;
  amqpUri: string;
  redisUri: string;
  smtpUri: string;
  translationUrl: string;
  translationProvider: string;
  queueNamespace: string;
  verificationCodeSecret: string;
  jwtSecret: string;
  /** Variables passed through from the runner's environment (PATH, HOME, TMPDIR). */
  inherited: Record<string, string>;
}

export interface ServicePorts {
  backends: readonly number[];
  verifier: number;
  translator: number;
}

const HIGH = '100000000';

/** What every child gets: PATH/HOME/TMPDIR from the runner (`inherited`), and nothing else from the developer's shell. */
function baseEnv(e: ServicesEnv): Record<string, string> {
  return { ...e.inherited, NODE_ENV: 'production', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', HOST: '127.0.0.1' };
}

export function backendEnv(e: ServicesEnv, port: number): Record<string, string> {
  return {
    ...baseEnv(e),
    PORT: String(port),
    MONGODB_URI: e.mongodbUri,
    MONGODB_DB: e.mongodbDb,
    AMQP_URI: e.amqpUri,
    REDIS_URI: e.redisUri,
    QUEUE_NAMESPACE: e.queueNamespace,
    VERIFICATION_CODE_SECRET: e.verificationCodeSecret,
    JWT_SECRET: e.jwtSecret,
    // The cheapest argon2id the config accepts: registrations measure the flow, not the hash.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    ARGON2_PARALLELISM: '1',
    // Short reconciliation periods so a fault's effects are repaired within the quiet period.
    SAGA_SWEEP_INTERVAL_MS: '1000',
    SAGA_RELAY_INTERVAL_MS: '500',
    VERIFIER_REQUEST_TIMEOUT_MS: '20000',
    REGISTRATION_RESEND_COOLDOWN_MS: '1000',
    // One IP sends everything: per-IP and per-address limits would refuse the load, not test the system.
    REGISTRATION_RATE_LIMIT_PER_IP: HIGH,
    REGISTRATION_RATE_LIMIT_PER_EMAIL: HIGH,
    REGISTRATION_STATUS_RATE_LIMIT_PER_IP: HIGH,
    REGISTRATION_STATUS_RATE_LIMIT_PER_EMAIL: HIGH,
    REGISTRATION_MAIL_LIMIT_PER_HOUR: '1000',
    REGISTRATION_MAIL_LIMIT_PER_DAY: '1000',
    AUTH_RATE_LIMIT_PER_IP: HIGH,
    AUTH_RATE_LIMIT_PER_ACCOUNT: HIGH,
    DEVICE_CHALLENGE_RATE_LIMIT_PER_IP: HIGH,
    USER_SEARCH_RATE_LIMIT_PER_MINUTE: HIGH,
    WS_MESSAGES_PER_SECOND: '1000',
    WS_MESSAGES_BURST: '2000',
    WS_HEARTBEAT_INTERVAL_MS: '5000',
  };
}

export function serviceSpecs(e: ServicesEnv, ports: ServicePorts): ProcessSpec[] {
  const entry = (service: string, file: string) => tsEntry(join(e.repoRoot, 'services', service, 'src', file));
  const workers = { ...baseEnv(e), AMQP_URI: e.amqpUri, REDIS_URI: e.redisUri, QUEUE_NAMESPACE: e.queueNamespace };
  return [
    ...ports.backends.map((port, i) => ({
      name: `backend-${i + 1}`,
      ...entry('backend', 'server.ts'),
      env: backendEnv(e, port),
      logFile: join(e.workDir, `backend-${i + 1}.log`),
    })),
    {
      name: 'verifier',
      ...entry('verifier', 'main.ts'),
      env: {
        ...workers,
        VERIFIER_PORT: String(ports.verifier),
        SMTP_URI: e.smtpUri,
        VERIFICATION_CODE_SECRET: e.verificationCodeSecret,
        SMTP_RETRY_BASE_MS: '100',
      },
      logFile: join(e.workDir, 'verifier.log'),
    },
    {
      name: 'translator',
      ...entry('translator', 'main.ts'),
      env: { ...workers, TRANSLATOR_PORT: String(ports.translator), TRANSLATION_URL: e.translationUrl, TRANSLATION_PROVIDER: e.translationProvider },
      logFile: join(e.workDir, 'translator.log'),
    },
  ];
}
