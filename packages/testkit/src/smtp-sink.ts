import { createServer, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createMailApiHandler } from './mail-api.http.js';
import { createMailStore, toStoredMail, type StoredMail } from './mail.store.js';

export interface SmtpSinkOptions {
  /** SMTP port (default 1025 like Mailpit; 0 = any free port). */
  smtpPort?: number;
  /** HTTP API port (default 8025 like Mailpit; 0 = any free port). */
  httpPort?: number;
  host?: string;
  /** Largest accepted message in bytes (default 10 MiB). */
  maxMessageBytes?: number;
  /** Mails kept in memory; older ones are dropped (default 1000). */
  maxMessages?: number;
}

export interface SmtpSink {
  smtpPort: number;
  httpPort: number;
  smtpUri: string;
  mailApiUrl: string;
  /** Captured mails, newest first. */
  messages(): readonly StoredMail[];
  clear(): void;
  /** Let the process exit while the sink still listens (in-process use from tests). */
  unref(): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server that keeps every mail in memory and serves them through Mailpit's HTTP API,
 * so code and tests behave the same against this sink and against Mailpit.
 */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const host = opts.host ?? '127.0.0.1';
  const store = createMailStore(opts.maxMessages ?? 1000);
  const smtp = new SMTPServer({
    banner: 'AshChat SMTP sink',
    secure: false,
    // Plain-text local sink: no STARTTLS, optional AUTH that accepts any credentials.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    size: opts.maxMessageBytes ?? 10 * 1024 * 1024,
    logger: false,
    closeTimeout: 1_000,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => cb(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const err = Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 });
          return cb(err);
        }
        const raw = Buffer.concat(chunks);
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        simpleParser(raw)
          .then((parsed) => {
            store.add(toStoredMail(parsed, raw, envelope));
            cb();
          })
          .catch((err: Error) => cb(Object.assign(new Error(`Unparseable message: ${err.message}`), { responseCode: 554 })));
      });
    },
  });
  smtp.on('error', () => undefined); // per-connection errors (client resets) must not crash the host process
  const http: Server = createServer((req, res) => void createMailApiHandler(store)(req, res));

  const listen = (server: NetServer, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.once('listening', () => resolve());
      server.listen(port, host);
    });
  await listen(smtp.server, opts.smtpPort ?? 1025);
  try {
    await listen(http, opts.httpPort ?? 8025);
  } catch (err) {
    await new Promise<void>((r) => smtp.close(() => r()));
    throw err;
  }
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    smtpPort,
    httpPort,
    smtpUri: `smtp://${host}:${smtpPort}`,
    mailApiUrl: `http://${host}:${httpPort}`,
    messages: () => store.all(),
    clear: () => store.delete(),
    unref() {
      smtp.server.unref();
      http.unref();
    },
    close() {
      closed ??= Promise.all([
        new Promise<void>((r) => smtp.close(() => r())),
        new Promise<void>((r) => {
          http.close(() => r());
          http.closeAllConnections();
        }),
      ]).then(() => undefined);
      return closed;
    },
  };
}
