import { ObjectId } from 'mongodb';
import { Readable } from 'node:stream';
import type { AttachmentView } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { AccessReader } from '../chat/conversation.access.js';
import type { BlobStore } from './blob.store.js';
import type { AttachmentDocument, AttachmentRepository } from './attachment.repository.js';
import { toAttachmentView } from './attachment.view.js';
import { detectContentType, imageSize, SAFE_IMAGE_TYPES, thumbnail, type ImageLimits } from './image.processing.js';
import type { MessageAttachments } from '../chat/message.attachments.js';

export interface AttachmentServiceDeps {
  repository: AttachmentRepository;
  blobs: BlobStore;
  access: AccessReader;
  limits: ImageLimits;
  clock?: () => Date;
}

/** What a download serves: one blob with how to present it. */
export interface Download {
  blobId: string;
  name: string;
  contentType: string;
  /** Safe images (and thumbnails) may be shown inline; everything else is a download. */
  inline: boolean;
}

export interface AttachmentService extends MessageAttachments {
  /** Membership first (404 before any byte is read), then the bytes from `read`. */
  upload(userId: string, conversationId: string, read: () => Promise<{ name: string; bytes: Buffer }>): Promise<AttachmentView>;
  /** An attachment a member may fetch: sent (claimed) ones, or the caller's own upload. ATTACHMENT_NOT_FOUND otherwise. */
  download(userId: string, conversationId: string, attachmentId: string, part: 'file' | 'thumbnail'): Promise<Download>;
  /** One sweep batch: unsent uploads older than `unsentTtlMs` and interrupted deletions. How many were deleted. */
  sweep(unsentTtlMs: number, limit: number): Promise<number>;
  /** Deletes up to `limit` of a user's uploads (account deletion); `more` while some may be left. */
  deleteUploadsOf(userId: string, limit: number): Promise<{ done: number; more: boolean }>;
}

const SWEEP_PREFIX = 'sweep:';

