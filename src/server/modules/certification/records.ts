/**
 * The one mapping from stored rows to what the rules engine reads: ledger rows
 * to credit records (a reversing row is dropped and the record it reverses is
 * marked "reversed") and award rows to the engine's awards (certificate
 * number, revocation). Every evaluation (status, progress, reports, imports,
 * the sweep) goes through these.
 */
import type { Award, CreditRecord } from '../../../domain/requirements/index.js';
import type { CreditRecordTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';

export type LedgerRow = Pick<
  Selectable<CreditRecordTable>,
  | 'id'
  | 'person_id'
  | 'earned_on'
  | 'amount'
  | 'category'
  | 'sponsored'
  | 'source_type'
  | 'course_code'
  | 'title'
  | 'status'
  | 'reverses_id'
  | 'recorded_on'
>;

/** The ids of ledger records that a later correction reverses. */
function reversedIds(rows: readonly Pick<LedgerRow, 'reverses_id'>[]): Set<string> {
  return new Set(rows.flatMap((r) => (r.reverses_id ? [r.reverses_id] : [])));
}

/**
 * Ledger rows (one person's, or several people's) as engine records. `recordedOn` is the row's
 * `recorded_on`: the day it was recorded in the program's zone, stored when it was written (0016).
 */
export function ledgerToRecords(rows: readonly LedgerRow[]): CreditRecord[] {
  const reversed = reversedIds(rows);
  return rows
    .filter((r) => !r.reverses_id)
    .map((r) => ({
      id: r.id,
      personId: r.person_id,
      date: r.earned_on,
      amount: Number(r.amount),
      category: r.category,
      sponsored: r.sponsored,
      sourceType: r.source_type,
      ...(r.course_code ? { courseCode: r.course_code } : {}),
      ...(r.title ? { title: r.title } : {}),
      status: reversed.has(r.id) ? ('reversed' as const) : r.status,
      recordedOn: r.recorded_on,
    }));
}

/**
 * The rows that count as approved credit, as the engine sees them: approved,
 * neither a correction nor reversed by one (for transcripts and totals that
 * list the rows themselves).
 */
export function liveApprovedRows<R extends Pick<LedgerRow, 'id' | 'reverses_id' | 'status'>>(
  rows: readonly R[],
): R[] {
  const reversed = reversedIds(rows);
  return rows.filter((r) => !r.reverses_id && !reversed.has(r.id) && r.status === 'approved');
}

export interface AwardFactRow {
  id: string;
  awarded_on: string;
  certificate_number: string | null;
  number: string | null;
  /** From award_revocation. */
  revoked_on: string | null;
  revoked_reason: string | null;
  /** The mirror on the award row, for awards revoked before award_revocation existed. */
  legacy_revoked_on: string | null;
  legacy_reason: string | null;
}

/** Current award rows (see `currentAwards`) as the engine's awards. */
export function awardsToFacts(rows: readonly AwardFactRow[]): Award[] {
  return rows.map((a) => {
    const revokedOn = a.revoked_on ?? a.legacy_revoked_on;
    const reason = a.revoked_reason ?? a.legacy_reason;
    const number = a.certificate_number ?? a.number;
    return {
      id: a.id,
      awardedOn: a.awarded_on,
      ...(number ? { number } : {}),
      ...(revokedOn ? { revokedOn } : {}),
      ...(reason ? { revokedReason: reason } : {}),
    };
  });
}
