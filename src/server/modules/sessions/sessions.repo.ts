/** Loading sessions with their course, event and program, and presenting them. */
import { sql } from 'kysely';
import type { Session } from '../../../contract/sessions.js';
import type { Actor } from '../../../domain/authz/index.js';
import { registrationAbilities, sessionAbilities } from '../../../domain/authz/policies.js';
import type { Db } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';
import { requirementsServedBy, type ProgramDefinition } from '../../../domain/requirements/index.js';
import { displayName } from '../auth/auth.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { completedCourses } from './eligibility.js';

export function sessionBase(db: Db) {
  return db
    .selectFrom('session as s')
    .innerJoin('course as c', 'c.id', 's.course_id')
    .innerJoin('event as ev', 'ev.id', 's.event_id')
    .leftJoin('program as pr', 'pr.id', 'c.program_id')
    .selectAll('s')
    .select([
      'c.code as course_code',
      'c.title as course_title',
      'c.description as course_description',
      'c.format as course_format',
      'c.duration_minutes',
      'c.renewal as course_renewal',
      'c.program_id',
      'c.credits as course_credits',
      'c.sponsored as course_sponsored',
      'c.source_type as course_source_type',
      'c.prerequisites as course_prerequisites',
      'c.completion_min_percent',
      'ev.title as event_title',
      'pr.time_zone as program_time_zone',
      'pr.partial_credit as program_partial_credit',
      'pr.code as program_code',
      'pr.name as program_name',
    ]);
}
export type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionBase>['executeTakeFirstOrThrow']>>;

export async function loadSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return sessionBase(db).where('s.id', '=', id).executeTakeFirst();
}

/** `loadSession`, built once (ADR 0036): what an official registering themself reads before the lock. */
export const sessionById = prepared((db, id: string) => sessionBase(db).where('s.id', '=', id));

/**
 * What registering checks before the lock, in one statement built once (ADR 0036): the session as
 * `loadSession` reads it, and the person registering with the status of any registration of theirs
 * for it that is not cancelled (`person_id` null when there is no such person). No row: no session.
 */
export const sessionForRegistrant = prepared((db, sessionId: string, personId: string) =>
  sessionBase(db)
    .leftJoin('person as p', (join) => join.on('p.id', '=', personId))
    .select([
      'p.id as person_id',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      (eb) =>
        eb
          .selectFrom('registration as r')
          .select('r.status')
          .whereRef('r.person_id', '=', 'p.id')
          .whereRef('r.session_id', '=', 's.id')
          .where('r.status', '<>', 'cancelled')
          .limit(1)
          .as('existing'),
    ])
    .where('s.id', '=', sessionId),
);

