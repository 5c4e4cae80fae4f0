import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '@ashchat/contracts';
import { API_SECURITY_HEADERS } from '@ashchat/service-kit';
import { errorBody } from './app-error.js';

// What the router refuses before any route (and its hooks) runs; Fastify's own answers echo the URL.
const ROUTER_ERRORS: Readonly<Record<string, ErrorCode>> = {
  // A path parameter longer than maxParamLength (100 characters: ids are far shorter).
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  // A path parameter that is not valid percent-encoding (`/v1/registrations/%zz`).
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
};

/**
 * Fastify's `frameworkErrors`: the router's refusals as catalogue ErrorResponses, with the API's
 * security headers (helmet runs as a route hook, which these requests never reach). The URL is
 * not echoed; the log has it, redacted like every logged URL.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const code = ROUTER_ERRORS[error.code] ?? 'INTERNAL_ERROR';
  const body = errorBody(code);
  if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed in the router');
  else request.log.info({ code, statusCode: body.statusCode }, 'request rejected by the router');
  void reply.headers(API_SECURITY_HEADERS).code(body.statusCode).send(body);
}
