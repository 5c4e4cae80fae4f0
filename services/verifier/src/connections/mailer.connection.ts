import nodemailer, { type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { VerifierConfig } from '../config.js';

export type Mailer = Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;

/**
 * The SMTP transport. The URL is expanded here because nodemailer's createTransport({ url, ... })
 * keeps only what the URL says and drops every other option (auth, timeouts).
 * SMTP_EMAIL/SMTP_PASSWORD, when set, replace credentials written into the URL.
 */
export function createMailer(
  config: Pick<VerifierConfig, 'SMTP_URI' | 'SMTP_EMAIL' | 'SMTP_PASSWORD' | 'MAIL_FROM'>,
): Mailer {
  const options: SMTPTransport.Options = {
    // Bounded waits: a stuck SMTP server must not hold a worker slot for nodemailer's 2-minute default.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...parseConnectionUrl(config.SMTP_URI),
  };
  if (config.SMTP_EMAIL !== undefined && config.SMTP_PASSWORD !== undefined) {
    options.auth = { user: config.SMTP_EMAIL, pass: config.SMTP_PASSWORD };
  }
  return nodemailer.createTransport(options, { from: config.MAIL_FROM });
}
