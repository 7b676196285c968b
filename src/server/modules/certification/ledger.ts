/**
 * The credit ledger's writes (append-only: a trigger refuses UPDATE and
 * DELETE). A correction is a new record with reverses_id and a reason; the
 * rules engine sees the original as "reversed". Appends from staff, claims
 * and imports, reversals, and the reconciliation of a registration's
 * attendance with its credit all happen here, and each change of a person's
 * facts re-evaluates them (evaluation.ts).
 */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { DomainError } from '../../../domain/errors.js';
import {
  attendanceCreditDue,
  attendanceReason,
  creditMatches,
  type AttendanceRules,
} from '../../../domain/attendance/index.js';
import { localDateOf } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import type { Db, Tx } from '../../db/database.js';
import type { CreditRecordTable } from '../../db/schema.js';
import { recordAudit } from '../audit/audit.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { anyListener, emitCreditsRecorded } from '../webhooks/events.js';
import { onCertificationFactsChanged } from './evaluation.js';

/**
 * Appends a record reversing `id` (with the reason), audited, and re-evaluates
 * the person, in one transaction. Returns the new record's id. A record that
 * is itself a correction, or already reversed, is refused (409).
 */
export async function reverseRecord(ctx: Ctx, id: string, reason: string): Promise<string> {
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const r = await tx
        .selectFrom('credit_record')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!r) throw new DomainError('not_found', 'There is no credit record with this id.');
      if (r.reverses_id)
        throw new DomainError('conflict', 'This record is itself a correction; it cannot be reversed.');
      const already = await tx
        .selectFrom('credit_record')
        .select('id')
        .where('reverses_id', '=', id)
        .executeTakeFirst();
      if (already) throw new DomainError('conflict', 'This record has already been reversed.');
      const row = await insertReversal(tx, ctx, r, reason);
      await recordAudit(tx, ctx, {
        action: 'credit.reverse',
        entityType: 'credit_record',
        entityId: row,
        after: { reverses: id, reason },
      });
      await onCertificationFactsChanged(tx, ctx, r.person_id, r.program_id);
      return row;
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new DomainError('conflict', 'This record has already been reversed.');
    throw e;
  }
}

/** A ledger row as read (`selectAll`). */
type CreditRow = Selectable<CreditRecordTable>;

