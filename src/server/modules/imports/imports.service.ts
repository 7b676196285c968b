/**
 * Spreadsheet imports of officials, historic credits and past awards.
 *
 * Every import first validates every row (the dry run stops there); a real
 * import validates again inside its one transaction, under a lock, and writes
 * nothing unless every row is valid. Progress is written to import_run from a
 * separate connection while the transaction works, so the web page (polling)
 * and the CLI (callback) can show it.
 *
 * Idempotency: officials are keyed by person.external_id (a changed row
 * updates the person); credits and awards are keyed by import_key with a
 * fingerprint of the row: the same row again is "unchanged", a changed row
 * for an imported ledger record or award is an error (both are append-only:
 * reverse or revoke in CivicCert, then import the change under a new id).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import {
  importColumns,
  type ImportIssue,
  type ImportKind,
  type ImportRun,
} from '../../../contract/imports.js';
import { recordFactBody, type RecordFactBody } from '../../../contract/facts.js';
import { personInput } from '../../../contract/people.js';
import { DomainError } from '../../../domain/errors.js';
import { cycleDates, firstCycle } from '../../../domain/lifecycle/index.js';
import {
  APPOINTMENT_FACT,
  factEntryIssues,
  factTargets,
  personFactKinds,
  resolveFactKey,
  type FactTargets,
  type PersonFactKind,
  type ProgramDefinition,
} from '../../../domain/requirements/index.js';
import { isLocalDate, yearOf, todayIn } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import { withClient, type Database, type Db, type Tx } from '../../db/database.js';
import { jsonb } from '../../db/json.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import { requestEmailChange } from '../people/email-change.service.js';
import { evaluatePeople, recompute, recomputeQueued } from '../certification/evaluation.js';
import { judgedBy, notEnrolledMessage, writeFact } from '../certification/facts.js';
import { definitionFor } from '../programs/programs.service.js';
import {
  CreditStageWriter,
  checkCreditStage,
  createCreditStage,
  writeCreditStage,
  type StagedCredit,
} from './credit-staging.js';
import { idb } from './imports.db.js';
import { formatOf, nulIssues, readSheet, type FileFormat } from './parse.js';

export interface Progress {
  phase: 'reading' | 'validating' | 'importing' | 'done';
  processed: number;
  total: number;
}

export interface ImportRequest {
  kind: ImportKind;
  filename: string;
  input: Readable | Buffer;
  format?: FileFormat;
  /** Program id or code for rows that leave `program` empty. */
  program?: string | undefined;
  dryRun: boolean;
  onProgress?: (p: Progress) => void;
}

const BATCH = 1000;
/** Rows are held in memory while they are checked: a bound on what one file may hold. */
const MAX_ROWS = 1_000_000;
const MAX_STORED_ERRORS = 1000;
const IMPORT_LOCK = 0x43494d50; // "CIMP": one import at a time per database

// ---------------------------------------------------------------- reading

interface DataRow {
  row: number;
  v: Record<string, string>;
}

/** Undoes the export's formula neutralisation: a leading ' before = + - @ is dropped. */
function cleanCell(s: string): string {
  const t = s.trim();
  return t.charCodeAt(0) === 39 && /^'[=+\-@]/.test(t) ? t.slice(1) : t; // 39: '
}

