import type { Collection, Db, ObjectId } from 'mongodb';

export interface AttachmentDocument {
  _id: ObjectId;
  conversationId: ObjectId;
  uploaderId: string;
  name: string;
  /** Detected from the bytes. */
  contentType: string;
  size: number;
  blobId: string;
  thumbnailBlobId: string | null;
  image: { width: number; height: number } | null;
  createdAt: Date;
  /** Set once the sweep saw it sent with a message: the sweep skips it from then on. */
  sent?: boolean;
  /** Set when its deletion began; the sweep finishes a deletion a crash interrupted. */
  deletingSince?: Date;
}

/**
 * Who sent an attachment: one document per attachment, `_id` = the attachment's id. Inserting it is
 * the claim — the unique `_id` lets exactly one send (or the sweep) win, also on FerretDB whose
 * conditional updates are not atomic. Keyed by the send's idempotency key, so a retried send finds
 * its own claim.
 */
export interface AttachmentClaim {
  _id: ObjectId;
  conversationId: ObjectId;
  senderId: string;
  /** The send's clientMessageId; `sweep:` when the sweep took it to delete it. */
  clientMessageId: string;
  claimedAt: Date;
}

const DUPLICATE_KEY = 11000;

export interface AttachmentRepository {
  ensureIndexes(): Promise<void>;
  insert(doc: AttachmentDocument): Promise<void>;
  findById(id: ObjectId): Promise<AttachmentDocument | null>;
  findMany(ids: readonly ObjectId[]): Promise<AttachmentDocument[]>;
  /** Inserts the claim; false if another claim of the attachment exists. */
  claim(claim: AttachmentClaim): Promise<boolean>;
  findClaim(id: ObjectId): Promise<AttachmentClaim | null>;
  releaseClaim(id: ObjectId, clientMessageId: string): Promise<void>;
  markDeleting(id: ObjectId, now: Date): Promise<void>;
  markSent(id: ObjectId): Promise<void>;
  /** Deletes the document and its claim (the blobs go first, by the caller). */
  remove(id: ObjectId): Promise<void>;
  /** Not yet seen sent and created before `before`, or being deleted: the sweep's work, a bounded batch. */
  sweepable(before: Date, limit: number): Promise<AttachmentDocument[]>;
  /** A bounded batch of a user's uploads (account deletion). */
  uploadedBy(userId: string, limit: number): Promise<AttachmentDocument[]>;
  /** Whether chat stored the message of a send (its idempotency key, a unique index of chat's `messages`). */
  messageStored(conversationId: ObjectId, senderId: string, clientMessageId: string): Promise<boolean>;
}

export const ATTACHMENT_INDEXES = { byUploader: 'attachments_uploader', bySweep: 'attachments_sweep' } as const;

export function createAttachmentRepository(db: Db): AttachmentRepository {
  const attachments: Collection<AttachmentDocument> = db.collection<AttachmentDocument>('attachments');
  const claims: Collection<AttachmentClaim> = db.collection<AttachmentClaim>('attachment_claims');
  return {
    async ensureIndexes() {
      await attachments.createIndex({ uploaderId: 1 }, { name: ATTACHMENT_INDEXES.byUploader });
      await attachments.createIndex({ sent: 1, createdAt: 1 }, { name: ATTACHMENT_INDEXES.bySweep });
    },
    async insert(doc) {
      await attachments.insertOne(doc);
    },
    findById(id) {
      return attachments.findOne({ _id: id });
    },
    findMany(ids) {
      return attachments.find({ _id: { $in: [...ids] } }).toArray();
    },
    async claim(claim) {
      try {
        await claims.insertOne(claim);
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
        throw error;
      }
    },
    findClaim(id) {
      return claims.findOne({ _id: id });
    },
    async releaseClaim(id, clientMessageId) {
      await claims.deleteOne({ _id: id, clientMessageId });
    },
    async markDeleting(id, now) {
      await attachments.updateOne({ _id: id }, { $set: { deletingSince: now } });
    },
    async markSent(id) {
      await attachments.updateOne({ _id: id }, { $set: { sent: true } });
    },
    async remove(id) {
      await attachments.deleteOne({ _id: id });
      await claims.deleteOne({ _id: id });
    },
    sweepable(before, limit) {
      return attachments
        .find({ $or: [{ sent: { $ne: true }, createdAt: { $lt: before } }, { deletingSince: { $exists: true } }] })
        .limit(limit)
        .toArray();
    },
    uploadedBy(userId, limit) {
      return attachments.find({ uploaderId: userId }).limit(limit).toArray();
    },
    async messageStored(conversationId, senderId, clientMessageId) {
      return (await db.collection('messages').countDocuments({ conversationId, senderId, clientMessageId }, { limit: 1 })) > 0;
    },
  };
}
