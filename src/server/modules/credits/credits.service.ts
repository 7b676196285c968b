/**
 * The credit ledger (append-only: a trigger refuses UPDATE and DELETE) and
 * progress straight from it. A correction is a new record with reverses_id
 * and a reason; the rules engine sees the original as "reversed".
 */
import { sql } from 'kysely';
import { DomainError } from '../../../domain/errors.js';
import { evaluate, type CreditRecord, type NodeResult } from '../../../domain/requirements/index.js';
import { creditEarned } from '../../../domain/scheduling/index.js';
import { localDateOf } from '../../../domain/time/index.js';
import type { CreditRecordDto, Progress } from '../../../contract/credits.js';
import type { Ctx } from '../../context.js';
import type { Db, Tx } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { onCertificationFactsChanged } from '../awards/awards.service.js';
import { pendingClaimRecords } from '../claims/pending.js';
import { definitionFor } from '../programs/programs.service.js';
import type { SessionRow } from '../sessions/sessions.repo.js';

function ledgerQuery(db: Db) {
  return db
    .selectFrom('credit_record as c')
    .innerJoin('program as p', 'p.id', 'c.program_id')
    .leftJoin('credit_record as rev', 'rev.reverses_id', 'c.id')
    .leftJoin('credit_source as cs', 'cs.credit_record_id', 'c.id')
    .leftJoin('user_account as u', 'u.id', 'c.recorded_by')
    .leftJoin('person as rp', 'rp.id', 'u.person_id')
    .selectAll('c')
    .select([
      'p.code as program_code',
      'p.name as program_name',
      'rev.id as reversed_by_id',
      'cs.claim_id as source_claim_id',
      'cs.manual_reason as source_reason',
      'rp.first_name as recorder_first',
      'rp.last_name as recorder_last',
      'rp.preferred_name as recorder_preferred',
    ]);
}
type LedgerRow = Awaited<ReturnType<ReturnType<typeof ledgerQuery>['executeTakeFirstOrThrow']>>;

/** Category names per program, from each program's current definition (the id when a category is gone). */
async function categoryNames(db: Db, rows: LedgerRow[]): Promise<(r: LedgerRow) => string> {
  const names = new Map<string, Map<string, string>>();
  for (const programId of new Set(rows.map((r) => r.program_id))) {
    const def = await definitionFor(db, programId);
    names.set(programId, new Map((def?.categories ?? []).map((c) => [c.id, c.name])));
  }
  return (r) => names.get(r.program_id)?.get(r.category) ?? r.category;
}

const toDto = (r: LedgerRow, categoryName: (r: LedgerRow) => string): CreditRecordDto => ({
  id: r.id,
  personId: r.person_id,
  program: { id: r.program_id, code: r.program_code, name: r.program_name },
  amount: Number(r.amount),
  category: r.category,
  categoryName: categoryName(r),
  sponsored: r.sponsored,
  sourceType: r.source_type,
  courseCode: r.course_code,
  title: r.title,
  sessionId: r.session_id,
  earnedOn: r.earned_on,
  status: r.status,
  reversesId: r.reverses_id,
  reason: r.reason,
  reversedById: r.reversed_by_id,
  recordedAt: r.recorded_at,
  recordedBy: r.recorder_last
    ? `${r.recorder_preferred || r.recorder_first} ${r.recorder_last}`.trim()
    : null,
  source: sourceOf(r),
});

/** Where a ledger record came from, in words staff and officials recognise. */
function sourceOf(r: LedgerRow): CreditRecordDto['source'] {
  const base = { claimId: r.source_claim_id, reason: r.source_reason };
  if (r.reverses_id) return { ...base, kind: 'correction', label: 'Correction (reversing record)' };
  if (r.source_claim_id) return { ...base, kind: 'claim', label: 'Approved outside-credit claim' };
  if (r.source_reason !== null) return { ...base, kind: 'staff', label: 'Staff entry' };
  if (r.session_id || r.registration_id) return { ...base, kind: 'session', label: 'Session attendance' };
  return { ...base, kind: 'other', label: 'Recorded credit' };
}

