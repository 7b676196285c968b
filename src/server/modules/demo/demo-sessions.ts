/**
 * Demo catalog, events and sessions: the Kansas courses from the shipped
 * program (3 hours each), the annual advance renewal course, some iGO CPO
 * courses; a past Year One session in Salina with attendance and credits,
 * "Year One, Spring 2027, Topeka" (1.5 days, 3 sessions, one of them full
 * with a waitlist), Year Two in Wichita, Year Three in Hays (and a webinar), the renewal course, the iGO annual
 * conference, and a session still below its minimum near its cut-off.
 * Enrollments with fees. Idempotent (app_meta "demo.sessions.loaded"); plain
 * inserts in one transaction, so it takes well under a second.
 */
import { randomBytes } from 'node:crypto';
import type { ProgramDefinition } from '../../../domain/requirements/index.js';
import { addDays, localDateOf } from '../../../domain/time/index.js';
import { systemCtx, type Deps } from '../../context.js';

import { jsonb } from '../../db/json.js';
import { recordAudit } from '../audit/audit.service.js';
import { loadDemoIntegrations } from '../api-tokens/api-tokens.demo.js';

const CHICAGO = 'America/Chicago';

/**
 * Counties whose officials are not enrolled in the state program yet (far down the FIPS list, so
 * none of the officials the demo registers for sessions, and none of the pilot counties).
 */
export const COUNTIES_NOT_ENROLLED_YET = new Set([
  '20179', // Sheridan
  '20181', // Sherman
  '20183', // Smith
  '20187', // Stanton
  '20189', // Stevens
  '20193', // Thomas
  '20195', // Trego
  '20199', // Wallace
  '20201', // Washington
  '20203', // Wichita
  '20205', // Wilson
  '20207', // Woodson
]);

/** An instant from a local wall time in Kansas (CST/CDT resolved by trying both offsets). */
function kansas(date: string, time: string): string {
  for (const off of ['-05:00', '-06:00']) {
    const d = new Date(`${date}T${time}:00${off}`);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: CHICAGO,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(d);
    if (local === time) return d.toISOString();
  }
  return new Date(`${date}T${time}:00-06:00`).toISOString();
}

