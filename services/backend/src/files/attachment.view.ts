import type { AttachmentView } from '@ashchat/contracts';
import type { AttachmentDocument } from './attachment.repository.js';

export const toAttachmentView = (doc: AttachmentDocument): AttachmentView => ({
  id: doc._id.toHexString(),
  name: doc.name,
  contentType: doc.contentType,
  size: doc.size,
  image: doc.image,
  thumbnail: doc.thumbnailBlobId !== null,
});
