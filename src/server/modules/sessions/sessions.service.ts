/**
 * Events, sessions and registration. Every change to a session's seats runs
 * in one transaction that first locks the session row (SELECT … FOR UPDATE),
 * re-counts the confirmed registrations, applies the pure policy in
 * src/domain/scheduling, and writes registrations, the session's
 * confirmed_count (CHECK confirmed_count <= capacity), audit rows and the
 * e-mails' due rows together (rendered after the commit by the mailer's flush).
 * Registering does all of that in one statement, register_seat (migration
 * 0018). See docs/sessions.md.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import { attendanceCreditNote } from '../../../domain/attendance/index.js';
import {
  registerForAbilities,
  registrationAbilities,
  registrationDenial,
  requireAccess,
} from '../../../domain/authz/policies.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import { checkCapacityChange, planPromotions } from '../../../domain/scheduling/index.js';
import {
  prerequisiteNote,
  registrationRefusal,
  scheduleWarnings,
  windowIssue,
} from '../../../domain/registration/index.js';
import { isValidTimeZone } from '../../../domain/time/index.js';
import type {
  belowMinimumList,
  createSessionBody,
  Event,
  myRegistrationItem,
  PromotedPerson,
  Registration,
  RegistrationCancellation,
  Session,
  SessionChange,
  SessionCreated,
  SessionQuery,
  updateSessionBody,
} from '../../../contract/sessions.js';
import type { Ctx } from '../../context.js';
import type { Db, Tx } from '../../db/database.js';
import type { SessionStatus } from '../../db/schema.js';
import { jsonb } from '../../db/json.js';
import { escapeLike, recordAudit } from '../audit/audit.service.js';
import { attendanceRulesOf } from '../certification/ledger.js';
import { displayName } from '../auth/auth.service.js';
import { checkEligibility, eligibilityOf } from './eligibility.js';
import { watchPrerequisites } from './prerequisites.js';
import { enqueueSessionMail } from './messages.js';
import { forgetSessionRead, sharedSessionRead, throughSeatGate } from './seat-gate.js';
import {
  loadSession,
  presentSessions,
  sessionBase,
  sessionById,
  sessionForRegistrant,
  type SessionRow,
} from './sessions.repo.js';
import { queueStatus } from '../status-queue/queue.js';
import { emitSessionChanged } from '../webhooks/events.js';
import { getEventById, insertEvent } from './events.service.js';
import { personFactsFor } from '../people/people.service.js';

// ---------------------------------------------------------------- events

export async function getEvent(ctx: Ctx, id: string): Promise<{ event: Event; sessions: Session[] }> {
  const event = await getEventById(ctx.db, id);
  const rows = await sessionBase(ctx.db).where('s.event_id', '=', id).orderBy('s.starts_at').execute();
  return { event, sessions: await presentSessions(ctx.db, rows, ctx.actor) };
}

// ---------------------------------------------------------------- sessions

/**
 * What a signed-out visitor sees of a session: dates, place, course and seats left, but not who
 * teaches it or the webinar link (that goes to the people registered).
 */
export function publicView(s: Session): Session {
  return { ...s, webinarUrl: null, instructors: [] };
}

const forViewer = (ctx: Ctx, sessions: Session[]) => (ctx.actor ? sessions : sessions.map(publicView));

export async function getSession(ctx: Ctx, id: string, db: Db = ctx.db): Promise<Session> {
  const row = await loadSession(db, id);
  if (!row) throw new DomainError('not_found', 'There is no session with this id.');
  const [s] = forViewer(ctx, await presentSessions(db, [row], ctx.actor));
  return s!;
}

