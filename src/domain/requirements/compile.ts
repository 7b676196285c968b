/**
 * Preparation shared by every evaluation: a compiled view of a program
 * (lookups built once and cached per program object) and records normalized
 * to program-local dates and whole hundredths of a credit.
 */
import { toLocalDate, type LocalDate } from '../time/index.js';
import type {
  Course,
  CourseSet,
  CreditRecord,
  NotCountedRecord,
  ProgramDefinition,
  RecordFilter,
} from './types.js';

export interface CompiledProgram {
  program: ProgramDefinition;
  timeZone: string;
  /** Category id → itself and every ancestor, nearest first. */
  lineage: Map<string, string[]>;
  courseByCode: Map<string, Course>;
  setById: Map<string, CourseSet>;
  categoryName: Map<string, string>;
}

const cache = new WeakMap<ProgramDefinition, CompiledProgram>();

export function compileProgram(program: ProgramDefinition): CompiledProgram {
  const hit = cache.get(program);
  if (hit) return hit;
  const parentOf = new Map(program.categories.map((c) => [c.id, c.parent]));
  const lineage = new Map<string, string[]>();
  for (const c of program.categories) {
    const chain: string[] = [];
    let cur: string | undefined = c.id;
    while (cur !== undefined && !chain.includes(cur)) {
      chain.push(cur);
      cur = parentOf.get(cur);
    }
    lineage.set(c.id, chain);
  }
  const compiled: CompiledProgram = {
    program,
    timeZone: program.timeZone,
    lineage,
    courseByCode: new Map(program.courses.map((c) => [c.code, c])),
    setById: new Map(program.courseSets.map((s) => [s.id, s])),
    categoryName: new Map(program.categories.map((c) => [c.id, c.name])),
  };
  cache.set(program, compiled);
  return compiled;
}

/** A record ready for rules: local date, amount in hundredths, category lineage. */
export interface Rec {
  id: string;
  date: LocalDate;
  /** Hundredths of a credit (1.5 credits = 150), so sums are exact. */
  amount: number;
  category: string | undefined;
  lineage: readonly string[];
  sponsored: boolean;
  sourceType: string;
  courseCode: string | undefined;
  /** True when `courseCode` names a course of the program's catalog. */
  catalog: boolean;
  title: string | undefined;
  status: CreditRecord['status'];
  recordedOn: LocalDate;
  /** Set on surplus carried over from an earlier cycle. */
  carriedFrom?: LocalDate;
  /** A confirmed seat in an upcoming session, not a record: counts only where the node allows it. */
  seat?: true;
}

const EMPTY: readonly string[] = [];

export const toHundredths = (n: number): number => Math.round(n * 100);

/**
 * Normalizes records in a stable order (date, then id). Records whose date
 * cannot be read are returned separately, so they are reported, not dropped.
 */
export function normalizeRecords(
  compiled: CompiledProgram,
  records: readonly CreditRecord[],
): { recs: Rec[]; unreadable: NotCountedRecord[] } {
  const recs: Rec[] = [];
  const unreadable: NotCountedRecord[] = [];
  for (const r of records) {
    const course = r.courseCode === undefined ? undefined : compiled.courseByCode.get(r.courseCode);
    const amount = toHundredths(r.amount ?? course?.credits ?? 0);
    const date = toLocalDate(r.date, compiled.timeZone);
    if (date === undefined) {
      unreadable.push({
        recordId: r.id,
        date: r.date,
        amount,
        reason: 'unreadable',
        detail: `The date "${r.date}" could not be read.`,
      });
      continue;
    }
    const category = r.category ?? course?.category;
    recs.push({
      id: r.id,
      date,
      amount,
      category,
      lineage: category === undefined ? EMPTY : (compiled.lineage.get(category) ?? [category]),
      sponsored: r.sponsored ?? course?.sponsored ?? false,
      sourceType: r.sourceType,
      courseCode: r.courseCode,
      catalog: course !== undefined,
      title: r.title ?? course?.title,
      status: r.status,
      recordedOn: r.recordedOn ?? date,
    });
  }
  recs.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { recs, unreadable };
}

/** A confirmed seat as a record dated on its session (only for the provisional check). */
export function seatRec(
  compiled: CompiledProgram,
  seat: { courseCode: string; date: LocalDate; sourceType?: string },
  recordedOn: LocalDate,
): Rec {
  const course = compiled.courseByCode.get(seat.courseCode);
  const category = course?.category;
  return {
    id: `seat:${seat.courseCode}:${seat.date}`,
    date: seat.date,
    amount: toHundredths(course?.credits ?? 0),
    category,
    lineage: category === undefined ? EMPTY : (compiled.lineage.get(category) ?? [category]),
    sponsored: course?.sponsored ?? false,
    sourceType: seat.sourceType ?? 'confirmed-seat',
    courseCode: seat.courseCode,
    catalog: course !== undefined,
    title: course?.title,
    status: 'approved',
    recordedOn,
    seat: true,
  };
}

/** Whether a record passes a filter; `categories` match a record's category or any ancestor. */
export function matchesFilter(rec: Rec, f: RecordFilter | undefined): boolean {
  if (!f) return true;
  if (f.categories && !f.categories.some((c) => rec.lineage.includes(c))) return false;
  if (f.sourceTypes && !f.sourceTypes.includes(rec.sourceType)) return false;
  if (f.sponsored !== undefined && rec.sponsored !== f.sponsored) return false;
  if (f.courses && (rec.courseCode === undefined || !f.courses.includes(rec.courseCode))) return false;
  if (f.catalog !== undefined && rec.catalog !== f.catalog) return false;
  return true;
}

/** Whether a record's category matches the filter's categories (ignoring its other fields). */
export function matchesCategory(rec: Rec, f: RecordFilter | undefined): boolean {
  return !f?.categories || f.categories.some((c) => rec.lineage.includes(c));
}

/**
 * The activity a record belongs to, for per-activity caps: a catalog course by its code; otherwise
 * the same title (ignoring case and spacing) on the same date; a record with neither is its own.
 */
export function activityKey(rec: Rec): string {
  if (rec.courseCode !== undefined) return `course:${rec.courseCode}`;
  const title = rec.title?.trim().replace(/\s+/g, ' ').toLowerCase();
  return title ? `title:${rec.date}:${title}` : `record:${rec.id}`;
}
