import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { repairUtf8, sanitiseFileName } from './file.name.js';

/**
 * The one file of a multipart request, read into memory up to `maxBytes` (then ATTACHMENT_TOO_LARGE,
 * before anything is stored): type detection, image sizing and thumbnails all need the bytes, and the
 * bound keeps memory per request at most the configured size. @fastify/multipart's own refusals
 * (not multipart, too many parts) become FILE_MISSING.
 */
export async function readOneFile(request: FastifyRequest, maxBytes: number): Promise<{ name: string; bytes: Buffer }> {
  try {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 } });
    if (!file) throw new AppError('FILE_MISSING');
    const bytes = await file.toBuffer();
    return { name: sanitiseFileName(repairUtf8(file.filename)), bytes };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('ATTACHMENT_TOO_LARGE', { details: { maxBytes } });
    if (typeof code === 'string' && code.startsWith('FST_')) throw new AppError('FILE_MISSING', { cause: err });
    throw err;
  }
}