export async function listSessions(ctx: Ctx, q: SessionQuery): Promise<{ items: Session[]; total: number }> {
  let query = sessionBase(ctx.db);
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('c.title', 'ilike', like),
        eb('c.code', 'ilike', like),
        eb('ev.title', 'ilike', like),
        eb('s.venue', 'ilike', like),
        eb('s.address', 'ilike', like),
      ]),
    );
  }
  // Dates are read in each session's own time zone.
  if (q.from)
    query = query.where(sql<boolean>`(s.starts_at at time zone s.time_zone)::date >= ${q.from}::date`);
  if (q.to) query = query.where(sql<boolean>`(s.starts_at at time zone s.time_zone)::date <= ${q.to}::date`);
  if (q.eventId) query = query.where('s.event_id', '=', q.eventId);
  if (q.courseId) query = query.where('s.course_id', '=', q.courseId);
  if (q.programId) query = query.where('c.program_id', '=', q.programId);
  if (q.status) query = query.where('s.status', '=', q.status);
  const [rows, count] = await Promise.all([
    query
      .orderBy('s.starts_at')
      .orderBy('s.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: forViewer(ctx, await presentSessions(ctx.db, rows, ctx.actor)),
    total: Number(count.n),
  };
}

/**
 * The invariants of a session, checked on create and, against the merged
 * result (stored values overlaid with the change), on every edit. Each
 * failure is a 400 naming the field the rule is about.
 */
function checkSessionRules(input: {
  startsAt: string;
  endsAt: string;
  timeZone: string;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
  minimum: number;
  capacity: number;
  courseFormat: string;
  venue: string | null;
  address: string | null;
  webinarUrl: string | null;
}): void {
  if (!isValidTimeZone(input.timeZone))
    throw fieldError(
      'timeZone',
      `"${input.timeZone}" is not a time zone we know. Use an IANA name like America/Chicago.`,
    );
  const times = windowIssue({
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    registrationOpensAt: input.registrationOpensAt ?? null,
    registrationClosesAt: input.registrationClosesAt ?? null,
  });
  if (times) throw fieldError(times.field, times.message);
  if (input.minimum > input.capacity)
    throw fieldError('minimum', 'The minimum cannot be more than the capacity.');
  const inPerson = input.courseFormat === 'in_person' || input.courseFormat === 'hybrid';
  if (inPerson && !input.venue && !input.address)
    throw fieldError('venue', 'An in-person session needs a venue or an address.');
  if (!inPerson && !input.webinarUrl)
    throw fieldError('webinarUrl', 'A webinar or online session needs a link.');
}

async function setInstructors(tx: Tx, sessionId: string, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length) {
    const found = await tx.selectFrom('person').select('id').where('id', 'in', unique).execute();
    const missing = unique.findIndex((id) => !found.some((f) => f.id === id));
    if (missing >= 0)
      throw fieldError(`instructorIds.${ids.indexOf(unique[missing]!)}`, 'There is no person with this id.');
  }
  await tx.deleteFrom('session_instructor').where('session_id', '=', sessionId).execute();
  if (unique.length)
    await tx
      .insertInto('session_instructor')
      .values(unique.map((person_id) => ({ session_id: sessionId, person_id })))
      .execute();
}

/**
 * Schedules a session in an existing event, or in a new one (`event`) written
 * in the same transaction: a refused session leaves no event behind. The
 * answer carries warnings that did not stop it (a start in the past).
 */
