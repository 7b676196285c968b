/**
 * Credit records as data: the zod schema for one record, the per-person
 * context, and readers for the CSV and JSON files a program office keeps.
 * Pure: takes text or parsed JSON, returns records or every problem found.
 */
import { z } from 'zod';
import { isLocalDate } from '../time/index.js';
import { formatPath, humanize } from './schema.js';
import { recordStatuses, type CreditRecord, type EvaluationContext } from './types.js';

export interface RecordIssue {
  /** 1-based line number in a CSV file (the header is line 1), or a JSON path. */
  where: string;
  message: string;
}

export type ParseRecordsResult =
  { ok: true; records: CreditRecord[]; people: PersonContext[] } | { ok: false; issues: RecordIssue[] };

/** The context a file can carry for one person (everything in EvaluationContext except asOf). */
export type PersonContext = Omit<EvaluationContext, 'asOf'> & { personId: string; name?: string };

const localDate = z
  .string({ message: 'Must be a date written YYYY-MM-DD.' })
  .refine(isLocalDate, { message: 'Must be a real calendar date written YYYY-MM-DD.' });
const dateOrInstant = z
  .string({ message: 'Must be a date (YYYY-MM-DD) or a date and time (2026-12-31T23:59:00-06:00).' })
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, {
    message: 'Must be a date (YYYY-MM-DD) or a date and time (2026-12-31T23:59:00-06:00).',
  })
  .refine((s) => isLocalDate(s.slice(0, 10)), { message: 'Not a real calendar date.' });
const text = z.string({ message: 'Must be text.' }).trim().min(1, { message: 'Required.' }).max(300);

export const creditRecordSchema = z.strictObject({
  id: text,
  personId: text,
  date: dateOrInstant,
  amount: z
    .number({ message: 'Must be a number.' })
    .min(0, { message: 'Must be 0 or more.' })
    .max(10_000, { message: 'Must be at most 10,000.' })
    .optional(),
  category: text.optional(),
  sponsored: z.boolean({ message: 'Must be true or false.' }).optional(),
  sourceType: text,
  courseCode: text.optional(),
  title: z.string().max(500).optional(),
  status: z.enum(recordStatuses, { message: 'Must be approved, pending, rejected or reversed.' }),
  recordedOn: localDate.optional(),
});

export const personContextSchema = z.strictObject({
  personId: text,
  name: z.string().max(300).optional(),
  enrollmentDate: localDate.optional(),
  appointmentDate: localDate.optional(),
  yearsOfService: z.number().min(0).optional(),
  cohorts: z.array(text).optional(),
  awards: z
    .array(
      z.strictObject({
        id: text,
        awardedOn: localDate,
        number: z.string().optional(),
        revokedOn: localDate.optional(),
        revokedReason: z.string().optional(),
      }),
    )
    .optional(),
  examResults: z.array(z.strictObject({ exam: text, score: z.number(), date: localDate })).optional(),
  waivers: z
    .array(
      z.strictObject({
        requirementId: text,
        kind: z.enum(['waiver', 'provisional']),
        grantedBy: text,
        reason: text,
        grantedOn: localDate,
        expiresOn: localDate.optional(),
      }),
    )
    .optional(),
  attestations: z.array(z.strictObject({ attestation: text, date: localDate })).optional(),
  closedCycles: z
    .array(
      z.strictObject({
        cycleStart: localDate,
        outcome: z.enum(['renewed', 'lapsed', 'reinstated', 'expired']),
        completedOn: localDate.optional(),
        recordIds: z.array(text).optional(),
      }),
    )
    .optional(),
  reopenedCycles: z.array(localDate).optional(),
  factDates: z.record(text, localDate).optional(),
  extensions: z
    .array(
      z.strictObject({
        requirementId: text,
        until: localDate,
        reason: text,
        grantedBy: text.optional(),
      }),
    )
    .optional(),
  confirmedSeats: z
    .array(z.strictObject({ courseCode: text, date: localDate, sourceType: text.optional() }))
    .optional(),
});

const recordsFileSchema = z.union([
  z.array(z.unknown()),
  z.strictObject({ people: z.array(z.unknown()).optional(), records: z.array(z.unknown()) }),
]);

/**
 * Reads the JSON records format: either an array of records, or
 * `{ "people": [PersonContext...], "records": [CreditRecord...] }`.
 */
export function parseRecordsJson(json: unknown): ParseRecordsResult {
  const shape = recordsFileSchema.safeParse(json);
  if (!shape.success)
    return {
      ok: false,
      issues: [
        {
          where: '(file)',
          message: 'Expected an array of records or an object with "records" (and "people").',
        },
      ],
    };
  const rawRecords = Array.isArray(shape.data) ? shape.data : shape.data.records;
  const rawPeople = Array.isArray(shape.data) ? [] : (shape.data.people ?? []);
  const issues: RecordIssue[] = [];
  const records: CreditRecord[] = [];
  const prefix = Array.isArray(shape.data) ? '' : 'records';
  // Where each valid record sits in the file (its index counts the invalid ones before it).
  const ids: { id: string; where: string }[] = [];
  rawRecords.forEach((raw, i) => {
    const r = creditRecordSchema.safeParse(raw);
    if (r.success) {
      records.push(r.data as CreditRecord);
      ids.push({ id: r.data.id, where: formatPath([prefix || 'records', i]) });
    } else
      for (const issue of r.error.issues)
        issues.push({
          where: formatPath([...(prefix ? [prefix] : []), i, ...issue.path]),
          message: humanize(issue, raw),
        });
  });
  const people: PersonContext[] = [];
  rawPeople.forEach((raw, i) => {
    const r = personContextSchema.safeParse(raw);
    if (r.success) people.push(r.data as PersonContext);
    else
      for (const issue of r.error.issues)
        issues.push({ where: formatPath(['people', i, ...issue.path]), message: humanize(issue, raw) });
  });
  issues.push(...duplicateIds(ids));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, records, people };
}

