/**
 * Rosters, attendance with minutes, QR check-in and the PDF sign-in sheet.
 * Recording attendance reconciles the credit ledger in the same transaction,
 * so progress changes the moment it is saved.
 */
import { timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import { sql } from 'kysely';
import type { z } from 'zod';
import {
  registrationAbilities,
  requireAccess,
  rosterDenial,
  sessionAbilities,
} from '../../../domain/authz/policies.js';
import { DomainError, fieldError, type FieldIssue } from '../../../domain/errors.js';
import { attendanceConflict, attendanceCreditNote } from '../../../domain/attendance/index.js';
import { waitlistPosition } from '../../../domain/scheduling/index.js';
import type { attendanceBody, rosterSchema } from '../../../contract/sessions.js';
import type { Ctx } from '../../context.js';
import { artifact, empty, group, tag, taggedPdf } from '../../documents/tagged-pdf.js';
import type { Db, Tx } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import {
  attendanceRulesOf,
  netCreditsByRegistration,
  reconcileAttendanceCredits,
} from '../certification/ledger.js';
import { onCertificationFactsChanged } from '../certification/evaluation.js';
import { whenText, whereText } from './messages.js';
import { courseRules, getSession } from './sessions.service.js';
import { eligibilityOf } from './eligibility.js';
import { prerequisiteNote } from '../../../domain/registration/index.js';
import { loadSession, type SessionRow } from './sessions.repo.js';
import { watchPrerequisites } from './prerequisites.js';
import { enrolledProgramIds } from '../people/people.service.js';
import { countyLabel } from '../../../contract/jurisdictions.js';

/** "Shawnee County", "Orleans Parish", or a state's name. */
const placeName = (r: { j_name: string | null; j_kind: string | null; j_fips: string | null }) =>
  r.j_name == null
    ? null
    : r.j_kind === 'county'
      ? countyLabel({ fips: r.j_fips!, name: r.j_name })
      : r.j_name;

/** Administrators and coordinators see every roster; instructors only their own sessions' (sessionAbilities). */
async function assertRosterAccess(db: Db, ctx: Ctx, sessionId: string): Promise<SessionRow> {
  const s = await loadSession(db, sessionId);
  if (!s) throw new DomainError('not_found', 'There is no session with this id.');
  const instructors = await db
    .selectFrom('session_instructor')
    .select('person_id')
    .where('session_id', '=', sessionId)
    .execute();
  const may = sessionAbilities(ctx.actor, {
    instructorIds: instructors.map((i) => i.person_id),
    status: s.status,
  });
  requireAccess(may, 'readRoster', rosterDenial);
  return s;
}

type Roster = z.infer<typeof rosterSchema>;

const prerequisiteNoteOf = (s: { missing: string[]; pending: string[] } | undefined) =>
  s ? prerequisiteNote(s) : null;

async function rosterRows(db: Db, sessionId: string) {
  return db
    .selectFrom('registration as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .leftJoin('jurisdiction as j', 'j.fips', 'p.jurisdiction_fips')
    .select([
      'r.id',
      'r.status',
      'r.joined_at',
      'r.seq',
      'r.checked_in_at',
      'r.minutes_attended',
      'p.id as person_id',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      'p.email',
      'p.title',
      'j.name as j_name',
      'j.kind as j_kind',
      'j.fips as j_fips',
      // The programs they are enrolled in: a coordinator limited to programs runs only theirs.
      enrolledProgramIds(),
    ])
    .where('r.session_id', '=', sessionId)
    .where('r.status', '<>', 'cancelled')
    .orderBy(sql`lower(p.last_name)`)
    .orderBy(sql`lower(p.first_name)`)
    .execute();
}

async function buildRoster(ctx: Ctx, db: Db, sessionId: string): Promise<Roster> {
  const [rows, s] = await Promise.all([rosterRows(db, sessionId), loadSession(db, sessionId)]);
  const rules = attendanceRulesOf(s!);
  const credits = await netCreditsByRegistration(
    db,
    rows.map((r) => r.id),
  );
  // Where each person stands on the course's prerequisites, as of now (ADR 0033).
  const standing = s!.course_prerequisites.length
    ? await eligibilityOf(
        db,
        courseRules(s!),
        rows.map((r) => r.person_id),
        ctx.now(),
      )
    : new Map<string, { missing: string[]; pending: string[] }>();
  const waitlist = rows
    .filter((r) => r.status === 'waitlisted')
    .map((r) => ({ id: r.id, joinedAt: r.joined_at, seq: Number(r.seq) }));
  const entry = (r: (typeof rows)[number]) => ({
    registrationId: r.id,
    abilities: registrationAbilities(ctx.actor, {
      id: r.person_id,
      roles: [],
      jurisdictionFips: r.j_fips,
      programIds: r.program_ids,
      linked: false,
    }),
    personId: r.person_id,
    displayName: displayName(r),
    email: r.email,
    title: r.title,
    jurisdiction: placeName(r),
    status: r.status,
    waitlistPosition: r.status === 'waitlisted' ? waitlistPosition(waitlist, r.id) : null,
    joinedAt: r.joined_at,
    checkedInAt: r.checked_in_at,
    minutesAttended: r.minutes_attended,
    credits: credits.get(r.id) ?? 0,
    creditNote: attendanceCreditNote(rules, r.minutes_attended),
    prerequisite: prerequisiteNoteOf(standing.get(r.person_id)),
  });
  return {
    session: await getSession(ctx, sessionId, db),
    confirmed: rows.filter((r) => r.status === 'confirmed').map(entry),
    waitlisted: rows
      .filter((r) => r.status === 'waitlisted')
      .map(entry)
      .sort((a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0)),
  };
}

export async function getRoster(ctx: Ctx, sessionId: string): Promise<Roster> {
  await assertRosterAccess(ctx.db, ctx, sessionId);
  return buildRoster(ctx, ctx.db, sessionId);
}

export function assertCanRecord(s: SessionRow, now: Date): void {
  if (s.status === 'cancelled')
    throw new DomainError('conflict', 'This session is cancelled; there is no attendance to record.');
  if (Date.parse(s.starts_at) > now.getTime())
    throw new DomainError('conflict', 'Attendance can be recorded once the session has started.');
}

/**
 * Saves minutes attended and reconciles each person's credit, status and the session's completion:
 * the one path for the attendance page, "all present" and providers' rosters. Call it inside the
 * transaction that holds the session's row lock.
 */
export async function saveMinutes(
  tx: Tx,
  ctx: Ctx,
  s: SessionRow,
  entries: { registrationId: string; minutes: number }[],
): Promise<void> {
  const now = ctx.now().toISOString();
  // Everyone seated: recording attendance ends the hold of a seat on a later session that rests on
  // it (ADR 0033), for those recorded and, once the session is completed, for those left out.
  const seated = await tx
    .selectFrom('registration')
    .select('person_id')
    .where('session_id', '=', s.id)
    .where('status', '=', 'confirmed')
    .execute();
  await watchPrerequisites(
    tx,
    ctx,
    s,
    seated.map((r) => r.person_id),
    async () => {
      for (const e of entries) {
        const reg = await tx
          .updateTable('registration')
          .set({ minutes_attended: e.minutes, attendance_recorded_at: now, updated_at: now })
          .where('id', '=', e.registrationId)
          .returning(['id', 'person_id', 'minutes_attended'])
          .executeTakeFirstOrThrow();
        await reconcileAttendanceCredits(tx, ctx, s, reg);
        // Certification status and the "you are eligible" e-mail follow the ledger at once.
        if (s.program_id) await onCertificationFactsChanged(tx, ctx, reg.person_id, s.program_id);
      }
      if (Date.parse(s.ends_at) <= ctx.now().getTime() && s.status !== 'completed') {
        await tx
          .updateTable('session')
          .set({ status: 'completed', updated_at: now })
          .where('id', '=', s.id)
          .execute();
      }
    },
  );
}

/** Everyone confirmed without a record yet attended the whole course (optionally only those who checked in). */
export async function markAllPresent(ctx: Ctx, sessionId: string, onlyCheckedIn: boolean): Promise<Roster> {
  await assertRosterAccess(ctx.db, ctx, sessionId);
  return ctx.db.transaction().execute(async (tx) => {
    await tx.selectFrom('session').select('id').where('id', '=', sessionId).forUpdate().execute();
    const s = (await loadSession(tx, sessionId))!;
    assertCanRecord(s, ctx.now());
    let q = tx
      .selectFrom('registration')
      .select('id')
      .where('session_id', '=', sessionId)
      .where('status', '=', 'confirmed')
      .where('minutes_attended', 'is', null);
    if (onlyCheckedIn) q = q.where('checked_in_at', 'is not', null);
    const regs = await q.execute();
    await saveMinutes(
      tx,
      ctx,
      s,
      regs.map((r) => ({ registrationId: r.id, minutes: s.duration_minutes })),
    );
    await recordAudit(tx, ctx, {
      action: 'attendance.all-present',
      entityType: 'session',
      entityId: sessionId,
      after: { count: regs.length, minutes: s.duration_minutes, onlyCheckedIn },
    });
    return buildRoster(ctx, tx, sessionId);
  });
}

export async function recordAttendance(
  ctx: Ctx,
  sessionId: string,
  input: z.infer<typeof attendanceBody>,
): Promise<Roster> {
  await assertRosterAccess(ctx.db, ctx, sessionId);
  return ctx.db.transaction().execute(async (tx) => {
    await tx.selectFrom('session').select('id').where('id', '=', sessionId).forUpdate().execute();
    const s = (await loadSession(tx, sessionId))!;
    assertCanRecord(s, ctx.now());
    const regs = await tx
      .selectFrom('registration')
      .select(['id', 'status', 'minutes_attended'])
      .where('session_id', '=', sessionId)
      .where(
        'id',
        'in',
        input.entries.map((e) => e.registrationId),
      )
      .execute();
    const conflicts: FieldIssue[] = [];
    input.entries.forEach((e, i) => {
      const r = regs.find((x) => x.id === e.registrationId);
      if (!r) throw fieldError(`entries.${i}.registrationId`, 'This registration is not for this session.');
      if (r.status !== 'confirmed')
        throw fieldError(`entries.${i}.registrationId`, 'Only confirmed registrations have attendance.');
      const conflict = attendanceConflict(e, r.minutes_attended);
      if (conflict) conflicts.push({ field: `entries.${i}.minutesAttended`, message: conflict });
    });
    if (conflicts.length)
      throw new DomainError(
        'conflict',
        `${conflicts.length === 1 ? 'One entry was' : `${conflicts.length} entries were`} changed on the server since this device read the roster; nothing was saved. Choose which value to keep and send again.`,
        { issues: conflicts },
      );
    await saveMinutes(
      tx,
      ctx,
      s,
      input.entries.map((e) => ({ registrationId: e.registrationId, minutes: e.minutesAttended })),
    );
    await recordAudit(tx, ctx, {
      action: 'attendance.record',
      entityType: 'session',
      entityId: sessionId,
      before: regs.map((r) => ({ registrationId: r.id, minutesAttended: r.minutes_attended })),
      after: input.entries,
    });
    return buildRoster(ctx, tx, sessionId);
  });
}

// ---------------------------------------------------------------- QR check-in

export async function checkInCode(ctx: Ctx, sessionId: string) {
  const s = await assertRosterAccess(ctx.db, ctx, sessionId);
  const url = `${ctx.config.publicUrl}/check-in/${s.id}?code=${encodeURIComponent(s.checkin_code)}`;
  const [svg, pngDataUrl] = await Promise.all([
    QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 512 }),
  ]);
  return { url, code: s.checkin_code, svg, pngDataUrl };
}

