import { STATUS_CODES, type ServerOptions } from 'node:http';
import { ERROR_CATALOGUE, type ErrorCode } from '@ashchat/contracts';

/**
 * The security headers of every API answer (JSON, never a page): nothing may be loaded, framed or
 * sniffed. Routes get them from @fastify/helmet (configured to the same values); answers written
 * before any route runs (client errors below, router refusals) carry this list directly. The CSP
 * is written as helmet writes it, so both kinds of answer send the same bytes.
 */
export const API_CSP = "default-src 'none';frame-ancestors 'none'";
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': API_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

export interface HttpTimeouts {
  /** Whole request (headers and body) from its first byte. */
  requestTimeoutMs: number;
  /** Headers from the request's first byte; at most requestTimeoutMs. */
  headersTimeoutMs: number;
}

/**
 * node:http options bounding how long a client may take to send a request. Node checks pending
 * requests every `connectionsCheckingInterval` (30 s by default, which would let a 10 s bound run
 * to 40 s): a quarter of the shortest bound, at most 1 s, keeps them within that of the setting.
 * Upgraded connections (WebSocket) leave the HTTP parser and are not affected.
 */
export function httpServerTimeouts(t: HttpTimeouts): ServerOptions {
  return {
    requestTimeout: t.requestTimeoutMs,
    headersTimeout: t.headersTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(Math.min(t.headersTimeoutMs, t.requestTimeoutMs) / 4))),
  };
}

/** What Node's parser reports, mapped to the catalogue; anything else is a malformed request. */
const CLIENT_ERRORS: Readonly<Record<string, ErrorCode>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
};

interface ClientErrorLog {
  info(obj: object, msg: string): void;
}

interface ClientSocket {
  writable: boolean;
  destroyed: boolean;
  write(data: string): unknown;
  destroy(error?: Error): unknown;
}

/**
 * Fastify's `clientErrorHandler` (`this` is the Fastify instance): a request Node could not parse
 * or that took too long gets a catalogue ErrorResponse (408 REQUEST_TIMEOUT, 431 HEADERS_TOO_LARGE,
 * else 400 VALIDATION_FAILED) with the API's security headers, then the connection is closed.
 * Nothing of the request is echoed. No answer when one cannot be written: the client left, or an
 * answer to this request has started (bytes on the wire would corrupt it) — as Node itself does.
 */
export function clientErrorHandler(this: { log?: ClientErrorLog } | undefined, err: Error & { code?: string }, socket: ClientSocket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode = (err.code === undefined ? undefined : CLIENT_ERRORS[err.code]) ?? 'VALIDATION_FAILED';
  const { status, message } = ERROR_CATALOGUE[code];
  this?.log?.info({ code, cause: err.code }, 'client error');
  // Node's own reference to the answer in progress on this connection (used by its default handler too).
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && inFlight?.headersSent !== true) {
    const body = JSON.stringify({ statusCode: status, code, error: STATUS_CODES[status] ?? 'Error', message });
    const headers = { ...API_SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${head}\r\n${body}`);
  }
  socket.destroy(err);
}
