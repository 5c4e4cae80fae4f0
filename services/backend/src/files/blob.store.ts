import type { Readable } from 'node:stream';

/** What a stored blob is, kept beside its bytes (for operators and the sweep; views come from the owning document). */
export interface BlobMeta {
  filename: string;
  contentType: string;
  /** The user the bytes belong to (uploader, avatar owner). */
  ownerId: string;
  kind: 'attachment' | 'thumbnail' | 'avatar';
}

export interface StoredBlob {
  /** Opaque, unique per put: a new put never reuses an id, so an id can serve as an ETag. */
  id: string;
  size: number;
}

export interface BlobStat extends StoredBlob {
  contentType: string;
  uploadedAt: Date;
}

/**
 * Where file bytes live. GridFS here (gridfs.store.ts); an S3-compatible store can implement the same
 * four operations (put = multipart upload, openRange = ranged GET, stat = HEAD, delete = DELETE).
 */
export interface BlobStore {
  /** Stores the stream's bytes. On any failure nothing of it stays stored (partial chunks are removed). */
  put(source: Readable, meta: BlobMeta): Promise<StoredBlob>;
  /** The bytes from `start` (inclusive) to `end` (exclusive); the whole blob without them. */
  openRange(id: string, start?: number, end?: number): Readable;
  stat(id: string): Promise<BlobStat | null>;
  /** Removes the blob; removing one already gone is not an error (steps may be repeated after a crash). */
  delete(id: string): Promise<void>;
}
