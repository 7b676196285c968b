/**
 * The impact of a rule change (issue 19, item 2; ADR 0029): before a draft is published, every
 * enrolled official evaluated as of a chosen day under the rules in force and under the rules
 * after publishing; those whose status or next due date would change are listed.
 */
import { z } from 'zod';
import { pageInfo, pageQuery } from './common.js';

export const impactKinds = [
  'became-eligible',
  'no-longer-eligible',
  'lapsed',
  'due-earlier',
  'due-later',
  'other',
] as const;
export type ImpactKind = (typeof impactKinds)[number];

export const impactBody = z.strictObject({
  asOf: z.iso.date({ message: 'As of must be a date like 2027-06-01.' }),
});

export const impactSchema = z
  .object({
    id: z.string(),
    /** The draft version checked, and its last edit when the check started. */
    draftVersion: z.string(),
    draftUpdatedAt: z.string(),
    /** The day evaluated, in the program's time zone. */
    asOf: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    /** running, finished, failed, or stale (the draft was saved again after the check began). */
    state: z.enum(['running', 'finished', 'failed', 'stale']),
    failed: z.string().nullable(),
    staleAt: z.string().nullable(),
    /** Enrolled officials to evaluate, and how many are done. */
    total: z.number().int(),
    done: z.number().int(),
    /** Officials the draft would apply to after publishing (the others keep their version). */
    underDraft: z.number().int(),
    /** Officials whose status or next due date would change, by kind of change. */
    changed: z.number().int(),
    counts: z.object(
      Object.fromEntries(impactKinds.map((k) => [k, z.number().int()])) as {
        [K in ImpactKind]: z.ZodNumber;
      },
    ),
  })
  .meta({ id: 'DraftImpact' });
export type Impact = z.infer<typeof impactSchema>;

export const impactResponse = z.object({ impact: impactSchema.nullable() });

export const impactChangeSchema = z
  .object({
    personId: z.string(),
    name: z.string(),
    county: z.string().nullable(),
    kind: z.enum(impactKinds),
    before: z.object({ status: z.string(), nextDue: z.string().nullable() }),
    after: z.object({ status: z.string(), nextDue: z.string().nullable() }),
  })
  .meta({ id: 'DraftImpactChange' });
export type ImpactChange = z.infer<typeof impactChangeSchema>;

export const impactChangesQuery = z.strictObject({
  kind: z
    .enum(impactKinds, {
      message: `Kind must be one of ${impactKinds.join(', ')}.`,
    })
    .optional(),
  ...pageQuery,
});

export const impactChangeList = z.object({ items: z.array(impactChangeSchema), page: pageInfo });