export async function loadDemoSessions(deps: Deps): Promise<{ loaded: boolean; sessions: number }> {
  const ctx = systemCtx(deps, 'demo loader');
  return deps.db.transaction().execute(async (tx) => {
    const claim = await tx
      .insertInto('app_meta')
      .values({ key: 'demo.sessions.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claim) return { loaded: false, sessions: 0 };

    const programs = await tx
      .selectFrom('program as p')
      .innerJoin('program_version as v', 'v.program_id', 'p.id')
      .select(['p.id', 'p.code', 'v.definition'])
      .where('v.published', '=', true)
      .execute();
    const ks = programs.find((p) => p.code === 'ks-county-election-official');
    const igo = programs.find((p) => p.code === 'igo-cpo');
    const officials = await tx
      .selectFrom('person as p')
      .innerJoin('user_account as u', 'u.person_id', 'p.id')
      .select(['p.id', 'p.external_id', 'u.id as user_id'])
      .where('p.external_id', 'like', 'demo-%')
      .orderBy('p.external_id')
      .execute();
    const staffId = (role: string) => officials.find((o) => o.external_id === `demo-staff-${role}`)?.id;
    const dana = officials.find((o) => o.external_id === 'demo-official');
    const people = officials.filter((o) => /^demo-\d/.test(o.external_id ?? ''));
    if (!ks || !igo || !dana || people.length < 120) return { loaded: false, sessions: 0 };
    const instructor = staffId('instructor');

    // Catalog.
    const ksDef = ks.definition as ProgramDefinition;
    const courseIds = new Map<string, string>();
    const y1 = ['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03'];
    for (const c of ksDef.courses) {
      const row = await tx
        .insertInto('course')
        .values({
          program_id: ks.id,
          code: c.code,
          title: c.title,
          description:
            c.category === 'advance-renewal'
              ? 'The annual advance renewal course that keeps a county election official certified. Open to certified officials.'
              : `${ksDef.categories.find((k) => k.id === c.category)?.name ?? ''}: ${c.title}. Taught in person by the Elections Division, 3 hours.`,
          topics: c.topics ?? [],
          credits: jsonb([{ category: c.category, amount: c.credits }]),
          sponsored: false,
          format: 'in_person',
          duration_minutes: c.durationMinutes ?? 180,
          requirement_ids: [c.category],
          renewal: c.category === 'advance-renewal',
          prerequisites: c.category === 'year-two' ? y1 : [],
          source_type: 'sos-course',
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) courseIds.set(c.code, row.id);
    }
    const cpo = [
      {
        code: 'IGO-MGT-101',
        title: 'Leading a County Office Team',
        category: 'management-supervision',
        amount: 1.5,
        minutes: 90,
        format: 'webinar' as const,
        topics: ['Supervision', 'Delegation'],
      },
      {
        code: 'IGO-FIN-120',
        title: 'Budgeting for Elections Offices',
        category: 'management-finance',
        amount: 1.5,
        minutes: 90,
        format: 'in_person' as const,
        topics: ['Budgeting', 'Purchasing'],
      },
      {
        code: 'IGO-ELE-201',
        title: 'Post-Election Audits in Practice',
        category: 'elections',
        amount: 1.5,
        minutes: 90,
        format: 'in_person' as const,
        topics: ['Post-election audits'],
      },
      {
        code: 'IGO-REC-110',
        title: 'Records Retention Schedules',
        category: 'records-management',
        amount: 1,
        minutes: 60,
        format: 'webinar' as const,
        topics: ['Records retention'],
      },
      {
        code: 'IGO-ETH-105',
        title: 'Ethics for Public Officials',
        category: 'management-ethics',
        amount: 1,
        minutes: 60,
        format: 'online' as const,
        topics: ['Ethics'],
      },
    ];
    for (const c of cpo) {
      const row = await tx
        .insertInto('course')
        .values({
          program_id: igo.id,
          code: c.code,
          title: c.title,
          description: `iGO-sponsored ${c.format === 'in_person' ? 'conference session' : c.format}: ${c.title}.`,
          topics: c.topics,
          credits: jsonb([{ category: c.category, amount: c.amount }]),
          sponsored: true,
          format: c.format,
          duration_minutes: c.minutes,
          requirement_ids: [],
          renewal: false,
          prerequisites: [],
          source_type: c.format === 'in_person' ? 'igo-conference' : 'igo-webinar',
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) courseIds.set(c.code, row.id);
    }
    // Issue 17: iGO's training arm gives these courses and posts their rosters with an API token.
    await loadDemoIntegrations(
      tx,
      cpo.flatMap((c) => courseIds.get(c.code) ?? []),
      deps.now(),
    );

    // Enrollment: the demo officials in the state program, except those of a dozen counties that
    // have not signed anyone up yet (so the coverage map shows all three states); some officials
    // are also in iGO's program, with the $25 fee.
    const everyone = [dana, ...people];
    const countyOf = (externalId: string | null) => /^demo-(\d{5})-/.exec(externalId ?? '')?.[1] ?? '';
    await tx
      .insertInto('enrollment')
      .values(
        everyone
          .filter((p) => !COUNTIES_NOT_ENROLLED_YET.has(countyOf(p.external_id)))
          .map((p) => ({
            program_id: ks.id,
            person_id: p.id,
            status: 'active' as const,
            enrolled_on: '2026-09-01',
            pinned_version: null,
            fee_amount_cents: 0,
            fee_status: 'waived' as const,
            fee_method: null,
            receipt_number: null,
            requested_at: null,
          })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tx
      .insertInto('enrollment')
      .values(
        everyone.slice(0, 41).map((p, i) => ({
          program_id: igo.id,
          person_id: p.id,
          status: i === 40 ? ('requested' as const) : ('active' as const),
          enrolled_on: i === 40 ? null : '2026-06-15',
          pinned_version: null,
          fee_amount_cents: 2500,
          fee_status:
            i === 40 ? ('unpaid' as const) : i % 5 === 0 ? ('invoiced' as const) : ('paid' as const),
          fee_method: i === 40 || i % 5 === 0 ? null : i % 2 ? ('check' as const) : ('card' as const),
          receipt_number: i === 40 || i % 5 === 0 ? null : `IGO-2026-${String(1000 + i)}`,
          requested_at: i === 40 ? deps.now().toISOString() : null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    // Ten officials certified in 2025 (so the renewal course has an audience).
    await tx
      .insertInto('award')
      .values(
        people.slice(100, 110).map((p, i) => ({
          program_id: ks.id,
          person_id: p.id,
          awarded_on: '2025-11-20',
          number: `KS-CEO-2025-${String(i + 1).padStart(3, '0')}`,
          revoked_on: null,
          revoked_reason: null,
        })),
      )
      .execute();

    let sessions = 0;
    const event = async (title: string, programId: string, description: string) =>
      (
        await tx
          .insertInto('event')
          .values({ title, program_id: programId, description })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const session = async (o: {
      event: string;
      code: string;
      start: string;
      minutes: number;
      capacity: number;
      minimum: number;
      tz?: string;
      venue?: string | null;
      address?: string | null;
      webinar?: string | null;
      closes?: string | null;
      status?: 'scheduled' | 'completed';
    }) => {
      sessions++;
      const row = await tx
        .insertInto('session')
        .values({
          event_id: o.event,
          course_id: courseIds.get(o.code)!,
          starts_at: o.start,
          ends_at: new Date(Date.parse(o.start) + o.minutes * 60_000).toISOString(),
          time_zone: o.tz ?? CHICAGO,
          venue: o.venue ?? null,
          address: o.address ?? null,
          webinar_url: o.webinar ?? null,
          capacity: o.capacity,
          minimum: o.minimum,
          registration_opens_at: null,
          registration_closes_at: o.closes ?? null,
          status: o.status ?? 'scheduled',
          checkin_code: randomBytes(12).toString('base64url'),
          cancelled_reason: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (instructor && o.code.startsWith('KS-'))
        await tx
          .insertInto('session_instructor')
          .values({ session_id: row.id, person_id: instructor })
          .execute();
      return row.id;
    };
    /** Registrations in join order: the first `capacity` confirmed, the rest waitlisted. */
    const register = async (
      sessionId: string,
      who: { id: string }[],
      capacity: number,
      joinedFrom: string,
      past = false,
    ) => {
      let i = 0;
      for (const p of who) {
        const joined = new Date(Date.parse(joinedFrom) + i * 7 * 60_000).toISOString();
        const status = i < capacity ? ('confirmed' as const) : ('waitlisted' as const);
        await tx
          .insertInto('registration')
          .values({
            session_id: sessionId,
            person_id: p.id,
            status,
            joined_at: joined,
            confirmed_at: status === 'confirmed' ? joined : null,
            cancelled_at: null,
            cancel_reason: null,
            registered_by: null,
            checked_in_at: null,
            minutes_attended: past ? 180 : null,
            attendance_recorded_at: past ? joinedFrom : null,
            reminder_sent_at: null,
          })
          .execute();
        i++;
      }
      const confirmed = Math.min(capacity, who.length);
      await tx
        .updateTable('session')
        .set({
          confirmed_count: confirmed,
          ...(!past && confirmed >= capacity ? { status: 'full' as const } : {}),
        })
        .where('id', '=', sessionId)
        .execute();
    };

    // Past: Year One, Fall 2026, Salina — attended, with credits in the ledger.
    const salina = await event(
      'Year One, Fall 2026, Salina',
      ks.id,
      'Year One courses over a day and a half at the Salina Bicentennial Center.',
    );
    const salinaPeople = [dana, ...people.slice(0, 21)];
    const salinaSessions: [string, string][] = [
      ['KS-Y1-01', kansas('2026-10-14', '13:00')],
      ['KS-Y1-02', kansas('2026-10-15', '09:00')],
      ['KS-Y1-03', kansas('2026-10-15', '13:00')],
    ];
    for (const [code, start] of salinaSessions) {
      const id = await session({
        event: salina,
        code,
        start,
        minutes: 180,
        capacity: 25,
        minimum: 5,
        venue: 'Salina Bicentennial Center, Room B',
        address: '800 The Midway, Salina, KS 67401',
        status: 'completed',
      });
      await register(id, salinaPeople, 25, '2026-09-02T15:00:00Z', true);
      const regs = await tx
        .selectFrom('registration')
        .select(['id', 'person_id'])
        .where('session_id', '=', id)
        .execute();
      // One official left early from the last course: 120 of 180 minutes, no credit (below 90%).
      const short = code === 'KS-Y1-03' ? regs.find((r) => r.person_id === people[3]?.id) : undefined;
      if (short)
        await tx
          .updateTable('registration')
          .set({ minutes_attended: 120 })
          .where('id', '=', short.id)
          .execute();
      await tx
        .insertInto('credit_record')
        .values(
          regs
            .filter((r) => r !== short)
            .map((r) => ({
              person_id: r.person_id,
              program_id: ks.id,
              amount: 3,
              category: 'year-one',
              sponsored: false,
              source_type: 'sos-course',
              course_code: code,
              title: ksDef.courses.find((c) => c.code === code)?.title ?? code,
              session_id: id,
              registration_id: r.id,
              earned_on: start < '2026-10-15' ? '2026-10-14' : '2026-10-15',
              status: 'approved' as const,
              reverses_id: null,
              reason: null,
              recorded_at: new Date(Date.parse(start) + 4 * 3_600_000).toISOString(),
              recorded_by: null,
            })),
        )
        .execute();
    }

    // Year One, Spring 2027, Topeka: 1.5 days, 3 sessions; the first is full with a waitlist.
    const topeka = await event(
      'Year One, Spring 2027, Topeka',
      ks.id,
      'Year One courses over a day and a half at the Memorial Building. Classes of 5 to 30.',
    );
    const topekaPlace = {
      venue: 'Memorial Building, Room 100',
      address: '120 SW 10th Ave, Topeka, KS 66612',
    };
    const t1 = await session({
      event: topeka,
      code: 'KS-Y1-01',
      start: kansas('2027-04-12', '13:00'),
      minutes: 180,
      capacity: 30,
      minimum: 5,
      ...topekaPlace,
      closes: kansas('2027-04-05', '17:00'),
    });
    const t2 = await session({
      event: topeka,
      code: 'KS-Y1-02',
      start: kansas('2027-04-13', '09:00'),
      minutes: 180,
      capacity: 30,
      minimum: 5,
      ...topekaPlace,
      closes: kansas('2027-04-05', '17:00'),
    });
    const t3 = await session({
      event: topeka,
      code: 'KS-Y1-03',
      start: kansas('2027-04-13', '13:00'),
      minutes: 180,
      capacity: 30,
      minimum: 5,
      ...topekaPlace,
      closes: kansas('2027-04-05', '17:00'),
    });
    await register(t1, people.slice(30, 66), 30, '2026-11-02T15:00:00Z');
    await register(t2, people.slice(30, 52), 30, '2026-11-02T15:30:00Z');
    await register(t3, people.slice(30, 48), 30, '2026-11-02T16:00:00Z');

    // Year Two, Spring 2027, Wichita: for those who finished Year One in Salina.
    const wichita = await event(
      'Year Two, Spring 2027, Wichita',
      ks.id,
      'Year Two courses at the Sedgwick County Election Office training room.',
    );
    const wichitaPlace = {
      venue: 'Sedgwick County Election Office, Training Room',
      address: '510 N Main St, Wichita, KS 67203',
    };
    const w1 = await session({
      event: wichita,
      code: 'KS-Y2-01',
      start: kansas('2027-05-18', '13:00'),
      minutes: 180,
      capacity: 25,
      minimum: 5,
      ...wichitaPlace,
    });
    await session({
      event: wichita,
      code: 'KS-Y2-02',
      start: kansas('2027-05-19', '09:00'),
      minutes: 180,
      capacity: 25,
      minimum: 5,
      ...wichitaPlace,
    });
    await session({
      event: wichita,
      code: 'KS-Y2-03',
      start: kansas('2027-05-19', '13:00'),
      minutes: 180,
      capacity: 25,
      minimum: 5,
      ...wichitaPlace,
    });
    await register(w1, [dana, ...people.slice(0, 11)], 25, '2026-11-10T15:00:00Z');

    // Year Three, Summer 2027, Hays, and a Year Three webinar: with Wichita's Year Two, the
    // officials who finished Year One in Salina have a whole plan to certification (issue 19).
    const hays = await event(
      'Year Three, Summer 2027, Hays',
      ks.id,
      'Year Three courses at the Ellis County Administrative Center.',
    );
    const haysPlace = {
      venue: 'Ellis County Administrative Center',
      address: '718 Main St, Hays, KS 67601',
    };
    for (const [code, date, time] of [
      ['KS-Y3-01', '2027-06-22', '13:00'],
      ['KS-Y3-02', '2027-06-23', '09:00'],
      ['KS-Y3-03', '2027-06-23', '13:00'],
    ] as const)
      await session({
        event: hays,
        code,
        start: kansas(date, time),
        minutes: 180,
        capacity: 25,
        minimum: 5,
        ...haysPlace,
      });
    await session({
      event: hays,
      code: 'KS-Y3-01',
      start: kansas('2027-07-08', '09:00'),
      minutes: 180,
      capacity: 40,
      minimum: 5,
      webinar: 'https://training.example.gov/ks-y3-01',
    });

    // The annual advance renewal course, for certified officials.
    const renewal = await event(
      'Advance Renewal Course 2027, Topeka',
      ks.id,
      'The annual advance renewal course that keeps certification current.',
    );
    const r1 = await session({
      event: renewal,
      code: 'KS-ARC-2027',
      start: kansas('2027-09-21', '09:00'),
      minutes: 180,
      capacity: 30,
      minimum: 5,
      ...topekaPlace,
    });
    await register(r1, people.slice(100, 108), 30, '2026-11-15T15:00:00Z');

    // Below its minimum close to the cut-off (relative to today, so the warning always shows).
    const now = deps.now().getTime();
    const garden = await event(
      'Year One, Winter, Garden City',
      ks.id,
      'Year One courses in southwest Kansas.',
    );
    // A weekday about three weeks out, 9:00 in Kansas.
    let day = addDays(localDateOf(now, CHICAGO), 20);
    while ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, 1);
    const g1 = await session({
      event: garden,
      code: 'KS-Y1-01',
      start: kansas(day, '09:00'),
      minutes: 180,
      capacity: 25,
      minimum: 5,
      venue: 'Finney County Administrative Center',
      address: '311 N 9th St, Garden City, KS 67846',
      closes: new Date(now + 4 * 86_400_000).toISOString(),
    });
    await register(g1, people.slice(70, 72), 25, new Date(now - 3 * 86_400_000).toISOString());

    // iGO Annual Conference 2027 (Eastern time) and a webinar.
    const conf = await event(
      'iGO Annual Conference 2027',
      igo.id,
      'Conference sessions earn iGO-sponsored CPO credits; designations are awarded at the closing luncheon.',
    );
    const confPlace = {
      venue: 'Raleigh Convention Center',
      address: '500 S Salisbury St, Raleigh, NC 27601',
      tz: 'America/New_York',
    };
    const c1 = await session({
      event: conf,
      code: 'IGO-FIN-120',
      start: '2027-07-13T13:30:00.000Z',
      minutes: 90,
      capacity: 120,
      minimum: 10,
      ...confPlace,
    });
    await session({
      event: conf,
      code: 'IGO-ELE-201',
      start: '2027-07-13T15:30:00.000Z',
      minutes: 90,
      capacity: 120,
      minimum: 10,
      ...confPlace,
    });
    const webinar = await event('iGO Webinar Series 2027', igo.id, 'Monthly webinars for CPO candidates.');
    await session({
      event: webinar,
      code: 'IGO-MGT-101',
      start: '2027-02-10T19:00:00.000Z',
      minutes: 90,
      capacity: 500,
      minimum: 1,
      tz: 'America/New_York',
      webinar: 'https://igo.example.org/webinars/leading-a-team',
    });
    await register(c1, everyone.slice(0, 35), 120, '2026-11-05T15:00:00Z');

    await recordAudit(tx, ctx, {
      action: 'demo.load.sessions',
      entityType: 'system',
      entityId: null,
      after: { courses: courseIds.size, sessions },
    });
    return { loaded: true, sessions };
  });
}
