import { connect } from 'node:net';
import { containerRuntimeProblem, startContainer } from './docker.infra.js';
import type { ResolvedService } from './infra.types.js';
import { isTcpOpen } from './process.util.js';
import { redactUrl, throwIfAborted, type ServiceContext } from './service.context.js';
import { startSmtpSink } from './smtp-sink.js';
import { waitFor } from './wait-for.js';

/** SMTP handshake: the server greets with a 220 banner; we answer QUIT. */
export async function smtpBanner(uri: string, timeoutMs = 1_500): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  const port = Number(url.port || (url.protocol === 'smtps:' ? 465 : 25));
  if (url.protocol === 'smtps:') return isTcpOpen(port, url.hostname, timeoutMs); // TLS banner check not worth a TLS client here
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port });
    let buffer = '';
    const done = (ok: boolean) => {
      if (ok) socket.end('QUIT\r\n');
      else socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('data', (d) => {
      buffer += d.toString('latin1');
      if (buffer.includes('\n')) done(/^220[ -]/.test(buffer));
    });
    socket.once('error', () => done(false));
  });
}

/** Mailpit API handshake: GET /api/v1/messages answers JSON with a messages array. */
export async function mailApiAnswers(mailApiUrl: string, timeoutMs = 1_500): Promise<boolean> {
  try {
    const res = await fetch(new URL('/api/v1/messages?limit=1', mailApiUrl), { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return false;
    const body = (await res.json()) as { messages?: unknown };
    return Array.isArray(body.messages);
  } catch {
    return false;
  }
}

function resolved(kind: ResolvedService['source']['kind'], smtpUri: string, mailApiUrl: string, detail: string): ResolvedService {
  return {
    source: { service: 'smtp', kind, uri: smtpUri, detail },
    extraEnv: mailApiUrl ? { MAIL_API_URL: mailApiUrl } : {},
  };
}

async function fromEnv(ctx: ServiceContext): Promise<ResolvedService | undefined> {
  const smtpUri = ctx.env.SMTP_URI;
  if (!smtpUri) {
    if (ctx.env.MAIL_API_URL) ctx.logger.warn('smtp: MAIL_API_URL is set without SMTP_URI; ignoring it');
    return undefined;
  }
  const opts = { timeoutMs: ctx.envProbeTimeoutMs, intervalMs: 250, signal: ctx.signal };
  await waitFor(() => smtpBanner(smtpUri), { ...opts, message: `SMTP_URI=${redactUrl(smtpUri)} to greet with 220 (fix or unset SMTP_URI)` });
  let mailApiUrl = ctx.env.MAIL_API_URL ?? '';
  if (mailApiUrl) {
    await waitFor(() => mailApiAnswers(mailApiUrl), { ...opts, message: `MAIL_API_URL=${mailApiUrl} to answer GET /api/v1/messages` });
  } else if (ctx.mailApiPort && (await mailApiAnswers(`http://127.0.0.1:${ctx.mailApiPort}`))) {
    mailApiUrl = `http://127.0.0.1:${ctx.mailApiPort}`;
  } else {
    ctx.logger.warn('smtp: SMTP_URI is set but MAIL_API_URL is not: tests that read mail cannot run');
  }
  return resolved('env', smtpUri, mailApiUrl, 'from SMTP_URI' + (ctx.env.MAIL_API_URL ? ' and MAIL_API_URL' : ''));
}

async function fromLocalPorts(ctx: ServiceContext): Promise<ResolvedService | undefined> {
  if (ctx.port === 0 || ctx.mailApiPort === 0) return undefined;
  const smtpUri = `smtp://127.0.0.1:${ctx.port}`;
  const mailApiUrl = `http://127.0.0.1:${ctx.mailApiPort}`;
  if (!(await isTcpOpen(ctx.port))) return undefined;
  const [smtpOk, apiOk] = await Promise.all([smtpBanner(smtpUri), mailApiAnswers(mailApiUrl)]);
  if (smtpOk && apiOk) {
    return resolved('local-port', smtpUri, mailApiUrl, `already listening on 127.0.0.1:${ctx.port} (API ${mailApiUrl})`);
  }
  ctx.logger.warn(`smtp: 127.0.0.1:${ctx.port} is open but ${smtpOk ? `no Mailpit API answers on ${mailApiUrl}` : 'gives no SMTP banner'}`);
  return undefined;
}

async function startEmbedded(ctx: ServiceContext): Promise<ResolvedService> {
  const useDefault = !ctx.isolated && ctx.port !== 0 && ctx.mailApiPort !== 0
    && !(await isTcpOpen(ctx.port)) && !(await isTcpOpen(ctx.mailApiPort));
  // Another run may grab the default ports between our check and listen(): fall back to free ports.
  const sink = useDefault
    ? await startSmtpSink({ smtpPort: ctx.port, httpPort: ctx.mailApiPort }).catch(() => startSmtpSink({ smtpPort: 0, httpPort: 0 }))
    : await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  return {
    ...resolved('embedded', sink.smtpUri, sink.mailApiUrl, `embedded SMTP sink in this process (API ${sink.mailApiUrl})`),
    stop: () => sink.close(),
    unref: () => sink.unref(),
  };
}

export async function resolveSmtp(ctx: ServiceContext): Promise<ResolvedService | undefined> {
  const explicit = await fromEnv(ctx);
  if (explicit) return explicit;
  throwIfAborted(ctx.signal);
  const local = await fromLocalPorts(ctx);
  if (local || !ctx.start) return local;
  if (ctx.embeddedSmtp) return startEmbedded(ctx);
  const problem = await containerRuntimeProblem(ctx);
  if (!problem) {
    return startContainer(ctx, {
      service: 'smtp',
      image: 'axllent/mailpit',
      ports: [1025, 8025],
      uri: (host, port) => `smtp://${host}:${port(1025)}`,
      extraEnv: (host, port) => ({ MAIL_API_URL: `http://${host}:${port(8025)}` }),
      ready: (uri) => smtpBanner(uri),
    });
  }
  throw new Error(
    `smtp: no SMTP server found (SMTP_URI unset, nothing on 127.0.0.1:${ctx.port}), the embedded sink is disabled ` +
      `and Docker is unusable (${problem}). Fix: enable the embedded sink, run Mailpit, or set SMTP_URI and MAIL_API_URL.`,
  );
}
