import { z } from 'zod';

/** What a spreadsheet import can bring in. */
export const importKinds = ['officials', 'credits', 'awards', 'facts'] as const;
export const importKindSchema = z.enum(importKinds, {
  message: 'Kind must be one of: officials, credits, awards, facts.',
});
export type ImportKind = (typeof importKinds)[number];

export interface ImportColumn {
  name: string;
  required: boolean;
  description: string;
}

const col = (name: string, required: boolean, description: string): ImportColumn => ({
  name,
  required,
  description,
});

/**
 * The columns of each file format, in the order exports write them. Imports
 * accept them in any order; a header not listed here is an error.
 */
export const importColumns: Record<ImportKind, ImportColumn[]> = {
  officials: [
    col(
      'external_id',
      true,
      'Your id for the official; the key that makes re-imports update, not duplicate.',
    ),
    col('first_name', true, 'First name.'),
    col('last_name', true, 'Last name.'),
    col('preferred_name', false, 'Name the official goes by, if different.'),
    col('email', true, 'E-mail address (unique; the sign-in name).'),
    col('phone', false, 'Phone number.'),
    col('title', false, 'Title or office, e.g. County Clerk.'),
    col('county_fips', false, '5-digit county FIPS code (or 2-digit state code).'),
    col('county_name', false, 'County name, used when county_fips is empty (with state).'),
    col('state', false, 'Two-letter state code for county_name, e.g. KS.'),
    col(
      'enrollments',
      false,
      'Program enrollments: program code and date, e.g. "ks-county-election-official:2024-01-15"; several separated by ";". Cohorts follow the date after "/", e.g. ":2024-01-15/pilot-2024".',
    ),
    col(
      'appointment_date',
      false,
      'Date the official took office, YYYY-MM-DD, for every enrollment on the row; or per program, e.g. "ks-county-election-official:2023-11-06; igo-cpo:2024-01-02". Recorded as the taking-office fact.',
    ),
  ],
  credits: [
    col('external_id', true, 'Your id for this attendance or credit record.'),
    col('official_external_id', false, "The official's external id (this or official_email)."),
    col('official_email', false, "The official's e-mail address (this or official_external_id)."),
    col('program', false, 'Program code; may be left empty when the import names a program.'),
    col(
      'course_code',
      false,
      "Course code from the program's catalog; fills category and credits when empty.",
    ),
    col('category', false, 'Credit category id or name from the program definition.'),
    col('earned_on', true, 'Date attended or earned, YYYY-MM-DD.'),
    col('minutes', false, 'Minutes attended; credits = minutes / 60 when credits is empty.'),
    col('credits', false, 'Credits (hours) earned.'),
    col('sponsored', false, 'yes / no: given by the program sponsor (e.g. iGO-sponsored).'),
    col(
      'source_type',
      false,
      "Source type id from the program definition; defaults to the course's or the program's first.",
    ),
    col('title', false, 'Course or activity title.'),
    col('note', false, 'A note kept with the import record.'),
  ],
  awards: [
    col('external_id', true, 'Your id for this award.'),
    col('official_external_id', false, "The official's external id (this or official_email)."),
    col('official_email', false, "The official's e-mail address (this or official_external_id)."),
    col('program', false, 'Program code; may be left empty when the import names a program.'),
    col('awarded_on', true, 'Award date, YYYY-MM-DD.'),
    col(
      'certificate_number',
      false,
      'Certificate number, if one was issued; a new one is assigned when empty.',
    ),
    col('name_on_certificate', false, "Name printed on the certificate; the official's name when empty."),
  ],
  facts: [
    col('external_id', true, 'Your id for this fact.'),
    col('official_external_id', false, "The official's external id (this or official_email)."),
    col('official_email', false, "The official's e-mail address (this or official_external_id)."),
    col('program', false, 'Program code or id; may be left empty when the import names a program.'),
    col('kind', true, 'date, exam, waiver, provisional, extension or attestation.'),
    col(
      'key',
      true,
      'What it is about: "appointment" (taking office) or a dated fact, exam, requirement, deadline or attestation of the program, by id or by its name in the program.',
    ),
    col(
      'date',
      true,
      'YYYY-MM-DD: the dated fact itself, the exam, when a waiver or extension was granted, when an attestation was signed. Only a dated fact may be in the future.',
    ),
    col('score', false, 'Exam score (exams only, and required for them).'),
    col(
      'until',
      false,
      'YYYY-MM-DD: when a waiver or provisional approval ends; an extension’s new deadline (required for extensions).',
    ),
    col('reason', true, 'Why it is recorded (at most 1,000 characters).'),
  ],
};

export const importIssueSchema = z
  .object({
    row: z.number().int(),
    column: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ImportIssue' });
export type ImportIssue = z.infer<typeof importIssueSchema>;

export const importStatuses = [
  'validating',
  'importing',
  'validated',
  'invalid',
  'succeeded',
  'failed',
] as const;

export const importRunSchema = z
  .object({
    id: z.string(),
    kind: importKindSchema,
    filename: z.string(),
    dryRun: z.boolean(),
    status: z.enum(importStatuses),
    totalRows: z.number().int(),
    processedRows: z.number().int(),
    /** 0–100. */
    percent: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    errorCount: z.number().int(),
    /** The first 1,000 errors, in row order. */
    errors: z.array(importIssueSchema),
    message: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'ImportRun' });
export type ImportRun = z.infer<typeof importRunSchema>;

export const importListSchema = z.object({ items: z.array(importRunSchema) });

/** Largest file accepted over HTTP (the CLI reads files of any size). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