export async function createSession(
  ctx: Ctx,
  input: z.infer<typeof createSessionBody>,
): Promise<SessionCreated> {
  if (input.eventId && input.event)
    throw fieldError('eventId', 'Choose an existing event or give a new one, not both.');
  const id = await ctx.db.transaction().execute(async (tx) => {
    let eventId = input.eventId;
    if (eventId) {
      const event = await tx.selectFrom('event').select('id').where('id', '=', eventId).executeTakeFirst();
      if (!event) throw fieldError('eventId', 'There is no event with this id.');
    } else if (input.event) {
      eventId = await insertEvent(tx, ctx, input.event, 'event.');
    } else {
      throw fieldError('eventId', 'Choose an event for the session, or give a new event a title.');
    }
    const course = await tx
      .selectFrom('course')
      .select(['id', 'format'])
      .where('id', '=', input.courseId)
      .executeTakeFirst();
    if (!course) throw fieldError('courseId', 'There is no course with this id.');
    checkSessionRules({ ...input, courseFormat: course.format });
    const row = await tx
      .insertInto('session')
      .values({
        event_id: eventId,
        course_id: input.courseId,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        time_zone: input.timeZone,
        venue: input.venue,
        address: input.address,
        webinar_url: input.webinarUrl,
        capacity: input.capacity,
        minimum: input.minimum,
        registration_opens_at: input.registrationOpensAt,
        registration_closes_at: input.registrationClosesAt,
        checkin_code: randomBytes(12).toString('base64url'),
        cancelled_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setInstructors(tx, row.id, input.instructorIds);
    await recordAudit(tx, ctx, {
      action: 'session.create',
      entityType: 'session',
      entityId: row.id,
      after: { ...input, eventId },
    });
    return row.id;
  });
  const session = await getSession(ctx, id);
  return { ...session, warnings: scheduleWarnings(input, ctx.now().getTime()) };
}

/** Locks the session row for the rest of the transaction and re-reads it. */
async function lockSession(tx: Tx, id: string): Promise<SessionRow> {
  const locked = await tx
    .selectFrom('session')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) throw new DomainError('not_found', 'There is no session with this id.');
  return (await loadSession(tx, id))!;
}

async function countConfirmed(tx: Tx, sessionId: string): Promise<number> {
  const r = await tx
    .selectFrom('registration')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .where('status', '=', 'confirmed')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const openStatus = (capacity: number, confirmed: number): SessionStatus =>
  confirmed >= capacity ? 'full' : 'scheduled';

/**
 * Fills free seats from the waitlist: first eligible people in join order,
 * skipping the ineligible (who stay waitlisted); none once the session has
 * ended. Call with the session locked.
 * Writes the new confirmed_count and status; returns the promoted registration ids.
 */
async function promoteFromWaitlist(
  tx: Tx,
  ctx: Ctx,
  s: SessionRow,
  capacity: number,
): Promise<{ promoted: string[]; skipped: string[] }> {
  const confirmed = await countConfirmed(tx, s.id);
  let promoted: string[] = [];
  let skipped: string[] = [];
  // Nobody is given a seat in a session that is over (or called off).
  const over =
    s.status === 'completed' || s.status === 'cancelled' || Date.parse(s.ends_at) <= ctx.now().getTime();
  if (confirmed < capacity && !over) {
    const waiting = await tx
      .selectFrom('registration')
      .select(['id', 'person_id', 'joined_at', 'seq'])
      .where('session_id', '=', s.id)
      .where('status', '=', 'waitlisted')
      .orderBy('joined_at')
      .orderBy('seq')
      .execute();
    if (waiting.length) {
      const reasons = await checkEligibility(
        tx,
        courseRules(s),
        [...new Set(waiting.map((w) => w.person_id))],
        ctx.now(),
      );
      const plan = planPromotions(
        capacity,
        confirmed,
        waiting.map((w) => ({
          id: w.id,
          joinedAt: w.joined_at,
          seq: Number(w.seq),
          eligible: !reasons.get(w.person_id),
        })),
      );
      promoted = plan.promote.map((p) => p.id);
      skipped = plan.skipped.map((p) => p.id);
      if (promoted.length) {
        const now = ctx.now().toISOString();
        await tx
          .updateTable('registration')
          .set({ status: 'confirmed', confirmed_at: now, updated_at: now, revision: sql`revision + 1` })
          .where('id', 'in', promoted)
          .where('status', '=', 'waitlisted')
          .execute();
        await seatsChanged(tx, s.id, promoted, ctx.now());
        for (const id of promoted) {
          await recordAudit(tx, ctx, {
            action: 'registration.promote',
            entityType: 'registration',
            entityId: id,
            after: { sessionId: s.id, skipped },
          });
        }
      }
    }
  }
  const total = confirmed + promoted.length;
  await tx
    .updateTable('session')
    .set({
      confirmed_count: total,
      status: s.status === 'cancelled' || s.status === 'completed' ? s.status : openStatus(capacity, total),
    })
    .where('id', '=', s.id)
    .execute();
  return { promoted, skipped };
}

export function courseRules(s: SessionRow) {
  return {
    programId: s.program_id,
    renewal: s.course_renewal,
    prerequisites: s.course_prerequisites,
    programTimeZone: s.program_time_zone,
    startsAt: s.starts_at,
  };
}

const placeFields = ['startsAt', 'endsAt', 'timeZone', 'venue', 'address', 'webinarUrl'] as const;

export async function updateSession(
  ctx: Ctx,
  id: string,
  input: z.infer<typeof updateSessionBody>,
): Promise<SessionChange> {
  const notify = await ctx.db.transaction().execute(async (tx) => {
    const s = await lockSession(tx, id);
    if (s.status === 'cancelled')
      throw new DomainError('conflict', 'This session is cancelled and can no longer change.');
    const next = {
      startsAt: input.startsAt ?? s.starts_at,
      endsAt: input.endsAt ?? s.ends_at,
      timeZone: input.timeZone ?? s.time_zone,
      registrationOpensAt:
        input.registrationOpensAt === undefined ? s.registration_opens_at : input.registrationOpensAt,
      registrationClosesAt:
        input.registrationClosesAt === undefined ? s.registration_closes_at : input.registrationClosesAt,
      minimum: input.minimum ?? s.minimum,
      capacity: input.capacity ?? s.capacity,
      courseFormat: s.course_format,
      venue: input.venue === undefined ? s.venue : input.venue,
      address: input.address === undefined ? s.address : input.address,
      webinarUrl: input.webinarUrl === undefined ? s.webinar_url : input.webinarUrl,
    };
    // The merged result must satisfy everything a new session must. Registrations
    // already made stay as they are when the window moves; only new ones use it.
    checkSessionRules(next);
    if (input.capacity !== undefined) {
      const check = checkCapacityChange(input.capacity, await countConfirmed(tx, id));
      if (!check.ok)
        throw new DomainError('conflict', check.reason, {
          issues: [{ field: 'capacity', message: check.reason }],
        });
    }
    const set = {
      ...(input.startsAt !== undefined && { starts_at: input.startsAt }),
      ...(input.endsAt !== undefined && { ends_at: input.endsAt }),
      ...(input.timeZone !== undefined && { time_zone: input.timeZone }),
      ...(input.venue !== undefined && { venue: input.venue }),
      ...(input.address !== undefined && { address: input.address }),
      ...(input.webinarUrl !== undefined && { webinar_url: input.webinarUrl }),
      ...(input.capacity !== undefined && { capacity: input.capacity }),
      ...(input.minimum !== undefined && { minimum: input.minimum }),
      ...(input.registrationOpensAt !== undefined && { registration_opens_at: input.registrationOpensAt }),
      ...(input.registrationClosesAt !== undefined && { registration_closes_at: input.registrationClosesAt }),
    };
    if (Object.keys(set).length === 0 && input.instructorIds === undefined)
      return { sessionId: id, promoted: [] as string[], skipped: [] as string[], changed: [] as string[] };
    const before = await getSession(ctx, id, tx);
    await tx
      .updateTable('session')
      .set({ ...set, sequence: sql`sequence + 1`, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
    if (input.instructorIds !== undefined) await setInstructors(tx, id, input.instructorIds);
    const fresh = (await loadSession(tx, id))!;
    const { promoted, skipped } = await promoteFromWaitlist(tx, ctx, fresh, fresh.capacity);
    await recordAudit(tx, ctx, {
      action: 'session.update',
      entityType: 'session',
      entityId: id,
      before,
      after: await getSession(ctx, id, tx),
    });
    await emitSessionChanged(tx, ctx.now(), { change: 'updated', sessionId: id, reason: null });
    // Everyone with a seat gets the new calendar entry when the time or place changed.
    const moved = placeFields.some((f) => input[f] !== undefined);
    const changed = moved
      ? (
          await tx
            .selectFrom('registration')
            .select('id')
            .where('session_id', '=', id)
            .where('status', '=', 'confirmed')
            .where('id', 'not in', promoted.length ? promoted : ['00000000-0000-0000-0000-000000000000'])
            .execute()
        ).map((r) => r.id)
      : [];
    await enqueueSessionMail(tx, ctx, 'promoted', id, promoted);
    await enqueueSessionMail(tx, ctx, 'updated', id, changed);
    return { sessionId: id, promoted, skipped, changed };
  });
  if (notify.promoted.length || notify.changed.length) void ctx.mailer.flush();
  return {
    ...(await getSession(ctx, id)),
    promoted: await peopleOf(ctx.db, notify.promoted),
    skipped: await peopleOf(ctx.db, notify.skipped),
  };
}

/** Names of the people holding these registrations, in the order given. */
async function peopleOf(db: Db, registrationIds: string[]): Promise<PromotedPerson[]> {
  if (registrationIds.length === 0) return [];
  const rows = await db
    .selectFrom('registration as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['r.id', 'p.id as person_id', 'p.first_name', 'p.last_name', 'p.preferred_name'])
    .where('r.id', 'in', registrationIds)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return registrationIds.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ registrationId: id, personId: r.person_id, displayName: displayName(r) }] : [];
  });
}

/**
 * A seat confirmed or given up: where a program gives provisional status on a confirmed seat in an
 * upcoming session, the person's status can change, so the sweep evaluates them again.
 */
async function seatsChanged(
  tx: Db,
  sessionId: string,
  registrationIds: readonly string[],
  now: Date,
): Promise<void> {
  if (registrationIds.length === 0) return;
  const rows = await tx
    .selectFrom('registration as r')
    .innerJoin('session as s', 's.id', 'r.session_id')
    .innerJoin('course as c', 'c.id', 's.course_id')
    .select(['c.program_id', 'r.person_id'])
    .where('s.id', '=', sessionId)
    .where('r.id', 'in', [...registrationIds])
    .execute();
  const programId = rows[0]?.program_id;
  if (programId)
    await queueStatus(
      tx,
      programId,
      rows.map((r) => r.person_id),
      'seat',
      now,
    );
}

export async function cancelSession(ctx: Ctx, id: string, reason: string): Promise<Session> {
  await ctx.db.transaction().execute(async (tx) => {
    const s = await lockSession(tx, id);
    if (s.status === 'cancelled') throw new DomainError('conflict', 'This session is already cancelled.');
    if (s.status === 'completed')
      throw new DomainError('conflict', 'This session is completed and cannot be cancelled.');
    const now = ctx.now().toISOString();
    const seated = await tx
      .selectFrom('registration')
      .select('person_id')
      .where('session_id', '=', id)
      .where('status', '=', 'confirmed')
      .execute();
    // Later registrations that rested on a seat here are flagged and their officials told (ADR 0033).
    const affected = await watchPrerequisites(
      tx,
      ctx,
      s,
      seated.map((r) => r.person_id),
      () =>
        tx
          .updateTable('registration')
          .set({
            status: 'cancelled',
            cancelled_at: now,
            cancel_reason: `Session cancelled: ${reason}`,
            updated_at: now,
            revision: sql`revision + 1`,
          })
          .where('session_id', '=', id)
          .where('status', '<>', 'cancelled')
          .returning('id')
          .execute(),
    );
    await seatsChanged(
      tx,
      id,
      affected.map((r) => r.id),
      ctx.now(),
    );
    await tx
      .updateTable('session')
      .set({
        status: 'cancelled',
        cancelled_reason: reason,
        confirmed_count: 0,
        sequence: sql`sequence + 1`,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'session.cancel',
      entityType: 'session',
      entityId: id,
      after: { reason, registrations: affected.length },
    });
    await emitSessionChanged(tx, ctx.now(), { change: 'cancelled', sessionId: id, reason });
    await enqueueSessionMail(
      tx,
      ctx,
      'session-cancelled',
      id,
      affected.map((a) => a.id),
      { reason },
    );
  });
  void ctx.mailer.flush();
  return getSession(ctx, id);
}

export async function sessionsBelowMinimum(
  ctx: Ctx,
  withinDays: number,
): Promise<z.infer<typeof belowMinimumList>['items']> {
  const now = ctx.now();
  const horizon = new Date(now.getTime() + withinDays * 86_400_000).toISOString();
  const rows = await sessionBase(ctx.db)
    .where('s.status', 'in', ['scheduled', 'full'])
    .where(sql<boolean>`s.confirmed_count < s.minimum`)
    .where('s.starts_at', '>', now.toISOString())
    .where(sql<boolean>`coalesce(s.registration_closes_at, s.starts_at) <= ${horizon}`)
    .orderBy(sql`coalesce(s.registration_closes_at, s.starts_at)`)
    .execute();
  const sessions = await presentSessions(ctx.db, rows, null);
  return rows.map((r, i) => {
    const cutoff = r.registration_closes_at ?? r.starts_at;
    return {
      session: sessions[i]!,
      cutoff,
      cutoffPassed: Date.parse(cutoff) <= now.getTime(),
      shortBy: r.minimum - r.confirmed_count,
    };
  });
}

// ---------------------------------------------------------------- registration

async function getRegistration(db: Db, id: string): Promise<Registration> {
  const r = await db
    .selectFrom('registration as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select([
      'r.id',
      'r.session_id',
      'r.status',
      'r.joined_at',
      'r.confirmed_at',
      'r.cancelled_at',
      'p.id as person_id',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      sql<number | null>`case when r.status = 'waitlisted' then (
        select count(*) from registration w
        where w.session_id = r.session_id and w.status = 'waitlisted'
          and (w.joined_at, w.seq) <= (r.joined_at, r.seq)) end`.as('position'),
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!r) throw new DomainError('not_found', 'There is no registration with this id.');
  return {
    id: r.id,
    sessionId: r.session_id,
    person: { id: r.person_id, displayName: displayName(r) },
    status: r.status,
    joinedAt: r.joined_at,
    confirmedAt: r.confirmed_at,
    cancelledAt: r.cancelled_at,
    waitlistPosition: r.position == null ? null : Number(r.position),
  };
}

const alreadyRegistered = (status: string) =>
  new DomainError(
    'conflict',
    status === 'waitlisted'
      ? 'Already on the waitlist for this session.'
      : 'Already registered (or on the waitlist) for this session.',
  );

/** The status of the person's registration for the session that is not cancelled, if they hold one. */
async function heldStatus(ctx: Ctx, sessionId: string, personId: string): Promise<string | undefined> {
  const held = await ctx.db
    .selectFrom('registration')
    .select('status')
    .where('session_id', '=', sessionId)
    .where('person_id', '=', personId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
  return held?.status;
}

/**
 * Registers the signed-in official, or (coordinators) someone else: a seat if one is free, else the
 * waitlist. `restsOn`: the prerequisites not completed yet that the registration rests on, a seat
 * held in an earlier session of each (ADR 0033); recorded in the audit entry.
 */
export async function register(
  ctx: Ctx,
  sessionId: string,
  personId?: string,
): Promise<Registration & { restsOn: string[] }> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to register.');
  const actor = ctx.actor;
  const forPerson = personId ?? actor.personId;
  // Staff registrars register anyone; a county supervisor the officials of their counties (403 for anyone else).
  const facts =
    forPerson === actor.personId
      ? { id: forPerson, roles: actor.roles, jurisdictionFips: null, programIds: [], linked: true }
      : await personFactsFor(ctx, forPerson);
  const may = registerForAbilities(
    actor,
    facts ?? { id: forPerson, roles: [], jurisdictionFips: null, programIds: [], linked: false },
  );
  if (forPerson !== actor.personId)
    requireAccess(
      may,
      'register',
      registrationDenial(actor, 'Only coordinators and administrators can register someone else.', !!facts),
    );
  // Checks that do not depend on the seat count run before the lock, outside any transaction.
  // Registering someone else: the session, the person and any registration of theirs for it come
  // in one statement. Registering oneself: the person is the one signed in, the session read is
  // shared with the others registering for it at the same moment (seat-gate.ts), and a
  // registration already held is found by the unique index under the lock (no read of its own).
  const self = forPerson === actor.personId && ctx.actorName !== undefined;
  let first: SessionRow;
  let who: { id: string; displayName: string };
  if (self) {
    const read = await sharedSessionRead(sessionId, () => sessionById(ctx.db, sessionId));
    if (!read[0]) throw new DomainError('not_found', 'There is no session with this id.');
    first = read[0];
    who = { id: forPerson, displayName: ctx.actorName! };
  } else {
    const [read] = await sessionForRegistrant(ctx.db, sessionId, forPerson);
    if (!read) throw new DomainError('not_found', 'There is no session with this id.');
    const { person_id: registrantId, first_name, last_name, preferred_name } = read;
    if (registrantId === null || first_name === null || last_name === null)
      throw fieldError('personId', 'There is no person with this id.');
    if (read.existing) throw alreadyRegistered(read.existing);
    first = read;
    who = { id: registrantId, displayName: displayName({ first_name, last_name, preferred_name }) };
  }
  // For oneself a registration already held was not read: a refusal first asks whether one is held,
  // so an official already registered is told that rather than the refusal.
  const refuse = async (reason: string): Promise<never> => {
    const held = self ? await heldStatus(ctx, sessionId, forPerson) : undefined;
    throw held ? alreadyRegistered(held) : new DomainError('conflict', reason);
  };
  // Eligibility is read before the lock: a prerequisite seat given up meanwhile is caught by the
  // roster's derived standing (ADR 0033), not here. It depends on the session's start and the
  // course's rules, so it is read again whenever register_seat finds either changed (below).
  const standingIn = async (row: SessionRow): Promise<string[]> => {
    const st = (await eligibilityOf(ctx.db, courseRules(row), [forPerson], ctx.now())).get(forPerson)!;
    return st.refusal ? refuse(st.refusal) : st.pending;
  };
  let restsOn = await standingIn(first);

  // The locked section is one statement on its own, so PostgreSQL commits it in the same round
  // trip: register_seat (migrations 0018, 0042) locks the session row, re-counts, inserts, updates
  // the counter, queues the status recompute, writes the audit row and the e-mail's due row. The
  // lock is held for that and the commit only. The refusal rules run here on the session as read;
  // the function writes nothing if the locked row, its course's rules or its program's zone no
  // longer have those values (o_changed), and the session is read and checked again. At most a few
  // calls per session run at once here and the rest wait their turn (seat-gate.ts); the clock is
  // read and the registration window checked once a call's turn has come. The e-mail and its .ics
  // are rendered after the commit, by the mailer's flush, from the due row
  // (renderDueSessionMail), once registrations pause.
  let s: SessionRow = first;
  for (let attempt = 1; ; attempt++) {
    // The audit entry's `after` is the Registration returned below; the function adds id, status,
    // joinedAt, confirmedAt and waitlistPosition.
    const known = { sessionId, person: who, cancelledAt: null, ...(restsOn.length ? { restsOn } : {}) };
    const seen = s;
    const turn = await throughSeatGate(sessionId, async () => {
      const now = ctx.now();
      const closed = registrationRefusal(
        {
          status: seen.status,
          startsAt: seen.starts_at,
          registrationOpensAt: seen.registration_opens_at,
          registrationClosesAt: seen.registration_closes_at,
          timeZone: seen.time_zone,
        },
        now.getTime(),
        may.outsideRegistrationWindow,
      );
      if (closed) return { kind: 'closed', closed } as const;
      const placed = await sql<{
        o_changed: boolean;
        o_id: string;
        o_status: 'confirmed' | 'waitlisted';
        o_joined_at: string;
        o_position: number | null;
      }>`
        select * from register_seat(
          ${sessionId}::uuid, ${forPerson}::uuid, ${now.toISOString()}::timestamptz,
          ${seen.status}::text, ${seen.starts_at}::timestamptz, ${seen.registration_opens_at}::timestamptz,
          ${seen.registration_closes_at}::timestamptz, ${seen.time_zone}::text,
          ${seen.course_id}::uuid, ${seen.course_renewal}::boolean, ${seen.course_prerequisites}::text[],
          ${seen.program_time_zone}::text,
          ${actor.userId}::uuid, ${ctx.actorLabel}::text, ${ctx.requestId}::text,
          ${seen.program_id}::uuid, ${jsonb(known)}::jsonb)
      `
        .execute(ctx.db)
        .catch((e: unknown) => {
          const { code, constraint } = e as { code?: string; constraint?: string };
          if (code === '23505' && constraint === 'registration_active_key') return 'held' as const;
          throw e;
        });
      return placed === 'held'
        ? ({ kind: 'held' } as const)
        : ({ kind: 'placed', row: placed.rows[0]! } as const);
    });
    if (turn.kind === 'closed') return refuse(turn.closed);
    if (turn.kind === 'held') {
      // Already registered (never checked before the lock for oneself), or two requests for the
      // same person passed the check above together: the unique index decided; say which. Given
      // up in the meantime: try again.
      const held = await heldStatus(ctx, sessionId, forPerson);
      if (held) throw alreadyRegistered(held);
      if (attempt >= 5)
        throw new DomainError('conflict', 'The session was changed while you registered. Please try again.');
      continue;
    }
    const { row } = turn;
    if (row.o_changed) {
      if (attempt >= 5)
        throw new DomainError('conflict', 'The session was changed while you registered. Please try again.');
      forgetSessionRead(sessionId);
      const again = await loadSession(ctx.db, sessionId);
      if (!again) throw new DomainError('not_found', 'There is no session with this id.');
      s = again;
      restsOn = await standingIn(s);
      continue;
    }
    // Rendered once registrations stop arriving for a moment, not while a rush is being answered.
    ctx.mailer.flushSoon();
    return {
      id: row.o_id,
      sessionId,
      person: who,
      status: row.o_status,
      joinedAt: row.o_joined_at,
      confirmedAt: row.o_status === 'confirmed' ? row.o_joined_at : null,
      cancelledAt: null,
      waitlistPosition: row.o_position,
      restsOn,
    };
  }
}

/** Cancels a registration; a freed seat goes to the first eligible person on the waitlist, in the same transaction. */
export async function cancelRegistration(
  ctx: Ctx,
  id: string,
  reason: string | null,
): Promise<RegistrationCancellation> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to cancel.');
  const actor = ctx.actor;
  const found = await ctx.db
    .selectFrom('registration')
    .select(['session_id', 'person_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!found) throw new DomainError('not_found', 'There is no registration with this id.');
  if (found.person_id !== actor.personId) {
    // Staff registrars cancel anyone's; a county supervisor those of their counties' officials (403 for anyone else).
    const facts = await personFactsFor(ctx, found.person_id);
    const may = registrationAbilities(
      actor,
      facts ?? { id: found.person_id, roles: [], jurisdictionFips: null, programIds: [], linked: false },
    );
    requireAccess(
      may,
      'cancel',
      registrationDenial(actor, 'You can cancel only your own registrations.', !!facts),
    );
  }
  const result = await ctx.db.transaction().execute(async (tx) => {
    const s = await lockSession(tx, found.session_id);
    const r = await tx
      .selectFrom('registration')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (r.status === 'cancelled')
      throw new DomainError('conflict', 'This registration is already cancelled.');
    // Once a session is over its seats are history: no cancellation, and nobody promoted into the past.
    if (s.status === 'completed' || Date.parse(s.ends_at) <= ctx.now().getTime())
      throw new DomainError(
        'conflict',
        'This session is over; registrations can no longer be cancelled. Record attendance instead.',
      );
    const now = ctx.now().toISOString();
    const before = await getRegistration(tx, id);
    // A later registration of theirs that rested on this seat is flagged and they are told (ADR 0033).
    const { promoted, skipped } = await watchPrerequisites(tx, ctx, s, [r.person_id], async () => {
      await tx
        .updateTable('registration')
        .set({
          status: 'cancelled',
          cancelled_at: now,
          cancel_reason: reason,
          updated_at: now,
          revision: sql`revision + 1`,
        })
        .where('id', '=', id)
        .execute();
      await seatsChanged(tx, s.id, [id], ctx.now());
      return promoteFromWaitlist(tx, ctx, s, s.capacity);
    });
    const after = await getRegistration(tx, id);
    await recordAudit(tx, ctx, {
      action: 'registration.cancel',
      entityType: 'registration',
      entityId: id,
      before,
      after: { ...after, reason, promoted },
    });
    await enqueueSessionMail(tx, ctx, 'cancelled', s.id, [id], { reason });
    await enqueueSessionMail(tx, ctx, 'promoted', s.id, promoted);
    return {
      ...after,
      promoted: await peopleOf(tx, promoted),
      skipped: await peopleOf(tx, skipped),
    };
  });
  ctx.mailer.flushSoon();
  return result;
}

export async function myRegistrations(ctx: Ctx): Promise<z.infer<typeof myRegistrationItem>[]> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to see your sessions.');
  const regs = await ctx.db
    .selectFrom('registration as r')
    .innerJoin('session as s', 's.id', 'r.session_id')
    .select(['r.id', 'r.session_id', 'r.minutes_attended', 'r.status'])
    .where('r.person_id', '=', ctx.actor.personId)
    .orderBy('s.starts_at')
    .orderBy('r.created_at')
    .execute();
  const rows = regs.length
    ? await sessionBase(ctx.db)
        .where('s.id', 'in', [...new Set(regs.map((r) => r.session_id))])
        .execute()
    : [];
  const sessions = await presentSessions(ctx.db, rows, ctx.actor);
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const out = [];
  const personId = ctx.actor.personId;
  const nowMs = ctx.now().getTime();
  for (const r of regs) {
    const row = rows.find((x) => x.id === r.session_id)!;
    const standing =
      r.status === 'confirmed' && row.course_prerequisites.length && Date.parse(row.starts_at) > nowMs
        ? (await eligibilityOf(ctx.db, courseRules(row), [personId], ctx.now())).get(personId)
        : undefined;
    out.push({
      prerequisite: standing ? prerequisiteNote(standing) : null,
      registration: await getRegistration(ctx.db, r.id),
      session: byId.get(r.session_id)!,
      attendance: {
        minutesAttended: r.minutes_attended,
        creditNote: attendanceCreditNote(attendanceRulesOf(row), r.minutes_attended),
      },
    });
  }
  return out;
}
