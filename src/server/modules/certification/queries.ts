/**
 * Query pieces the certification module and its callers share: a person's
 * current awards (the head of each award chain, i.e. not superseded by a
 * re-issue, with its revocation if any) and "today" in a program's time zone.
 */
import { toLocalDate, todayIn, type LocalDate } from '../../../domain/time/index.js';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/**
 * `column = any($1::uuid[])`: a list of ids as one bind parameter. An `in (...)` list takes one
 * parameter per id, and PostgreSQL refuses more than 65,535 (a program of 70,000 officials).
 */
export const anyId = (ids: Iterable<string>) => sql<string>`any(${[...ids]}::uuid[])`;

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

/**
 * Confirmed seats of these people in upcoming sessions of the program's courses (sessions
 * starting after `now`, not cancelled), each as the course code and the session's local date in
 * the program's zone: what a program that allows provisional status from a confirmed seat
 * measures (`confirmedSeats` in the evaluation context).
 */
export async function upcomingConfirmedSeats(
  db: Db,
  programId: string,
  personIds: string[],
  now: Date,
  timeZone: string,
): Promise<Map<string, { courseCode: string; date: LocalDate }[]>> {
  const out = new Map<string, { courseCode: string; date: LocalDate }[]>();
  if (personIds.length === 0) return out;
  const rows = await db
    .selectFrom('registration as r')
    .innerJoin('session as s', 's.id', 'r.session_id')
    .innerJoin('course as c', 'c.id', 's.course_id')
    .select(['r.person_id', 'c.code', 's.starts_at'])
    .where('c.program_id', '=', programId)
    .where('r.status', '=', 'confirmed')
    .where('s.status', '!=', 'cancelled')
    .where('s.starts_at', '>', now.toISOString())
    .where('r.person_id', '=', anyId(personIds))
    .orderBy('s.starts_at')
    .execute();
  for (const r of rows) {
    const date = toLocalDate(r.starts_at, timeZone);
    if (!date) continue;
    out.set(r.person_id, [...(out.get(r.person_id) ?? []), { courseCode: r.code, date }]);
  }
  return out;
}

/**
 * Today in a zone when one is known, otherwise in the first program's zone (the deployment's
 * own, in practice), for dates shown outside any one program: a file name, a page's "as of".
 */
export async function localToday(db: Db, now: Date, zone?: string): Promise<LocalDate> {
  if (zone) return todayIn(zone, now);
  const first = await db
    .selectFrom('program')
    .select('time_zone')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  // Without any program there is no program zone to speak of.
  return todayIn(first?.time_zone ?? 'UTC', now);
}
