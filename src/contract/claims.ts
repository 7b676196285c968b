import { z } from 'zod';
import { claimStatuses, claimTypes, documentKinds } from '../domain/claims/index.js';
import { optionalText, pageInfo, pageQuery, text, uuidSchema } from './common.js';
import { feeMethods } from './programs.js';

export const claimFeeStatuses = ['not_required', 'unpaid', 'paid', 'waived', 'invoiced'] as const;

const localDate = (label: string) => z.iso.date({ message: `${label} must be a date like 2027-06-01.` });
const amount = (label: string) =>
  z
    .number({ message: `${label} must be a number.` })
    .positive({ message: `${label} must be more than 0.` })
    .max(1000, { message: `${label} must be at most 1000.` })
    .refine((v) => Math.round(v * 100) === v * 100, { message: `${label} can have at most 2 decimals.` });

export const claimTypeSchema = z.enum(claimTypes, { message: 'Choose the type of activity.' });
export const documentKindSchema = z.enum(documentKinds, {
  message: `Kind must be one of: ${documentKinds.join(', ')}.`,
});

export const claimDocumentSchema = z
  .object({
    id: z.string(),
    kind: documentKindSchema,
    filename: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    uploadedAt: z.string(),
  })
  .meta({ id: 'ClaimDocument' });

export const claimMessageSchema = z.object({
  at: z.string(),
  author: z.string(),
  kind: z.string(),
  body: z.string().nullable(),
});

/** What the signed-in actor may do to this claim (src/domain/authz/policies.ts, claimAbilities). */
export const claimAbilitiesSchema = z
  .object({
    read: z.boolean(),
    edit: z.boolean(),
    submit: z.boolean(),
    delete: z.boolean(),
    review: z.boolean(),
    decide: z.boolean(),
    updateFee: z.boolean(),
  })
  .meta({ id: 'ClaimAbilities' });

export const claimSchema = z
  .object({
    id: z.string(),
    abilities: claimAbilitiesSchema,
    person: z.object({ id: z.string(), name: z.string() }),
    program: z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      /** The program's unit of credit ("hour"/"hours", "credit"/"credits"): what amounts are counted in. */
      unit: z.object({ singular: z.string(), plural: z.string() }),
    }),
    type: claimTypeSchema,
    typeLabel: z.string(),
    title: z.string(),
    provider: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    hours: z.number(),
    category: z.string(),
    /** The category's name in the program (the id when the program no longer has it). */
    categoryName: z.string(),
    notes: z.string().nullable(),
    status: z.enum(claimStatuses),
    /** The required evidence its documents do not provide yet (plain language; empty once submitted). */
    missingEvidence: z.array(z.string()),
    /** What the program's rules ask for this type of claim. */
    requiredEvidence: z.array(z.string()),
    submittedAt: z.string().nullable(),
    /** Days since submission, while it waits for review. */
    waitingDays: z.number().int().nullable(),
    decidedAt: z.string().nullable(),
    approvedAmount: z.number().nullable(),
    approvedCategory: z.string().nullable(),
    approvedCategoryName: z.string().nullable(),
    decisionReason: z.string().nullable(),
    /**
     * Before submitting (a draft, or a claim that needs information): what
     * submitting will charge where the program has a fee per credit, what it
     * is for and how it is paid; null when no fee applies.
     */
    feeQuote: z
      .object({
        cents: z.number().int(),
        perCreditCents: z.number().int(),
        forWhat: z.string(),
        howToPay: z.string(),
      })
      .nullable(),
    fee: z.object({
      cents: z.number().int(),
      status: z.enum(claimFeeStatuses),
      /** How it was paid (set with paid). */
      method: z.enum(feeMethods).nullable(),
      /** Receipt number (paid) or invoice number (invoiced). */
      receipt: z.string().nullable(),
    }),
    documents: z.array(claimDocumentSchema),
    messages: z.array(claimMessageSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Claim' });
export type ClaimDto = z.infer<typeof claimSchema>;
export const claimList = z.object({ items: z.array(claimSchema) });

const chooseCategory = 'Choose the category this credit counts toward.';
export const createClaimBody = z.strictObject({
  programId: z.uuid({ message: 'Choose the program this credit is for.' }),
  type: claimTypeSchema,
  title: text(200, 'Activity title'),
  provider: text(200, 'Provider'),
  startDate: localDate('Start date'),
  /** Empty for a one-day activity (it ends on the start date). */
  endDate: localDate('End date').nullish(),
  hours: amount('Hours'),
  category: z
    .string({ message: chooseCategory })
    .trim()
    .min(1, { message: chooseCategory })
    .max(80, { message: 'Category must be at most 80 characters.' }),
  notes: optionalText(2000, 'Notes').optional(),
});
export const updateClaimBody = createClaimBody.omit({ programId: true }).partial();

export const submitClaimBody = z.strictObject({
  /** An answer to the reviewer's request for information. */
  response: optionalText(2000, 'Response').optional(),
});

export const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject', 'request_information'], {
    message: 'Decision must be approve, reject or request_information.',
  }),
  /** Approve: fewer credits than claimed (with a reason) or another category. */
  amount: amount('Amount').optional(),
  category: text(80, 'Category').optional(),
  /** Required to reject (the reason), to ask for information (the question) and to approve fewer credits than claimed. */
  reason: optionalText(2000, 'Reason').optional(),
});

export const claimFeeBody = z.strictObject({
  status: z.enum(['unpaid', 'paid', 'waived', 'invoiced'], {
    message: 'Status must be unpaid, paid, waived or invoiced.',
  }),
  /** Required with paid. */
  method: z
    .enum(feeMethods, { message: `Payment method must be one of ${feeMethods.join(', ')}.` })
    .nullish(),
  receipt: optionalText(100, 'Receipt number').optional(),
});

export const claimFeeQuery = z.strictObject({
  status: z
    .enum(['unpaid', 'paid', 'waived', 'invoiced', 'owed'], {
      message: 'Status must be unpaid, paid, waived, invoiced or owed.',
    })
    .optional(),
  programId: uuidSchema.optional(),
  ...pageQuery,
});
export const claimFeeList = z.object({
  items: z.array(claimSchema),
  page: pageInfo,
  /** Still owed (unpaid or invoiced) across every page of the filter, in cents. */
  owedCents: z.number().int(),
});

export const reviewQueueQuery = z.strictObject({
  programId: uuidSchema.optional(),
  type: claimTypeSchema.optional(),
  /** Only claims waiting at least this many days. */
  minDays: z.coerce
    .number({ message: 'Minimum days must be a whole number.' })
    .int({ message: 'Minimum days must be a whole number.' })
    .min(0, { message: 'Minimum days must be at least 0.' })
    .max(3650, { message: 'Minimum days must be at most 3650.' })
    .optional(),
  ...pageQuery,
});
export const reviewQueue = z.object({ items: z.array(claimSchema), page: pageInfo });

export const reviewersSchema = z.object({
  items: z.array(z.object({ personId: z.string(), name: z.string(), email: z.string() })),
});
export const reviewersBody = z.strictObject({
  personIds: z.array(uuidSchema, { message: 'People must be a list of ids.' }).max(200, {
    message: 'At most 200 reviewers.',
  }),
});

export const manualCreditBody = z.strictObject({
  programId: uuidSchema,
  amount: amount('Amount'),
  category: text(80, 'Category'),
  sponsored: z.boolean({ message: 'Sponsored must be true or false.' }).optional(),
  sourceType: text(80, 'Source type'),
  earnedOn: localDate('Earned on'),
  title: text(200, 'Title'),
  reason: text(1000, 'Reason'),
});
