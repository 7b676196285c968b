/**
 * Factories for programs, courses, events, sessions, registrations and
 * credits, straight into the database (tests that exercise the API itself
 * call it instead). Missing parents are created.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '../../domain/authz/index.js';
import type { Database } from '../db/database.js';
import { SESSION_COOKIE } from '../modules/auth/auth.routes.js';
import { hashToken, newToken } from '../modules/auth/tokens.js';
import { buildPerson, type Client, type PersonOverrides, type TestApp } from './harness.js';
import type { CaughtMail } from './smtp.js';
import type { RegistrationStatus } from '../db/schema.js';
import { systemCtx } from '../context.js';
import { onCertificationFactsChanged } from '../modules/certification/evaluation.js';

let seq = 0;

/** A shipped program by code (the template database has both), by id. */
export async function programId(db: Database, code = 'ks-county-election-official'): Promise<string> {
  const p = await db.selectFrom('program').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return p.id;
}

export interface CourseOverrides {
  programCode?: string;
  code?: string;
  title?: string;
  description?: string;
  credits?: { category: string; amount: number }[];
  durationMinutes?: number;
  renewal?: boolean;
  prerequisites?: string[];
  completionMinPercent?: number;
  sponsored?: boolean;
  format?: 'in_person' | 'webinar' | 'online' | 'hybrid';
}

