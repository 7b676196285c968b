import { z } from 'zod';
import { text } from './common.js';
import { progressFactSchema } from './facts.js';

export const creditSourceKinds = ['session', 'claim', 'staff', 'correction', 'other'] as const;

export const creditRecordSchema = z
  .object({
    id: z.string(),
    personId: z.string(),
    program: z.object({ id: z.string(), code: z.string(), name: z.string() }),
    amount: z.number(),
    category: z.string(),
    /** The category's name in the program. */
    categoryName: z.string(),
    sponsored: z.boolean(),
    sourceType: z.string(),
    courseCode: z.string().nullable(),
    title: z.string().nullable(),
    sessionId: z.string().nullable(),
    earnedOn: z.string(),
    status: z.enum(['approved', 'pending', 'rejected']),
    /** Set on a reversing record: the record it cancels, with the reason. */
    reversesId: z.string().nullable(),
    reason: z.string().nullable(),
    /** Set on a record that a later record reversed. */
    reversedById: z.string().nullable(),
    recordedAt: z.string(),
    /** Who recorded it (null for the system, e.g. the demo loader). */
    recordedBy: z.string().nullable(),
    /** Where the record came from: a session's attendance, an approved claim, a staff entry, or a correction. */
    source: z.object({
      kind: z.enum(creditSourceKinds),
      label: z.string(),
      claimId: z.string().nullable(),
      /** A staff entry's reason (e.g. "legacy paper record"). */
      reason: z.string().nullable(),
    }),
  })
  .meta({ id: 'CreditRecord' });
export type CreditRecordDto = z.infer<typeof creditRecordSchema>;
export const creditList = z.object({ items: z.array(creditRecordSchema) });

export const reverseCreditBody = z.strictObject({ reason: text(500, 'Reason') });

const isoDate = z.iso.date();
const isoInstant = z.iso.datetime({ offset: true, local: true });

/**
 * `asOf`: a date (program-local), or an instant, evaluated as the date it falls on in each
 * program's time zone (2027-01-01T05:30:00Z is December 31, 2026 in Chicago).
 */
export const progressQuery = z.strictObject({
  asOf: z
    .string()
    .refine((s) => isoDate.safeParse(s).success || isoInstant.safeParse(s).success, {
      message: 'As of must be a date like 2027-06-30 or an instant like 2027-01-01T05:30:00Z.',
    })
    .optional(),
});

const partSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['minimum', 'cap']),
  have: z.number(),
  limit: z.number(),
  met: z.boolean(),
  /** The limit applies to each activity (a course, or one event on one date) or each year of the period. */
  per: z.enum(['activity', 'year']).optional(),
  /** A per-year part: each year of the period, what it has and whether it is met. */
  years: z
    .array(
      z.object({
        year: z.number().int(),
        from: z.string(),
        to: z.string(),
        have: z.number(),
        met: z.boolean(),
      }),
    )
    .optional(),
});

const extensionSchema = z.object({
  requirementId: z.string(),
  until: z.string(),
  reason: z.string(),
  grantedBy: z.string().optional(),
});

/** One requirement of the tree, flattened in tree order (parentId and depth give the shape). */
export const progressNodeSchema = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    depth: z.number().int(),
    type: z.string(),
    title: z.string(),
    applicable: z.boolean(),
    met: z.boolean(),
    have: z.number(),
    need: z.number(),
    unit: z.string(),
    metOn: z.string().nullable(),
    missing: z.string().nullable(),
    parts: z.array(partSchema),
    counted: z.array(
      z.object({
        recordId: z.string(),
        date: z.string(),
        amount: z.number(),
        courseCode: z.string().nullable(),
      }),
    ),
    notCounted: z.array(
      z.object({
        recordId: z.string(),
        date: z.string(),
        amount: z.number(),
        reason: z.string(),
        detail: z.string(),
      }),
    ),
    /** A deadline node: the effective date, the program's date, and a per-person extension. */
    deadline: z
      .object({
        date: z.string().optional(),
        programDate: z.string().optional(),
        rule: z.string(),
        detail: z.string(),
        extension: extensionSchema.optional(),
      })
      .optional(),
    /** How this node differs for the person or period (a first cycle's prorated minimum). */
    note: z.string().optional(),
  })
  .meta({ id: 'ProgressNode' });

/**
 * One renewal cycle of an awarded official. A closed cycle's outcome is stored
 * and does not change; `flag` (staff only) says a later correction dated inside
 * it would change it, and staff may reopen it with a reason.
 */
export const renewalCycleSchema = z
  .object({
    /** The renewal_cycle id (for reopening); null until the cycle was first recorded. */
    id: z.string().nullable(),
    index: z.number().int(),
    start: z.string(),
    due: z.string(),
    graceEnds: z.string(),
    reinstateBy: z.string().nullable(),
    state: z.string(),
    completedOn: z.string().nullable(),
    closed: z.boolean(),
    stored: z.boolean(),
    flag: z
      .object({
        detail: z.string(),
        ledgerState: z.string(),
        ledgerCompletedOn: z.string().nullable(),
        withdrawnRecordIds: z.array(z.string()),
        flaggedAt: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'RenewalCycle' });

export const reopenCycleBody = z.strictObject({ reason: text(500, 'Reason') });
export const reopenCycleResult = z
  .object({ cycleId: z.string(), reopenedAt: z.string(), status: z.string() })
  .meta({ id: 'ReopenedCycle' });

export const programProgressSchema = z
  .object({
    program: z.object({ id: z.string(), code: z.string(), name: z.string(), designation: z.string() }),
    enrollment: z.object({ id: z.string(), enrolledOn: z.string().nullable(), version: z.string() }),
    status: z.string(),
    headline: z.string(),
    missing: z.array(z.string()),
    nodes: z.array(progressNodeSchema),
    deadlines: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        date: z.string().nullable(),
        state: z.string(),
        detail: z.string(),
        /** Set when a per-person extension replaced the program's date (`programDate`). */
        extension: extensionSchema.optional(),
        programDate: z.string().optional(),
      }),
    ),
    /** Confirmed seats in upcoming sessions that would complete the requirements (provisional). */
    pendingSeats: z
      .array(z.object({ courseCode: z.string(), date: z.string(), title: z.string() }))
      .optional(),
    provisional: z.boolean().optional(),
    nextDue: z.string().nullable(),
    totals: z.object({ approved: z.number(), records: z.number().int() }),
    cycles: z.array(renewalCycleSchema),
    /** What the program measures the person by besides credits: taking office, exams, waivers, extensions, attestations. */
    facts: z.array(progressFactSchema),
  })
  .meta({ id: 'ProgramProgress' });

export const progressSchema = z
  .object({ personId: z.string(), asOf: z.string(), programs: z.array(programProgressSchema) })
  .meta({ id: 'Progress' });
export type Progress = z.infer<typeof progressSchema>;
