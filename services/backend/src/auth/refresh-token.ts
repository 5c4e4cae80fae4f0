import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 256 bits, nothing to guess, nothing inside. */
export const newRefreshToken = (): string => randomBytes(32).toString('base64url');

/** What the database keeps: a fast digest suffices, the token itself has full entropy. */
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('base64url');