const normHeader = (h: string) =>
  h
    .replace(/^\ufeff/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** What reading a sheet found besides its rows (dataRows fills it in as it goes). */
interface SheetState {
  /** Row issues found while reading (cells that cannot be stored, rows that cannot be read). */
  issues: ImportIssue[];
  /**
   * Issues with the columns, which stop the check: rows cannot be checked without their columns.
   * Final when reading has ended (the unknown columns are then added to them).
   */
  headerIssues: ImportIssue[];
  /** Data rows read so far. */
  rows: number;
}

/**
 * The data rows of a sheet, as they are read: nothing is held but the row at hand, so a caller
 * that streams them on (the credit import) keeps memory flat. The header row is checked first.
 */
async function* dataRows(
  kind: ImportKind,
  input: Readable,
  format: FileFormat,
  state: SheetState,
  onRow: (n: number) => void,
): AsyncGenerator<DataRow> {
  const columns = importColumns[kind];
  const known = new Set(columns.map((c) => c.name));
  const issues = state.issues;
  const headerIssues = state.headerIssues;
  const unknownColumns: ImportIssue[] = [];
  let header: string[] | null = null;
  let names: (string | null)[] = [];
  for await (const r of readSheet(input, format)) {
    if (r.problem) {
      // A row the CSV reader could not read: an error on its row and cell; the row is left out.
      const issue = {
        row: r.row,
        column: header?.[r.problem.index] || `column ${r.problem.index + 1}`,
        message: r.problem.message,
      };
      if (header) issues.push(issue);
      else {
        // The header row itself: the columns are unknown, so no row can be checked.
        headerIssues.push(issue);
        header = [];
      }
      continue;
    }
    issues.push(...nulIssues(r, header ?? []));
    if (!header) {
      if (r.cells.every((c) => c.trim() === '')) continue;
      header = r.cells.map((c) => c.trim());
      const seen = new Set<string>();
      // An unknown column is reported with the rows' errors (its cells are not read); the
      // others stop the check, as rows cannot be checked without their columns.
      names = header.map((h) => {
        const n = normHeader(h);
        if (!n) return null;
        if (!known.has(n)) {
          unknownColumns.push({
            row: r.row,
            column: h,
            message: `Unknown column "${h}". The columns are: ${columns.map((c) => c.name).join(', ')}.`,
          });
          return null;
        }
        if (seen.has(n)) issues.push({ row: r.row, column: h, message: `Column "${n}" appears twice.` });
        seen.add(n);
        return n;
      });
      for (const c of columns)
        if (c.required && !seen.has(c.name))
          issues.push({ row: r.row, column: c.name, message: `The required column "${c.name}" is missing.` });
      if (
        (kind === 'credits' || kind === 'awards' || kind === 'facts') &&
        !seen.has('official_external_id') &&
        !seen.has('official_email')
      )
        issues.push({
          row: r.row,
          column: 'official_external_id',
          message: 'Add a column official_external_id or official_email to say whose record each row is.',
        });
      headerIssues.push(...issues.splice(0));
      issues.push(...unknownColumns);
      continue;
    }
    if (r.cells.every((c) => c.trim() === '')) continue;
    const v: Record<string, string> = {};
    r.cells.forEach((c, i) => {
      const n = names[i];
      if (n) v[n] = cleanCell(c);
      else if (i >= names.length && c.trim() !== '') v['\u0000extra'] = 'x'; // a value under no header
    });
    if (v['\u0000extra']) {
      issues.push({
        row: r.row,
        column: '(no header)',
        message: 'This row has a value in a column with no header.',
      });
      delete v['\u0000extra'];
    }
    state.rows++;
    if (state.rows > MAX_ROWS)
      throw new DomainError(
        'payload_too_large',
        `The file has more than ${MAX_ROWS.toLocaleString('en-US')} rows; split it into smaller files.`,
        {
          issues: [{ field: 'file', message: 'The file has too many rows.' }],
        },
      );
    if (state.rows % 5000 === 0) onRow(state.rows);
    yield { row: r.row, v };
  }
  if (!header)
    throw new DomainError('validation', 'The file is empty: it needs a header row and at least one row.', {
      issues: [{ field: 'file', message: 'The file is empty.' }],
    });
  // Columns that stop the check are reported with the unknown ones (a misspelt required column is both).
  if (headerIssues.length) headerIssues.push(...unknownColumns);
}

/** Every data row of a sheet, in memory (the imports other than credits check them as a whole). */
async function readRows(
  kind: ImportKind,
  input: Readable,
  format: FileFormat,
  onRow: (n: number) => void,
): Promise<{ rows: DataRow[]; issues: ImportIssue[]; headerIssues: ImportIssue[] }> {
  const state: SheetState = { issues: [], headerIssues: [], rows: 0 };
  const rows: DataRow[] = [];
  for await (const r of dataRows(kind, input, format, state, onRow)) rows.push(r);
  return { rows, issues: state.issues, headerIssues: state.headerIssues };
}

// ---------------------------------------------------------------- shared lookups

interface ProgramInfo {
  id: string;
  code: string;
  name: string;
  feeCents: number;
  def: ProgramDefinition;
  courses: Map<
    string,
    { title: string; category: string; credits: number; sponsored: boolean; sourceType: string | null }
  >;
}

async function loadPrograms(db: Db): Promise<{ byKey: Map<string, ProgramInfo>; list: ProgramInfo[] }> {
  const rows = await db.selectFrom('program').select(['id', 'code', 'name', 'fee_amount_cents']).execute();
  const byKey = new Map<string, ProgramInfo>();
  const list: ProgramInfo[] = [];
  for (const p of rows) {
    const def = await definitionFor(db, p.id);
    if (!def) continue;
    const courses: ProgramInfo['courses'] = new Map();
    for (const c of def.courses)
      courses.set(c.code.toLowerCase(), {
        title: c.title,
        category: c.category,
        credits: c.credits,
        sponsored: !!c.sponsored,
        sourceType: null,
      });
    const catalog = await db
      .selectFrom('course')
      .select(['code', 'title', 'credits', 'sponsored', 'source_type'])
      .where('program_id', '=', p.id)
      .execute();
    for (const c of catalog) {
      const first = ((c.credits as { category: string; amount: number }[]) ?? [])[0];
      if (!first) continue;
      courses.set(c.code.toLowerCase(), {
        title: c.title,
        category: first.category,
        credits: first.amount,
        sponsored: c.sponsored,
        sourceType: c.source_type,
      });
    }
    const info = { id: p.id, code: p.code, name: p.name, feeCents: p.fee_amount_cents, def, courses };
    list.push(info);
    byKey.set(p.id, info);
    byKey.set(p.code.toLowerCase(), info);
  }
  return { byKey, list };
}

function defaultProgram(programs: Map<string, ProgramInfo>, key: string | undefined): ProgramInfo | null {
  if (!key) return null;
  const p = programs.get(key.toLowerCase()) ?? programs.get(key);
  if (!p)
    throw new DomainError('validation', `There is no program "${key}".`, {
      issues: [{ field: 'programId', message: `There is no program "${key}".` }],
    });
  return p;
}

async function peopleByKeys(
  db: Db,
  rows: DataRow[],
): Promise<{ byExt: Map<string, PersonLite>; byEmail: Map<string, PersonLite> }> {
  const exts = [...new Set(rows.map((r) => r.v.official_external_id).filter(Boolean))] as string[];
  const emails = [...new Set(rows.map((r) => r.v.official_email?.toLowerCase()).filter(Boolean))] as string[];
  const found = await db
    .selectFrom('person')
    .select(['id', 'external_id', 'email', 'first_name', 'last_name', 'preferred_name'])
    .where((eb) =>
      eb.or([
        eb(sql<boolean>`external_id = any(${exts}::text[])`, '=', true),
        eb(sql<boolean>`email = any(${emails}::text[])`, '=', true),
      ]),
    )
    .execute();
  const byExt = new Map<string, PersonLite>();
  const byEmail = new Map<string, PersonLite>();
  for (const p of found) {
    if (p.external_id) byExt.set(p.external_id, p);
    byEmail.set(p.email, p);
  }
  return { byExt, byEmail };
}
type PersonLite = {
  id: string;
  external_id: string | null;
  email: string;
  first_name: string;
  last_name: string;
  preferred_name: string | null;
};

function whoseRow(
  r: DataRow,
  people: { byExt: Map<string, PersonLite>; byEmail: Map<string, PersonLite> },
  issue: (column: string, message: string) => void,
): PersonLite | null {
  const ext = r.v.official_external_id;
  const email = r.v.official_email?.toLowerCase();
  if (!ext && !email) {
    issue('official_external_id', 'Give the official’s external id or e-mail address.');
    return null;
  }
  const byExt = ext ? people.byExt.get(ext) : undefined;
  const byEmail = email ? people.byEmail.get(email) : undefined;
  if (ext && !byExt) {
    issue(
      'official_external_id',
      `There is no official with external id "${ext}". Import the officials first.`,
    );
    return null;
  }
  if (!ext && !byEmail) {
    issue('official_email', `There is no official with the e-mail address ${email}.`);
    return null;
  }
  if (byExt && email && byExt.email !== email) {
    issue('official_email', `Official "${ext}" has the e-mail address ${byExt.email}, not ${email}.`);
    return null;
  }
  return (byExt ?? byEmail)!;
}

function programOfRow(
  r: DataRow,
  programs: Map<string, ProgramInfo>,
  fallback: ProgramInfo | null,
  issue: (column: string, message: string) => void,
): ProgramInfo | null {
  const key = r.v.program;
  if (!key) {
    if (!fallback) issue('program', 'Give the program code (or choose a program for the whole import).');
    return fallback;
  }
  const p = programs.get(key.toLowerCase());
  if (!p) issue('program', `There is no program "${key}".`);
  return p ?? null;
}

/** A date as a cell holds it: YYYY-MM-DD, or an Excel date (midnight UTC) read as an instant. */
const cellDate = (s: string) => (/^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z?$/.test(s) ? s.slice(0, 10) : s);

function dateCell(
  r: DataRow,
  column: string,
  issue: (column: string, message: string) => void,
  /** Today in the row's program zone; null when the row names no known program (already an issue). */
  today: string | null,
): string | null {
  const s = r.v[column] ?? '';
  if (!s) {
    issue(column, 'A date is required (YYYY-MM-DD).');
    return null;
  }
  const d = cellDate(s);
  if (!isLocalDate(d)) {
    issue(column, `"${s}" is not a date; write it as YYYY-MM-DD.`);
    return null;
  }
  if (today !== null && d > today) {
    issue(column, `${d} is in the future.`);
    return null;
  }
  if (d < '1950-01-01') {
    issue(column, `${d} is too long ago.`);
    return null;
  }
  return d;
}

function numberCell(
  r: DataRow,
  column: string,
  issue: (column: string, message: string) => void,
  o: { max: number; whole?: boolean },
): number | null {
  const s = r.v[column] ?? '';
  if (!s) return null;
  const n = Number(s);
  if (!/^-?\d+(\.\d+)?$/.test(s) || !Number.isFinite(n)) {
    issue(column, `"${s}" is not a number.`);
    return null;
  }
  if (o.whole && !Number.isInteger(n)) {
    issue(column, `${s} must be a whole number.`);
    return null;
  }
  if (n < 0 || n > o.max) {
    issue(column, `${s} must be between 0 and ${o.max}.`);
    return null;
  }
  return n;
}

function boolCell(r: DataRow, column: string, issue: (column: string, message: string) => void): boolean {
  const s = (r.v[column] ?? '').toLowerCase();
  if (['', 'no', 'n', 'false', '0'].includes(s)) return false;
  if (['yes', 'y', 'true', '1', 'x'].includes(s)) return true;
  issue(column, `"${r.v[column]}" is not yes or no.`);
  return false;
}

/** The row's external id; `seen` (the rows before, by id) finds one on two rows, when given. */
function externalId(
  r: DataRow,
  issue: (column: string, message: string) => void,
  seen?: Map<string, number>,
): string | null {
  const ext = r.v.external_id ?? '';
  if (!ext) {
    issue('external_id', 'An external id is required.');
    return null;
  }
  if (ext.length > 100) {
    issue('external_id', 'An external id must be at most 100 characters.');
    return null;
  }
  if (!seen) return ext;
  const first = seen.get(ext);
  if (first !== undefined) {
    issue('external_id', `External id "${ext}" is also on row ${first}.`);
    return null;
  }
  seen.set(ext, r.row);
  return ext;
}

// ---------------------------------------------------------------- plans

interface Plan {
  issues: ImportIssue[];
  created: number;
  updated: number;
  unchanged: number;
  /** Rows to write, for progress. */
  writes: number;
  apply: (tx: Tx, ctx: Ctx, runId: string, progress: (n: number) => Promise<void>) => Promise<void>;
}

type Planner = (
  db: Db,
  ctx: Ctx,
  rows: DataRow[],
  o: { program: string | undefined; filename: string },
) => Promise<Plan>;

/** The file's external ids, and the fingerprint of each one an earlier import of this kind wrote. */
async function importedBefore(db: Db, kind: 'credit' | 'award' | 'fact', rows: DataRow[]) {
  const exts = rows.map((r) => r.v.external_id).filter(Boolean) as string[];
  const keys = await idb(db)
    .selectFrom('import_key')
    .select(['external_id', 'fingerprint'])
    .where('kind', '=', kind)
    .where(sql<boolean>`external_id = any(${exts}::text[])`)
    .execute();
  return { exts, known: new Map(keys.map((k) => [k.external_id, k.fingerprint])) };
}

function collector() {
  const issues: ImportIssue[] = [];
  return {
    issues,
    forRow: (r: DataRow) => (column: string, message: string) => issues.push({ row: r.row, column, message }),
  };
}

// ---- officials

interface Enroll {
  program: ProgramInfo;
  on: string;
  cohorts: string[];
}

const personFieldColumn: Record<string, string> = {
  firstName: 'first_name',
  lastName: 'last_name',
  preferredName: 'preferred_name',
  email: 'email',
  phone: 'phone',
  title: 'title',
  jurisdictionFips: 'county_fips',
};

interface Appointment {
  program: ProgramInfo;
  date: string;
}

/**
 * The appointment_date cell: one date for every enrollment on the row, or
 * "program:YYYY-MM-DD" per program (several separated by ";"), each program one
 * of the row's enrollments. Checked by the rules of entry of a taking-office fact.
 */
function appointmentCell(
  r: DataRow,
  enroll: Enroll[],
  programs: Map<string, ProgramInfo>,
  now: Date,
  issue: (column: string, message: string) => void,
): Appointment[] {
  const text = r.v.appointment_date ?? '';
  if (!text) return [];
  const column = 'appointment_date';
  const out: Appointment[] = [];
  const one = cellDate(text);
  if (isLocalDate(one)) {
    if (enroll.length === 0)
      issue(column, 'A taking-office date is recorded for an enrollment: list the enrollments on this row.');
    for (const e of enroll) out.push({ program: e.program, date: one });
  } else
    for (const part of text
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^([^:]+):\s*(\S+)$/.exec(part);
      if (!m || !isLocalDate(m[2])) {
        issue(column, `"${part}" is not a date (YYYY-MM-DD) or "program:YYYY-MM-DD".`);
        continue;
      }
      const program = programs.get(m[1]!.trim().toLowerCase());
      if (!program || !enroll.some((e) => e.program.id === program.id)) {
        issue(column, `"${m[1]!.trim()}" is not one of the enrollments on this row.`);
        continue;
      }
      if (out.some((a) => a.program.id === program.id)) {
        issue(column, `${program.code} is listed twice.`);
        continue;
      }
      out.push({ program, date: m[2]! });
    }
  for (const a of out)
    for (const i of factEntryIssues(
      { kind: 'date', key: APPOINTMENT_FACT, date: a.date },
      {
        name: a.program.name,
        targets: factTargets(a.program.def),
        today: todayIn(a.program.def.timeZone, now),
      },
    ))
      issue(column, i.message);
  return out;
}

/** Records each taking-office date as the person page would, with the file named as the reason. */
async function writeAppointments(
  tx: Tx,
  ctx: Ctx,
  runId: string,
  filename: string,
  list: { personId: string; a: Appointment }[],
  touched: Map<string, Set<string>>,
): Promise<void> {
  for (const { personId, a } of list) {
    await writeFact(
      tx,
      ctx,
      personId,
      {
        programId: a.program.id,
        kind: 'date',
        key: APPOINTMENT_FACT,
        date: a.date,
        reason: `Imported from ${filename}`.slice(0, 1000),
      },
      { importRun: runId },
    );
    if (!touched.has(a.program.id)) touched.set(a.program.id, new Set());
    touched.get(a.program.id)!.add(personId);
  }
}

const planOfficials: Planner = async (db, ctx, rows, o) => {
  const { issues, forRow } = collector();
  const { byKey: programs } = await loadPrograms(db);
  const places = await db.selectFrom('jurisdiction').select(['fips', 'name', 'state_code', 'kind']).execute();
  const byFips = new Map(places.map((p) => [p.fips, p]));
  const byName = new Map<string, typeof places>();
  for (const p of places) {
    if (p.kind !== 'county') continue;
    for (const key of [p.name.toLowerCase(), `${p.state_code.toLowerCase()}|${p.name.toLowerCase()}`]) {
      byName.set(key, [...(byName.get(key) ?? []), p]);
    }
  }
  const exts = rows.map((r) => r.v.external_id).filter(Boolean) as string[];
  const emails = rows.map((r) => (r.v.email ?? '').trim().toLowerCase()).filter(Boolean);
  const existing = await db
    .selectFrom('person')
    .selectAll()
    .select(
      sql<string | null>`(select ec.new_email from email_change ec
        where ec.person_id = person.id and ec.confirmed_at is null and ec.expires_at > ${ctx.now().toISOString()}
        order by ec.created_at desc limit 1)`.as('pending_email'),
    )
    .where((eb) =>
      eb.or([
        eb(sql<boolean>`external_id = any(${exts}::text[])`, '=', true),
        eb(sql<boolean>`email = any(${emails}::text[])`, '=', true),
      ]),
    )
    .execute();
  const exByExt = new Map(existing.filter((p) => p.external_id).map((p) => [p.external_id!, p]));
  const exByEmail = new Map(existing.map((p) => [p.email, p]));
  const ids = existing.map((p) => p.id);
  const enrolled = await db
    .selectFrom('enrollment')
    .select(['id', 'person_id', 'program_id', 'status', 'enrolled_on', 'cohorts'])
    .where(sql<boolean>`person_id = any(${ids}::uuid[])`)
    .where('status', 'not in', ['withdrawn', 'declined'])
    .execute();
  const appointed = new Map(
    (
      await db
        .selectFrom('person_fact')
        .select(['person_id', 'program_id', 'date'])
        .where(sql<boolean>`person_id = any(${ids}::uuid[])`)
        .where('kind', '=', 'date')
        .where('key', '=', APPOINTMENT_FACT)
        .where('withdrawn_at', 'is', null)
        .execute()
    ).map((f) => [`${f.person_id}|${f.program_id}`, f.date]),
  );

  type Values = {
    first_name: string;
    last_name: string;
    preferred_name: string | null;
    email: string;
    phone: string | null;
    title: string | null;
    jurisdiction_fips: string | null;
  };
  const creates: { ext: string; values: Values; enroll: Enroll[]; appointments: Appointment[] }[] = [];
  const updates: {
    id: string;
    ext: string;
    values: Values;
    changed: boolean;
    enroll: Enroll[];
    appointments: Appointment[];
  }[] = [];
  let unchanged = 0;
  const seenExt = new Map<string, number>();
  const seenEmail = new Map<string, number>();
  for (const r of rows) {
    const issue = forRow(r);
    const ext = externalId(r, issue, seenExt);
    const parsed = personInput.safeParse({
      firstName: r.v.first_name ?? '',
      lastName: r.v.last_name ?? '',
      preferredName: r.v.preferred_name || null,
      email: r.v.email ?? '',
      phone: r.v.phone || null,
      title: r.v.title || null,
      jurisdictionFips: r.v.county_fips || null,
    });
    if (!parsed.success)
      for (const i of parsed.error.issues)
        issue(personFieldColumn[String(i.path[0])] ?? String(i.path[0]), i.message);
    // County: by FIPS, else by name (and state).
    let fips: string | null = null;
    const name = r.v.county_name ?? '';
    const state = (r.v.state ?? '').toLowerCase();
    if (r.v.county_fips && /^\d{2}(\d{3})?$/.test(r.v.county_fips)) {
      const j = byFips.get(r.v.county_fips);
      if (!j) issue('county_fips', `There is no state or county with FIPS code ${r.v.county_fips}.`);
      else {
        // A name or state given beside the code must agree with it; which one is wrong is for a person to say.
        const nameOk = !name || j.name.toLowerCase() === name.toLowerCase();
        const stateOk = !state || j.state_code.toLowerCase() === state;
        if (!nameOk) issue('county_name', `FIPS ${j.fips} is ${j.name}, not ${name}.`);
        if (!stateOk) issue('state', `FIPS ${j.fips} is in ${j.state_code}, not ${state.toUpperCase()}.`);
        if (nameOk && stateOk) fips = j.fips;
      }
    } else if (!r.v.county_fips && name) {
      const matches = byName.get(state ? `${state}|${name.toLowerCase()}` : name.toLowerCase()) ?? [];
      if (matches.length === 1) fips = matches[0]!.fips;
      else if (matches.length === 0)
        issue(
          'county_name',
          `There is no county named "${name}"${state ? ` in ${state.toUpperCase()}` : ''}.`,
        );
      else
        issue('county_name', `Several states have a county named "${name}": add the state or county_fips.`);
    }
    // Enrollments: "code:YYYY-MM-DD[/cohort,cohort]" separated by ";".
    const enroll: Enroll[] = [];
    for (const part of (r.v.enrollments ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m = /^([^:]+):\s*(\d{4}-\d{2}-\d{2})(?:\s*\/\s*(.*))?$/.exec(part);
      if (!m) {
        issue('enrollments', `"${part}" is not "program:YYYY-MM-DD".`);
        continue;
      }
      const program = programs.get(m[1]!.trim().toLowerCase());
      if (!program) {
        issue('enrollments', `There is no program "${m[1]!.trim()}".`);
        continue;
      }
      if (!isLocalDate(m[2]) || m[2]! > todayIn(program.def.timeZone, ctx.now())) {
        issue('enrollments', `${m[2]} is not a past date.`);
        continue;
      }
      const cohorts = (m[3] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = cohorts.filter((c) => !program.def.cohorts.some((k) => k.id === c));
      if (unknown.length) {
        issue('enrollments', `${program.code} has no cohort ${unknown.join(', ')}.`);
        continue;
      }
      if (enroll.some((e) => e.program.id === program.id)) {
        issue('enrollments', `${program.code} is listed twice.`);
        continue;
      }
      enroll.push({ program, on: m[2]!, cohorts: cohorts.sort() });
    }
    const appointments = appointmentCell(r, enroll, programs, ctx.now(), issue);
    if (!parsed.success || !ext) continue;
    const p = parsed.data;
    const firstEmail = seenEmail.get(p.email);
    if (firstEmail !== undefined) {
      issue('email', `${p.email} is also on row ${firstEmail}.`);
      continue;
    }
    seenEmail.set(p.email, r.row);
    const values: Values = {
      first_name: p.firstName,
      last_name: p.lastName,
      preferred_name: p.preferredName ?? null,
      email: p.email,
      phone: p.phone ?? null,
      title: p.title ?? null,
      jurisdiction_fips: fips,
    };
    const current = exByExt.get(ext);
    const owner = exByEmail.get(p.email);
    if (owner && owner.id !== current?.id && (current || owner.external_id)) {
      issue(
        'email',
        owner.external_id
          ? `${p.email} belongs to the official with external id "${owner.external_id}".`
          : `${p.email} belongs to someone else in CivicCert.`,
      );
      continue;
    }
    const target = current ?? owner; // an existing person with this e-mail and no external id is linked
    if (!target) {
      creates.push({ ext, values, enroll, appointments });
      continue;
    }
    const changed =
      target.external_id !== ext ||
      (Object.keys(values) as (keyof Values)[]).some(
        (k) =>
          (target[k] ?? null) !== values[k] &&
          // A new e-mail already waiting for confirmation is not a change again.
          !(k === 'email' && target.pending_email === values.email),
      );
    const mine = enrolled.filter((e) => e.person_id === target.id);
    const enrollChanges = enroll.filter((e) => {
      const have = mine.find((m) => m.program_id === e.program.id);
      return (
        !have ||
        have.status !== 'active' ||
        have.enrolled_on !== e.on ||
        [...(have.cohorts ?? [])].sort().join(',') !== e.cohorts.join(',')
      );
    });
    // A taking-office date already current is not recorded again.
    const newAppointments = appointments.filter(
      (a) => appointed.get(`${target.id}|${a.program.id}`) !== a.date,
    );
    if (!changed && enrollChanges.length === 0 && newAppointments.length === 0) {
      unchanged++;
      continue;
    }
    updates.push({
      id: target.id,
      ext,
      values,
      changed,
      enroll: enrollChanges,
      appointments: newAppointments,
    });
  }
  return {
    issues,
    created: creates.length,
    updated: updates.length,
    unchanged,
    writes: creates.length + updates.length,
    apply: async (tx, ctx2, runId, progress) => {
      const now = ctx2.now().toISOString();
      const touched = new Map<string, Set<string>>(); // program → people
      const enrollRows: Parameters<typeof writeEnrollments>[2] = [];
      const appointmentRows: { personId: string; a: Appointment }[] = [];
      let done = 0;
      for (let i = 0; i < creates.length; i += BATCH) {
        const batch = creates.slice(i, i + BATCH).map((c) => ({ ...c, id: randomUUID() }));
        await tx
          .insertInto('person')
          .values(
            batch.map((c) => ({
              id: c.id,
              external_id: c.ext,
              ...c.values,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute();
        await tx
          .insertInto('user_account')
          .values(
            batch.map((c) => ({
              person_id: c.id,
              roles: ['official' as const],
              password_hash: null,
              password_changed_at: null,
              last_sign_in_at: null,
            })),
          )
          .execute();
        for (const c of batch) {
          for (const e of c.enroll) enrollRows.push({ personId: c.id, e, existing: null });
          for (const a of c.appointments) appointmentRows.push({ personId: c.id, a });
        }
        done += batch.length;
        await progress(done);
      }
      for (const u of updates) {
        if (u.changed) {
          const before = await tx
            .selectFrom('person')
            .selectAll()
            .where('id', '=', u.id)
            .executeTakeFirstOrThrow();
          // A new sign-in address takes effect only when confirmed from it (email-change.service).
          const { email, ...values } = u.values;
          await tx
            .updateTable('person')
            .set({ ...values, external_id: u.ext, updated_at: now })
            .where('id', '=', u.id)
            .execute();
          const pending = await tx
            .selectFrom('email_change')
            .select('new_email')
            .where('person_id', '=', u.id)
            .where('confirmed_at', 'is', null)
            .where('expires_at', '>', now)
            .execute();
          if (email !== before.email && !pending.some((p) => p.new_email === email))
            await requestEmailChange(
              tx,
              ctx2,
              { id: u.id, email: before.email, displayName: displayName(before) },
              email,
            );
          await recordAudit(tx, ctx2, {
            action: 'person.update',
            entityType: 'person',
            entityId: u.id,
            before,
            after: { ...values, external_id: u.ext, importRun: runId },
          });
        }
        const mine = enrolled.filter((e) => e.person_id === u.id);
        for (const e of u.enroll)
          enrollRows.push({
            personId: u.id,
            e,
            existing: mine.find((m) => m.program_id === e.program.id)?.id ?? null,
          });
        for (const a of u.appointments) appointmentRows.push({ personId: u.id, a });
        done++;
        if (done % BATCH === 0) await progress(done);
      }
      await writeEnrollments(tx, now, enrollRows);
      for (const r of enrollRows) {
        if (!touched.has(r.e.program.id)) touched.set(r.e.program.id, new Set());
        touched.get(r.e.program.id)!.add(r.personId);
      }
      // After the enrollments: a taking-office date belongs to one.
      await writeAppointments(tx, ctx2, runId, o.filename, appointmentRows, touched);
      await recomputeTouched(tx, ctx2, touched);
      await progress(done);
    },
  };
};

async function writeEnrollments(
  tx: Tx,
  now: string,
  rows: { personId: string; e: Enroll; existing: string | null }[],
): Promise<void> {
  const fresh = rows.filter((r) => !r.existing);
  for (let i = 0; i < fresh.length; i += BATCH) {
    await tx
      .insertInto('enrollment')
      .values(
        fresh.slice(i, i + BATCH).map((r) => ({
          program_id: r.e.program.id,
          person_id: r.personId,
          status: 'active' as const,
          enrolled_on: r.e.on,
          pinned_version: null,
          fee_amount_cents: r.e.program.feeCents,
          fee_status: r.e.program.feeCents > 0 ? ('unpaid' as const) : ('waived' as const),
          fee_method: null,
          receipt_number: null,
          requested_at: null,
          cohorts: r.e.cohorts,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
  for (const r of rows.filter((x) => x.existing)) {
    await tx
      .updateTable('enrollment')
      .set({ status: 'active', enrolled_on: r.e.on, cohorts: r.e.cohorts, updated_at: now })
      .where('id', '=', r.existing!)
      .execute();
  }
}

/**
 * Refreshes the certification status cache for everyone whose facts changed (as any change does),
 * quietly: an import brings in history, so the notices it would trigger (eligible, reminders,
 * lapsed) are recorded as given rather than e-mailed to every imported official.
 */
async function recomputeTouched(tx: Tx, ctx: Ctx, touched: Map<string, Set<string>>): Promise<void> {
  for (const [programId, people] of touched) {
    const ids = [...people];
    for (let i = 0; i < ids.length; i += 500) {
      for (const ev of await evaluatePeople(tx, programId, ids.slice(i, i + 500), ctx.now()))
        await recompute(tx, ctx, ev, { notify: false });
    }
  }
}

// ---- credits

/**
 * The checks of one credit row's own cells, made as the row streams past (courses, categories
 * and source types are the programs', already in memory). Whose record it is, an external id on
 * two rows and an external id imported before are checked set-based over the staged file
 * (credit-staging.ts), with the same messages as ever.
 */
function checkCreditRow(
  r: DataRow,
  programs: Map<string, ProgramInfo>,
  fallback: ProgramInfo | null,
  /** Today in a program's zone (the same for every row of the import: see todayPerProgram). */
  today: (p: ProgramInfo) => string,
  issue: (column: string, message: string) => void,
): StagedCredit {
  let issues = 0;
  const counted = (column: string, message: string) => {
    issues++;
    issue(column, message);
  };
  const ext = externalId(r, counted);
  const officialExt = r.v.official_external_id || null;
  const officialEmail = r.v.official_email?.toLowerCase() || null;
  if (!officialExt && !officialEmail)
    counted('official_external_id', 'Give the official’s external id or e-mail address.');
  const program = programOfRow(r, programs, fallback, counted);
  const earnedOn = dateCell(r, 'earned_on', counted, program ? today(program) : null);
  const minutes = numberCell(r, 'minutes', counted, { max: 100_000, whole: true });
  let credits = numberCell(r, 'credits', counted, { max: 999 });
  const sponsoredCell = r.v.sponsored ?? '';
  let sponsored = boolCell(r, 'sponsored', counted);
  let category: string | null = null;
  let courseCode: string | null = null;
  let sourceType: string | null = null;
  let title = r.v.title || null;
  if (program) {
    const code = r.v.course_code ?? '';
    const course = code ? program.courses.get(code.toLowerCase()) : undefined;
    if (code && !course && !r.v.category)
      counted('course_code', `${program.code} has no course ${code}; give its category instead.`);
    if (code.length > 50) counted('course_code', 'A course code must be at most 50 characters.');
    courseCode = code || null;
    const catText = r.v.category ?? '';
    if (catText) {
      const cat = program.def.categories.find(
        (c) => c.id.toLowerCase() === catText.toLowerCase() || c.name.toLowerCase() === catText.toLowerCase(),
      );
      if (!cat)
        counted(
          'category',
          `${program.code} has no category "${catText}". Its categories are: ${program.def.categories.map((c) => c.id).join(', ')}.`,
        );
      else category = cat.id;
    } else if (course) category = course.category;
    else if (!code) counted('category', 'Give the category or a course code from the program.');
    if (credits === null && minutes !== null) credits = Math.round((minutes / 60) * 100) / 100;
    if (credits === null && course) credits = course.credits;
    if (credits === null && !r.v.credits && minutes === null && (course || !code))
      counted('credits', 'Give credits or minutes.');
    if (!sponsoredCell && course) sponsored = course.sponsored;
    const st = r.v.source_type ?? '';
    if (st) {
      if (!program.def.sourceTypes.some((s) => s.id === st))
        counted('source_type', `${program.code} has no source type "${st}".`);
      sourceType = st;
    } else sourceType = course?.sourceType ?? program.def.sourceTypes[0]?.id ?? 'course';
    title ??= course?.title ?? null;
  }
  if ((title ?? '').length > 200) counted('title', 'A title must be at most 200 characters.');
  const note = r.v.note || null;
  if ((note ?? '').length > 1000) counted('note', 'A note must be at most 1,000 characters.');
  const staged = { row: r.row, ext, officialExt, officialEmail, credit: null };
  if (issues > 0 || !program || !earnedOn || credits === null || !category) return staged;
  // The fingerprint is [person, program, amount, category, sponsored, source type, course, title,
  // date, note] as JSON; the person is found in the stage, so it is written without it here.
  const fingerprintTail = jsonb([
    program.id,
    credits,
    category,
    sponsored,
    sourceType,
    courseCode,
    title,
    earnedOn,
    note,
  ]).slice(1);
  return {
    ...staged,
    credit: {
      programId: program.id,
      amount: credits,
      category,
      sponsored,
      sourceType: sourceType!,
      courseCode,
      title,
      earnedOn,
      note,
      fingerprintTail,
    },
  };
}

/**
 * Today in each program's zone at `now`, worked out once per program: an import checks every
 * row's date against it, and asking the zone database per row cost more than the rest of the
 * row's checks together (1.4 s of CPU per 100,000 rows).
 */
function todayPerProgram(now: Date): (p: ProgramInfo) => string {
  const days = new Map<string, string>();
  return (p) => {
    let d = days.get(p.id);
    if (d === undefined) days.set(p.id, (d = todayIn(p.def.timeZone, now)));
    return d;
  };
}

/** Keeps the first `limit` issues by row (rows arrive in order) and counts them all. */
class IssueList {
  readonly list: ImportIssue[] = [];
  count = 0;
  constructor(private readonly limit: number) {}
  add(i: ImportIssue): void {
    this.count++;
    // Every issue of the last row kept is kept, so the cut falls between rows.
    if (this.list.length < this.limit || this.list.at(-1)!.row === i.row) this.list.push(i);
  }
  take(from: ImportIssue[]): void {
    for (const i of from.splice(0)) this.add(i);
  }
}

// ---- awards

function certificatePrefix(code: string): string {
  return (
    (code.split('-')[0] ?? code)
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 6) || 'CERT'
  );
}

const planAwards: Planner = async (db, ctx, rows, o) => {
  const { issues, forRow } = collector();
  const { byKey: programs } = await loadPrograms(db);
  const fallback = defaultProgram(programs, o.program);
  const people = await peopleByKeys(db, rows);
  const { known } = await importedBefore(db, 'award', rows);
  const numbers = rows.map((r) => r.v.certificate_number).filter(Boolean) as string[];
  const taken = new Set(
    (
      await db
        .selectFrom('award')
        .select('certificate_number')
        .where(sql<boolean>`certificate_number = any(${numbers}::text[])`)
        .execute()
    ).map((a) => a.certificate_number),
  );
  const seen = new Map<string, number>();
  const seenNumber = new Map<string, number>();
  type AwardIn = {
    ext: string;
    fingerprint: string;
    person: PersonLite;
    program: ProgramInfo;
    awardedOn: string;
    number: string | null;
    name: string;
  };
  const creates: AwardIn[] = [];
  let unchanged = 0;
  for (const r of rows) {
    const issue = forRow(r);
    const before = issues.length;
    const ext = externalId(r, issue, seen);
    const person = whoseRow(r, people, issue);
    const program = programOfRow(r, programs, fallback, issue);
    const awardedOn = dateCell(
      r,
      'awarded_on',
      issue,
      program ? todayIn(program.def.timeZone, ctx.now()) : null,
    );
    const number = r.v.certificate_number || null;
    const name = r.v.name_on_certificate || (person ? displayName(person) : '');
    if (number && number.length > 60)
      issue('certificate_number', 'A certificate number must be at most 60 characters.');
    if (name.length > 200) issue('name_on_certificate', 'The name must be at most 200 characters.');
    if (issues.length > before || !ext || !person || !program || !awardedOn) continue;
    const fingerprint = jsonb([person.id, program.id, awardedOn, number, r.v.name_on_certificate || null]);
    const had = known.get(ext);
    if (had === fingerprint) {
      unchanged++;
      continue;
    }
    if (had !== undefined) {
      issue(
        'external_id',
        `Award "${ext}" was imported before with different values. Awards are never changed: re-issue or revoke it in CivicCert instead.`,
      );
      continue;
    }
    if (number) {
      if (taken.has(number)) {
        issue('certificate_number', `Certificate number ${number} is already in CivicCert.`);
        continue;
      }
      const other = seenNumber.get(number);
      if (other !== undefined) {
        issue('certificate_number', `Certificate number ${number} is also on row ${other}.`);
        continue;
      }
      seenNumber.set(number, r.row);
    }
    creates.push({ ext, fingerprint, person, program, awardedOn, number, name });
  }
  return {
    issues,
    created: creates.length,
    updated: 0,
    unchanged,
    writes: creates.length,
    apply: async (tx, ctx2, runId, progress) => {
      const touched = new Map<string, Set<string>>();
      let done = 0;
      for (const a of creates) {
        // As awards.service's insertAward writes an award, with the historic date and number.
        const enrollment = await tx
          .selectFrom('enrollment')
          .select(['enrolled_on', 'pinned_version'])
          .where('program_id', '=', a.program.id)
          .where('person_id', '=', a.person.id)
          .where('status', '=', 'active')
          .executeTakeFirst();
        const def = (await definitionFor(
          tx,
          a.program.id,
          enrollment ?? { enrolled_on: a.awardedOn, pinned_version: null },
        ))!;
        let number = a.number;
        if (!number) {
          const seq = await sql<{ n: string }>`select nextval('award_certificate_seq') as n`.execute(tx);
          number = `${certificatePrefix(a.program.code)}-${yearOf(a.awardedOn)}-${String(seq.rows[0]!.n).padStart(6, '0')}`;
        }
        const id = randomUUID();
        await tx
          .insertInto('award')
          .values({
            id,
            program_id: a.program.id,
            person_id: a.person.id,
            awarded_on: a.awardedOn,
            number,
            certificate_number: number,
            revoked_on: null,
            revoked_reason: null,
            program_version: def.version,
            designation: def.designation,
            event_id: null,
            name_on_certificate: a.name,
            issued_on: a.awardedOn,
            expires_on: def.renewal
              ? cycleDates(def.renewal, firstCycle(def.renewal, a.awardedOn)).due
              : null,
            supersedes_id: null,
            reason: null,
            issued_by: ctx2.actor?.userId ?? null,
          })
          .execute();
        await idb(tx)
          .insertInto('import_key')
          .values({
            kind: 'award',
            external_id: a.ext,
            entity_id: id,
            fingerprint: a.fingerprint,
            note: null,
            run_id: runId,
          })
          .execute();
        if (!touched.has(a.program.id)) touched.set(a.program.id, new Set());
        touched.get(a.program.id)!.add(a.person.id);
        done++;
        if (done % 100 === 0) await progress(done);
      }
      await recomputeTouched(tx, ctx2, touched);
      await progress(done);
    },
  };
};

// ---- facts

/** What makes a fact row the same row again: its import_key fingerprint. */
export function factFingerprint(f: {
  person_id: string;
  program_id: string;
  kind: string;
  key: string;
  date: string;
  score: number | null;
  until: string | null;
  reason: string;
}): string {
  return jsonb([f.person_id, f.program_id, f.kind, f.key, f.date, f.score, f.until, f.reason]);
}

/** An export's own id for a fact recorded in CivicCert (no import_key): `cc-` and the fact's id. */
const OWN_FACT_ID = /^cc-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

const planFacts: Planner = async (db, ctx, rows, o) => {
  const { issues, forRow } = collector();
  const { byKey: programs } = await loadPrograms(db);
  const fallback = defaultProgram(programs, o.program);
  const people = await peopleByKeys(db, rows);
  const { exts, known } = await importedBefore(db, 'fact', rows);
  // A fact recorded in CivicCert is exported as cc-<its id>: the fact itself is then the key, so
  // an export imported back into the same CivicCert is unchanged rather than doubled.
  const own = exts
    .filter((e) => !known.has(e))
    .map((e) => OWN_FACT_ID.exec(e)?.[1]?.toLowerCase())
    .filter((id): id is string => !!id);
  if (own.length > 0)
    for (const f of await db
      .selectFrom('person_fact')
      .selectAll()
      .where(sql<boolean>`id = any(${own}::uuid[])`)
      .execute())
      known.set(`cc-${f.id}`, factFingerprint(f));
  const personIds = [...new Set([...people.byExt.values(), ...people.byEmail.values()].map((p) => p.id))];
  // The program version each person is judged by, per program; people not enrolled are absent.
  const judged = new Map<string, Map<string, ProgramDefinition>>();
  const judgedIn = async (programId: string) => {
    let m = judged.get(programId);
    if (!m) judged.set(programId, (m = await judgedBy(db, programId, personIds)));
    return m;
  };
  const targetsOf = new Map<ProgramDefinition, FactTargets>();
  const seen = new Map<string, number>();
  const current = new Map<string, number>(); // person|program|kind|key of a date or extension → row
  type FactIn = { ext: string; fingerprint: string; personId: string; entry: RecordFactBody };
  const creates: FactIn[] = [];
  let unchanged = 0;
  for (const r of rows) {
    const issue = forRow(r);
    const before = issues.length;
    const onColumn = new Set<string>();
    const issueOnce = (column: string, message: string) => {
      if (onColumn.has(column)) return;
      onColumn.add(column);
      issue(column, message);
    };
    const ext = externalId(r, issue, seen);
    const person = whoseRow(r, people, issue);
    const program = programOfRow(r, programs, fallback, issue);
    for (const i of issues.slice(before)) onColumn.add(i.column);
    const scoreText = r.v.score ?? '';
    const score = numberCell(r, 'score', issueOnce, { max: 10000 });
    const def = person && program ? (await judgedIn(program.id)).get(person.id) : undefined;
    if (person && program && !def) issueOnce('program', notEnrolledMessage(program.name));
    let targets = def ? targetsOf.get(def) : undefined;
    if (def && !targets) targetsOf.set(def, (targets = factTargets(def)));
    const kind = (r.v.kind ?? '').toLowerCase();
    const keyText = r.v.key ?? '';
    const key =
      targets && (personFactKinds as readonly string[]).includes(kind)
        ? resolveFactKey(targets, kind as PersonFactKind, keyText)
        : keyText;
    // The API's own body schema checks the row: the same messages, on the same names.
    const parsed = recordFactBody.safeParse({
      programId: program?.id ?? '00000000-0000-4000-8000-000000000000',
      kind,
      key,
      date: cellDate(r.v.date ?? ''),
      score: scoreText && score === null ? undefined : score,
      until: r.v.until ? cellDate(r.v.until) : null,
      reason: r.v.reason ?? '',
    });
    if (!parsed.success)
      for (const i of parsed.error.issues) {
        const column = String(i.path[0] ?? 'kind');
        if (column !== 'programId') issueOnce(column, i.message);
      }
    if (parsed.success && def && targets)
      for (const i of factEntryIssues(parsed.data, {
        name: program!.name,
        targets,
        today: todayIn(def.timeZone, ctx.now()),
      }))
        issueOnce(i.field, i.message);
    if (issues.length > before || !ext || !person || !program || !parsed.success) continue;
    const entry = parsed.data;
    if (entry.kind === 'date' || entry.kind === 'extension') {
      const k = [person.id, program.id, entry.kind, entry.key].join('|');
      const other = current.get(k);
      if (other !== undefined) {
        issue(
          'key',
          `This official's ${entry.kind === 'date' ? 'dated fact' : 'extension'} "${entry.key}" is also on row ${other}: one can be current.`,
        );
        continue;
      }
      current.set(k, r.row);
    }
    const fingerprint = factFingerprint({
      person_id: person.id,
      program_id: program.id,
      kind: entry.kind,
      key: entry.key,
      date: entry.date,
      score: entry.kind === 'exam' ? (entry.score ?? null) : null,
      until: entry.until ?? null,
      reason: entry.reason,
    });
    const had = known.get(ext);
    if (had === fingerprint) {
      unchanged++;
      continue;
    }
    if (had !== undefined) {
      issue(
        'external_id',
        `Fact "${ext}" was imported before with different values. Facts are never changed: withdraw it on the person page and import the corrected row under a new external id.`,
      );
      continue;
    }
    creates.push({ ext, fingerprint, personId: person.id, entry });
  }
  return {
    issues,
    created: creates.length,
    updated: 0,
    unchanged,
    writes: creates.length,
    apply: async (tx, ctx2, runId, progress) => {
      const touched = new Map<string, Set<string>>();
      let done = 0;
      for (const f of creates) {
        // As staff recording it would: a new date or extension replaces the current one; audited.
        const id = await writeFact(tx, ctx2, f.personId, f.entry, { importRun: runId });
        await idb(tx)
          .insertInto('import_key')
          .values({
            kind: 'fact',
            external_id: f.ext,
            entity_id: id,
            fingerprint: f.fingerprint,
            note: null,
            run_id: runId,
          })
          .execute();
        if (!touched.has(f.entry.programId)) touched.set(f.entry.programId, new Set());
        touched.get(f.entry.programId)!.add(f.personId);
        done++;
        if (done % 100 === 0) await progress(done);
      }
      await recomputeTouched(tx, ctx2, touched);
      await progress(done);
    },
  };
};

const planners: Record<Exclude<ImportKind, 'credits'>, Planner> = {
  officials: planOfficials,
  awards: planAwards,
  facts: planFacts,
};

// ---------------------------------------------------------------- runs

type RunRow = {
  id: string;
  kind: ImportKind;
  filename: string;
  dry_run: boolean;
  status: ImportRun['status'];
  total_rows: number;
  processed_rows: number;
  created_count: number;
  updated_count: number;
  unchanged_count: number;
  error_count: number;
  errors: unknown;
  message: string | null;
  started_at: string;
  finished_at: string | null;
};

export function toRunDto(r: RunRow): ImportRun {
  const finished = r.status === 'succeeded' || r.status === 'validated';
  return {
    id: r.id,
    kind: r.kind,
    filename: r.filename,
    dryRun: r.dry_run,
    status: r.status,
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    percent: finished
      ? 100
      : r.total_rows > 0
        ? Math.min(100, Math.floor((r.processed_rows / r.total_rows) * 100))
        : 0,
    created: r.created_count,
    updated: r.updated_count,
    unchanged: r.unchanged_count,
    errorCount: r.error_count,
    errors: (r.errors as ImportIssue[]) ?? [],
    message: r.message,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export async function getImportRun(ctx: Ctx, id: string): Promise<ImportRun> {
  const r = await idb(ctx.db).selectFrom('import_run').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new DomainError('not_found', 'There is no import with this id.');
  return toRunDto(r);
}

export async function listImportRuns(ctx: Ctx): Promise<ImportRun[]> {
  const rows = await idb(ctx.db)
    .selectFrom('import_run')
    .selectAll()
    .orderBy('started_at', 'desc')
    .limit(20)
    .execute();
  return rows.map(toRunDto);
}

const sortIssues = (issues: ImportIssue[]) =>
  [...issues].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));

/** Thrown inside an import's transaction to roll it back: the file has errors (`count` in all). */
class InvalidImport extends Error {
  constructor(
    readonly issues: ImportIssue[],
    readonly count = issues.length,
  ) {
    super('invalid');
  }
}

/**
 * A credit import, streamed (issue 14, item 5; ADR 0016): each row is checked on its own as it
 * is read and COPYed into a staging table in the import's transaction; then the checks across
 * rows and against the database run set-based over it, and the new records, their keys and the
 * queue of people to recompute are written with INSERT … SELECT, all or nothing. The dry run does
 * the same and writes nothing. Statuses are recomputed after the commit, by the status queue's
 * own batches (quietly, as the import's history is not news), not inside the import.
 */
async function importCredits(
  ctx: Ctx,
  req: ImportRequest,
  id: string,
  format: FileFormat,
  input: Readable,
  o: {
    update: (set: Record<string, unknown>) => Promise<unknown>;
    report: (p: Progress) => void;
    finishInvalid: (issues: ImportIssue[], status: 'invalid' | 'failed', count?: number) => Promise<void>;
  },
): Promise<void> {
  const failed = req.dryRun ? 'invalid' : 'failed';
  let total = 0;
  try {
    const queued = await withClient(ctx.db as Database, (client, one) =>
      one.transaction().execute(async (tx) => {
        // One statement may now cover a million rows: the per-request bound does not apply.
        await sql`set local statement_timeout = '15min'`.execute(tx);
        // The set-based checks sort and join the whole file: room to do it in memory.
        await sql`set local work_mem = '64MB'`.execute(tx);
        if (!req.dryRun) await sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`.execute(tx);
        const { byKey: programs } = await loadPrograms(tx);
        const fallback = defaultProgram(programs, req.program);
        await createCreditStage(tx);
        const state: SheetState = { issues: [], headerIssues: [], rows: 0 };
        const found = new IssueList(MAX_STORED_ERRORS);
        const today = todayPerProgram(ctx.now());
        const stage = new CreditStageWriter(client);
        try {
          for await (const r of dataRows('credits', input, format, state, (n) =>
            o.report({ phase: 'reading', processed: n, total: 0 }),
          )) {
            found.take(state.issues);
            // With the columns wrong, rows cannot be checked: they are only counted.
            if (state.headerIssues.length) continue;
            await stage.write(
              checkCreditRow(r, programs, fallback, today, (column, message) =>
                found.add({ row: r.row, column, message }),
              ),
            );
          }
          found.take(state.issues);
          await stage.end();
        } catch (e) {
          await stage.abort(e as Error);
          throw e;
        }
        total = state.rows;
        await o.update({ total_rows: total });
        o.report({ phase: 'validating', processed: 0, total });
        if (state.headerIssues.length) throw new InvalidImport(state.headerIssues);
        const checked = await checkCreditStage(tx, MAX_STORED_ERRORS);
        if (found.count + checked.issueCount > 0)
          throw new InvalidImport([...found.list, ...checked.issues], found.count + checked.issueCount);
        const counts = { created: checked.created, updated: 0, unchanged: checked.unchanged };
        if (req.dryRun) {
          await o.update({
            status: 'validated',
            processed_rows: total,
            created_count: counts.created,
            updated_count: 0,
            unchanged_count: counts.unchanged,
            message: `${total} rows are valid: ${counts.created} new, 0 changed, ${counts.unchanged} unchanged.`,
            finished_at: ctx.now().toISOString(),
          });
          return [];
        }
        await o.update({ status: 'importing', processed_rows: total - counts.created });
        o.report({ phase: 'importing', processed: total - counts.created, total });
        const programIds = await writeCreditStage(tx, ctx, id);
        await recordAudit(tx, ctx, {
          action: 'import.credits',
          entityType: 'import_run',
          entityId: id,
          after: { filename: req.filename, rows: total, ...counts },
        });
        // The final counts commit with the data (see startImport).
        await idb(tx)
          .updateTable('import_run')
          .set({
            status: 'succeeded',
            processed_rows: total,
            created_count: counts.created,
            updated_count: 0,
            unchanged_count: counts.unchanged,
            message: `Imported ${total} rows: ${counts.created} new, 0 changed, ${counts.unchanged} unchanged.`,
            finished_at: ctx.now().toISOString(),
          })
          .where('id', '=', id)
          .execute();
        return programIds;
      }),
    );
    o.report({ phase: 'done', processed: total, total });
    // After the commit, in the status queue's batches: the import does not wait on them, and a
    // failure here leaves the people queued for the next sweep.
    await recomputeQueued(ctx, queued).catch(() => 0);
  } catch (e) {
    if (!(e instanceof InvalidImport)) throw e;
    await o.finishInvalid(e.issues, failed, e.count);
    o.report({ phase: 'done', processed: 0, total });
  }
}

/**
 * Starts an import run (its row is committed at once) and returns its id and
 * a promise for the finished run. Errors in the file end as the run's status
 * ("invalid" or "failed") with every issue listed; nothing is written then.
 */
export async function startImport(
  ctx: Ctx,
  req: ImportRequest,
): Promise<{ id: string; done: Promise<ImportRun> }> {
  const head = Buffer.isBuffer(req.input) ? req.input.subarray(0, 8) : undefined;
  const format = req.format ?? formatOf(req.filename, head);
  const programs = req.program ? (await loadPrograms(ctx.db)).byKey : null;
  if (programs) defaultProgram(programs, req.program); // a bad --program fails before anything starts
  const runs = idb(ctx.db);
  const run = await runs
    .insertInto('import_run')
    .values({
      kind: req.kind,
      filename: req.filename.slice(0, 255),
      dry_run: req.dryRun,
      status: 'validating',
      started_at: ctx.now().toISOString(),
      started_by: ctx.actor?.userId ?? null,
      actor_label: ctx.actorLabel,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = run.id;
  const report = (p: Progress) => req.onProgress?.(p);
  const update = (set: Record<string, unknown>) =>
    runs.updateTable('import_run').set(set).where('id', '=', id).execute();

  // Nothing is (or would be) written: the counts stay 0. `count` is how many issues in all, when
  // `issues` holds only the first of them.
  const finishInvalid = async (
    issues: ImportIssue[],
    status: 'invalid' | 'failed',
    count = issues.length,
  ) => {
    const sorted = sortIssues(issues);
    await update({
      status,
      error_count: count,
      errors: jsonb(sorted.slice(0, MAX_STORED_ERRORS)),
      message: `${count} ${count === 1 ? 'error' : 'errors'}: nothing was imported.`,
      finished_at: ctx.now().toISOString(),
    });
  };

  const done = (async (): Promise<ImportRun> => {
    try {
      const input = Buffer.isBuffer(req.input) ? Readable.from([req.input]) : req.input;
      report({ phase: 'reading', processed: 0, total: 0 });
      if (req.kind === 'credits') {
        await importCredits(ctx, req, id, format, input, { update, report, finishInvalid });
        return await getImportRun(ctx, id);
      }
      const read = await readRows(req.kind, input, format, (n) =>
        report({ phase: 'reading', processed: n, total: 0 }),
      );
      const total = read.rows.length;
      await update({ total_rows: total });
      report({ phase: 'validating', processed: 0, total });
      // Nothing is (or would be) written: the counts stay 0.

      if (read.headerIssues.length) {
        // The columns are wrong: rows cannot be checked against them.
        await finishInvalid(read.headerIssues, req.dryRun ? 'invalid' : 'failed');
        report({ phase: 'done', processed: 0, total });
        return getImportRun(ctx, id);
      }
      if (req.dryRun) {
        const plan = await planners[req.kind as Exclude<ImportKind, 'credits'>](ctx.db, ctx, read.rows, {
          program: req.program,
          filename: req.filename,
        });
        const issues = [...read.issues, ...plan.issues];
        if (issues.length) await finishInvalid(issues, 'invalid');
        else
          await update({
            status: 'validated',
            processed_rows: total,
            created_count: plan.created,
            updated_count: plan.updated,
            unchanged_count: plan.unchanged,
            message: `${total} rows are valid: ${plan.created} new, ${plan.updated} changed, ${plan.unchanged} unchanged.`,
            finished_at: ctx.now().toISOString(),
          });
        report({ phase: 'done', processed: total, total });
        return getImportRun(ctx, id);
      }
      try {
        await ctx.db.transaction().execute(async (tx) => {
          await sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`.execute(tx);
          const plan = await planners[req.kind as Exclude<ImportKind, 'credits'>](tx, ctx, read.rows, {
            program: req.program,
            filename: req.filename,
          });
          const issues = [...read.issues, ...plan.issues];
          if (issues.length) throw new InvalidImport(issues);
          await update({ status: 'importing', processed_rows: total - plan.writes });
          report({ phase: 'importing', processed: total - plan.writes, total });
          let last = 0;
          await plan.apply(tx, ctx, id, async (n) => {
            const processed = total - plan.writes + n;
            report({ phase: 'importing', processed, total });
            // From the pool, outside this transaction, so the page sees it now.
            if (n - last >= BATCH || n === plan.writes) {
              last = n;
              await update({ processed_rows: Math.min(processed, total - 1) });
            }
          });
          await recordAudit(tx, ctx, {
            action: `import.${req.kind}`,
            entityType: 'import_run',
            entityId: id,
            after: {
              filename: req.filename,
              rows: total,
              created: plan.created,
              updated: plan.updated,
              unchanged: plan.unchanged,
            },
          });
          // The final counts commit with the data: a crash in between leaves the run "importing"
          // and no data, never the other way round.
          await idb(tx)
            .updateTable('import_run')
            .set({
              status: 'succeeded',
              processed_rows: total,
              created_count: plan.created,
              updated_count: plan.updated,
              unchanged_count: plan.unchanged,
              message: `Imported ${total} rows: ${plan.created} new, ${plan.updated} changed, ${plan.unchanged} unchanged.`,
              finished_at: ctx.now().toISOString(),
            })
            .where('id', '=', id)
            .execute();
        });
        void ctx.mailer.flush().catch(() => 0);
      } catch (e) {
        if (e instanceof InvalidImport) await finishInvalid(e.issues, 'failed');
        else throw e;
      }
      report({ phase: 'done', processed: total, total });
      return getImportRun(ctx, id);
    } catch (e) {
      const message =
        e instanceof DomainError
          ? e.message
          : `The import failed and nothing was written: ${(e as Error).message ?? String(e)}`.slice(0, 1000);
      await update({
        // "Checked: errors found" only for a file that has them; a fault of ours is "not imported".
        status: req.dryRun && e instanceof DomainError ? 'invalid' : 'failed',
        message,
        finished_at: ctx.now().toISOString(),
        ...(e instanceof DomainError && e.issues.length
          ? {
              errors: jsonb(e.issues.map((i) => ({ row: 1, column: i.field, message: i.message }))),
              error_count: e.issues.length,
            }
          : {}),
      }).catch(() => 0);
      report({ phase: 'done', processed: 0, total: 0 });
      if (e instanceof DomainError) return getImportRun(ctx, id);
      throw e;
    }
  })();
  return { id, done };
}

/** Runs an import to the end (the CLI, tests). */
export async function runImport(ctx: Ctx, req: ImportRequest): Promise<ImportRun> {
  const { done } = await startImport(ctx, req);
  return done;
}
