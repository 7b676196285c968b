/**
 * Registration and the waitlist: the seed's class-size case, concurrency over
 * a real listening server, skipping ineligible people, capacity changes.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientWithRoles, createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildCourse, buildCredit, icsOf, programId, quickClient } from '../../testing/scheduling.js';

let t: TestApp;
let coordinator: Client;
let ks: string;
beforeAll(async () => {
  t = await createTestApp({ smtp: true });
  coordinator = await clientWithRoles(t, ['coordinator'], { firstName: 'Jordan', lastName: 'Okafor' });
  ks = await programId(t.db);
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

/** Schedules a session through the API, as a coordinator does. */
async function schedule(o: { capacity: number; minimum?: number; courseId?: string; daysAhead?: number }) {
  const courseId = o.courseId ?? (await buildCourse(t.db)).id;
  const event = await coordinator.request('POST', '/api/events', {
    title: 'Year One, Spring 2027, Topeka',
    programId: ks,
  });
  expect(event.status, event.body).toBe(201);
  const start = new Date(Date.now() + (o.daysAhead ?? 40) * 86_400_000);
  start.setUTCHours(14, 0, 0, 0);
  const res = await coordinator.request('POST', '/api/sessions', {
    eventId: event.json.id,
    courseId,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
    timeZone: 'America/Chicago',
    venue: 'Memorial Building, Room 100',
    address: '120 SW 10th Ave, Topeka, KS 66612',
    capacity: o.capacity,
    minimum: o.minimum ?? 0,
  });
  expect(res.status, res.body).toBe(201);
  return res.json as { id: string; sequence: number };
}

const seqOf = (ics: string) => Number(/\r\nSEQUENCE:(\d+)\r\n/.exec(ics)?.[1]);
const uidOf = (ics: string) => /\r\nUID:([^\r]+)\r\n/.exec(ics.replace(/\r\n /g, ''))?.[1];

