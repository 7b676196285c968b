/**
 * The images of a certificate design (logo, seal, signatures): checked by content, never by name
 * or declared type (ADR 0027).
 *
 * - At most 512 KB as uploaded (the contract bounds the base64 text before it is decoded).
 * - PNG only. The first eight bytes must be PNG's signature; the size in the header is bounded
 *   (MAX_PIXELS) before anything is expanded; the whole image must decode, CRCs checked
 *   (claims/image-check.ts, the evidence check).
 * - SVG is refused with a reason: nothing in this project draws SVG into a PDF (pdfkit has no SVG
 *   renderer and no rasteriser is installed), so an SVG could never reach the certificate.
 * - What is stored is the decoded pixels written again as a plain 8-bit RGBA PNG: ancillary
 *   chunks (text, profiles) are dropped and the PDF writer gets the one form it draws reliably.
 */
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { DomainError } from '../../../domain/errors.js';
import { MAX_DESIGN_IMAGE_BYTES } from '../../../contract/designs.js';
import { checkPng } from '../claims/image-check.js';

/** A certificate image needs no more than 2000 × 2000 pixels (a 300 dpi seal is about 600). */
export const MAX_PIXELS = 4_000_000;
/** Re-encoded, an image still fits the database's limit on a stored image. */
const MAX_STORED_BYTES = 4 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface CheckedImage {
  content: Buffer;
  width: number;
  height: number;
  sha256: string;
}

const refuse = (field: string, message: string): never => {
  throw new DomainError('validation', message, { issues: [{ field, message }] });
};

/** Looks like XML or SVG text (after a byte-order mark and white space). */
function looksLikeSvg(bytes: Buffer): boolean {
  const head = bytes
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('<') && /<svg[\s>]|<\?xml|<!DOCTYPE/i.test(head);
}

/**
 * Decodes and checks one uploaded image; `field` names it in the error ("logo",
 * "signers.0.signature"). A 400 naming the field for anything that is not a readable PNG within
 * the limits.
 */
export function checkDesignImage(field: string, base64: string, label: string): CheckedImage {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) refuse(field, `The ${label} file is empty.`);
  if (bytes.length > MAX_DESIGN_IMAGE_BYTES)
    refuse(field, `The ${label} is larger than 512 KB. Save it smaller and upload it again.`);
  if (looksLikeSvg(bytes))
    refuse(
      field,
      `The ${label} is an SVG image; certificates here can draw PNG images only. Save it as a PNG and upload that.`,
    );
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE))
    refuse(field, `The ${label} is not a PNG image (its content is not PNG). Upload a PNG file.`);
  if (bytes.length >= 24 && bytes.readUInt32BE(16) * bytes.readUInt32BE(20) > MAX_PIXELS)
    refuse(field, `The ${label} is larger than 2000 × 2000 pixels. Save it smaller and upload it again.`);
  const verdict = checkPng(bytes);
  if (!verdict.ok) refuse(field, `The ${label}: ${verdict.reason}`);
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch {
    return refuse(field, `The ${label} is not a readable PNG image. Save it again and upload it.`);
  }
  const plain = new PNG({ width: png.width, height: png.height });
  png.data.copy(plain.data);
  const content = PNG.sync.write(plain, { colorType: 6, bitDepth: 8 });
  if (content.length > MAX_STORED_BYTES)
    refuse(field, `The ${label} has too much detail to store. Save it smaller and upload it again.`);
  return {
    content,
    width: png.width,
    height: png.height,
    sha256: createHash('sha256').update(content).digest('hex'),
  };
}
