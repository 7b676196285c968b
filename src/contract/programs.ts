import { z } from 'zod';
import { optionalText, pageInfo, pageQuery, text, uuidSchema } from './common.js';

const cents = (label: string) =>
  z
    .number({ message: `${label} must be a number of cents.` })
    .int({ message: `${label} must be a whole number of cents.` })
    .min(0, { message: `${label} cannot be negative.` })
    .max(10_000_000, { message: `${label} must be at most 10000000 cents.` });

/** A program definition (JSON) as the rules engine reads it; validated by parseProgram in the service. */
const definition = z.record(z.string(), z.unknown(), { message: 'Definition must be a JSON object.' });

export const programVersionSchema = z
  .object({
    id: z.string(),
    version: z.string(),
    effectiveFrom: z.string(),
    published: z.boolean(),
    publishedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ProgramVersion' });

/** What the signed-in actor may do to this program (src/domain/authz/policies.ts, programAbilities). */
export const programAbilitiesSchema = z
  .object({
    read: z.boolean(),
    readDrafts: z.boolean(),
    updateDraft: z.boolean(),
    publish: z.boolean(),
    updateSettings: z.boolean(),
    updateIssuer: z.boolean(),
    readDesign: z.boolean(),
    updateDesign: z.boolean(),
    listEnrollments: z.boolean(),
    enroll: z.boolean(),
    requestEnrollment: z.boolean(),
  })
  .meta({ id: 'ProgramAbilities' });

export const programSummarySchema = z
  .object({
    id: z.string(),
    abilities: programAbilitiesSchema,
    code: z.string(),
    name: z.string(),
    designation: z.string(),
    timeZone: z.string(),
    feeAmountCents: z.number().int(),
    /** What the enrollment fee is for and how to pay it, from the definition in force (null when it says nothing). */
    enrollmentFee: z.object({ feeFor: z.string().nullable(), howToPay: z.string().nullable() }),
    /** Fee per credit on outside-credit claims, in cents; 0 = no fee (the default). */
    claimFeePerCreditCents: z.number().int(),
    partialCredit: z.boolean(),
    current: programVersionSchema.nullable(),
    draft: programVersionSchema.nullable(),
  })
  .meta({ id: 'ProgramSummary' });
export type ProgramSummary = z.infer<typeof programSummarySchema>;

export const programDetailSchema = programSummarySchema
  .extend({
    versions: z.array(programVersionSchema),
    /** The definition of the newest published version. */
    definition: z.record(z.string(), z.unknown()).nullable(),
    /** The draft's definition (administrators only; null for others). */
    draftDefinition: z.record(z.string(), z.unknown()).nullable(),
    /**
     * Status re-evaluation in the background (administrators only; null for others): people still
     * waiting, and the latest whole-program run (new rules, a recompute asked for) with how many it
     * queued.
     */
    statusRun: z
      .object({
        waiting: z.number().int(),
        reason: z.string().nullable(),
        total: z.number().int(),
        startedAt: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'ProgramDetail' });
export type ProgramDetail = z.infer<typeof programDetailSchema>;

export const programList = z.object({ items: z.array(programSummarySchema) });

const claimFeePerCredit = cents('Fee per credit').max(100_000, {
  message: 'Fee per credit must be at most 100000 cents ($1,000).',
});

export const createProgramBody = z.strictObject({
  definition,
  feeAmountCents: cents('Fee').optional(),
  claimFeePerCreditCents: claimFeePerCredit.optional(),
  partialCredit: z.boolean({ message: 'Partial credit must be true or false.' }).optional(),
});
export const draftBody = z.strictObject({ definition });
export const programSettingsBody = z.strictObject({
  feeAmountCents: cents('Fee').optional(),
  claimFeePerCreditCents: claimFeePerCredit.optional(),
  partialCredit: z.boolean({ message: 'Partial credit must be true or false.' }).optional(),
});

// ---------------------------------------------------------------- enrollment

export const feeStatuses = ['unpaid', 'paid', 'waived', 'invoiced'] as const;
export const feeMethods = ['check', 'card', 'cash', 'ach', 'purchase_order', 'other'] as const;
export const enrollmentStatuses = ['requested', 'active', 'withdrawn', 'declined'] as const;

/** What the signed-in actor may do to an account or enrollment request (policies.ts, requestAbilities). */
export const requestAbilitiesSchema = z.object({ decide: z.boolean() }).meta({ id: 'RequestAbilities' });

export const enrollmentSchema = z
  .object({
    id: z.string(),
    abilities: requestAbilitiesSchema,
    program: z.object({ id: z.string(), code: z.string(), name: z.string() }),
    person: z.object({ id: z.string(), displayName: z.string(), email: z.string() }),
    status: z.enum(enrollmentStatuses),
    enrolledOn: z.string().nullable(),
    pinnedVersion: z.string().nullable(),
    /** Cohort ids from the program definition (e.g. pilot-2024). */
    cohorts: z.array(z.string()),
    fee: z.object({
      amountCents: z.number().int(),
      status: z.enum(feeStatuses),
      method: z.enum(feeMethods).nullable(),
      receiptNumber: z.string().nullable(),
    }),
    requestedAt: z.string().nullable(),
    /** When a request was approved or declined, and by whom (null for enrollments nobody asked for). */
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    /** Why a request was declined; the official was e-mailed it. */
    declineReason: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Enrollment' });
export type Enrollment = z.infer<typeof enrollmentSchema>;

const localDate = (label: string) => z.iso.date({ message: `${label} must be a date like 2027-01-31.` });
const receipt = optionalText(60, 'Receipt number');

export const createEnrollmentBody = z.strictObject({
  personId: uuidSchema,
  enrolledOn: localDate('Enrollment date').optional(),
  pinnedVersion: optionalText(40, 'Version'),
  feeAmountCents: cents('Fee').optional(),
  feeStatus: z.enum(feeStatuses, { message: 'Fee status must be unpaid, paid, waived or invoiced.' }),
  feeMethod: z
    .enum(feeMethods, { message: `Payment method must be one of ${feeMethods.join(', ')}.` })
    .nullish(),
  receiptNumber: receipt,
});

export const updateEnrollmentBody = z.strictObject({
  status: z.enum(['active', 'withdrawn'], { message: 'Status must be active or withdrawn.' }).optional(),
  enrolledOn: localDate('Enrollment date').optional(),
  pinnedVersion: optionalText(40, 'Version').optional(),
  feeAmountCents: cents('Fee').optional(),
  feeStatus: z
    .enum(feeStatuses, { message: 'Fee status must be unpaid, paid, waived or invoiced.' })
    .optional(),
  feeMethod: z
    .enum(feeMethods, { message: `Payment method must be one of ${feeMethods.join(', ')}.` })
    .nullish(),
  receiptNumber: receipt.optional(),
  cohorts: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,59}$/, { message: 'Each cohort must be a cohort id like pilot-2024.' }),
      {
        message: 'Cohorts must be a list of cohort ids.',
      },
    )
    .max(20, { message: 'At most 20 cohorts.' })
    .optional(),
});

export const enrollmentQuery = z.strictObject({
  status: z
    .enum(enrollmentStatuses, { message: 'Status must be requested, active, withdrawn or declined.' })
    .optional(),
  ...pageQuery,
});

/** The coordinators' queue of enrollment requests in every program (issue 17). */
export const enrollmentRequestStatuses = ['requested', 'approved', 'declined'] as const;
export const enrollmentRequestQuery = z.strictObject({
  status: z
    .enum(enrollmentRequestStatuses, { message: 'Status must be requested, approved or declined.' })
    .default('requested'),
  ...pageQuery,
});
export type EnrollmentRequestQuery = z.infer<typeof enrollmentRequestQuery>;
export const declineEnrollmentBody = z.strictObject({ reason: text(1000, 'Reason') });
export const enrollmentList = z.object({ items: z.array(enrollmentSchema), page: pageInfo });
export const myEnrollments = z.object({ items: z.array(enrollmentSchema) });
