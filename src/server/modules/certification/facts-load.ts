/**
 * Loading stored person facts: the one query (with the recorder's and
 * withdrawer's names) and the row-to-engine mapping, shared by evaluation and
 * the facts service.
 */
import type { RecordedFact, PersonFactKind } from '../../../domain/requirements/index.js';
import type { Db } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';
import { anyId } from './queries.js';

export function factQuery(db: Db) {
  return db
    .selectFrom('person_fact as f')
    .innerJoin('program as pr', 'pr.id', 'f.program_id')
    .leftJoin('user_account as u', 'u.id', 'f.recorded_by')
    .leftJoin('person as rp', 'rp.id', 'u.person_id')
    .leftJoin('user_account as wu', 'wu.id', 'f.withdrawn_by')
    .leftJoin('person as wp', 'wp.id', 'wu.person_id')
    .selectAll('f')
    .select([
      'pr.name as program_name',
      'rp.first_name as recorder_first',
      'rp.last_name as recorder_last',
      'rp.preferred_name as recorder_preferred',
      'wp.first_name as withdrawer_first',
      'wp.last_name as withdrawer_last',
      'wp.preferred_name as withdrawer_preferred',
    ]);
}
export type FactRow = Awaited<ReturnType<ReturnType<typeof factQuery>['executeTakeFirstOrThrow']>>;

export const nameOf = (first: string | null, last: string | null, preferred: string | null): string | null =>
  last ? `${preferred || first || ''} ${last}`.trim() : null;

/** A stored fact as the rules engine takes it (the recorder's name goes into waiver sentences). */
export function rowToFact(r: {
  kind: PersonFactKind;
  key: string;
  date: string;
  score: number | null;
  until: string | null;
  reason: string;
  recorded_by_name?: string | null;
}): RecordedFact {
  return {
    kind: r.kind,
    key: r.key,
    date: r.date,
    score: r.score,
    until: r.until,
    reason: r.reason,
    recordedBy: r.recorded_by_name ?? null,
  };
}

const currentFactRows = prepared((db, programId: string, personIds: readonly string[]) =>
  factQuery(db)
    .where('f.program_id', '=', programId)
    .where('f.person_id', '=', anyId(personIds))
    .where('f.withdrawn_at', 'is', null)
    .orderBy('f.recorded_at')
    .orderBy('f.created_at'),
);

/**
 * Current (not withdrawn) facts of these people in one program, oldest first,
 * with the recorder's name; what `evaluatePeople` gives the engine.
 */
export async function currentFacts(
  db: Db,
  programId: string,
  personIds: string[],
): Promise<Map<string, RecordedFact[]>> {
  const out = new Map<string, RecordedFact[]>();
  if (personIds.length === 0) return out;
  const rows = await currentFactRows(db, programId, personIds);
  for (const r of rows) {
    const list = out.get(r.person_id) ?? [];
    list.push(
      rowToFact({ ...r, recorded_by_name: nameOf(r.recorder_first, r.recorder_last, r.recorder_preferred) }),
    );
    out.set(r.person_id, list);
  }
  return out;
}