async function assertPerson(db: Db, personId: string): Promise<void> {
  const p = await db.selectFrom('person').select('id').where('id', '=', personId).executeTakeFirst();
  if (!p) throw new DomainError('not_found', 'There is no person with this id.');
}

export async function listCredits(ctx: Ctx, personId: string): Promise<CreditRecordDto[]> {
  await assertPerson(ctx.db, personId);
  const rows = await ledgerQuery(ctx.db)
    .where('c.person_id', '=', personId)
    .orderBy('c.earned_on')
    .orderBy('c.recorded_at')
    .orderBy(sql`c.reverses_id is not null`)
    .orderBy('c.id')
    .execute();
  const names = await categoryNames(ctx.db, rows);
  return rows.map((r) => toDto(r, names));
}

export async function reverseCredit(ctx: Ctx, id: string, reason: string): Promise<CreditRecordDto> {
  try {
    const newId = await ctx.db.transaction().execute(async (tx) => {
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
    const row = await ledgerQuery(ctx.db).where('c.id', '=', newId).executeTakeFirstOrThrow();
    return toDto(row, await categoryNames(ctx.db, [row]));
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new DomainError('conflict', 'This record has already been reversed.');
    throw e;
  }
}

type CreditRow = {
  id: string;
  person_id: string;
  program_id: string;
  amount: number;
  category: string;
  sponsored: boolean;
  source_type: string;
  course_code: string | null;
  title: string | null;
  session_id: string | null;
  registration_id: string | null;
  earned_on: string;
  status: 'approved' | 'pending' | 'rejected';
};

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
  return rows.map((r) => r.id);
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
  s: SessionRow,
  reg: { id: string; person_id: string; minutes_attended: number | null },
): Promise<void> {
  if (!s.program_id) return;
  const values = (s.course_credits as { category: string; amount: number }[]) ?? [];
  const due = new Map<string, number>();
  for (const v of values) {
    const earned = creditEarned({
      durationMinutes: s.duration_minutes,
      minutesAttended: reg.minutes_attended ?? 0,
      minPercent: s.completion_min_percent,
      partialAllowed: !!s.program_partial_credit,
      amount: v.amount,
    }).amount;
    if (earned > 0) due.set(v.category, (due.get(v.category) ?? 0) + earned);
  }
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
  const same = due.size === have.size && [...due].every(([k, v]) => Math.abs((have.get(k) ?? 0) - v) < 0.005);
  if (same) return;
  const reason = `Attendance recorded as ${reg.minutes_attended ?? 0} of ${s.duration_minutes} minutes.`;
  for (const l of live) await insertReversal(tx, ctx, l as CreditRow, reason);
  if (due.size === 0) return;
  let sourceType = s.course_source_type;
  if (!sourceType) sourceType = (await definitionFor(tx, s.program_id))?.sourceTypes[0]?.id ?? 'course';
  const earnedOn = localDateOf(Date.parse(s.starts_at), s.program_time_zone ?? s.time_zone);
  await tx
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
    .execute();
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

// ---------------------------------------------------------------- progress

function flatten(
  node: NodeResult,
  parentId: string | null,
  depth: number,
  out: Progress['programs'][number]['nodes'],
) {
  out.push({
    id: node.id,
    parentId,
    depth,
    type: node.type,
    title: node.title,
    applicable: node.applicable,
    met: node.met,
    have: node.have,
    need: node.need,
    unit: node.unit,
    metOn: node.metOn ?? null,
    missing: node.missing ?? null,
    parts: node.parts,
    counted: node.counted.map((c) => ({
      recordId: c.recordId,
      date: c.date,
      amount: c.amount,
      courseCode: c.courseCode ?? null,
    })),
    notCounted: node.notCounted.map((n) => ({
      recordId: n.recordId,
      date: n.date,
      amount: n.amount,
      reason: n.reason,
      detail: n.detail,
    })),
  });
  for (const child of node.children) flatten(child, node.id, depth + 1, out);
}

/** Evaluates every active enrollment of a person with the rules engine, from the ledger as it is now. */
export async function progressFor(ctx: Ctx, personId: string, asOf?: string): Promise<Progress> {
  await assertPerson(ctx.db, personId);
  const enrollments = await ctx.db
    .selectFrom('enrollment as e')
    .innerJoin('program as p', 'p.id', 'e.program_id')
    .select([
      'e.id',
      'e.program_id',
      'e.enrolled_on',
      'e.pinned_version',
      'e.cohorts',
      'p.code',
      'p.name',
      'p.time_zone',
    ])
    .where('e.person_id', '=', personId)
    .where('e.status', '=', 'active')
    .orderBy('p.name')
    .execute();
  const programs: Progress['programs'] = [];
  for (const e of enrollments) {
    const def = await definitionFor(ctx.db, e.program_id, e);
    if (!def) continue;
    const day = asOf ?? localDateOf(ctx.now().getTime(), def.timeZone);
    const [rows, awards] = await Promise.all([
      ctx.db
        .selectFrom('credit_record')
        .selectAll()
        .where('person_id', '=', personId)
        .where('program_id', '=', e.program_id)
        .execute(),
      ctx.db
        .selectFrom('award')
        .selectAll()
        .where('person_id', '=', personId)
        .where('program_id', '=', e.program_id)
        .execute(),
    ]);
    const reversed = new Set(rows.flatMap((r) => (r.reverses_id ? [r.reverses_id] : [])));
    const records: CreditRecord[] = rows
      .filter((r) => !r.reverses_id)
      .map((r) => ({
        id: r.id,
        personId,
        date: r.earned_on,
        amount: Number(r.amount),
        category: r.category,
        sponsored: r.sponsored,
        sourceType: r.source_type,
        ...(r.course_code ? { courseCode: r.course_code } : {}),
        ...(r.title ? { title: r.title } : {}),
        status: reversed.has(r.id) ? 'reversed' : r.status,
        recordedOn: localDateOf(Date.parse(r.recorded_at), def.timeZone),
      }));
    // Submitted claims show as waiting for review; they count only once approved.
    records.push(...(await pendingClaimRecords(ctx.db, personId, e.program_id)));
    const result = evaluate(def, records, {
      asOf: day,
      personId,
      ...(e.enrolled_on ? { enrollmentDate: e.enrolled_on } : {}),
      cohorts: e.cohorts,
      awards: awards.map((a) => ({
        id: a.id,
        awardedOn: a.awarded_on,
        ...(a.number ? { number: a.number } : {}),
        ...(a.revoked_on ? { revokedOn: a.revoked_on } : {}),
        ...(a.revoked_reason ? { revokedReason: a.revoked_reason } : {}),
      })),
    });
    const nodes: Progress['programs'][number]['nodes'] = [];
    flatten(result.initial, null, 0, nodes);
    const counted = records.filter((r) => r.status === 'approved');
    programs.push({
      program: { id: e.program_id, code: e.code, name: def.name, designation: def.designation },
      enrollment: { id: e.id, enrolledOn: e.enrolled_on, version: def.version },
      status: result.status,
      headline: result.headline,
      missing: result.missing,
      nodes,
      deadlines: result.deadlines.map((d) => ({
        id: d.id,
        label: d.label,
        date: d.date ?? null,
        state: d.state,
        detail: d.detail,
      })),
      nextDue: result.lifecycle?.nextDue ?? null,
      totals: { approved: counted.reduce((a, r) => a + (r.amount ?? 0), 0), records: records.length },
    });
  }
  const asOfShown = asOf ?? localDateOf(ctx.now().getTime(), enrollments[0]?.time_zone ?? 'UTC');
  return { personId, asOf: asOfShown, programs };
}