const sameCode = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** A signed-in official with a seat checks in with the code from the QR (open from an hour before the start to the end). */
export async function checkIn(ctx: Ctx, sessionId: string, code: string, scannedAt?: string) {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to check in.');
  const s = await loadSession(ctx.db, sessionId);
  if (!s) throw new DomainError('not_found', 'There is no session with this id.');
  if (!sameCode(code, s.checkin_code))
    throw fieldError(
      'code',
      'This check-in code is not the one for this session. Scan the code shown in the room again.',
    );
  const now = ctx.now().getTime();
  // A check-in queued on a phone without a network counts when it was scanned (see checkInBody).
  const when = scannedAt === undefined ? now : Date.parse(scannedAt);
  if (when > now + 60_000) throw fieldError('scannedAt', 'Scanned at cannot be in the future.');
  if (when < now - 7 * 86_400_000)
    throw fieldError(
      'scannedAt',
      'Scanned at is more than 7 days ago; ask the instructor to record attendance.',
    );
  if (s.status === 'cancelled') throw new DomainError('conflict', 'This session is cancelled.');
  if (when < Date.parse(s.starts_at) - 3_600_000 || when > Date.parse(s.ends_at)) {
    throw new DomainError(
      'conflict',
      'Check-in is open from an hour before the session starts until it ends.',
    );
  }
  const reg = await ctx.db
    .selectFrom('registration')
    .select(['id', 'checked_in_at'])
    .where('session_id', '=', sessionId)
    .where('person_id', '=', ctx.actor.personId)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  if (!reg)
    throw new DomainError(
      'conflict',
      'You do not have a confirmed seat in this session. See the instructor.',
    );
  if (reg.checked_in_at)
    return { registrationId: reg.id, checkedInAt: reg.checked_in_at, timeZone: s.time_zone };
  const at = new Date(Math.min(when, now)).toISOString();
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('registration')
      .set({ checked_in_at: at, updated_at: at })
      .where('id', '=', reg.id)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'registration.check-in',
      entityType: 'registration',
      entityId: reg.id,
      after: { checkedInAt: at },
    });
  });
  return { registrationId: reg.id, checkedInAt: at, timeZone: s.time_zone };
}

