/**
 * The plan to certification (issue 19): loads what the planner (src/domain/planning) decides on,
 * an official's records and context as the engine is given them and the upcoming sessions of the
 * program's courses, and presents its answer; "Register for all" through the normal registration
 * service, one session at a time; and the coordinators' reverse view, the courses with more
 * officials needing them than free seats before a date. docs/planning.md.
 */
import { DomainError, fieldError } from '../../../domain/errors.js';
import { coordinatesProgram } from '../../../domain/authz/index.js';
import {
  coursesStillNeeded,
  planCertification,
  SHORTFALL_DAYS,
  shortfallSentence,
  type MissingReason,
  type PlanSession,
} from '../../../domain/planning/index.js';
import { registrationRefusal } from '../../../domain/registration/index.js';
import { addDays, formatLongDate, localDateOf, todayIn } from '../../../domain/time/index.js';
import type { Plan, PlanRegistrations, Shortfall } from '../../../contract/planning.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { evaluatePeople } from '../certification/evaluation.js';
import { anyId } from '../certification/queries.js';
import { register } from '../sessions/sessions.service.js';

/** Officials evaluated per query for the coordinators' view. */
const BATCH = 500;

interface UpcomingRow {
  id: string;
  code: string;
  title: string;
  event_title: string;
  starts_at: string;
  ends_at: string;
  time_zone: string;
  venue: string | null;
  address: string | null;
  webinar_url: string | null;
  capacity: number;
  confirmed_count: number;
  status: 'scheduled' | 'full' | 'cancelled' | 'completed';
  registration_opens_at: string | null;
  registration_closes_at: string | null;
  credits: unknown;
  sponsored: boolean;
  source_type: string | null;
  prerequisites: string[];
}

/** Upcoming sessions (not cancelled, not started) of the program's courses, earliest first. */
export async function upcomingSessions(db: Db, programId: string, now: Date): Promise<UpcomingRow[]> {
  return db
    .selectFrom('session as s')
    .innerJoin('course as c', 'c.id', 's.course_id')
    .innerJoin('event as e', 'e.id', 's.event_id')
    .select([
      's.id',
      'c.code',
      'c.title',
      'e.title as event_title',
      's.starts_at',
      's.ends_at',
      's.time_zone',
      's.venue',
      's.address',
      's.webinar_url',
      's.capacity',
      's.confirmed_count',
      's.status',
      's.registration_opens_at',
      's.registration_closes_at',
      'c.credits',
      'c.sponsored',
      'c.source_type',
      'c.prerequisites',
    ])
    .where('c.program_id', '=', programId)
    .where('s.status', 'in', ['scheduled', 'full'])
    .where('s.starts_at', '>', now.toISOString())
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute() as Promise<UpcomingRow[]>;
}

const creditsOf = (r: { credits: unknown }) =>
  ((r.credits as { category: string; amount: number }[] | null) ?? []).filter((c) => c.amount > 0);

/** A session row as the planner sees it, for one official. */
export function toPlanSession(
  r: UpcomingRow,
  o: {
    zone: string;
    nowMs: number;
    defaultSourceType: string;
    registered: ReadonlySet<string>;
    near: (r: UpcomingRow) => boolean;
  },
): PlanSession {
  return {
    id: r.id,
    courseCode: r.code,
    startsAt: new Date(r.starts_at).toISOString(),
    endsAt: new Date(r.ends_at).toISOString(),
    date: localDateOf(Date.parse(r.starts_at), o.zone),
    credits: creditsOf(r),
    sponsored: r.sponsored,
    sourceType: r.source_type ?? o.defaultSourceType,
    prerequisites: r.prerequisites,
    seatsFree: r.status === 'full' ? 0 : Math.max(0, r.capacity - r.confirmed_count),
    registrationOpen:
      registrationRefusal(
        {
          status: r.status,
          startsAt: new Date(r.starts_at).toISOString(),
          registrationOpensAt: r.registration_opens_at && new Date(r.registration_opens_at).toISOString(),
          registrationClosesAt: r.registration_closes_at && new Date(r.registration_closes_at).toISOString(),
          timeZone: r.time_zone,
        },
        o.nowMs,
        false,
      ) === null,
    registered: o.registered.has(r.id),
    travel: o.near(r) ? 0 : 1,
  };
}

