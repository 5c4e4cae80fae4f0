import { Type, type Static } from '@sinclair/typebox';
import { described, LineString, Uuid } from './common.schema.js';

const EXAMPLE_CONVERSATION_ID = '665f1c2ab3d4e5f6a7b8c9d0';
const EXAMPLE_ATTACHMENT_ID = '665f1d10b3d4e5f6a7b8c9f2';

// Own copy of the id pattern: messages.http.ts imports this file (MessageView.attachments).
const ServerId = Type.String({ pattern: '^[0-9a-f]{24}$', description: 'Server-assigned id (24 lower-case hex digits)', examples: [EXAMPLE_ATTACHMENT_ID] });

/** Most attachments one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

export const AttachmentImage = Type.Object(
  {
    width: Type.Integer({ minimum: 1, description: 'Width in pixels', examples: [1280] }),
    height: Type.Integer({ minimum: 1, description: 'Height in pixels', examples: [960] }),
  },
  { description: 'Size of an image attachment' },
);

const attachmentFields = {
  id: described(ServerId, 'Identifies the attachment'),
    name: LineString({ minLength: 1, maxLength: 255, description: 'File name as uploaded (sanitised)', examples: ['engine.png'] }),
    contentType: Type.String({
      minLength: 3,
      maxLength: 255,
      pattern: '^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$',
      description: 'Type detected from the bytes (never the name or the uploader’s claim); application/octet-stream if unknown',
      examples: ['image/png'],
    }),
    size: Type.Integer({ minimum: 0, description: 'Size in bytes', examples: [48213] }),
    image: Type.Union([AttachmentImage, Type.Null()], { description: 'Width and height of an image (png, jpeg, gif, webp); null otherwise' }),
    thumbnail: Type.Boolean({ description: 'Whether …/thumbnail serves a small preview (images only)' }),
};
const ATTACHMENT_EXAMPLE = { id: EXAMPLE_ATTACHMENT_ID, name: 'engine.png', contentType: 'image/png', size: 48213, image: { width: 1280, height: 960 }, thumbnail: true };

/** Inlined in MessageView (no $id): MessageView also travels inline in WebSocket frames, where no $ref resolves. */
export const MessageAttachment = Type.Object(attachmentFields, { description: 'A file sent with a message.', examples: [ATTACHMENT_EXAMPLE] });

export const AttachmentView = Type.Object(
  attachmentFields,
  {
    $id: 'AttachmentView',
    description: 'A file uploaded into a conversation, to be sent with a message (`attachmentIds`).',
    examples: [ATTACHMENT_EXAMPLE],
  },
);
export type AttachmentView = Static<typeof AttachmentView>;

export const AttachmentIds = Type.Array(described(ServerId, 'An attachment uploaded by the sender into this conversation and not yet sent'), {
  maxItems: MAX_ATTACHMENTS_PER_MESSAGE,
  uniqueItems: true,
  description: `Attachments to send with the message (uploaded with POST /v1/conversations/{id}/attachments), at most ${MAX_ATTACHMENTS_PER_MESSAGE}`,
  examples: [[EXAMPLE_ATTACHMENT_ID]],
});

export const AttachmentParams = Type.Object(
  {
    id: described(ServerId, 'The conversation'),
    attachmentId: described(ServerId, 'The attachment'),
  },
  { additionalProperties: false, examples: [{ id: EXAMPLE_CONVERSATION_ID, attachmentId: EXAMPLE_ATTACHMENT_ID }] },
);
export type AttachmentParams = Static<typeof AttachmentParams>;

export const UserAvatarParams = Type.Object({ id: described(Uuid, 'The user') }, { additionalProperties: false });
export type UserAvatarParams = Static<typeof UserAvatarParams>;

export const UserAvatarQuery = Type.Object(
  {
    v: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{24}$',
        description: 'The version from `avatarUrl`: with it the answer may be cached for good (a new avatar gets a new version)',
        examples: [EXAMPLE_ATTACHMENT_ID],
      }),
    ),
  },
  { additionalProperties: false },
);
export type UserAvatarQuery = Static<typeof UserAvatarQuery>;

/** `/v1/users/{id}/avatar?v={version}`: the only form an avatar URL takes. */
export const AvatarUrlString = Type.String({
  pattern: '^/v1/users/[0-9a-f-]{36}/avatar\\?v=[0-9a-f]{24}$',
  description: 'Where the avatar is served (GET, signed in); the version changes with the picture',
  examples: [`/v1/users/3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90/avatar?v=${EXAMPLE_ATTACHMENT_ID}`],
});

export const AvatarView = Type.Object(
  { avatarUrl: Type.Union([AvatarUrlString, Type.Null()], { description: 'Where the avatar is served; null when none' }) },
  {
    $id: 'AvatarView',
    description: 'The signed-in user’s avatar after a change.',
    examples: [{ avatarUrl: `/v1/users/3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90/avatar?v=${EXAMPLE_ATTACHMENT_ID}` }],
  },
);
export type AvatarView = Static<typeof AvatarView>;

/** Where a user's avatar is served (the version makes the URL change with the picture). */
export const avatarUrlOf = (userId: string, version: string | null | undefined): string | null =>
  version ? `/v1/users/${userId}/avatar?v=${version}` : null;
