import { Type, type TSchema } from '@sinclair/typebox';
import { ERROR_CATALOGUE, ErrorResponse, type ErrorCode } from '@ashchat/contracts';

/**
 * What Fastify itself refuses on a route that parses a request body, before any handler runs
 * (the error handler maps them to these codes).
 */
export const BODY_ERRORS = ['VALIDATION_FAILED', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'] as const satisfies readonly ErrorCode[];

// The codes whose AppError carries a Retry-After header (rate limits, cooldown, transient states).
const RETRY_AFTER: ReadonlySet<ErrorCode> = new Set([
  'RATE_LIMITED',
  'RESEND_COOLDOWN',
  'REGISTRATION_PENDING',
  'VERIFICATION_IN_PROGRESS',
  'REGISTRATION_BUSY',
  'VERIFIER_UNAVAILABLE',
  'SESSION_BUSY',
  'PROFILE_BUSY',
  'CODE_FLOW_PENDING',
  'CODE_FLOW_BUSY',
  'DATABASE_UNAVAILABLE',
  'REDIS_UNAVAILABLE',
]);

// Every route that can fail on our side (INTERNAL_ERROR) needs MongoDB and Redis, so it can also
// answer their outage codes; listed here once instead of on every route.
const OUTAGE_CODES = ['DATABASE_UNAVAILABLE', 'REDIS_UNAVAILABLE'] as const satisfies readonly ErrorCode[];

/**
 * The response schemas of a route's refusals: one entry per HTTP status, each the one
 * ErrorResponse schema (by reference, so the document lists it once), described by the catalogue
 * codes the route can answer with under that status. Route plugins using it must add
 * ErrorResponse to their scope (`app.addSchema`). A route listing INTERNAL_ERROR gets the
 * dependency outage codes (503) too.
 */
export function errorResponses(codes: readonly ErrorCode[]): Record<number, TSchema> {
  const byStatus = new Map<number, ErrorCode[]>();
  const all = codes.includes('INTERNAL_ERROR') ? [...codes, ...OUTAGE_CODES] : codes;
  for (const code of new Set(all)) {
    const { status } = ERROR_CATALOGUE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<number, TSchema> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const list = byStatus.get(status) ?? [];
    const description = list.map((code) => `\`${code}\`: ${ERROR_CATALOGUE[code].message}`).join('\n\n');
    const retryAfter = list.filter((code) => RETRY_AFTER.has(code));
    responses[status] = Type.Ref(ErrorResponse, {
      description,
      ...(retryAfter.length === 0
        ? {}
        : {
            headers: {
              'retry-after': Type.Integer({
                minimum: 1,
                description: `Seconds to wait before trying again (sent with ${retryAfter.map((c) => `\`${c}\``).join(', ')})`,
              }),
            },
          }),
    });
  }
  return responses;
}