async function insertReversal(tx: Tx, ctx: Ctx, r: CreditRow, reason: string): Promise<string> {
  const row = await tx
    .insertInto('credit_record')
    .values({
      person_id: r.person_id,
      program_id: r.program_id,
      amount: -Number(r.amount),
      category: r.category,
      sponsored: r.sponsored,
      source_type: r.source_type,
      course_code: r.course_code,
      title: r.title,
      session_id: r.session_id,
      registration_id: r.registration_id,
      earned_on: r.earned_on,
      status: r.status,
      reverses_id: r.id,
      reason,
      recorded_at: ctx.now().toISOString(),
      recorded_by: ctx.actor?.userId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await emitCreditsRecorded(tx, ctx.now(), [row.id]);
  return row.id;
}

export interface NewCredit {
  /** Optional: a caller that must refer to the record before the insert returns (imports). */
  id?: string;
  personId: string;
  programId: string;
  amount: number;
  category: string;
  sponsored: boolean;
  sourceType: string;
  courseCode?: string | null;
  title: string | null;
  earnedOn: string;
}

/** Appends one approved record to the ledger (staff entries, approved claims). */
export async function appendCredit(tx: Tx, ctx: Ctx, r: NewCredit): Promise<string> {
  const [id] = await appendCredits(tx, ctx, [r]);
  return id!;
}

/**
 * Appends approved records to the ledger in one statement, recorded now by the
 * caller: the one write path for credit that does not come from a session
 * (staff entries, approved claims, spreadsheet imports in batches).
 */
export async function appendCredits(tx: Tx, ctx: Ctx, records: NewCredit[]): Promise<string[]> {
  if (records.length === 0) return [];
  const recordedAt = ctx.now().toISOString();
  const rows = await tx
    .insertInto('credit_record')
    .values(
      records.map((r) => ({
        ...(r.id ? { id: r.id } : {}),
        person_id: r.personId,
        program_id: r.programId,
        amount: r.amount,
        category: r.category,
        sponsored: r.sponsored,
        source_type: r.sourceType,
        course_code: r.courseCode ?? null,
        title: r.title,
        session_id: null,
        registration_id: null,
        earned_on: r.earnedOn,
        status: 'approved' as const,
        reverses_id: null,
        reason: null,
        recorded_at: recordedAt,
        recorded_by: ctx.actor?.userId ?? null,
      })),
    )
    .returning('id')
    .execute();
  const ids = rows.map((r) => r.id);
  await emitCreditsRecorded(tx, ctx.now(), ids);
  return ids;
}

/**
 * Appends the approved records a query selects, recorded now by the caller, in one statement: the
 * set-based form of appendCredits, for a bulk write whose rows are in a table (a staged import).
 * `source` selects id, person_id, program_id, amount, category, sponsored, source_type,
 * course_code, title and earned_on. Returns how many records were appended.
 */
export async function appendCreditsFrom(tx: Tx, ctx: Ctx, source: RawBuilder<unknown>): Promise<number> {
  const recordedAt = ctx.now().toISOString();
  // The new ids come back only when a webhook wants them: an import appends up to a million rows.
  const emit = await anyListener(tx, 'credit.recorded');
  // recorded_on (0016) for the whole set here, as the trigger would per row (0021).
  const r = await sql<{ id: string }>`
    insert into credit_record (id, person_id, program_id, amount, category, sponsored, source_type,
      course_code, title, session_id, registration_id, earned_on, status, reverses_id, reason,
      recorded_at, recorded_on, recorded_by)
    select s.id, s.person_id, s.program_id, s.amount, s.category, s.sponsored, s.source_type,
      s.course_code, s.title, null, null, s.earned_on, 'approved', null, null,
      ${recordedAt}::timestamptz, (${recordedAt}::timestamptz at time zone p.time_zone)::date,
      ${ctx.actor?.userId ?? null}::uuid
    from (${source}) as s
    join program p on p.id = s.program_id
    ${emit ? sql`returning id` : sql``}
  `.execute(tx);
  if (!emit) return Number(r.numAffectedRows ?? 0);
  await emitCreditsRecorded(
    tx,
    ctx.now(),
    r.rows.map((x) => x.id),
  );
  return r.rows.length;
}

/** What reconciliation reads of a session, its course and program (the sessions module's row has it). */
export interface AttendedSession {
  id: string;
  program_id: string | null;
  starts_at: string;
  time_zone: string;
  program_time_zone: string | null;
  duration_minutes: number;
  completion_min_percent: number;
  program_partial_credit: boolean | null;
  course_credits: unknown;
  course_source_type: string | null;
  course_sponsored: boolean;
  course_code: string | null;
  course_title: string;
}

/** The completion rule of a session's course and program, as src/domain/attendance takes it. */
export function attendanceRulesOf(
  s: Pick<
    AttendedSession,
    'duration_minutes' | 'completion_min_percent' | 'program_partial_credit' | 'course_credits'
  >,
): AttendanceRules {
  return {
    durationMinutes: s.duration_minutes,
    minPercent: s.completion_min_percent,
    partialAllowed: !!s.program_partial_credit,
    credits: (s.course_credits as { category: string; amount: number }[] | null) ?? [],
  };
}

/**
 * Makes the ledger match a registration's attendance: the completion rule
 * (and partial credit where the program allows it) gives the credit due per
 * category; if the live records differ, they are reversed with a reason and
 * the right ones appended. Runs inside the attendance transaction.
 */
export async function reconcileAttendanceCredits(
  tx: Tx,
  ctx: Ctx,
  s: AttendedSession,
  reg: { id: string; person_id: string; minutes_attended: number | null },
): Promise<void> {
  if (!s.program_id) return;
  const due = attendanceCreditDue(attendanceRulesOf(s), reg.minutes_attended);
  const live = await tx
    .selectFrom('credit_record as c')
    .selectAll('c')
    .where('c.registration_id', '=', reg.id)
    .where('c.reverses_id', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('credit_record as r').select('r.id').whereRef('r.reverses_id', '=', 'c.id'))),
    )
    .execute();
  const have = new Map<string, number>();
  for (const l of live) have.set(l.category, (have.get(l.category) ?? 0) + Number(l.amount));
  if (creditMatches(due, have)) return;
  const reason = attendanceReason(reg.minutes_attended, s.duration_minutes);
  for (const l of live) await insertReversal(tx, ctx, l, reason);
  if (due.size === 0) return;
  let sourceType = s.course_source_type;
  if (!sourceType) sourceType = (await definitionFor(tx, s.program_id))?.sourceTypes[0]?.id ?? 'course';
  const earnedOn = localDateOf(Date.parse(s.starts_at), s.program_time_zone ?? s.time_zone);
  const added = await tx
    .insertInto('credit_record')
    .values(
      [...due].map(([category, amount]) => ({
        person_id: reg.person_id,
        program_id: s.program_id!,
        amount,
        category,
        sponsored: s.course_sponsored,
        source_type: sourceType,
        course_code: s.course_code,
        title: s.course_title,
        session_id: s.id,
        registration_id: reg.id,
        earned_on: earnedOn,
        status: 'approved' as const,
        reverses_id: null,
        reason: null,
        recorded_at: ctx.now().toISOString(),
        recorded_by: ctx.actor?.userId ?? null,
      })),
    )
    .returning('id')
    .execute();
  await emitCreditsRecorded(
    tx,
    ctx.now(),
    added.map((a) => a.id),
  );
}

/** Net credit per registration, for rosters. */
export async function netCreditsByRegistration(
  db: Db,
  registrationIds: string[],
): Promise<Map<string, number>> {
  if (registrationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('credit_record')
    .select(['registration_id', sql<number>`sum(amount)`.as('total')])
    .where('registration_id', 'in', registrationIds)
    .where('status', '=', 'approved')
    .groupBy('registration_id')
    .execute();
  return new Map(rows.map((r) => [r.registration_id!, Number(r.total)]));
}