// ---------------------------------------------------------------- PDF sign-in sheet

/**
 * A deterministic tagged PDF: fixed creation date (the session's start), embedded font, no
 * clock. The confirmed registrations are one table (header cells with column scope) across pages.
 */
export async function signInSheetPdf(ctx: Ctx, sessionId: string): Promise<Buffer> {
  const s = await assertRosterAccess(ctx.db, ctx, sessionId);
  const rows = (await rosterRows(ctx.db, sessionId)).filter((r) => r.status === 'confirmed');
  const { doc, root, done } = taggedPdf({
    title: `Sign-in sheet: ${s.course_code} ${s.course_title}`,
    author: ctx.config.organization.name,
    subject: `Sign-in sheet for ${s.event_title}, ${whenText(s)}`,
    created: new Date(s.starts_at),
  });
  const columns: [string, number, number][] = [
    ['#', 50, 20],
    ['Name', 72, 170],
    ['County / title', 245, 150],
    ['Signature', 400, 110],
    ['Minutes', 515, 50],
  ];
  // The heading and the column headers: tagged on the first page; on the pages after it they are
  // repeated for the eye only, as pagination artifacts a screen reader does not read again.
  let table: PDFKit.PDFStructureElement | undefined;
  const header = () => {
    const first = !table;
    const el = (type: string, draw: () => void) =>
      first ? tag(doc, root, type, draw) : artifact(doc, draw, 'Pagination');
    el('H1', () => doc.font('bold').fontSize(16).text('Sign-in sheet', { align: 'left' }));
    el('P', () => doc.font('body').fontSize(10).text(ctx.config.organization.name));
    doc.moveDown(0.5);
    el('H2', () => doc.font('bold').fontSize(12).text(`${s.course_code}: ${s.course_title}`));
    doc.font('body').fontSize(10);
    for (const line of [s.event_title, whenText(s), whereText(s)]) el('P', () => doc.text(line));
    doc.moveDown(0.5);
    const y = doc.y;
    const cells = () => {
      doc.font('bold').fontSize(9);
      for (const [label, x, width] of columns) doc.text(label, x, y, { width });
    };
    if (first) {
      table = doc.struct('Table');
      root.add(table);
      group(doc, table, 'TR', (tr) => {
        doc.font('bold').fontSize(9);
        for (const [label, x, width] of columns)
          tag(doc, tr, 'TH', () => doc.text(label, x, y, { width }), { scope: 'Column' });
      });
    } else artifact(doc, cells, 'Pagination');
    artifact(doc, () =>
      doc
        .moveTo(50, y + 14)
        .lineTo(562, y + 14)
        .stroke(),
    );
    doc.y = y + 20;
  };
  header();
  rows.forEach((r, i) => {
    if (doc.y > 700) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    doc.font('body').fontSize(9);
    group(doc, table!, 'TR', (tr) => {
      tag(doc, tr, 'TD', () => doc.text(String(i + 1), 50, y, { width: 20 }));
      tag(doc, tr, 'TD', () => doc.text(displayName(r), 72, y, { width: 170, height: 24, ellipsis: true }));
      tag(doc, tr, 'TD', () =>
        doc.text([placeName(r) ?? '', r.title ?? ''].filter(Boolean).join(' · '), 245, y, {
          width: 150,
          height: 24,
          ellipsis: true,
        }),
      );
      // Signature and minutes are written in by hand: empty cells over a ruled line.
      empty(doc, tr, 'TD');
      empty(doc, tr, 'TD');
    });
    artifact(doc, () => {
      doc
        .moveTo(400, y + 20)
        .lineTo(508, y + 20)
        .stroke();
      doc
        .moveTo(515, y + 20)
        .lineTo(562, y + 20)
        .stroke();
    });
    doc.y = y + 28;
  });
  table?.end();
  doc.moveDown();
  tag(doc, root, 'P', () =>
    doc
      .font('body')
      .fontSize(8)
      .text(`${rows.length} confirmed · capacity ${s.capacity} · session ${s.id}`, 50),
  );
  doc.end();
  return done;
}
