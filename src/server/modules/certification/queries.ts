/**
 * Query pieces the certification module and its callers share: a person's
 * current awards (the head of each award chain, i.e. not superseded by a
 * re-issue, with its revocation if any) and "today" in a program's time zone.
 */
import { todayIn, type LocalDate } from '../../../domain/time/index.js';
import type { Db } from '../../db/database.js';

/**
 * The current award of each chain: an award no re-issue supersedes, joined to
 * its revocation record (`r`). Revoked awards are included; callers that want
 * only those in force add their own condition on `r.revoked_on`.
 */
export function currentAwards(db: Db) {
  return db
    .selectFrom('award as a')
    .leftJoin('award_revocation as r', 'r.award_id', 'a.id')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('award as s').select('s.id').whereRef('s.supersedes_id', '=', 'a.id'))),
    );
}

/** Today in the program's time zone, read from the program row. */
export async function programToday(db: Db, programId: string, now: Date): Promise<LocalDate> {
  const p = await db
    .selectFrom('program')
    .select('time_zone')
    .where('id', '=', programId)
    .executeTakeFirstOrThrow();
  return todayIn(p.time_zone, now);
}
