import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';

/**
 * Answers carrying tokens must not be stored by any cache (RFC 6749 §5.1): set before the handler
 * (an onRequest hook), so refusals of these routes say the same.
 */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

export async function noStore(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  void reply.headers(NO_STORE);
}

/** The response headers of a token answer, for the OpenAPI document. */
export const NO_STORE_HEADERS = {
  'cache-control': Type.Literal('no-store', { description: 'Tokens are never cached (RFC 6749 §5.1)' }),
  pragma: Type.Literal('no-cache', { description: 'The same, for HTTP/1.0 caches' }),
};
