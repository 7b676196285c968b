/**
 * The staff dashboard's role sections (issue 15): what each role has waiting.
 * A section is built only for a role the viewer holds (the authorization
 * table's `dashboard.section.*`), so a person with several roles gets each.
 * Every list reuses the query its own page uses (review queue, sessions below
 * minimum, enrollments, the eligible list, the outbox).
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type {
  administratorDashboard,
  coordinatorDashboard,
  dashboardSchema,
  dashboardSession,
  instructorDashboard,
  reviewerDashboard,
} from '../../../contract/admin.js';
import { can } from '../../../domain/authz/index.js';
import type { Ctx } from '../../context.js';
import { displayName } from '../auth/auth.service.js';
import { countyOf, eligibleList } from '../awards/awards.service.js';
import { reviewQueue } from '../claims/claims.service.js';
import { enrollmentRequests } from '../programs/programs.service.js';
import { presentSessions, sessionBase } from '../sessions/sessions.repo.js';
import { sessionsBelowMinimum } from '../sessions/sessions.service.js';

type Session = Awaited<ReturnType<typeof presentSessions>>[number];

/** The fields of a session the dashboard lists. */
function brief(s: Session): z.infer<typeof dashboardSession> {
  return {
    id: s.id,
    course: { code: s.course.code, title: s.course.title },
    event: { title: s.event.title },
    startsAt: s.startsAt,
    timeZone: s.timeZone,
    venue: s.venue,
    capacity: s.capacity,
    minimum: s.minimum,
    confirmedCount: s.confirmedCount,
    waitlistCount: s.waitlistCount,
    instructors: s.instructors,
  };
}

/** How many items each list shows; the totals say how many there are. */
const SHOWN = 5;
/** Sessions below minimum whose registration closes within this many days. */
const BELOW_MINIMUM_DAYS = 30;

type Sections = z.infer<typeof dashboardSchema>['sections'];

export async function roleSections(ctx: Ctx): Promise<Sections> {
  const actor = ctx.actor;
  return {
    reviewer: can(actor, 'dashboard.section.reviewer') ? await reviewerSection(ctx) : null,
    instructor: can(actor, 'dashboard.section.instructor') ? await instructorSection(ctx) : null,
    coordinator: can(actor, 'dashboard.section.coordinator') ? await coordinatorSection(ctx) : null,
    administrator: can(actor, 'dashboard.section.administrator') ? await administratorSection(ctx) : null,
  };
}

async function reviewerSection(ctx: Ctx): Promise<z.infer<typeof reviewerDashboard>> {
  // The review queue is ordered by submission: its first page is the oldest claims.
  const { items, total } = await reviewQueue(ctx, { page: 1, pageSize: SHOWN });
  return {
    waiting: total,
    oldest: items.map((c) => ({
      id: c.id,
      title: c.title,
      typeLabel: c.typeLabel,
      person: { id: c.person.id, displayName: c.person.name },
      program: c.program,
      submittedAt: c.submittedAt,
      waitingDays: c.waitingDays,
    })),
  };
}

async function instructorSection(ctx: Ctx): Promise<z.infer<typeof instructorDashboard>> {
  const personId = ctx.actor!.personId;
  const rows = await sessionBase(ctx.db)
    .where('s.status', 'in', ['scheduled', 'full'])
    .where('s.ends_at', '>', ctx.now().toISOString())
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('session_instructor as si')
          .select('si.session_id')
          .whereRef('si.session_id', '=', 's.id')
          .where('si.person_id', '=', personId),
      ),
    )
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .limit(SHOWN)
    .execute();
  const sessions = await presentSessions(ctx.db, rows, null);
  const roster = rows.length
    ? await ctx.db
        .selectFrom('registration as r')
        .innerJoin('person as p', 'p.id', 'r.person_id')
        .leftJoin('jurisdiction as j', 'j.fips', 'p.jurisdiction_fips')
        .select([
          'r.session_id',
          'r.status',
          'p.id',
          'p.first_name',
          'p.last_name',
          'p.preferred_name',
          'j.name as county_name',
          'j.kind as county_kind',
        ])
        .where(
          'r.session_id',
          'in',
          rows.map((r) => r.id),
        )
        .where('r.status', 'in', ['confirmed', 'waitlisted'])
        // Confirmed first by name, then the waitlist in its order.
        .orderBy(sql`r.status = 'waitlisted'`)
        .orderBy(sql`case when r.status = 'waitlisted' then r.joined_at end`)
        .orderBy('p.last_name')
        .orderBy('p.first_name')
        .execute()
    : [];
  return {
    sessions: sessions.map((session) => ({
      session: brief(session),
      roster: roster
        .filter((r) => r.session_id === session.id)
        .map((r) => ({
          personId: r.id,
          displayName: displayName(r),
          county: countyOf(r),
          status: r.status as 'confirmed' | 'waitlisted',
        })),
    })),
  };
}

async function coordinatorSection(ctx: Ctx): Promise<z.infer<typeof coordinatorDashboard>> {
  const [below, requests, waitRows] = await Promise.all([
    sessionsBelowMinimum(ctx, BELOW_MINIMUM_DAYS),
    enrollmentRequests(ctx, SHOWN),
    sessionBase(ctx.db)
      .where('s.status', 'in', ['scheduled', 'full'])
      .where('s.starts_at', '>', ctx.now().toISOString())
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('registration as w')
            .select('w.id')
            .whereRef('w.session_id', '=', 's.id')
            .where('w.status', '=', 'waitlisted'),
        ),
      )
      .orderBy('s.starts_at')
      .orderBy('s.id')
      .limit(SHOWN)
      .execute(),
  ]);
  return {
    belowMinimum: below.slice(0, SHOWN).map((b) => ({
      session: brief(b.session),
      cutoff: b.cutoff,
      shortBy: b.shortBy,
    })),
    enrollmentRequests: requests.items.map((e) => ({
      id: e.id,
      person: { id: e.person.id, displayName: e.person.displayName },
      program: e.program,
      requestedAt: e.requestedAt,
    })),
    enrollmentRequestsTotal: requests.total,
    waitlists: (await presentSessions(ctx.db, waitRows, null)).map(brief),
  };
}

async function administratorSection(ctx: Ctx): Promise<z.infer<typeof administratorDashboard>> {
  const failed = ctx.db.selectFrom('email_message').where('status', '=', 'failed');
  const [eligible, failedRows, failedCount] = await Promise.all([
    eligibleList(ctx, { page: 1, pageSize: SHOWN }),
    failed
      .select(['id', 'created_at', 'to_address', 'subject', 'error'])
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(SHOWN)
      .execute(),
    failed.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    awardsDue: eligible.items.map((a) => ({
      person: a.person,
      program: a.program,
      eligibleOn: a.eligibleOn,
      applyBy: a.applyBy,
    })),
    awardsDueTotal: eligible.total,
    failedEmails: failedRows.map((m) => ({
      id: m.id,
      createdAt: m.created_at,
      to: m.to_address,
      subject: m.subject,
      error: m.error,
    })),
    failedEmailsTotal: Number(failedCount.n),
  };
}
