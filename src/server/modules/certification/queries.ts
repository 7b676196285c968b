/**
 * Query pieces the certification module and its callers share: a person's
 * current awards (the head of each award chain, i.e. not superseded by a
 * re-issue, with its revocation if any) and "today" in a program's time zone.
 */
import { toLocalDate, todayIn, type LocalDate } from '../../../domain/time/index.js';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';

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

const upcomingSeatRows = prepared((db, programId: string, after: string, personIds: readonly string[]) =>
  db
    .selectFrom('registration as r')
    .innerJoin('session as s', 's.id', 'r.session_id')
    .innerJoin('course as c', 'c.id', 's.course_id')
    .select(['r.person_id', 'c.code', 's.starts_at'])
    .where('c.program_id', '=', programId)
    .where('r.status', '=', 'confirmed')
    .where('s.status', '!=', 'cancelled')
    .where('s.starts_at', '>', after)
    .where('r.person_id', '=', anyId(personIds))
    .orderBy('s.starts_at'),
);

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
  const rows = await upcomingSeatRows(db, programId, now.toISOString(), personIds);
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

/**
 * The cached status (certification_status) of each of these people in a program, where it is
 * still current: computed no later than `now`, nobody queued it for another evaluation
 * (status_due), and its next date-driven transition (ADR 0017) has not come in the program's
 * zone. A person missing from the map must be evaluated instead. Keyed `personId|programId`.
 */
export async function currentCachedStatuses(
  db: Db,
  pairs: readonly { personId: string; programId: string }[],
  now: Date,
): Promise<Map<string, { status: string; nextDue: LocalDate | null }>> {
  const out = new Map<string, { status: string; nextDue: LocalDate | null }>();
  if (pairs.length === 0) return out;
  const rows = await db
    .selectFrom('certification_status as cs')
    .innerJoin('program as p', 'p.id', 'cs.program_id')
    .select([
      'cs.person_id',
      'cs.program_id',
      'cs.status',
      'cs.next_due',
      'cs.next_transition_on',
      'p.time_zone',
    ])
    .where(
      sql<boolean>`(cs.person_id, cs.program_id) in (select * from unnest(${pairs.map((x) => x.personId)}::uuid[], ${pairs.map((x) => x.programId)}::uuid[]))`,
    )
    .where('cs.computed_at', '<=', now.toISOString())
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('status_due as d')
            .select('d.person_id')
            .whereRef('d.person_id', '=', 'cs.person_id')
            .whereRef('d.program_id', '=', 'cs.program_id'),
        ),
      ),
    )
    .execute();
  for (const r of rows)
    if (todayIn(r.time_zone, now) < r.next_transition_on)
      out.set(`${r.person_id}|${r.program_id}`, { status: r.status, nextDue: r.next_due });
  return out;
}
