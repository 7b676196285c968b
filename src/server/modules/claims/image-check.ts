/**
 * Does an uploaded PNG or JPEG decode as the image it claims to be? The right
 * first bytes are not enough (anything can follow them): the whole image is
 * decoded, within limits on its size in pixels and the memory the decoder
 * may use, so a picture that is small on disk but huge in pixels is refused
 * before it is expanded.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** The largest image accepted, in megapixels (a 300 dpi letter scan is about 8.4). */
export const MAX_IMAGE_MEGAPIXELS = 40;
const MAX_JPEG_MEMORY_MB = 256;

export type ImageVerdict = { ok: true } | { ok: false; reason: string };

const tooLarge: ImageVerdict = {
  ok: false,
  reason: `The image is larger than ${MAX_IMAGE_MEGAPIXELS} megapixels. Scan it at a lower resolution.`,
};

export function checkPng(bytes: Buffer): ImageVerdict {
  const unreadable: ImageVerdict = {
    ok: false,
    reason: 'The file starts like a PNG image but is not a readable one. Save or scan it again.',
  };
  // The size is in the header (IHDR, right after the signature): checked before anything is expanded.
  if (bytes.length < 33 || bytes.toString('latin1', 12, 16) !== 'IHDR') return unreadable;
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width === 0 || height === 0) return unreadable;
  if (width * height > MAX_IMAGE_MEGAPIXELS * 1_000_000) return tooLarge;
  try {
    const png = PNG.sync.read(bytes, { checkCRC: true });
    return png.width === width && png.height === height ? { ok: true } : unreadable;
  } catch {
    return unreadable;
  }
}

export function checkJpeg(bytes: Buffer): ImageVerdict {
  const unreadable: ImageVerdict = {
    ok: false,
    reason: 'The file starts like a JPEG image but is not a readable one. Save or scan it again.',
  };
  // A complete JPEG ends with its end-of-image marker (a few zero bytes of padding are tolerated).
  let end = bytes.length;
  while (end > 2 && bytes[end - 1] === 0) end--;
  if (end < 4 || bytes[end - 2] !== 0xff || bytes[end - 1] !== 0xd9) return unreadable;
  try {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: false,
      maxResolutionInMP: MAX_IMAGE_MEGAPIXELS,
      maxMemoryUsageInMB: MAX_JPEG_MEMORY_MB,
    });
    return img.width > 0 && img.height > 0 ? { ok: true } : unreadable;
  } catch (e) {
    return /maxResolutionInMP|maxMemoryUsageInMB/.test((e as Error).message ?? '') ? tooLarge : unreadable;
  }
}
