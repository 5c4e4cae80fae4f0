import { Writable } from 'node:stream';
import { pino, type LoggerOptions } from 'pino';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { loggerOptions, serializeRequest } from '@ashchat/service-kit';

/**
 * Whether the service's redaction (`redact`, by default loggerOptions') leaves a completion line as
 * it is: the line is written through a real pino logger with and without it, from a request
 * carrying every credential a client could send. True while the `req` serializer keeps credentials out by construction (it
 * logs no headers and censors the query); were a redaction path ever to reach one of the line's
 * fields, this turns false and the lines go through redaction again.
 */
export function completionLineUnredacted(redact: LoggerOptions['redact'] = loggerOptions('info').redact): boolean {
  const write = (redacting: boolean): string => {
    let out = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString('utf8');
        done();
      },
    });
    const { serializers } = loggerOptions('info');
    const logger = pino({ ...(redacting ? { redact } : {}), serializers, base: null, timestamp: false }, stream);
    const secret = 'secret-value';
    const headers = { authorization: `Bearer ${secret}`, cookie: secret, 'x-api-key': secret, host: 'example.test' };
    const req = { method: 'GET', url: `/v1/x?access_token=${secret}&limit=5`, host: 'example.test', ip: '127.0.0.1', headers, socket: { remotePort: 1 }, body: { code: secret, password: secret } };
    // The fields of OneLineRequestLog's line, `res` as Fastify's serializer writes it ({ statusCode }).
    logger.info({ reqId: 'req-1', req: serializeRequest(req), res: { statusCode: 200 }, responseTime: 1.5 }, 'request completed');
    return out;
  };
  const plain = write(false);
  return plain === write(true) && !plain.includes('secret-value');
}

/** Checked once per process: the service's paths are constants. */
const UNREDACTED = completionLineUnredacted();
const { chindingsSym } = pino.symbols;

/**
 * Fastify's child logger of each request (the `childLoggerFactory` option). pino's own `child()`
 * passes each binding through every redaction path, re-parsed per call, which made creating it a
 * few per cent of a cached read; its one binding is the request id Fastify generated, a string
 * that `completionLineUnredacted()` shows no path reaches. So the id is appended to the parent's
 * bindings as pino would write it (`,"reqId":"req-1"`); everything the request then logs is
 * redacted as before. Any other case (other bindings, a logger that is not pino) goes to `child()`.
 */
export const requestChildLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, opts) => {
  const keys = Object.keys(bindings);
  // The label the check above covers (Fastify's default, which fastifyOptions keeps).
  const id = keys.length === 1 && keys[0] === 'reqId' ? bindings.reqId : undefined;
  if (!UNREDACTED || typeof id !== 'string' || !(chindingsSym in logger)) return logger.child(bindings, opts);
  const child = Object.keys(opts).length === 0 ? logger.child({}) : logger.child({}, opts);
  const own = child as unknown as Record<symbol, string>;
  own[chindingsSym] = `${own[chindingsSym]},"reqId":${JSON.stringify(id)}`;
  return child;
};

/**
 * One log line per HTTP request, when it completes, with the request's fields (redacted by the `req`
 * serializer) beside the status and time — instead of Fastify's two (`incoming request` +
 * `request completed`): each line is a synchronous write to stdout, and under load the second one
 * cost a measurable share of the backend's CPU (`pnpm bench --only cpu --profile`).
 *
 * A successful request's line skips pino's redaction pass when `completionLineUnredacted()` says it
 * changes nothing (checked once): that pass re-parses every redaction path for each field of each
 * line, the largest single cost of a cached read (`cpu.bench.ts --profile --only rest`). The line
 * has the same bytes either way; lines of failed requests (they carry the error) and every line a
 * handler writes are redacted as before.
 */
export class OneLineRequestLog extends LogController {
  /** Per server logger: its child without redaction (the same destination, bindings and serializers). */
  readonly #plain = new WeakMap<FastifyBaseLogger, FastifyBaseLogger>();

  #plainOf(logger: FastifyBaseLogger): FastifyBaseLogger {
    let plain = this.#plain.get(logger);
    if (plain === undefined) {
      plain = logger.child({}, { redact: [] });
      this.#plain.set(logger, plain);
    }
    return plain;
  }

  // A WebSocket upgrade is handed over before any response: its arrival is the only line it gets.
  override incomingRequest(request: FastifyRequest): void {
    if (request.headers.upgrade !== undefined && !this.isLogDisabled(request)) request.log.info({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    const plain = UNREDACTED ? this.#plainOf(request.server.log) : undefined;
    // A route with a log level of its own keeps its request logger (none has one today).
    if (plain !== undefined && plain.level === reply.log.level) {
      plain.info({ [this.requestIdLogLabel]: request.id, req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    } else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
