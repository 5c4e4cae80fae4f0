import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOGUE, isTextFormat, type ErrorCode } from '@ashchat/contracts';
import { AppError, errorBody } from '../errors/app-error.js';
import { dependencyError } from '../errors/dependency-errors.js';
import { redactUrl } from '@ashchat/service-kit';

// The body lives with AppError (errors/), which framework-level refusals use too; kept importable here.
export { errorBody };

interface Mapped {
  code: ErrorCode;
  details?: unknown;
  headers?: Readonly<Record<string, string>>;
}

// Fastify's own client errors, by their stable codes.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
};

function mapError(error: FastifyError | AppError | Error): Mapped {
  if (error instanceof AppError) return { code: error.code, details: error.details, headers: error.headers };
  // MongoDB or Redis unreachable: 503 with Retry-After, not a 500 (the cause stays in the log).
  const unavailable = dependencyError(error);
  if (unavailable !== undefined) return { code: unavailable.code, details: unavailable.details, headers: unavailable.headers };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    // A refusal by the text rule (a text format of @ashchat/contracts) has a code of its own.
    const text = fastifyError.validation.filter((v) => v.keyword === 'format' && isTextFormat(v.params.format));
    return {
      code: text.length > 0 ? 'INVALID_TEXT' : 'VALIDATION_FAILED',
      details: (text.length > 0 ? text : fastifyError.validation).map((v) => ({
        in: fastifyError.validationContext ?? 'request',
        path: v.instancePath === '' ? '/' : v.instancePath,
        message: v.message ?? 'is invalid',
      })),
    };
  }
  const known = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (known !== undefined) return { code: known };
  // Other 4xx from Fastify or its plugins (rate limit, ...): keep the status, use its catalogue code.
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const byStatus = (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).find((c) => ERROR_CATALOGUE[c].status === status);
    if (byStatus !== undefined) return { code: byStatus };
  }
  return { code: 'INTERNAL_ERROR' };
}

/**
 * The one error handler: every failure leaves as an ErrorResponse with a catalogue code. Unknown
 * errors become a generic 500 whose message and stack stay in the log, never in the response.
 */
async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = mapError(error);
    const body = errorBody(mapped.code, mapped.details);
    if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, statusCode: body.statusCode }, 'request rejected');
    if (mapped.headers !== undefined) void reply.headers(mapped.headers);
    return reply.code(body.statusCode).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    // Redacted: the query of an unknown route may carry anything (`?access_token=…`).
    request.log.info({ method: request.method, url: redactUrl(request.url) }, 'route not found');
    return reply.code(404).send(errorBody('ROUTE_NOT_FOUND'));
  });
}

export default fp(errorHandlerPlugin, { name: 'error-handler', fastify: '5.x' });
