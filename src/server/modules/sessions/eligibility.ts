/**
 * Loads what registration eligibility is decided on (src/domain/registration):
 * for renewal courses, each person's current awards in the course's program
 * (the head of each award chain, with its revocation: modules/certification);
 * for courses with prerequisites, the course codes the ledger shows completed
 * (net approved credit with that code above zero, so a reversed completion no
 * longer counts). Checked at registration and again at promotion, for the
 * whole waitlist at once.
 */
import { sql } from 'kysely';
import { eligibilityRefusal, type RegistrantFacts } from '../../../domain/registration/index.js';
import { todayIn } from '../../../domain/time/index.js';
import type { Db } from '../../db/database.js';
import { currentAwards } from '../certification/queries.js';

export interface CourseRules {
  programId: string | null;
  renewal: boolean;
  prerequisites: string[];
  programTimeZone: string | null;
}

/**
 * Which of these course codes each person has completed: net approved credit
 * with that code above zero (a reversed completion no longer counts).
 */
export async function completedCourses(
  db: Db,
  personIds: string[],
  courseCodes: string[],
): Promise<{ personId: string; courseCode: string }[]> {
  if (personIds.length === 0 || courseCodes.length === 0) return [];
  const rows = await db
    .selectFrom('credit_record')
    .select(['person_id', 'course_code'])
    .where('person_id', 'in', personIds)
    .where('course_code', 'in', courseCodes)
    .where('status', '=', 'approved')
    .groupBy(['person_id', 'course_code'])
    .having(sql`sum(amount)`, '>', 0)
    .execute();
  return rows.flatMap((r) => (r.course_code ? [{ personId: r.person_id, courseCode: r.course_code }] : []));
}

/** Each person's reason they may not take the course, or null. */
export async function checkEligibility(
  db: Db,
  course: CourseRules,
  personIds: string[],
  now: Date,
): Promise<Map<string, string | null>> {
  const facts = new Map<
    string,
    { awards: RegistrantFacts['awards'][number][]; completedCourses: Set<string> }
  >(personIds.map((p) => [p, { awards: [], completedCourses: new Set<string>() }]));
  if (personIds.length === 0) return new Map();
  if (course.renewal && course.programId) {
    const awards = await currentAwards(db)
      .select(['a.person_id', 'r.revoked_on', 'a.revoked_on as legacy_revoked_on'])
      .where('a.program_id', '=', course.programId)
      .where('a.person_id', 'in', personIds)
      .execute();
    for (const a of awards) {
      // Either record of a revocation counts, whichever comes first.
      const days = [a.revoked_on, a.legacy_revoked_on].filter((d): d is string => !!d).sort();
      facts.get(a.person_id)!.awards.push({ revokedOn: days[0] ?? null });
    }
  }
  if (course.prerequisites.length > 0) {
    const done = await completedCourses(db, personIds, course.prerequisites);
    for (const d of done) facts.get(d.personId)!.completedCourses.add(d.courseCode);
  }
  // A renewal course of no program has no certification to hold: nobody qualifies, as before.
  const today = course.programTimeZone ? todayIn(course.programTimeZone, now) : '0000-01-01';
  return new Map(personIds.map((p) => [p, eligibilityRefusal(course, facts.get(p)!, today)]));
}
