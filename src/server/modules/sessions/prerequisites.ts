/**
 * Registrations that rest on a pending prerequisite (ADR 0033). A seat in a later session may
 * rest on a confirmed seat in an earlier session of its prerequisite course. When that earlier
 * seat goes (the registration or the session cancelled) or its attendance is recorded without a
 * completion, the later registration is not cancelled: its roster entry shows "Prerequisite not
 * yet met" (derived whenever it is read, so it is never stale), and the official is e-mailed once,
 * in the same transaction as the change, with what to do.
 */
import { sql } from 'kysely';
import { prerequisiteNote } from '../../../domain/registration/index.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import { anyId } from '../certification/queries.js';
import { composeEmail, link, list, paragraph } from '../mail/message.js';
import { eligibilityOf } from './eligibility.js';
import { whenText, whereText } from './messages.js';
import { loadSession, type SessionRow } from './sessions.repo.js';

interface Unmet {
  registrationId: string;
  personId: string;
  sessionId: string;
  missing: string[];
}

/**
 * These people's confirmed seats in sessions not started yet whose course has `courseCode` as a
 * prerequisite and which now rest on nothing: a prerequisite neither completed nor held.
 */
async function unmetDependents(
  db: Db,
  personIds: string[],
  courseCode: string,
  programId: string | null,
  now: Date,
): Promise<Map<string, Unmet>> {
  const out = new Map<string, Unmet>();
  if (personIds.length === 0) return out;
  let q = db
    .selectFrom('registration as r')
    .innerJoin('session as s', 's.id', 'r.session_id')
    .innerJoin('course as c', 'c.id', 's.course_id')
    .leftJoin('program as pr', 'pr.id', 'c.program_id')
    .select([
      'r.id',
      'r.person_id',
      's.id as session_id',
      's.starts_at',
      'c.program_id',
      'c.renewal',
      'c.prerequisites',
      'pr.time_zone',
    ])
    .where('r.person_id', '=', anyId(personIds))
    .where('r.status', '=', 'confirmed')
    .where('s.status', 'in', ['scheduled', 'full'])
    .where('s.starts_at', '>', now.toISOString())
    .where(sql<boolean>`${courseCode} = any(c.prerequisites)`);
  if (programId) q = q.where('c.program_id', '=', programId);
  const rows = await q.execute();
  const bySession = new Map<string, typeof rows>();
  for (const r of rows) bySession.set(r.session_id, [...(bySession.get(r.session_id) ?? []), r]);
  for (const [sessionId, regs] of bySession) {
    const first = regs[0]!;
    const standing = await eligibilityOf(
      db,
      {
        programId: first.program_id,
        renewal: false,
        prerequisites: first.prerequisites,
        programTimeZone: first.time_zone,
        startsAt: new Date(first.starts_at).toISOString(),
      },
      regs.map((r) => r.person_id),
      now,
    );
    for (const r of regs) {
      const missing = standing.get(r.person_id)?.missing ?? [];
      if (missing.length) out.set(r.id, { registrationId: r.id, personId: r.person_id, sessionId, missing });
    }
  }
  return out;
}

/** Whether any course of the program has this course as a prerequisite: most have none, and then nothing is watched. */
async function isPrerequisite(db: Db, courseCode: string, programId: string | null): Promise<boolean> {
  let q = db
    .selectFrom('course')
    .select('id')
    .where(sql<boolean>`${courseCode} = any(prerequisites)`)
    .limit(1);
  if (programId) q = q.where('program_id', '=', programId);
  return !!(await q.executeTakeFirst());
}

/**
 * Runs `change` (inside the caller's transaction) to seats or attendance of session `s`, and tells
 * each of `personIds` whose later registration rested on their seat in `s` and now rests on
 * nothing: one audit row and one e-mail per registration newly unmet. A registration that was
 * already unmet before the change is not told again.
 */
export async function watchPrerequisites<T>(
  tx: Db,
  ctx: Ctx,
  s: SessionRow,
  personIds: string[],
  change: () => Promise<T>,
): Promise<T> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0 || !(await isPrerequisite(tx, s.course_code, s.program_id))) return change();
  const before = await unmetDependents(tx, ids, s.course_code, s.program_id, ctx.now());
  const result = await change();
  const after = await unmetDependents(tx, ids, s.course_code, s.program_id, ctx.now());
  const fresh = [...after.values()].filter((u) => !before.has(u.registrationId));
  if (fresh.length === 0) return result;
  const people = await tx
    .selectFrom('person')
    .select(['id', 'email', 'first_name', 'last_name', 'preferred_name'])
    .where('id', '=', anyId(fresh.map((u) => u.personId)))
    .execute();
  const later = new Map<string, SessionRow | undefined>();
  for (const u of fresh) {
    if (!later.has(u.sessionId)) later.set(u.sessionId, await loadSession(tx, u.sessionId));
    const l = later.get(u.sessionId)!;
    const who = people.find((p) => p.id === u.personId)!;
    const note = prerequisiteNote({ missing: u.missing, pending: [] })!;
    await recordAudit(tx, ctx, {
      action: 'registration.prerequisite-unmet',
      entityType: 'registration',
      entityId: u.registrationId,
      after: {
        sessionId: u.sessionId,
        missing: u.missing,
        because: { sessionId: s.id, courseCode: s.course_code },
      },
    });
    const title = `${l.course_title} (${l.event_title})`;
    const subject = `Prerequisite not yet met: ${l.course_title}`;
    await ctx.mailer.enqueue(tx, {
      to: who.email,
      kind: 'session.prerequisite-unmet',
      ...composeEmail(subject, [
        paragraph(`Hello ${displayName(who)},`),
        paragraph(
          `Your seat at ${title} rested on your seat in ${s.course_code} (${s.course_title}), ${whenText(s)}, which no longer counts: the registration or the session was cancelled, or the attendance recorded did not complete the course.`,
        ),
        paragraph(
          `${note} You keep your seat, and the instructor sees this on the roster. To take the course, complete ${u.missing.join(', ')} or register for a session of it that ends before this one starts; otherwise please cancel so someone else can have the seat.`,
        ),
        list(`When: ${whenText(l)}`, `Where: ${whereText(l)}`),
        paragraph(link('See the session and your registration', `${ctx.config.publicUrl}/sessions/${l.id}`)),
      ]),
    });
  }
  return result;
}