/** Presents session rows with instructors, waitlist counts and the viewer's own registration. */
export async function presentSessions(db: Db, rows: SessionRow[], viewer: Actor | null): Promise<Session[]> {
  if (rows.length === 0) return [];
  const viewerPersonId = viewer?.personId ?? null;
  const ids = rows.map((r) => r.id);
  const [instructors, waiting, mine, completed] = await Promise.all([
    db
      .selectFrom('session_instructor as si')
      .innerJoin('person as p', 'p.id', 'si.person_id')
      .select(['si.session_id', 'p.id', 'p.first_name', 'p.last_name', 'p.preferred_name'])
      .where('si.session_id', 'in', ids)
      .orderBy('p.last_name')
      .execute(),
    db
      .selectFrom('registration')
      .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('session_id', 'in', ids)
      .where('status', '=', 'waitlisted')
      .groupBy('session_id')
      .execute(),
    viewerPersonId
      ? db
          .selectFrom('registration as r')
          .select([
            'r.id',
            'r.session_id',
            'r.status',
            sql<number | null>`case when r.status = 'waitlisted' then (
              select count(*) from registration w
              where w.session_id = r.session_id and w.status = 'waitlisted'
                and (w.joined_at, w.seq) <= (r.joined_at, r.seq)) end`.as('position'),
          ])
          .where('r.session_id', 'in', ids)
          .where('r.person_id', '=', viewerPersonId)
          .orderBy('r.created_at', 'desc')
          .execute()
      : Promise.resolve([]),
    viewerPersonId
      ? completedCourses(db, [viewerPersonId], [...new Set(rows.map((r) => r.course_code))])
      : Promise.resolve([]),
  ]);
  const programs = await programsFor(db, rows, viewerPersonId);
  return rows.map((r) => {
    const program = r.program_id ? programs.get(r.program_id) : undefined;
    const credits = (r.course_credits as { category: string; amount: number }[] | null) ?? [];
    const my =
      mine.find((m) => m.session_id === r.id && m.status !== 'cancelled') ??
      mine.find((m) => m.session_id === r.id);
    const teachers = instructors.filter((i) => i.session_id === r.id);
    return {
      id: r.id,
      abilities: sessionAbilities(viewer, { instructorIds: teachers.map((i) => i.id), status: r.status }),
      event: { id: r.event_id, title: r.event_title },
      course: {
        id: r.course_id,
        code: r.course_code,
        title: r.course_title,
        format: r.course_format,
        durationMinutes: r.duration_minutes,
        renewal: r.course_renewal,
        programId: r.program_id,
        programName: r.program_name,
        description: r.course_description,
        credits: credits.map((c) => ({
          category: c.category,
          categoryName: program?.def?.categories.find((x) => x.id === c.category)?.name ?? c.category,
          amount: c.amount,
        })),
        countsToward: program?.def
          ? requirementsServedBy(program.def, {
              code: r.course_code,
              credits,
              sponsored: r.course_sponsored,
            })
          : [],
        viewerEnrolled: program?.enrolled ?? false,
      },
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      timeZone: r.time_zone,
      venue: r.venue,
      address: r.address,
      webinarUrl: r.webinar_url,
      capacity: r.capacity,
      minimum: r.minimum,
      registrationOpensAt: r.registration_opens_at,
      registrationClosesAt: r.registration_closes_at,
      instructors: teachers.map((i) => ({ personId: i.id, displayName: displayName(i) })),
      status: r.status,
      confirmedCount: r.confirmed_count,
      waitlistCount: Number(waiting.find((w) => w.session_id === r.id)?.n ?? 0),
      seatsLeft:
        r.status === 'cancelled' || r.status === 'completed'
          ? 0
          : Math.max(0, r.capacity - r.confirmed_count),
      sequence: r.sequence,
      myRegistration: my
        ? {
            id: my.id,
            status: my.status,
            waitlistPosition: my.position == null ? null : Number(my.position),
            abilities: registrationAbilities(viewer, {
              id: viewerPersonId!,
              roles: [],
              jurisdictionFips: null,
              programIds: [],
              linked: true,
            }),
          }
        : null,
      myCourseCompleted: completed.some((c) => c.courseCode === r.course_code),
    };
  });
}

/**
 * Each program's definition for the viewer: the version they are judged by when enrolled (active or
 * asked for), otherwise the version in force.
 */
async function programsFor(
  db: Db,
  rows: SessionRow[],
  viewerPersonId: string | null,
): Promise<Map<string, { def: ProgramDefinition | undefined; enrolled: boolean }>> {
  const ids = [...new Set(rows.map((r) => r.program_id).filter((id): id is string => id !== null))];
  const enrollments =
    viewerPersonId && ids.length
      ? await db
          .selectFrom('enrollment')
          .select(['program_id', 'enrolled_on', 'pinned_version'])
          .where('person_id', '=', viewerPersonId)
          .where('program_id', 'in', ids)
          .where('status', 'in', ['active', 'requested'])
          .execute()
      : [];
  const out = new Map<string, { def: ProgramDefinition | undefined; enrolled: boolean }>();
  for (const id of ids) {
    const e = enrollments.find((x) => x.program_id === id);
    out.set(id, { def: await definitionFor(db, id, e), enrolled: e !== undefined });
  }
  return out;
}
