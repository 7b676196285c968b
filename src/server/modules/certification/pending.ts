/**
 * Submitted claims as pending records for the rules engine, for the progress
 * view (part of the certification module, so progress does not depend on claims).
 */
import type { CreditRecord } from '../../../domain/requirements/index.js';
import type { Db } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';

const submittedClaims = prepared((db, personId: string, programId: string) =>
  db
    .selectFrom('claim')
    .select(['id', 'end_date', 'hours', 'category', 'claim_type', 'title'])
    .where('person_id', '=', personId)
    .where('program_id', '=', programId)
    .where('status', '=', 'submitted'),
);

/**
 * Submitted claims as pending records for the rules engine: they show in
 * progress as "waiting for review" and never count until approved.
 */
export async function pendingClaimRecords(
  db: Db,
  personId: string,
  programId: string,
): Promise<CreditRecord[]> {
  const rows = await submittedClaims(db, personId, programId);
  return rows.map((r) => ({
    id: `claim-${r.id}`,
    personId,
    date: r.end_date,
    amount: Number(r.hours),
    category: r.category,
    sponsored: false,
    sourceType: r.claim_type,
    title: r.title,
    status: 'pending' as const,
  }));
}
