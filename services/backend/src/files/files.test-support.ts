import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import type { ChatTestUser } from '../chat/chat.test-support.js';

/** Test-only helpers (excluded from the build): multipart bodies, images, uploads. */

/** A multipart/form-data body with one file part, as a browser sends it. */
export function multipartBody(filename: string, contentType: string, bytes: Buffer, field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----ashchat${randomUUID()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`, 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A real image encoded by sharp: a gradient-free block of colour with a mark, so encoders keep it small. */
export function testImage(format: 'png' | 'jpeg', width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })[format]().toBuffer();
}

export function upload(app: FastifyInstance, user: ChatTestUser, url: string, name: string, type: string, bytes: Buffer, method: 'POST' | 'PUT' = 'POST'): Promise<LightMyRequestResponse> {
  const body = multipartBody(name, type, bytes);
  return app.inject({ method, url, headers: { ...user.session.headers, ...body.headers }, payload: body.payload });
}

/** Files in GridFS and attachment records: what "nothing stored" is counted by. */
export async function storedCounts(app: FastifyInstance): Promise<{ files: number; chunks: number; attachments: number }> {
  const db = app.mongo.db;
  const [files, chunks, attachments] = await Promise.all([
    db.collection('blobs.files').countDocuments(),
    db.collection('blobs.chunks').countDocuments(),
    db.collection('attachments').countDocuments(),
  ]);
  return { files, chunks, attachments };
}