function duplicateIds(ids: { id: string; where: string }[]): RecordIssue[] {
  const seen = new Map<string, string>();
  const out: RecordIssue[] = [];
  for (const { id, where } of ids) {
    const prior = seen.get(id);
    if (prior) out.push({ where, message: `Duplicate record id "${id}" (also at ${prior}).` });
    else seen.set(id, where);
  }
  return out;
}

/** Splits RFC 4180 CSV text into rows of fields (quotes, doubled quotes, CRLF, a BOM). */
export function splitCsv(input: string): { rows: string[][]; error?: string } {
  const textIn = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < textIn.length) {
    const c = textIn[i];
    if (quoted) {
      if (c === '"') {
        if (textIn[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && textIn[i + 1] === '\n') i += 1;
    } else {
      field += c;
    }
    i += 1;
  }
  if (quoted) return { rows, error: `Line ${rows.length + 1}: a quoted field is never closed.` };
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return { rows };
}

const COLUMN_ALIASES: Record<string, keyof CreditRecord> = {
  id: 'id',
  recordid: 'id',
  personid: 'personId',
  person: 'personId',
  date: 'date',
  amount: 'amount',
  credits: 'amount',
  hours: 'amount',
  category: 'category',
  sponsored: 'sponsored',
  sourcetype: 'sourceType',
  source: 'sourceType',
  coursecode: 'courseCode',
  course: 'courseCode',
  title: 'title',
  status: 'status',
  recordedon: 'recordedOn',
};

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0', '']);

/**
 * Reads the CSV records format. Required columns: id, personId, date,
 * sourceType, status; optional: amount, category, sponsored, courseCode,
 * title, recordedOn. Every row is checked before anything is returned, and
 * every problem is reported with its line number.
 */
export function parseRecordsCsv(csv: string): ParseRecordsResult {
  const { rows, error } = splitCsv(csv);
  if (error) return { ok: false, issues: [{ where: '(file)', message: error }] };
  const nonEmpty = rows
    .map((r, i) => ({ cells: r, line: i + 1 }))
    .filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = nonEmpty[0];
  if (!header) return { ok: false, issues: [{ where: '(file)', message: 'The file is empty.' }] };
  const issues: RecordIssue[] = [];
  const columns: (keyof CreditRecord | undefined)[] = header.cells.map((h) => {
    const key =
      COLUMN_ALIASES[
        h
          .trim()
          .toLowerCase()
          .replace(/[\s_-]/g, '')
      ];
    if (!key) issues.push({ where: `line ${header.line}`, message: `Unknown column "${h.trim()}".` });
    return key;
  });
  for (const required of ['id', 'personId', 'date', 'sourceType', 'status'] as const) {
    if (!columns.includes(required))
      issues.push({ where: `line ${header.line}`, message: `Missing column "${required}".` });
  }
  if (issues.length > 0) return { ok: false, issues };
  const records: CreditRecord[] = [];
  const ids: { id: string; where: string }[] = [];
  for (const { cells, line } of nonEmpty.slice(1)) {
    const where = `line ${line}`;
    if (cells.length !== columns.length) {
      issues.push({ where, message: `Has ${cells.length} fields; the header has ${columns.length}.` });
      continue;
    }
    const raw: Record<string, unknown> = {};
    let rowOk = true;
    columns.forEach((key, j) => {
      const value = (cells[j] ?? '').trim();
      if (!key) return;
      if (key === 'amount') {
        if (value === '') return;
        const n = Number(value);
        if (!Number.isFinite(n)) {
          issues.push({ where: `${where}, column amount`, message: `"${value}" is not a number.` });
          rowOk = false;
          return;
        }
        raw[key] = n;
      } else if (key === 'sponsored') {
        const v = value.toLowerCase();
        if (TRUE.has(v)) raw[key] = true;
        else if (FALSE.has(v)) raw[key] = false;
        else {
          issues.push({ where: `${where}, column sponsored`, message: `"${value}" must be yes or no.` });
          rowOk = false;
        }
      } else if (value !== '') {
        raw[key] = key === 'status' ? value.toLowerCase() : value;
      }
    });
    if (!rowOk) continue;
    const r = creditRecordSchema.safeParse(raw);
    if (r.success) {
      records.push(r.data as CreditRecord);
      ids.push({ id: r.data.id, where });
    } else {
      for (const issue of r.error.issues)
        issues.push({ where: `${where}, column ${formatPath(issue.path)}`, message: humanize(issue, raw) });
    }
  }
  issues.push(...duplicateIds(ids));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, records, people: [] };
}

/** Checks a people file (an array of PersonContext, or `{ "people": [...] }`). */
export function parsePeopleJson(
  json: unknown,
): { ok: true; people: PersonContext[] } | { ok: false; issues: RecordIssue[] } {
  const list = Array.isArray(json)
    ? json
    : json && typeof json === 'object' && Array.isArray((json as { people?: unknown }).people)
      ? ((json as { people: unknown[] }).people as unknown[])
      : undefined;
  if (!list) return { ok: false, issues: [{ where: '(file)', message: 'Expected an array of people.' }] };
  const issues: RecordIssue[] = [];
  const people: PersonContext[] = [];
  list.forEach((raw, i) => {
    const r = personContextSchema.safeParse(raw);
    if (r.success) people.push(r.data as PersonContext);
    else
      for (const issue of r.error.issues)
        issues.push({ where: formatPath(['people', i, ...issue.path]), message: humanize(issue, raw) });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, people };
}