const missingWords: Record<MissingReason, (title: string, by: string | null) => string> = {
  no_session: (t) => `No upcoming session of ${t} is scheduled.`,
  no_seats: (t) => `Every upcoming session of ${t} is full.`,
  registration_closed: (t) => `Registration is closed for every upcoming session of ${t}.`,
  after_deadline: (t, by) =>
    `${t} has no session on or before ${by ? formatLongDate(by) : 'the date asked'}.`,
};

/** The plan for one person in each of their programs (or the one asked for), as of now. */
export async function planFor(
  ctx: Ctx,
  personId: string,
  q: { programId?: string | undefined; by?: string | undefined },
): Promise<Plan> {
  const person = await ctx.db
    .selectFrom('person as p')
    .leftJoin('jurisdiction as j', 'j.fips', 'p.jurisdiction_fips')
    .select(['p.id', 'j.name as county', 'j.kind'])
    .where('p.id', '=', personId)
    .executeTakeFirst();
  if (!person) throw new DomainError('not_found', 'There is no person with this id.');
  let programsQ = ctx.db
    .selectFrom('enrollment as e')
    .innerJoin('program as p', 'p.id', 'e.program_id')
    .select(['p.id', 'p.code', 'p.name', 'p.time_zone'])
    .where('e.person_id', '=', personId)
    .where('e.status', '=', 'active')
    .orderBy('p.name');
  if (q.programId) programsQ = programsQ.where('p.id', '=', q.programId);
  const programs = await programsQ.execute();
  if (q.programId && programs.length === 0)
    throw new DomainError('not_found', 'This person is not enrolled in that program.');
  const now = ctx.now();
  // Venues the person already goes to: those of their live registrations.
  const mine = await ctx.db
    .selectFrom('registration as r')
    .innerJoin('session as s', 's.id', 'r.session_id')
    .select(['r.session_id', 'r.status', 's.venue'])
    .where('r.person_id', '=', personId)
    .where('r.status', '<>', 'cancelled')
    .execute();
  const confirmed = new Set(mine.filter((r) => r.status === 'confirmed').map((r) => r.session_id));
  const waitlisted = new Set(mine.filter((r) => r.status === 'waitlisted').map((r) => r.session_id));
  const venues = new Set(mine.flatMap((r) => (r.venue ? [r.venue.toLowerCase()] : [])));
  const county = person.county && person.kind === 'county' ? `${person.county} county`.toLowerCase() : null;
  const near = (r: UpcomingRow) =>
    !!r.webinar_url ||
    (!!r.venue && venues.has(r.venue.toLowerCase())) ||
    (!!county && `${r.venue ?? ''} ${r.address ?? ''}`.toLowerCase().includes(county));
  const out: Plan['programs'] = [];
  for (const p of programs) {
    const [ev] = await evaluatePeople(ctx.db, p.id, [personId], now, undefined, { zone: p.time_zone });
    if (!ev) continue;
    const rows = (await upcomingSessions(ctx.db, p.id, now)).filter((r) => !waitlisted.has(r.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const sessions = rows.map((r) =>
      toPlanSession(r, {
        zone: p.time_zone,
        nowMs: now.getTime(),
        defaultSourceType: ev.def.sourceTypes[0]?.id ?? 'course',
        registered: confirmed,
        near,
      }),
    );
    const r = planCertification({
      program: ev.def,
      records: ev.records,
      context: ev.context ?? { asOf: todayIn(p.time_zone, now), personId },
      sessions,
      ...(q.by ? { deadline: q.by } : {}),
    });
    const titleOf = new Map([
      ...ev.def.courses.map((c) => [c.code, c.title] as const),
      ...rows.map((x) => [x.code, x.title] as const),
    ]);
    const done = new Set(
      ev.records.filter((x) => x.status === 'approved' && x.courseCode).map((x) => x.courseCode!),
    );
    out.push({
      program: { id: p.id, code: p.code, name: p.name, timeZone: p.time_zone },
      status: ev.result.status,
      outcome: r.outcome,
      by: q.by ?? null,
      finishesOn: r.finishesOn,
      exact: r.exact,
      sessions: r.sessions.map((s, i, plan) => {
        const row = byId.get(s.id)!;
        // A prerequisite not completed is met by the seat in the plan's earlier session of it, once
        // the official holds that seat (ADR 0033): Register for all takes the seats in order.
        const held = new Set(plan.slice(0, i).flatMap((x) => (x.registered ? [x.courseCode] : [])));
        const waitFor = s.prerequisites.filter((c) => !done.has(c) && !held.has(c));
        return {
          id: s.id,
          courseCode: s.courseCode,
          courseTitle: row.title,
          eventTitle: row.event_title,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          timeZone: row.time_zone,
          date: s.date,
          venue: row.venue,
          address: row.address,
          online: !!row.webinar_url,
          credits: s.credits.reduce((n, c) => n + c.amount, 0),
          seatsFree: s.seatsFree,
          registered: s.registered,
          registerAfter:
            !s.registered && waitFor.length
              ? `Register for ${waitFor.join(', ')} first (earlier in this plan; Register for all does): this seat rests on ${waitFor.length === 1 ? 'it' : 'them'} until completed.`
              : null,
          near: s.travel === 0,
        };
      }),
      missing: r.missing.map((m) => {
        const title = titleOf.get(m.courseCode) ?? m.courseCode;
        return {
          courseCode: m.courseCode,
          courseTitle: title,
          reason: m.reason,
          message: missingWords[m.reason](title, q.by ?? null),
        };
      }),
    });
  }
  return { asOf: now.toISOString(), personId, programs: out };
}

/**
 * "Register for all": each session through the normal registration service (its checks, its
 * row lock and its waitlist), in the order given. A later session whose prerequisite is an earlier
 * one of the plan is confirmed on the earlier seat (ADR 0033), and says it rests on it. A session
 * that filled in the meantime puts the official on its waitlist and says so; a refusal (a
 * prerequisite neither completed nor held in an earlier session, registration closed, already
 * registered) is reported with its reason, and the others still go ahead.
 */
export async function registerForPlan(ctx: Ctx, sessionIds: string[]): Promise<PlanRegistrations> {
  const results: PlanRegistrations['results'] = [];
  for (const sessionId of [...new Set(sessionIds)]) {
    try {
      const r = await register(ctx, sessionId);
      results.push({
        sessionId,
        outcome: r.status === 'confirmed' ? 'confirmed' : 'waitlisted',
        waitlistPosition: r.waitlistPosition,
        message:
          r.status !== 'confirmed'
            ? `This session filled before you registered: you are number ${r.waitlistPosition ?? '?'} on its waitlist.`
            : r.restsOn.length
              ? `Registered: your seat is confirmed. It rests on your seat in ${r.restsOn.join(', ')}, earlier in the plan: complete ${r.restsOn.length === 1 ? 'it' : 'them'} first.`
              : 'Registered: your seat is confirmed.',
      });
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === 'unauthenticated') throw e;
      results.push({ sessionId, outcome: 'refused', waitlistPosition: null, message: e.message });
    }
  }
  return { results };
}

/**
 * The coordinators' reverse view: for each course the unmet "courses" requirements of enrolled
 * officials name, how many officials still need it (not completed, no confirmed seat in an
 * upcoming session of it) against the free seats in its sessions from now to `by` (program-local
 * day). Counted over unmet requirements, not over each official's plan: every plan assumes the
 * same free seats, so plans would count one seat for many people (docs/planning.md).
 */
export async function seatShortfall(
  ctx: Ctx,
  programId: string,
  byAsked: string | undefined,
): Promise<Shortfall> {
  // A coordinator limited to other programs is refused it, as the program's reports (ADR 0025).
  if (ctx.actor && !coordinatesProgram(ctx.actor, programId))
    throw new DomainError('forbidden', 'You coordinate other programs, not this one.');
  const program = await ctx.db
    .selectFrom('program')
    .select(['id', 'name', 'time_zone'])
    .where('id', '=', programId)
    .executeTakeFirst();
  if (!program) throw new DomainError('not_found', 'There is no program with this id.');
  const now = ctx.now();
  const today = todayIn(program.time_zone, now);
  const by = byAsked ?? addDays(today, SHORTFALL_DAYS);
  if (by < today) throw fieldError('by', 'By must be today or a later day.');
  const rows = (await upcomingSessions(ctx.db, programId, now)).filter(
    (r) => localDateOf(Date.parse(r.starts_at), program.time_zone) <= by,
  );
  const people = await ctx.db
    .selectFrom('enrollment')
    .select('person_id')
    .where('program_id', '=', programId)
    .where('status', '=', 'active')
    .orderBy('person_id')
    .execute();
  const seatsHeld = new Map<string, Set<string>>();
  if (rows.length) {
    const held = await ctx.db
      .selectFrom('registration as r')
      .innerJoin('session as s', 's.id', 'r.session_id')
      .innerJoin('course as c', 'c.id', 's.course_id')
      .select(['r.person_id', 'c.code'])
      .where('r.status', '=', 'confirmed')
      .where('s.id', '=', anyId(rows.map((r) => r.id)))
      .execute();
    for (const h of held) {
      const set = seatsHeld.get(h.person_id) ?? new Set<string>();
      set.add(h.code);
      seatsHeld.set(h.person_id, set);
    }
  }
  const need = new Map<string, number>();
  let officials = 0;
  const ids = people.map((p) => p.person_id);
  for (let i = 0; i < ids.length; i += BATCH) {
    const evs = await evaluatePeople(ctx.db, programId, ids.slice(i, i + BATCH), now, undefined, {
      zone: program.time_zone,
    });
    for (const ev of evs) {
      if (!['not_started', 'in_progress'].includes(ev.result.status)) continue;
      const codes = coursesStillNeeded(ev.def, ev.result, ev.records).filter(
        (c) => !seatsHeld.get(ev.personId)?.has(c),
      );
      if (codes.length) officials++;
      for (const c of codes) need.set(c, (need.get(c) ?? 0) + 1);
    }
  }
  const courseRows = await ctx.db
    .selectFrom('course')
    .select(['id', 'code', 'title'])
    .where('program_id', '=', programId)
    .execute();
  const courseOf = new Map(courseRows.map((c) => [c.code, c]));
  // The size of each course's latest session (not cancelled): what a new one would likely hold.
  const latest = await ctx.db
    .selectFrom('session as s')
    .innerJoin('course as c', 'c.id', 's.course_id')
    .select(['c.code', 's.capacity'])
    .distinctOn('c.code')
    .where('c.program_id', '=', programId)
    .where('s.status', '<>', 'cancelled')
    .orderBy('c.code')
    .orderBy('s.starts_at', 'desc')
    .execute();
  const sizeOf = new Map(latest.map((l) => [l.code, l.capacity]));
  const courses = [...need].map(([code, n]) => {
    const mine = rows.filter((r) => r.code === code);
    const freeSeats = mine.reduce(
      (sum, r) => sum + (r.status === 'full' ? 0 : Math.max(0, r.capacity - r.confirmed_count)),
      0,
    );
    const sessionSize = sizeOf.get(code) ?? null;
    return {
      courseId: courseOf.get(code)?.id ?? null,
      courseCode: code,
      courseTitle: courseOf.get(code)?.title ?? code,
      need: n,
      freeSeats,
      sessions: mine.length,
      short: Math.max(0, n - freeSeats),
      sessionSize,
      message: shortfallSentence({
        courseCode: code,
        need: n,
        freeSeats,
        sessionSize,
        byText: formatLongDate(by),
      }),
    };
  });
  courses.sort((a, b) => b.short - a.short || b.need - a.need || a.courseCode.localeCompare(b.courseCode));
  return { program: { id: program.id, name: program.name }, by, officials, courses };
}
