import type { ObjectId } from 'mongodb';
import type { AttachmentView } from '@ashchat/contracts';

/**
 * What the message service asks of files (chat/message.service.ts): claim uploads for a send, drop
 * them with a deleted message. Chat knows only this; the files plugin (files/) implements it.
 */
export interface MessageAttachments {
  /**
   * Claims the uploads for the send keyed by (conversation, sender, clientMessageId): each must be an
   * upload of the sender into this conversation, not sent before (a retry of the same send finds
   * its own claims). ATTACHMENT_UNAVAILABLE otherwise, with nothing claimed. Their views, in order.
   */
  claim(senderId: string, conversationId: ObjectId, clientMessageId: string, attachmentIds: readonly string[]): Promise<AttachmentView[]>;
  /** Deletes the files of a deleted message (bytes, thumbnails, records); safe to repeat. */
  removeAll(attachments: readonly Pick<AttachmentView, 'id'>[]): Promise<void>;
}