describe("the seed's class-size case: capacity 30, minimum 5, 45 registrations", () => {
  it('confirms 30 and waitlists 15 in order; when the 7th confirmed cancels, waitlist #1 is promoted with exactly one e-mail and an updated .ics', async () => {
    const session = await schedule({ capacity: 30, minimum: 5 });
    const officials: (Client & { email: string })[] = [];
    for (let i = 0; i < 45; i++)
      officials.push(
        await quickClient(t, ['official'], { lastName: `Official${String(i + 1).padStart(2, '0')}` }),
      );

    const regs = [];
    for (const o of officials) {
      const r = await o.request('POST', `/api/sessions/${session.id}/registrations`, {});
      expect(r.status, r.body).toBe(201);
      regs.push(r.json);
    }
    expect(regs.slice(0, 30).every((r) => r.status === 'confirmed')).toBe(true);
    expect(regs.slice(30).map((r) => [r.status, r.waitlistPosition])).toEqual(
      Array.from({ length: 15 }, (_, i) => ['waitlisted', i + 1]),
    );

    const s = await officials[0]!.request('GET', `/api/sessions/${session.id}`);
    expect(s.json).toMatchObject({
      capacity: 30,
      minimum: 5,
      confirmedCount: 30,
      waitlistCount: 15,
      seatsLeft: 0,
      status: 'full',
    });
    const viewer = await officials[35]!.request('GET', `/api/sessions/${session.id}`);
    expect(viewer.json.myRegistration).toMatchObject({ status: 'waitlisted', waitlistPosition: 6 });

    // Waitlist #1 got a "waitlisted" e-mail with a tentative calendar entry.
    const firstWaiting = officials[30]!;
    const waitMail = await t.smtp!.waitFor(
      (m) => m.to.includes(firstWaiting.email) && /waitlist/.test(m.subject),
    );
    const waitIcs = icsOf(waitMail);
    expect(waitIcs).toContain('STATUS:TENTATIVE');

    // The 7th confirmed person cancels.
    const before = t.smtp!.messages.length;
    const cancel = await officials[6]!.request('POST', `/api/registrations/${regs[6].id}/cancel`, {
      reason: 'County canvass that week',
    });
    expect(cancel.status, cancel.body).toBe(200);
    expect(cancel.json.status).toBe('cancelled');

    const roster = await coordinator.request('GET', `/api/sessions/${session.id}/roster`);
    expect(roster.status).toBe(200);
    expect(roster.json.confirmed).toHaveLength(30);
    expect(roster.json.confirmed.map((e: { personId: string }) => e.personId)).toContain(
      firstWaiting.personId,
    );
    expect(roster.json.confirmed.map((e: { personId: string }) => e.personId)).not.toContain(
      officials[6]!.personId,
    );
    expect(
      roster.json.waitlisted.map((e: { personId: string; waitlistPosition: number }) => [
        e.personId,
        e.waitlistPosition,
      ]),
    ).toEqual(officials.slice(31).map((o, i) => [o.personId, i + 1]));

    // Exactly one promotion e-mail, to waitlist #1, with an updated .ics (same UID, higher SEQUENCE).
    const promoted = await t.smtp!.waitFor((m) => /seat opened up/.test(m.subject));
    await t.smtp!.waitFor((m) => m.to.includes(officials[6]!.email) && /cancelled/i.test(m.subject));
    await new Promise((r) => setTimeout(r, 500));
    const promotions = t.smtp!.messages.slice(before).filter((m) => /seat opened up/.test(m.subject));
    expect(promotions).toHaveLength(1);
    expect(promoted.to).toEqual([firstWaiting.email]);
    const ics = icsOf(promoted);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain('STATUS:CONFIRMED');
    expect(uidOf(ics)).toBe(`session-${session.id}@civiccert`);
    expect(uidOf(ics)).toBe(uidOf(waitIcs));
    expect(seqOf(ics)).toBeGreaterThan(seqOf(waitIcs));

    // The person who cancelled got METHOD:CANCEL for the same UID.
    const cancelMail = t.smtp!.messages.find(
      (m) => m.to.includes(officials[6]!.email) && /cancelled/i.test(m.subject),
    )!;
    const cancelIcs = icsOf(cancelMail);
    expect(cancelIcs).toContain('METHOD:CANCEL');
    expect(cancelIcs).toContain('STATUS:CANCELLED');
    expect(uidOf(cancelIcs)).toBe(uidOf(ics));

    // The stored counter agrees with the rows.
    const counts = await sql<{ stored: number; rows: number }>`
      select s.confirmed_count as stored, (select count(*) from registration r where r.session_id = s.id and r.status = 'confirmed')::int as rows
      from session s where s.id = ${session.id}`.execute(t.db);
    expect(counts.rows[0]).toEqual({ stored: 30, rows: 30 });
  });

  it('the calendar attachment is RFC 5545: CRLF, lines of at most 75 octets, TZID with a VTIMEZONE', async () => {
    const mail = t.smtp!.messages.find((m) => /seat opened up/.test(m.subject))!;
    const ics = icsOf(mail);
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).toMatch(/\r\nDTSTART;TZID=America\/Chicago:\d{8}T0[89]0000\r\n/);
    expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:America/Chicago\r\n');
    expect(ics).toMatch(/ORGANIZER;CN=[^:]+:mailto:/);
    expect(mail.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
  });
});

