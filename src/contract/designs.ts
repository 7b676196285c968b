/** Certificate designs per program (issue 18, item 6; ADR 0027). */
import { z } from 'zod';
import { borderStyles, hexColor, MAX_SIGNERS } from '../domain/certificates/index.js';
import { text, uuidSchema } from './common.js';

/** The largest image a design takes, in bytes (as uploaded). */
export const MAX_DESIGN_IMAGE_BYTES = 512 * 1024;
/** Base64 of MAX_DESIGN_IMAGE_BYTES, rounded up to whole groups of four. */
const MAX_BASE64 = Math.ceil(MAX_DESIGN_IMAGE_BYTES / 3) * 4;

const color = (label: string) =>
  z
    .string({ message: `${label} must be text.` })
    .trim()
    .regex(hexColor, { message: `${label} must be a hex colour like #162e51.` })
    .transform((v) => v.toLowerCase());

/**
 * An image of the design: null for none; `{ id }` keeps an image the program's design already has;
 * `{ png }` is a new PNG file, base64-encoded, at most 512 KB, checked by decoding.
 */
export const designImageInput = z
  .strictObject(
    {
      id: uuidSchema.optional(),
      png: z
        .string({ message: 'The image must be base64 text.' })
        .min(1, { message: 'The image is empty.' })
        .max(MAX_BASE64, { message: 'The image is larger than 512 KB.' })
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'The image must be base64 text.' })
        .optional(),
    },
    { message: 'Send null, { "id": … } to keep the current image, or { "png": base64 } for a new one.' },
  )
  .refine((v) => (v.id === undefined) !== (v.png === undefined), {
    message: 'Send either "id" (keep the current image) or "png" (a new one), not both or neither.',
  })
  .nullable();

const signerInput = z.strictObject({
  name: text(100, 'Signer name'),
  title: text(100, 'Signer title'),
  signature: designImageInput.default(null),
});

export const designBody = z.strictObject({
  heading: text(120, 'Heading'),
  introLine: text(120, 'Opening line'),
  metLine: text(160, '"Has met" line'),
  designationLine: text(160, 'Designation line'),
  primaryColor: color('Main colour'),
  accentColor: color('Accent colour'),
  border: z.enum(borderStyles, { message: `Border must be one of ${borderStyles.join(', ')}.` }),
  logo: designImageInput.default(null),
  seal: designImageInput.default(null),
  signers: z
    .array(signerInput, { message: 'Signers must be a list.' })
    .max(MAX_SIGNERS, { message: `A certificate has at most ${MAX_SIGNERS} signers.` }),
});
export type DesignBody = z.infer<typeof designBody>;

const imageRef = z
  .object({
    id: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    sizeBytes: z.number().int(),
    /** data:image/png;base64,… so a form can show it without another request. */
    dataUrl: z.string(),
  })
  .meta({ id: 'CertificateDesignImage' });

export const designSchema = z
  .object({
    programId: z.string(),
    version: z.number().int().meta({ description: '0 while the program has the default design.' }),
    savedAt: z.string().nullable(),
    savedBy: z.string().nullable(),
    heading: z.string(),
    introLine: z.string(),
    metLine: z.string(),
    designationLine: z.string(),
    primaryColor: z.string(),
    accentColor: z.string(),
    border: z.enum(borderStyles),
    logo: imageRef.nullable(),
    seal: imageRef.nullable(),
    signers: z.array(z.object({ name: z.string(), title: z.string(), signature: imageRef.nullable() })),
    versions: z.array(
      z.object({ version: z.number().int(), savedAt: z.string(), savedBy: z.string().nullable() }),
    ),
  })
  .meta({ id: 'CertificateDesign' });
export type DesignDto = z.infer<typeof designSchema>;
