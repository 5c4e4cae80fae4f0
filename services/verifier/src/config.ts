import { Type, type Static } from '@sinclair/typebox';
import { WORKER_ENV } from '@ashchat/service-kit';
import { PortVar, SecretVar, UriVar, loadConfig, type ConfigProblem, type LoadConfigOptions } from '@ashchat/config';
import { Email } from '@ashchat/contracts';

export const DEFAULT_MAIL_FROM = 'AshChat <no-reply@ashchat.local>';

/** Every environment variable the verifier reads. */
export const VerifierConfigSchema = Type.Object({
  VERIFIER_PORT: PortVar(3001, { description: 'Port of the health endpoints' }),
  ...WORKER_ENV,
  /** A nodemailer connection URL: `smtp://host:587`, `smtps://user:pass@host:465`; sessions are pooled unless `?pool=false`. */
  SMTP_URI: UriVar(['smtp', 'smtps']),
  /** With SMTP_PASSWORD: the SMTP login, and the sender unless MAIL_FROM is set. */
  SMTP_EMAIL: Type.Optional(Email),
  SMTP_PASSWORD: Type.Optional(SecretVar()),
  /** Sender of every mail. Default: `AshChat <SMTP_EMAIL>` when SMTP_EMAIL is set, else DEFAULT_MAIL_FROM. */
  MAIL_FROM: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
  /** Shared with the backend: keys the HMAC under which codes travel and rest, and the device-challenge denial tokens. */
  VERIFICATION_CODE_SECRET: SecretVar({ minLength: 32 }),
  /** Base of the links in mails (verification, password reset, device challenge). */
  PUBLIC_WEB_URL: UriVar(['http', 'https'], { default: 'http://localhost:3000' }),
  SMTP_MAX_RETRIES: Type.Integer({ default: 4, minimum: 0, maximum: 20 }),
  SMTP_RETRY_BASE_MS: Type.Integer({ default: 500, minimum: 1, maximum: 60_000 }),
});

type RawVerifierConfig = Static<typeof VerifierConfigSchema>;
export type VerifierConfig = Readonly<Omit<RawVerifierConfig, 'MAIL_FROM'> & { MAIL_FROM: string }>;

/** SMTP credentials come as a pair: one without the other is a mistake, not "no auth". */
function smtpAuthPair(config: Readonly<RawVerifierConfig>): ConfigProblem[] {
  if (config.SMTP_EMAIL !== undefined && config.SMTP_PASSWORD === undefined)
    return [{ variable: 'SMTP_PASSWORD', problem: 'required when SMTP_EMAIL is set' }];
  if (config.SMTP_PASSWORD !== undefined && config.SMTP_EMAIL === undefined)
    return [{ variable: 'SMTP_EMAIL', problem: 'required when SMTP_PASSWORD is set' }];
  return [];
}

export function loadVerifierConfig(options?: LoadConfigOptions): VerifierConfig {
  const raw = loadConfig(VerifierConfigSchema, { ...options, check: smtpAuthPair });
  // Many providers only relay mail whose sender is the authenticated account.
  const mailFrom = raw.MAIL_FROM ?? (raw.SMTP_EMAIL === undefined ? DEFAULT_MAIL_FROM : `AshChat <${raw.SMTP_EMAIL}>`);
  return Object.freeze({ ...raw, MAIL_FROM: mailFrom });
}
