import { Readable } from 'node:stream';
import { avatarUrlOf, type AvatarView } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { BlobStore } from './blob.store.js';
import { avatarImage, detectContentType, imageSize, SAFE_IMAGE_TYPES, type ImageLimits } from './image.processing.js';
import type { ServedBlob } from './blob.reply.js';

/** The user record's avatar field, read and written through the users repository (the collection's one owner). */
export interface AvatarStore {
  avatarOf(userId: string): Promise<string | null>;
  /** Sets the avatar's blob id (null: none), serialised per user; the one replaced, or undefined if there is no such user. */
  swapAvatar(userId: string, blobId: string | null): Promise<string | null | undefined>;
}

export interface AvatarServiceDeps {
  users: AvatarStore;
  blobs: BlobStore;
  limits: ImageLimits;
}

export interface AvatarService {
  put(userId: string, read: () => Promise<{ bytes: Buffer }>): Promise<AvatarView>;
  remove(userId: string): Promise<AvatarView>;
  /** The avatar to serve; `version` (the URL's `v`) equal to the current one makes it cacheable for good. */
  get(userId: string, version: string | undefined): Promise<ServedBlob>;
}

const SIDE = 256;

export function createAvatarService({ users, blobs, limits }: AvatarServiceDeps): AvatarService {
  return {
    async put(userId, read) {
      const { bytes } = await read();
      if (!SAFE_IMAGE_TYPES.has(await detectContentType(bytes))) throw new AppError('IMAGE_REQUIRED');
      await imageSize(bytes, limits);
      const square = await avatarImage(bytes, limits, SIDE);
      const blob = await blobs.put(Readable.from([square]), { filename: 'avatar.webp', contentType: 'image/webp', ownerId: userId, kind: 'avatar' });
      const previous = await users.swapAvatar(userId, blob.id).catch(async (err: unknown) => {
        await blobs.delete(blob.id);
        throw err;
      });
      if (previous === undefined) {
        await blobs.delete(blob.id);
        throw new AppError('UNAUTHENTICATED');
      }
      // After the switch: a crash here leaves the old bytes unreferenced (see files/README.md), never a broken avatar.
      if (previous) await blobs.delete(previous);
      return { avatarUrl: avatarUrlOf(userId, blob.id) };
    },

    async remove(userId) {
      const previous = await users.swapAvatar(userId, null);
      if (previous) await blobs.delete(previous);
      return { avatarUrl: null };
    },

    async get(userId, version) {
      const current = await users.avatarOf(userId);
      if (!current) throw new AppError('AVATAR_NOT_FOUND');
      return {
        blobId: current,
        name: 'avatar.webp',
        contentType: 'image/webp',
        inline: true,
        missing: 'AVATAR_NOT_FOUND',
        // The versioned URL names these bytes for good (a new avatar gets a new id); the bare one must be revalidated.
        cacheControl: version === current ? 'private, max-age=31536000, immutable' : 'private, no-cache',
      };
    },
  };
}
