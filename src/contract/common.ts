import { z } from 'zod';

/** Problem details (RFC 9457) as every error response carries them. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

export const uuidSchema = z.uuid({ message: 'Must be a valid id (UUID).' });
export const idParams = z.strictObject({ id: uuidSchema });

const whole = (label: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${label} must be a whole number.` })
    .int({ message: `${label} must be a whole number.` })
    .min(min, { message: `${label} must be at least ${min}.` })
    .max(max, { message: `${label} must be at most ${max}.` });

export const pageQuery = {
  page: whole('Page', 1, 100_000).default(1),
  pageSize: whole('Page size', 1, 200).default(25),
};

export const pageInfo = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});

export const okSchema = z.object({ ok: z.literal(true) });

/** A short single-line text field: trimmed, non-empty, bounded. */
const textError = (label: string) => ({
  error: (iss: { input?: unknown }) =>
    iss.input === undefined ? `${label} is required.` : `${label} must be text.`,
});

export const text = (max: number, label: string) =>
  z
    .string(textError(label))
    .trim()
    .min(1, { message: `${label} is required.` })
    .max(max, { message: `${label} must be at most ${max} characters.` });

export const optionalText = (max: number, label: string) =>
  z
    .string({ message: `${label} must be text.` })
    .trim()
    .max(max, { message: `${label} must be at most ${max} characters.` })
    .nullish()
    .transform((v) => (v === '' || v == null ? null : v));

export const emailSchema = z
  .string({ message: 'E-mail must be text.' })
  .trim()
  .toLowerCase()
  .max(254, { message: 'E-mail must be at most 254 characters.' })
  .pipe(z.email({ message: 'Enter an e-mail address like name@example.gov.' }));
