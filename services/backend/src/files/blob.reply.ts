import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { BlobStore } from './blob.store.js';
import { parseRange } from './byte.range.js';
import { contentDisposition } from './file.name.js';

export interface ServedBlob {
  blobId: string;
  name: string;
  contentType: string;
  inline: boolean;
  /** Cache-Control of the answer; `private` always (only members may read it). */
  cacheControl?: string;
  /** The refusal when the bytes are gone (a deletion in progress). */
  missing?: ErrorCode;
}

/**
 * Sends a stored blob the way a browser cannot be tricked into running it: its detected type with
 * nosniff, a sandboxing CSP, a download unless it is a safe image; ETag (blob ids never repeat,
 * so the id is the validator) and single byte ranges (206, 416).
 */
export async function sendBlob(request: FastifyRequest, reply: FastifyReply, blobs: BlobStore, blob: ServedBlob): Promise<FastifyReply> {
  const stat = await blobs.stat(blob.blobId);
  // The record exists but its bytes are gone: a deletion in progress.
  if (!stat) throw new AppError(blob.missing ?? 'ATTACHMENT_NOT_FOUND');
  const etag = `"${blob.blobId}"`;
  reply
    .header('content-type', blob.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('content-disposition', contentDisposition(blob.inline ? 'inline' : 'attachment', blob.name))
    .header('cache-control', blob.cacheControl ?? 'private, no-cache')
    .header('etag', etag)
    .header('accept-ranges', 'bytes');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`)) {
    return reply.code(304).send();
  }
  const ifRange = request.headers['if-range'];
  const range = ifRange === undefined || ifRange === etag ? parseRange(request.headers.range, stat.size) : null;
  if (range === 'unsatisfiable') {
    throw new AppError('RANGE_NOT_SATISFIABLE', { headers: { 'content-range': `bytes */${stat.size}` } });
  }
  if (range) {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end - 1}/${stat.size}`).header('content-length', range.end - range.start);
    return reply.send(blobs.openRange(blob.blobId, range.start, range.end));
  }
  reply.header('content-length', stat.size);
  return reply.send(blobs.openRange(blob.blobId));
}

/** The OpenAPI description of a binary answer. */
export const binaryResponse = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
});
