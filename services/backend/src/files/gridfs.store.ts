import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import type { BlobStore } from './blob.store.js';

/** Blobs in GridFS (the official driver's bucket): `<bucket>.files` and `<bucket>.chunks`. Works on MongoDB and FerretDB alike. */
export function createGridFsStore(db: Db, bucketName = 'blobs'): BlobStore {
  const bucket = new GridFSBucket(db, { bucketName });
  const files = db.collection(`${bucketName}.files`);
  const chunks = db.collection(`${bucketName}.chunks`);

  /** Removes whatever exists of a blob; both deletes are no-ops when nothing is left. */
  async function remove(id: ObjectId): Promise<void> {
    await chunks.deleteMany({ files_id: id });
    await files.deleteOne({ _id: id });
  }

  return {
    async put(source, meta) {
      const upload = bucket.openUploadStream(meta.filename, { metadata: { contentType: meta.contentType, ownerId: meta.ownerId, kind: meta.kind } });
      const id = upload.id;
      try {
        await pipeline(source, upload);
      } catch (err) {
        // The chunks written before the failure would otherwise stay without a files document.
        await remove(id);
        throw err;
      }
      return { id: id.toHexString(), size: upload.length };
    },
    openRange(id, start, end) {
      return bucket.openDownloadStream(new ObjectId(id), { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) });
    },
    async stat(id) {
      const doc = await files.findOne<{ _id: ObjectId; length: number; uploadDate: Date; metadata?: { contentType?: string } }>({ _id: new ObjectId(id) });
      if (!doc) return null;
      return { id, size: doc.length, uploadedAt: doc.uploadDate, contentType: doc.metadata?.contentType ?? 'application/octet-stream' };
    },
    async delete(id) {
      await remove(new ObjectId(id));
    },
  };
}

/** Pipes a stored range into a consumer (for tests and tools). */
export const readAll = async (stream: Readable): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
};
