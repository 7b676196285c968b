/**
 * Who may take a session's seat: renewal courses only for certified officials
 * (an unrevoked, current award in the course's program: see modules/awards), and courses with
 * prerequisites only for people whose ledger shows those courses completed
 * (net approved credit with that course code above zero, so a reversed
 * completion no longer counts). Checked at registration and again at
 * promotion, for the whole waitlist at once.
 */
import { sql } from 'kysely';
import { localDateOf } from '../../../domain/time/index.js';
import type { Db } from '../../db/database.js';

export interface CourseRules {
  programId: string | null;
  renewal: boolean;
  prerequisites: string[];
  programTimeZone: string | null;
}

export interface Ineligibility {
  personId: string;
  reason: string;
}

export async function checkEligibility(
  db: Db,
  course: CourseRules,
  personIds: string[],
  now: Date,
): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>(personIds.map((p) => [p, null]));
  if (personIds.length === 0) return result;
  if (course.renewal) {
    const today = localDateOf(now.getTime(), course.programTimeZone ?? 'UTC');
    const certified = course.programId
      ? await db
          .selectFrom('award as a')
          .leftJoin('award_revocation as r', 'r.award_id', 'a.id')
          .select('a.person_id')
          .distinct()
          .where('a.program_id', '=', course.programId)
          .where('a.person_id', 'in', personIds)
          // The current certificate of each award chain (a re-issue supersedes the old one),
          // not revoked (revocations are their own records); lapsed officials may take the
          // renewal course, since completing it reinstates them.
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('award as s').select('s.id').whereRef('s.supersedes_id', '=', 'a.id'))),
          )
          .where((eb) => eb.or([eb('r.revoked_on', 'is', null), eb('r.revoked_on', '>', today)]))
          .where((eb) => eb.or([eb('a.revoked_on', 'is', null), eb('a.revoked_on', '>', today)]))
          .execute()
      : [];
    const ok = new Set(certified.map((c) => c.person_id));
    for (const p of personIds) {
      if (!ok.has(p)) result.set(p, 'Renewal courses are open only to certified officials.');
    }
  }
  if (course.prerequisites.length > 0) {
    const done = await db
      .selectFrom('credit_record')
      .select(['person_id', 'course_code'])
      .where('person_id', 'in', personIds)
      .where('course_code', 'in', course.prerequisites)
      .where('status', '=', 'approved')
      .groupBy(['person_id', 'course_code'])
      .having(sql`sum(amount)`, '>', 0)
      .execute();
    const have = new Set(done.map((d) => `${d.person_id}|${d.course_code}`));
    for (const p of personIds) {
      if (result.get(p)) continue;
      const missing = course.prerequisites.filter((code) => !have.has(`${p}|${code}`));
      if (missing.length)
        result.set(
          p,
          `Complete ${missing.join(', ')} first: ${missing.length === 1 ? 'it is a prerequisite' : 'they are prerequisites'} of this course.`,
        );
    }
  }
  return result;
}
