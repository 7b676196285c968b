import { z } from 'zod';
import { optionalText, pageInfo, pageQuery, text, uuidSchema } from './common.js';

export const courseFormats = ['in_person', 'webinar', 'online', 'hybrid'] as const;

const code = z
  .string({ message: 'Code must be text.' })
  .trim()
  .min(1, { message: 'Code is required.' })
  .max(40, { message: 'Code must be at most 40 characters.' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    message: 'Code may contain letters, digits, dots, dashes and underscores.',
  });

const shortId = (label: string) =>
  z
    .string({ message: `${label} must be text.` })
    .trim()
    .min(1, { message: `${label} is required.` })
    .max(60, { message: `${label} must be at most 60 characters.` })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
      message: `${label} may contain letters, digits, dots, dashes and underscores.`,
    });

export const creditValue = z.strictObject({
  category: shortId('Category'),
  amount: z
    .number({ message: 'Credit amount must be a number.' })
    .min(0, { message: 'Credit amount cannot be negative.' })
    .max(1000, { message: 'Credit amount must be at most 1000.' })
    .refine((n) => Math.round(n * 100) === n * 100, { message: 'Credit amount has at most two decimals.' }),
});

export const courseSchema = z
  .object({
    id: z.string(),
    programId: z.string().nullable(),
    programCode: z.string().nullable(),
    code: z.string(),
    title: z.string(),
    description: z.string(),
    topics: z.array(z.string()),
    /** categoryName: the category as the program's definition names it (its id when it has none). */
    credits: z.array(z.object({ category: z.string(), categoryName: z.string(), amount: z.number() })),
    sponsored: z.boolean(),
    /** The training provider that gives it and may post its sessions' rosters (issue 17), by name. */
    provider: z.string().nullable(),
    format: z.enum(courseFormats),
    durationMinutes: z.number().int(),
    requirementIds: z.array(z.string()),
    renewal: z.boolean(),
    completionMinPercent: z.number().int(),
    prerequisites: z.array(z.string()),
    sourceType: z.string().nullable(),
  })
  .meta({ id: 'Course' });
export type Course = z.infer<typeof courseSchema>;

const fields = {
  title: text(200, 'Title'),
  description: z
    .string({ message: 'Description must be text.' })
    .trim()
    .max(4000, { message: 'Description must be at most 4000 characters.' })
    .default(''),
  topics: z
    .array(text(120, 'Topic'), { message: 'Topics must be a list.' })
    .max(30, { message: 'At most 30 topics.' })
    .default([]),
  credits: z
    .array(creditValue, { message: 'Credits must be a list.' })
    .max(10, { message: 'At most 10 credit values.' }),
  sponsored: z.boolean({ message: 'Sponsored must be true or false.' }).default(false),
  format: z.enum(courseFormats, { message: 'Format must be in_person, webinar, online or hybrid.' }),
  durationMinutes: z
    .number({ message: 'Duration must be a number of minutes.' })
    .int({ message: 'Duration must be a whole number of minutes.' })
    .min(1, { message: 'Duration must be at least 1 minute.' })
    .max(10_080, { message: 'Duration must be at most 10080 minutes (a week).' }),
  requirementIds: z
    .array(shortId('Requirement id'), { message: 'Requirement ids must be a list.' })
    .max(30)
    .default([]),
  renewal: z.boolean({ message: 'Renewal course must be true or false.' }).default(false),
  completionMinPercent: z
    .number({ message: 'Completion percentage must be a number.' })
    .int({ message: 'Completion percentage must be a whole number.' })
    .min(1, { message: 'Completion percentage must be at least 1.' })
    .max(100, { message: 'Completion percentage must be at most 100.' })
    .default(90),
  prerequisites: z
    .array(code, { message: 'Prerequisites must be a list of course codes.' })
    .max(20)
    .default([]),
  sourceType: optionalText(60, 'Source type'),
};

export const createCourseBody = z.strictObject({ programId: uuidSchema, code, ...fields });
export const updateCourseBody = z.strictObject({
  title: fields.title.optional(),
  description: z
    .string({ message: 'Description must be text.' })
    .trim()
    .max(4000, { message: 'Description must be at most 4000 characters.' })
    .optional(),
  topics: z.array(text(120, 'Topic'), { message: 'Topics must be a list.' }).max(30).optional(),
  credits: fields.credits.optional(),
  sponsored: z.boolean({ message: 'Sponsored must be true or false.' }).optional(),
  format: fields.format.optional(),
  durationMinutes: fields.durationMinutes.optional(),
  requirementIds: z
    .array(shortId('Requirement id'), { message: 'Requirement ids must be a list.' })
    .max(30)
    .optional(),
  renewal: z.boolean({ message: 'Renewal course must be true or false.' }).optional(),
  completionMinPercent: z
    .number({ message: 'Completion percentage must be a number.' })
    .int()
    .min(1)
    .max(100)
    .optional(),
  prerequisites: z
    .array(code, { message: 'Prerequisites must be a list of course codes.' })
    .max(20)
    .optional(),
  sourceType: optionalText(60, 'Source type').optional(),
});

const flag = z.enum(['true', 'false'], { message: 'Must be true or false.' });
export const courseQuery = z.strictObject({
  q: z.string().trim().max(100, { message: 'Search text must be at most 100 characters.' }).optional(),
  programId: uuidSchema.optional(),
  format: z
    .enum(courseFormats, { message: 'Format must be in_person, webinar, online or hybrid.' })
    .optional(),
  renewal: flag.optional(),
  sponsored: flag.optional(),
  ...pageQuery,
});
export type CourseQuery = z.infer<typeof courseQuery>;
export const courseList = z.object({ items: z.array(courseSchema), page: pageInfo });
