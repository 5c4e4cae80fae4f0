import sharp, { type Metadata, type Sharp } from 'sharp';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors/app-error.js';

/** Images browsers render safely as `<img>`: shown inline and thumbnailed. SVG is not among them (it can carry script). */
export const SAFE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const UNKNOWN = 'application/octet-stream';

/** The type of the bytes themselves (magic numbers); never the name or what the client claimed. */
export async function detectContentType(bytes: Buffer): Promise<string> {
  return (await fileTypeFromBuffer(bytes))?.mime ?? UNKNOWN;
}

export interface ImageLimits {
  maxPixels: number;
}

/** sharp's refusal as the client's problem: too many pixels, or not an image it can read. */
const refusal = (cause: unknown): AppError =>
  cause instanceof Error && /pixel limit/i.test(cause.message) ? new AppError('IMAGE_TOO_LARGE', { cause }) : new AppError('IMAGE_REQUIRED', { cause });

/** Width and height of a safe image, refusing absurd pixel counts before anything is decoded. */
export async function imageSize(bytes: Buffer, limits: ImageLimits): Promise<{ width: number; height: number }> {
  let meta: Metadata;
  try {
    // Reads the header only.
    meta = await sharp(bytes, { limitInputPixels: limits.maxPixels }).metadata();
  } catch (cause) {
    throw refusal(cause);
  }
  const { width, height } = meta;
  if (!width || !height) throw new AppError('IMAGE_REQUIRED');
  // For animations the height is that of one frame, pages is the frame count: every frame is decoded.
  if (width * height * (meta.pages ?? 1) > limits.maxPixels) throw new AppError('IMAGE_TOO_LARGE');
  return { width, height };
}

/** Decodes with sharp's pixel limit on (a second guard beside imageSize): a decoding failure is the client's file, not our error. */
async function render(pipeline: Sharp): Promise<Buffer> {
  try {
    return await pipeline.toBuffer();
  } catch (cause) {
    throw refusal(cause);
  }
}

/** A preview at most `maxSide` px on its longer side (never enlarged), as WebP; turned upright by its EXIF orientation. */
export function thumbnail(bytes: Buffer, limits: ImageLimits, maxSide = 320): Promise<Buffer> {
  return render(
    sharp(bytes, { limitInputPixels: limits.maxPixels })
      .rotate()
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 }),
  );
}

/** A square avatar of `side` px (centre crop), as WebP, without the original's metadata (EXIF, location). */
export function avatarImage(bytes: Buffer, limits: ImageLimits, side = 256): Promise<Buffer> {
  return render(sharp(bytes, { limitInputPixels: limits.maxPixels }).rotate().resize(side, side, { fit: 'cover' }).webp({ quality: 85 }));
}
