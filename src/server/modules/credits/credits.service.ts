/**
 * Reading the credit ledger, and staff reversals. The ledger's writes
 * (append, reverse, attendance reconciliation) and the progress view are the
 * certification module's (modules/certification/ledger.ts, progress.ts).
 */
import { sql } from 'kysely';
import { DomainError } from '../../../domain/errors.js';
import type { CreditRecordDto } from '../../../contract/credits.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { reverseRecord } from '../certification/ledger.js';
import { readPerson, readPersonToRun } from '../people/people.service.js';
import { definitionFor } from '../programs/programs.service.js';

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

/** A person's ledger; 404 for someone who does not exist or is outside the actor's people scope. */
export async function listCredits(ctx: Ctx, personId: string): Promise<CreditRecordDto[]> {
  await readPerson(ctx, personId);
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
  // Staff reverse only the records of the people they coordinate (a coordinator limited to counties or programs).
  const of = await ctx.db
    .selectFrom('credit_record')
    .select('person_id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!of) throw new DomainError('not_found', 'There is no credit record with this id.');
  await readPersonToRun(ctx, of.person_id);
  const newId = await reverseRecord(ctx, id, reason);
  const row = await ledgerQuery(ctx.db).where('c.id', '=', newId).executeTakeFirstOrThrow();
  return toDto(row, await categoryNames(ctx.db, [row]));
}
