import { z } from 'zod';
import { factEntryIssues, personFactKinds } from '../domain/requirements/facts.js';
import { text } from './common.js';

const localDate = (label: string) => z.iso.date({ message: `${label} must be a date like 2027-06-01.` });

/** A fact a program measures a person by, recorded by staff with a reason (issue 13). */
export const personFactSchema = z
  .object({
    id: z.string(),
    personId: z.string(),
    program: z.object({ id: z.string(), name: z.string() }),
    kind: z.enum(personFactKinds),
    key: z.string(),
    /** What the fact is about, in words ("Taking office (appointment date)", "Year One"). */
    label: z.string(),
    date: z.string(),
    score: z.number().nullable(),
    until: z.string().nullable(),
    reason: z.string(),
    recordedAt: z.string(),
    recordedBy: z.string().nullable(),
    withdrawnAt: z.string().nullable(),
    withdrawnBy: z.string().nullable(),
    withdrawnReason: z.string().nullable(),
  })
  .meta({ id: 'PersonFact' });
export type PersonFactDto = z.infer<typeof personFactSchema>;

const target = z.object({ key: z.string(), label: z.string() });

/** What can be recorded for the person in one program they are enrolled in. */
export const factOptionsSchema = z
  .object({
    program: z.object({ id: z.string(), name: z.string() }),
    dates: z.array(target),
    exams: z.array(target),
    requirements: z.array(target),
    deadlines: z.array(target),
    attestations: z.array(target),
  })
  .meta({ id: 'PersonFactOptions' });

export const personFactList = z
  .object({ items: z.array(personFactSchema), options: z.array(factOptionsSchema) })
  .meta({ id: 'PersonFactList' });

const kindMessage = 'Kind must be one of: date, exam, waiver, provisional, extension, attestation.';

export const recordFactBody = z
  .strictObject({
    programId: z.uuid({ message: 'Choose the program this fact is for.' }),
    kind: z.enum(personFactKinds, { message: kindMessage }),
    key: text(120, 'What the fact is about'),
    date: localDate('Date'),
    score: z
      .number({ message: 'Score must be a number.' })
      .min(0, { message: 'Score must be at least 0.' })
      .max(10000, { message: 'Score must be at most 10000.' })
      .nullish(),
    until: localDate('Until').nullish(),
    reason: text(1000, 'Reason'),
  })
  .superRefine((b, ctx) => {
    // The shape rules of entry (score only on an exam, until on a waiver, approval or extension).
    for (const i of factEntryIssues(b)) ctx.addIssue({ code: 'custom', path: [i.field], message: i.message });
  });
export type RecordFactBody = z.infer<typeof recordFactBody>;

export const withdrawFactBody = z.strictObject({ reason: text(1000, 'Reason') });
/** A withdrawal: its reason, and the fact as it now stands (withdrawn, kept as history). */
export const withdrawnFactSchema = z
  .object({ factId: z.string(), withdrawnAt: z.string(), reason: z.string(), fact: personFactSchema })
  .meta({ id: 'WithdrawnPersonFact' });

/** How the official sees a fact on their progress page. */
export const progressFactSchema = z
  .object({
    kind: z.enum(personFactKinds),
    label: z.string(),
    date: z.string(),
    score: z.number().nullable(),
    until: z.string().nullable(),
    reason: z.string(),
  })
  .meta({ id: 'ProgressFact' });
