/**
 * Loads what registration eligibility is decided on (src/domain/registration):
 * for renewal courses, each person's current awards in the course's program
 * (the head of each award chain, with its revocation: modules/certification);
 * for courses with prerequisites, the course codes the ledger shows completed
 * (net approved credit with that code above zero, so a reversed completion no
 * longer counts), and the prerequisites the person holds a seat in, in a session
 * that ends before this one starts (ADR 0033). Checked at registration and again
 * at promotion, for the whole waitlist at once; the same standing is shown on
 * rosters and watched when an earlier seat is given up or its attendance recorded.
 */
import { sql } from 'kysely';
import {
  eligibilityRefusal,
  prerequisiteStanding,
  type RegistrantFacts,
} from '../../../domain/registration/index.js';
import { todayIn } from '../../../domain/time/index.js';
import type { Db } from '../../db/database.js';
import { anyId, currentAwards } from '../certification/queries.js';

export interface CourseRules {
  programId: string | null;
  renewal: boolean;
  prerequisites: string[];
  programTimeZone: string | null;
  /**
   * When the session starts: a seat in a prerequisite counts if its session ends by then (ADR
   * 0033). Absent: only completed prerequisites count.
   */
  startsAt?: string;
}

const anyText = (values: Iterable<string>) => sql<string>`any(${[...values]}::text[])`;

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
    .where('person_id', '=', anyId(personIds))
    .where('course_code', '=', anyText(courseCodes))
    .where('status', '=', 'approved')
    .groupBy(['person_id', 'course_code'])
    .having(sql`sum(amount)`, '>', 0)
    .execute();
  return rows.flatMap((r) => (r.course_code ? [{ personId: r.person_id, courseCode: r.course_code }] : []));
}

/**
 * Which of these course codes each person holds a seat in, in a session that ends by `endsBy`
 * (ADR 0033): a confirmed registration, the session not cancelled and its attendance not taken
 * yet (not completed, no minutes recorded for the person). Once attendance is recorded only the
 * ledger counts, so an absence ends the hold.
 */
export async function heldPrerequisiteSeats(
  db: Db,
  personIds: string[],
  courseCodes: string[],
  programId: string | null,
  endsBy: string,
): Promise<{ personId: string; courseCode: string }[]> {
  if (personIds.length === 0 || courseCodes.length === 0) return [];
  let q = db
    .selectFrom('registration as r')
    .innerJoin('session as s', 's.id', 'r.session_id')
    .innerJoin('course as c', 'c.id', 's.course_id')
    .select(['r.person_id', 'c.code'])
    .distinct()
    .where('r.person_id', '=', anyId(personIds))
    .where('c.code', '=', anyText(courseCodes))
    .where('r.status', '=', 'confirmed')
    .where('r.minutes_attended', 'is', null)
    .where('s.status', 'in', ['scheduled', 'full'])
    .where('s.ends_at', '<=', endsBy);
  if (programId) q = q.where('c.program_id', '=', programId);
  const rows = await q.execute();
  return rows.map((r) => ({ personId: r.person_id, courseCode: r.code }));
}

/** Each person's facts for the course: current awards (renewal courses), completed and held prerequisites. */
async function registrantFacts(
  db: Db,
  course: CourseRules,
  personIds: string[],
): Promise<Map<string, Required<RegistrantFacts>>> {
  const facts = new Map(
    personIds.map((p) => [
      p,
      {
        awards: [] as { revokedOn: string | null }[],
        completedCourses: new Set<string>(),
        heldSeats: new Set<string>(),
      },
    ]),
  );
  if (personIds.length === 0) return facts;
  if (course.renewal && course.programId) {
    const awards = await currentAwards(db)
      .select(['a.person_id', 'r.revoked_on', 'a.revoked_on as legacy_revoked_on'])
      .where('a.program_id', '=', course.programId)
      .where('a.person_id', '=', anyId(personIds))
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
    if (course.startsAt) {
      const held = await heldPrerequisiteSeats(
        db,
        personIds,
        course.prerequisites,
        course.programId,
        new Date(course.startsAt).toISOString(),
      );
      for (const h of held) facts.get(h.personId)!.heldSeats.add(h.courseCode);
    }
  }
  return facts;
}

/**
 * Each person's reason they may not take the course (null when they may), with the
 * prerequisites their registration would rest on (held, not completed: ADR 0033).
 */
export async function eligibilityOf(
  db: Db,
  course: CourseRules,
  personIds: string[],
  now: Date,
): Promise<Map<string, { refusal: string | null; pending: string[]; missing: string[] }>> {
  if (personIds.length === 0) return new Map();
  const facts = await registrantFacts(db, course, personIds);
  // A renewal course of no program has no certification to hold: nobody qualifies, as before.
  const today = course.programTimeZone ? todayIn(course.programTimeZone, now) : '0000-01-01';
  return new Map(
    personIds.map((p) => {
      const f = facts.get(p)!;
      return [p, { refusal: eligibilityRefusal(course, f, today), ...prerequisiteStanding(course, f) }];
    }),
  );
}

/** Each person's reason they may not take the course, or null. */
export async function checkEligibility(
  db: Db,
  course: CourseRules,
  personIds: string[],
  now: Date,
): Promise<Map<string, string | null>> {
  const all = await eligibilityOf(db, course, personIds, now);
  return new Map([...all].map(([p, e]) => [p, e.refusal]));
}