describe('concurrency over HTTP', () => {
  it('500 simultaneous registrations by distinct signed-in officials for a 30-seat session: exactly 30 confirmed, 470 waitlisted, no 5xx', async () => {
    // A second app on its own database, without SMTP (the e-mails are stored), listening on a real port.
    const rush = await createTestApp();
    const courseId = (await buildCourse(rush.db)).id;
    const staff = await quickClient(rush, ['coordinator']);
    const event = await staff.request('POST', '/api/events', { title: 'Annual Conference' });
    const created = await staff.request('POST', '/api/sessions', {
      eventId: event.json.id,
      courseId,
      startsAt: '2030-06-10T09:00:00-05:00',
      endsAt: '2030-06-10T12:00:00-05:00',
      timeZone: 'America/Chicago',
      venue: 'Ballroom A',
      capacity: 30,
    });
    expect(created.status, created.body).toBe(201);
    const session = created.json as { id: string };
    const officials = [];
    for (let i = 0; i < 500; i++) officials.push(await quickClient(rush));
    const address = await rush.app.listen({ port: 0, host: '127.0.0.1' });
    const results = await Promise.all(
      officials.map(async (o) => {
        const res = await fetch(`${address}/api/sessions/${session.id}/registrations`, {
          method: 'POST',
          headers: { cookie: o.cookie, 'x-csrf-token': o.csrf, 'content-type': 'application/json' },
          body: '{}',
        });
        return {
          status: res.status,
          body: (await res.json()) as { status: string; waitlistPosition: number | null },
        };
      }),
    );
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(results.filter((r) => r.body.status === 'confirmed')).toHaveLength(30);
    expect(results.filter((r) => r.body.status === 'waitlisted')).toHaveLength(470);
    const positions = results
      .flatMap((r) => (r.body.waitlistPosition ? [r.body.waitlistPosition] : []))
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 470 }, (_, i) => i + 1));
    const rows = await rush.db
      .selectFrom('registration')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('session_id', '=', session.id)
      .groupBy('status')
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))).toEqual({
      confirmed: 30,
      waitlisted: 470,
    });
    const s = await rush.db
      .selectFrom('session')
      .select(['confirmed_count', 'status'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(s).toEqual({ confirmed_count: 30, status: 'full' });
    await rush.close();
  });

  it('the database refuses more confirmed seats than the capacity even without the lock', async () => {
    const session = await schedule({ capacity: 2 });
    await expect(
      t.db.updateTable('session').set({ confirmed_count: 3 }).where('id', '=', session.id).execute(),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('promotion skips people who are no longer eligible', () => {
  it('promotes the first eligible waitlisted person in join order; the ineligible one stays waiting', async () => {
    const prereq = await buildCourse(t.db, { code: 'KS-PRE-1' });
    const course = await buildCourse(t.db, { prerequisites: [prereq.code] });
    const session = await schedule({ capacity: 1, courseId: course.id });
    const [seated, early, late] = [await quickClient(t), await quickClient(t), await quickClient(t)];
    const credits = new Map<string, string>();
    for (const o of [seated, early, late])
      credits.set(o.personId, await buildCredit(t.db, o.personId, { courseCode: prereq.code }));

    // Without the prerequisite, registration is refused with the reason.
    const outsider = await quickClient(t);
    const refused = await outsider.request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toMatch(/KS-PRE-1 first/);

    for (const o of [seated, early, late])
      expect((await o.request('POST', `/api/sessions/${session.id}/registrations`, {})).status).toBe(201);
    const seatedReg = (await seated.request('GET', '/api/me/registrations')).json.items[0].registration;

    // The early waiter's prerequisite completion is corrected away.
    const rev = await coordinator.request('POST', `/api/credits/${credits.get(early.personId)}/reverse`, {
      reason: 'Entered for the wrong person',
    });
    expect(rev.status, rev.body).toBe(201);

    expect((await seated.request('POST', `/api/registrations/${seatedReg.id}/cancel`, {})).status).toBe(200);
    const lateView = await late.request('GET', `/api/sessions/${session.id}`);
    expect(lateView.json.myRegistration.status).toBe('confirmed');
    const earlyView = await early.request('GET', `/api/sessions/${session.id}`);
    expect(earlyView.json.myRegistration).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'registration.promote')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect((audit.after as { skipped: string[] }).skipped).toHaveLength(1);
  });

  it('keeps renewal courses for certified officials', async () => {
    const renewal = await buildCourse(t.db, {
      renewal: true,
      credits: [{ category: 'advance-renewal', amount: 3 }],
    });
    const session = await schedule({ capacity: 5, courseId: renewal.id });
    const uncertified = await quickClient(t);
    const r = await uncertified.request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(r.status).toBe(409);
    expect(r.json.detail).toMatch(/only to certified officials/);
    const certified = await quickClient(t);
    await t.db
      .insertInto('award')
      .values({
        program_id: ks,
        person_id: certified.personId,
        awarded_on: '2025-12-01',
        number: 'KS-2025-001',
        revoked_on: null,
        revoked_reason: null,
      })
      .execute();
    expect((await certified.request('POST', `/api/sessions/${session.id}/registrations`, {})).status).toBe(
      201,
    );
  });
});

describe('capacity changes', () => {
  it('raising the capacity promotes at once; lowering it below the confirmed count is refused and drops nobody', async () => {
    const session = await schedule({ capacity: 2 });
    const people = [await quickClient(t), await quickClient(t), await quickClient(t), await quickClient(t)];
    for (const p of people) await p.request('POST', `/api/sessions/${session.id}/registrations`, {});

    const raised = await coordinator.request('PATCH', `/api/sessions/${session.id}`, { capacity: 3 });
    expect(raised.status, raised.body).toBe(200);
    expect(raised.json).toMatchObject({ capacity: 3, confirmedCount: 3, waitlistCount: 1, status: 'full' });
    expect(raised.json.sequence).toBe(session.sequence + 1);
    expect((await people[2]!.request('GET', `/api/sessions/${session.id}`)).json.myRegistration.status).toBe(
      'confirmed',
    );
    await t.smtp!.waitFor((m) => m.to.includes(people[2]!.email) && /seat opened up/.test(m.subject));

    const lowered = await coordinator.request('PATCH', `/api/sessions/${session.id}`, { capacity: 2 });
    expect(lowered.status).toBe(409);
    expect(lowered.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(lowered.json.errors).toEqual([
      { field: 'capacity', message: expect.stringMatching(/3 people are confirmed/) },
    ]);
    const after = await coordinator.request('GET', `/api/sessions/${session.id}`);
    expect(after.json).toMatchObject({ capacity: 3, confirmedCount: 3 });
  });
});

describe('bad input', () => {
  it('names the field: an end before the start, a capacity that is not a number, an unknown time zone', async () => {
    const course = await buildCourse(t.db);
    const event = (await coordinator.request('POST', '/api/events', { title: 'Bad input' })).json;
    const base = {
      eventId: event.id,
      courseId: course.id,
      startsAt: '2030-04-12T09:00:00-05:00',
      endsAt: '2030-04-12T12:00:00-05:00',
      timeZone: 'America/Chicago',
      venue: 'Hall',
      capacity: 30,
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ endsAt: '2030-04-12T08:00:00-05:00' }, 'endsAt'],
      [{ capacity: 'thirty' }, 'capacity'],
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ minimum: 31 }, 'minimum'],
    ];
    for (const [change, field] of cases) {
      const res = await coordinator.request('POST', '/api/sessions', { ...base, ...change });
      expect(res.status, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('the checks before the seat is taken (the person and their registration, read in one statement)', () => {
  it('refuses a second registration, on a seat or on the waitlist, naming which; and names personId for no such person', async () => {
    const session = await schedule({ capacity: 1 });
    const seated = await quickClient(t);
    const waiting = await quickClient(t);
    const ids: string[] = [];
    for (const o of [seated, waiting]) {
      const r = await o.request('POST', `/api/sessions/${session.id}/registrations`, {});
      expect(r.status, r.body).toBe(201);
      ids.push(r.json.id);
    }
    const again = await seated.request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(again.status).toBe(409);
    expect(again.json.detail).toBe('Already registered (or on the waitlist) for this session.');
    const waitingAgain = await waiting.request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(waitingAgain.status).toBe(409);
    expect(waitingAgain.json.detail).toBe('Already on the waitlist for this session.');
    // A cancelled registration is no obstacle to registering again (onto the waitlist: the seat is taken).
    const cancelled = await waiting.request('POST', `/api/registrations/${ids[1]}/cancel`, {});
    expect(cancelled.status, cancelled.body).toBe(200);
    const back = await waiting.request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(back.status, back.body).toBe(201);
    expect(back.json).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    const nobody = await coordinator.request('POST', `/api/sessions/${session.id}/registrations`, {
      personId: '00000000-0000-4000-8000-000000000000',
    });
    expect(nobody.status).toBe(400);
    expect(nobody.json.errors.map((e: { field: string }) => e.field)).toEqual(['personId']);
    const counts = await t.db
      .selectFrom('registration')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('session_id', '=', session.id)
      .groupBy('status')
      .orderBy('status')
      .execute();
    expect(counts.map((c) => [c.status, Number(c.n)])).toEqual([
      ['cancelled', 1],
      ['confirmed', 1],
      ['waitlisted', 1],
    ]);
  });
});