export function createAttachmentService(deps: AttachmentServiceDeps): AttachmentService {
  const { repository, blobs } = deps;
  const clock = deps.clock ?? (() => new Date());

  /** Crash-safe order: marked, bytes gone, record gone; each step repeatable, and the sweep finishes a marked one. */
  async function purge(doc: AttachmentDocument): Promise<void> {
    if (!doc.deletingSince) await repository.markDeleting(doc._id, clock());
    await blobs.delete(doc.blobId);
    if (doc.thumbnailBlobId) await blobs.delete(doc.thumbnailBlobId);
    await repository.remove(doc._id);
  }

  async function store(userId: string, conversationId: ObjectId, name: string, bytes: Buffer): Promise<AttachmentDocument> {
    let contentType = await detectContentType(bytes);
    let image: AttachmentDocument['image'] = null;
    let thumb: Buffer | null = null;
    if (SAFE_IMAGE_TYPES.has(contentType)) {
      try {
        image = await imageSize(bytes, deps.limits);
        thumb = await thumbnail(bytes, deps.limits);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'IMAGE_REQUIRED') throw err;
        // Looks like an image but does not decode (truncated, corrupt): kept as plain bytes, never shown inline.
        contentType = 'application/octet-stream';
        image = null;
        thumb = null;
      }
    }
    const blob = await blobs.put(Readable.from([bytes]), { filename: name, contentType, ownerId: userId, kind: 'attachment' });
    let thumbnailBlobId: string | null = null;
    try {
      if (thumb) thumbnailBlobId = (await blobs.put(Readable.from([thumb]), { filename: `${name}.webp`, contentType: 'image/webp', ownerId: userId, kind: 'thumbnail' })).id;
      const doc: AttachmentDocument = {
        _id: new ObjectId(),
        conversationId,
        uploaderId: userId,
        name,
        contentType,
        size: blob.size,
        blobId: blob.id,
        thumbnailBlobId,
        image,
        createdAt: clock(),
      };
      await repository.insert(doc);
      return doc;
    } catch (err) {
      // No record points at them: remove the bytes now rather than leave them to nobody.
      await blobs.delete(blob.id).catch(() => undefined);
      if (thumbnailBlobId) await blobs.delete(thumbnailBlobId).catch(() => undefined);
      throw err;
    }
  }

  return {
    async upload(userId, conversationId, read) {
      const { conversation } = await deps.access(userId, conversationId);
      const { name, bytes } = await read();
      return toAttachmentView(await store(userId, conversation._id, name, bytes));
    },

    async download(userId, conversationId, attachmentId, part) {
      const { conversation } = await deps.access(userId, conversationId);
      const doc = await repository.findById(new ObjectId(attachmentId));
      if (!doc || !doc.conversationId.equals(conversation._id) || doc.deletingSince) throw new AppError('ATTACHMENT_NOT_FOUND');
      if (doc.uploaderId !== userId) {
        // Another member's upload is theirs until it is sent.
        const claim = await repository.findClaim(doc._id);
        if (!claim || claim.clientMessageId.startsWith(SWEEP_PREFIX)) throw new AppError('ATTACHMENT_NOT_FOUND');
      }
      if (part === 'thumbnail') {
        if (!doc.thumbnailBlobId) throw new AppError('ATTACHMENT_NOT_FOUND');
        return { blobId: doc.thumbnailBlobId, name: `${doc.name}.webp`, contentType: 'image/webp', inline: true };
      }
      return { blobId: doc.blobId, name: doc.name, contentType: doc.contentType, inline: SAFE_IMAGE_TYPES.has(doc.contentType) };
    },

    async claim(senderId, conversationId, clientMessageId, attachmentIds) {
      if (attachmentIds.length === 0) return [];
      const ids = attachmentIds.map((id) => new ObjectId(id));
      const docs = new Map((await repository.findMany(ids)).map((d) => [d._id.toHexString(), d]));
      const usable = (id: string): AttachmentDocument => {
        const doc = docs.get(id);
        if (!doc || !doc.conversationId.equals(conversationId) || doc.uploaderId !== senderId || doc.deletingSince) {
          throw new AppError('ATTACHMENT_UNAVAILABLE', { details: { attachmentId: id } });
        }
        return doc;
      };
      const views = attachmentIds.map((id) => toAttachmentView(usable(id)));
      const won: ObjectId[] = [];
      for (const id of ids) {
        if (await repository.claim({ _id: id, conversationId, senderId, clientMessageId, claimedAt: clock() })) {
          won.push(id);
          continue;
        }
        const existing = await repository.findClaim(id);
        // A retry of the same send: its own claim from the first attempt.
        if (existing && existing.senderId === senderId && existing.clientMessageId === clientMessageId && existing.conversationId.equals(conversationId)) continue;
        for (const w of won) await repository.releaseClaim(w, clientMessageId);
        throw new AppError('ATTACHMENT_UNAVAILABLE', { details: { attachmentId: id.toHexString() } });
      }
      return views;
    },

    async removeAll(attachments) {
      for (const { id } of attachments) {
        const doc = await repository.findById(new ObjectId(id));
        if (doc) await purge(doc);
      }
    },

    async sweep(unsentTtlMs, limit) {
      const cutoff = new Date(clock().getTime() - unsentTtlMs);
      let deleted = 0;
      for (const doc of await repository.sweepable(cutoff, limit)) {
        if (!doc.deletingSince) {
          const claim = await repository.findClaim(doc._id);
          if (claim && !claim.clientMessageId.startsWith(SWEEP_PREFIX)) {
            if (await repository.messageStored(claim.conversationId, claim.senderId, claim.clientMessageId)) {
              await repository.markSent(doc._id);
              continue;
            }
            // A send that claimed it may still be on its way; one that never stored its message long ago will not.
            if (claim.claimedAt > cutoff) continue;
          } else if (!claim) {
            // The claim makes the sweep and a late send exclusive: whichever inserts it first wins.
            const taken = await repository.claim({ _id: doc._id, conversationId: doc.conversationId, senderId: doc.uploaderId, clientMessageId: `${SWEEP_PREFIX}${doc._id.toHexString()}`, claimedAt: clock() });
            if (!taken) continue;
          }
        }
        await purge(doc);
        deleted += 1;
      }
      return deleted;
    },

    async deleteUploadsOf(userId, limit) {
      const batch = await repository.uploadedBy(userId, limit);
      for (const doc of batch) await purge(doc);
      return { done: batch.length, more: batch.length === limit };
    },
  };
}