export async function buildCourse(
  db: Database,
  o: CourseOverrides = {},
): Promise<{ id: string; code: string; programId: string }> {
  seq++;
  const pid = await programId(db, o.programCode);
  const code = o.code ?? `T-${seq}-${randomBytes(2).toString('hex')}`;
  const row = await db
    .insertInto('course')
    .values({
      program_id: pid,
      code,
      title: o.title ?? `Test course ${seq}`,
      ...(o.description !== undefined && { description: o.description }),
      credits: JSON.stringify(o.credits ?? [{ category: 'year-one', amount: 3 }]),
      sponsored: o.sponsored ?? false,
      format: o.format ?? 'in_person',
      duration_minutes: o.durationMinutes ?? 180,
      renewal: o.renewal ?? false,
      prerequisites: o.prerequisites ?? [],
      completion_min_percent: o.completionMinPercent ?? 90,
      source_type: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, code, programId: pid };
}

export interface SessionOverrides {
  courseId?: string;
  course?: CourseOverrides;
  eventId?: string;
  startsAt?: Date;
  minutes?: number;
  capacity?: number;
  minimum?: number;
  timeZone?: string;
  instructorIds?: string[];
  registrationClosesAt?: Date | null;
}

export async function buildSession(
  db: Database,
  o: SessionOverrides = {},
): Promise<{ id: string; courseId: string; eventId: string; checkinCode: string }> {
  seq++;
  const courseId = o.courseId ?? (await buildCourse(db, o.course)).id;
  const eventId =
    o.eventId ??
    (
      await db
        .insertInto('event')
        .values({ title: `Test event ${seq}`, program_id: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const start = o.startsAt ?? new Date(Date.now() + 30 * 86_400_000);
  const code = randomBytes(12).toString('base64url');
  const row = await db
    .insertInto('session')
    .values({
      event_id: eventId,
      course_id: courseId,
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + (o.minutes ?? 180) * 60_000).toISOString(),
      time_zone: o.timeZone ?? 'America/Chicago',
      venue: 'Memorial Building, Room 100',
      address: '120 SW 10th Ave, Topeka, KS 66612',
      webinar_url: null,
      capacity: o.capacity ?? 30,
      minimum: o.minimum ?? 5,
      registration_opens_at: null,
      registration_closes_at: o.registrationClosesAt ? o.registrationClosesAt.toISOString() : null,
      checkin_code: code,
      cancelled_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (o.instructorIds?.length) {
    await db
      .insertInto('session_instructor')
      .values(o.instructorIds.map((person_id) => ({ session_id: row.id, person_id })))
      .execute();
  }
  return { id: row.id, courseId, eventId, checkinCode: code };
}

/** A registration written directly (no lock, no e-mail); keeps confirmed_count in step. */
export async function buildRegistration(
  db: Database,
  sessionId: string,
  personId: string,
  status: RegistrationStatus = 'confirmed',
): Promise<string> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('registration')
    .values({
      session_id: sessionId,
      person_id: personId,
      status,
      joined_at: now,
      confirmed_at: status === 'confirmed' ? now : null,
      cancelled_at: null,
      cancel_reason: null,
      registered_by: null,
      checked_in_at: null,
      minutes_attended: null,
      attendance_recorded_at: null,
      reminder_sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (status === 'confirmed') {
    await db
      .updateTable('session')
      .set((eb) => ({ confirmed_count: eb('confirmed_count', '+', 1) }))
      .where('id', '=', sessionId)
      .execute();
  }
  return row.id;
}

export async function buildCredit(
  db: Database,
  personId: string,
  o: {
    programCode?: string;
    amount?: number;
    category?: string;
    courseCode?: string;
    earnedOn?: string;
    /** When it was entered (default: now, by the wall clock). */
    recordedAt?: string;
  } = {},
): Promise<string> {
  const row = await db
    .insertInto('credit_record')
    .values({
      person_id: personId,
      program_id: await programId(db, o.programCode),
      amount: o.amount ?? 3,
      category: o.category ?? 'year-one',
      sponsored: false,
      source_type: 'sos-course',
      course_code: o.courseCode ?? null,
      title: null,
      session_id: null,
      registration_id: null,
      earned_on: o.earnedOn ?? '2026-04-01',
      status: 'approved',
      reverses_id: null,
      reason: null,
      recorded_at: o.recordedAt ?? new Date().toISOString(),
      recorded_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function buildEnrollment(
  db: Database,
  personId: string,
  programCode?: string,
  enrolledOn = '2026-01-15',
): Promise<string> {
  const row = await db
    .insertInto('enrollment')
    .values({
      program_id: await programId(db, programCode),
      person_id: personId,
      status: 'active',
      enrolled_on: enrolledOn,
      pinned_version: null,
      fee_amount_cents: 0,
      fee_status: 'waived',
      fee_method: null,
      receipt_number: null,
      requested_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A signed-in client without the argon2 round trip: the session row is
 * written directly (hundreds of officials sign in this way in the
 * concurrency tests). Requests go through inject, or `fetch` against a
 * listening server with the same cookie and CSRF token.
 */
export async function quickClient(
  t: TestApp,
  roles: Role[] = ['official'],
  o: PersonOverrides = {},
): Promise<Client & { email: string }> {
  const p = await buildPerson(t.db, { ...o, roles, password: null });
  const token = newToken();
  const csrf = newToken();
  await t.db
    .insertInto('auth_session')
    .values({
      id: hashToken(token),
      user_id: p.userId,
      csrf_token: csrf,
      expires_at: new Date(Date.now() + 86_400_000 * 3650).toISOString(),
      ip: '127.0.0.1',
      user_agent: 'test',
    })
    .execute();
  const cookie = `${SESSION_COOKIE}=${token}`;
  return {
    cookie,
    csrf,
    personId: p.personId,
    email: p.email,
    async request(method, url, payload, headers = {}) {
      const r = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { cookie, 'x-csrf-token': csrf, ...headers },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      let json: unknown = null;
      try {
        json = r.json();
      } catch {
        json = null;
      }
      return { status: r.statusCode, json, headers: r.headers, body: r.body };
    },
  };
}

/** The decoded text/calendar attachment of a caught e-mail. */
export function icsOf(mail: CaughtMail): string {
  const parts = mail.raw.split(/\r?\n--/);
  const part = parts.find((p) => /Content-Type: text\/calendar/i.test(p));
  if (!part) throw new Error(`no text/calendar part in "${mail.subject}"`);
  const split = part.search(/\r?\n\r?\n/);
  const headers = part.slice(0, split);
  const body = part.slice(split).replace(/^\r?\n\r?\n/, '');
  const encoding = /Content-Transfer-Encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/**
 * Every Kansas course of years one to three (KS-Y1-01 … KS-Y3-03), each year's three on its date:
 * what the initial certification asks for. Call `factsChanged` after it.
 */
export async function buildKansasCourses(
  db: Database,
  personId: string,
  dates: readonly [string, string, string] = ['2026-04-10', '2026-09-10', '2027-03-10'],
): Promise<void> {
  for (const [i, year] of (['one', 'two', 'three'] as const).entries())
    for (const n of [1, 2, 3])
      await buildCredit(db, personId, {
        category: `year-${year}`,
        courseCode: `KS-Y${i + 1}-0${n}`,
        earnedOn: dates[i]!,
      });
}

/**
 * What every writer of certification facts does after its change (the change hook), for tests
 * that write records straight to the database with the builders above: status lists and reports
 * read the status cache, which the hook keeps current.
 */
export async function factsChanged(t: TestApp, personId: string, programIdOrAll?: string): Promise<void> {
  await t.db
    .transaction()
    .execute((tx) => onCertificationFactsChanged(tx, systemCtx(t.deps, 'test'), personId, programIdOrAll));
}
