/**
 * Attendance with minutes → credit records in the same transaction →
 * progress from the rules engine at once; corrections as reversing records;
 * the ledger refuses UPDATE and DELETE; QR check-in; the PDF sign-in sheet;
 * the private calendar feed; reminders.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildCourse, programId, quickClient } from '../../testing/scheduling.js';
import { sendDueReminders } from '../sessions/messages.js';

let t: TestApp;
let coordinator: Client;
let instructor: Client & { email: string };
let official: Client & { email: string };
let sessionId: string;
let checkinCode: string;
const start = new Date('2027-04-12T14:00:00Z'); // 09:00 in Topeka (CDT)

beforeAll(async () => {
  t = await createTestApp({ smtp: true });
  t.clock.now = new Date('2027-03-01T15:00:00Z');
  coordinator = await quickClient(t, ['coordinator']);
  instructor = await quickClient(t, ['instructor'], { firstName: 'Samuel', lastName: 'Whitehorse' });
  official = await quickClient(t, ['official'], { firstName: 'Dana', lastName: 'Kessler' });
  const ks = await programId(t.db);
  // The catalog course carries the program's course code, so the rules engine sees a completion of it.
  const course = await buildCourse(t.db, { code: 'KS-Y1-01', title: 'Planning for an Election' });
  const enrolled = await coordinator.request('POST', `/api/programs/${ks}/enrollments`, {
    personId: official.personId,
    enrolledOn: '2027-01-10',
    feeStatus: 'waived',
  });
  expect(enrolled.status, enrolled.body).toBe(201);
  const event = await coordinator.request('POST', '/api/events', { title: 'Year One, Spring 2027, Topeka' });
  const s = await coordinator.request('POST', '/api/sessions', {
    eventId: event.json.id,
    courseId: course.id,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
    timeZone: 'America/Chicago',
    venue: 'Memorial Building',
    address: '120 SW 10th Ave, Topeka, KS 66612',
    capacity: 25,
    minimum: 5,
    instructorIds: [instructor.personId],
  });
  expect(s.status, s.body).toBe(201);
  sessionId = s.json.id;
  const reg = await official.request('POST', `/api/sessions/${sessionId}/registrations`, {});
  expect(reg.json.status).toBe('confirmed');
  checkinCode = (
    await t.db
      .selectFrom('session')
      .select('checkin_code')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow()
  ).checkin_code;
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

const yearOne = async (who: Client, url = '/api/me/progress') => {
  const res = await who.request('GET', url);
  expect(res.status, res.body).toBe(200);
  const ks = res.json.programs.find(
    (p: { program: { code: string } }) => p.program.code === 'ks-county-election-official',
  );
  return { program: ks, node: ks.nodes.find((n: { id: string }) => n.id === 'year-one') };
};

const cachedStatus = async () =>
  (
    await t.db
      .selectFrom('certification_status as c')
      .innerJoin('program as p', 'p.id', 'c.program_id')
      .select('c.status')
      .where('c.person_id', '=', official.personId)
      .where('p.code', '=', 'ks-county-election-official')
      .executeTakeFirst()
  )?.status;

describe('reminders and the calendar feed', () => {
  it('sends one reminder with the calendar entry N days before, and never twice', async () => {
    t.clock.now = new Date(start.getTime() - 2 * 86_400_000);
    expect(await sendDueReminders(t.deps, 3)).toBe(1);
    expect(await sendDueReminders(t.deps, 3)).toBe(0);
    const mail = await t.smtp!.waitFor((m) => m.to.includes(official.email) && /^Reminder/.test(m.subject));
    expect(mail.text).toContain('Memorial Building');
  });

  it('serves a private iCal feed by secret URL, without a cookie', async () => {
    const feed = await official.request('POST', '/api/me/calendar-feed');
    expect(feed.status).toBe(200);
    const url = new URL(feed.json.url);
    const res = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.body).toContain(`UID:session-${sessionId}@civiccert`);
    expect(res.body).toContain('DTSTART;TZID=America/Chicago:20270412T090000');
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/api/calendar-feed?token=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    });
    expect(wrong.statusCode).toBe(404);
  });
});

describe('attendance → credits → progress', () => {
  it('refuses attendance before the session starts', async () => {
    const res = await instructor.request('POST', `/api/sessions/${sessionId}/attendance/all-present`, {});
    expect(res.status).toBe(409);
  });

  it('checks in with the QR code; a wrong code names the field', async () => {
    t.clock.now = new Date(start.getTime() + 5 * 60_000);
    const qr = await instructor.request('GET', `/api/sessions/${sessionId}/check-in-code`);
    expect(qr.status).toBe(200);
    expect(qr.json.url).toBe(
      `http://localhost:3000/check-in/${sessionId}?code=${encodeURIComponent(checkinCode)}`,
    );
    expect(qr.json.svg).toMatch(/^<svg/);
    expect(qr.json.pngDataUrl).toMatch(/^data:image\/png;base64,/);
    const wrong = await official.request('POST', `/api/sessions/${sessionId}/check-in`, {
      code: 'not-the-code',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors[0].field).toBe('code');
    const ok = await official.request('POST', `/api/sessions/${sessionId}/check-in`, { code: checkinCode });
    expect(ok.status, ok.body).toBe(200);
  });

  it('lets only the session’s instructors and coordinators see the roster', async () => {
    const other = await quickClient(t, ['instructor']);
    expect((await other.request('GET', `/api/sessions/${sessionId}/roster`)).status).toBe(403);
    expect((await official.request('GET', `/api/sessions/${sessionId}/roster`)).status).toBe(403);
    const roster = await instructor.request('GET', `/api/sessions/${sessionId}/roster`);
    expect(roster.status).toBe(200);
    expect(roster.json.confirmed).toEqual([
      expect.objectContaining({
        personId: official.personId,
        displayName: 'Dana Kessler',
        minutesAttended: null,
        credits: 0,
        checkedInAt: expect.any(String),
      }),
    ]);
  });

  it('progress shows nothing before attendance, then the course right after "all present"', async () => {
    t.clock.now = new Date(start.getTime() + 4 * 3_600_000);
    const before = await yearOne(official);
    expect(before.node).toMatchObject({ met: false, have: 0, need: 3 });

    const all = await instructor.request('POST', `/api/sessions/${sessionId}/attendance/all-present`, {
      onlyCheckedIn: true,
    });
    expect(all.status, all.body).toBe(200);
    expect(all.json.confirmed[0]).toMatchObject({ minutesAttended: 180, credits: 3 });
    expect(all.json.session.status).toBe('completed');

    const after = await yearOne(official);
    expect(after.node).toMatchObject({ have: 1, need: 3 });
    expect(after.node.counted[0]).toMatchObject({ courseCode: 'KS-Y1-01', date: '2027-04-12' });
    expect(after.program.status).toBe('in_progress');

    // Staff see the same, for the person.
    const staffView = await yearOne(coordinator, `/api/people/${official.personId}/progress`);
    expect(staffView.node.have).toBe(1);
    // As of a date before the session, it did not count yet.
    const earlier = await yearOne(official, '/api/me/progress?asOf=2027-04-11');
    expect(earlier.node.have).toBe(0);
  });

  it('an edit below the completion rule reverses the credit with a reason, and progress drops at once', async () => {
    const roster = (await instructor.request('GET', `/api/sessions/${sessionId}/roster`)).json;
    const regId = roster.confirmed[0].registrationId;
    const edit = await instructor.request('PUT', `/api/sessions/${sessionId}/attendance`, {
      entries: [{ registrationId: regId, minutesAttended: 120 }],
    });
    expect(edit.status, edit.body).toBe(200);
    expect(edit.json.confirmed[0]).toMatchObject({ minutesAttended: 120, credits: 0 });
    const ledger = (await official.request('GET', '/api/me/credits')).json.items;
    expect(ledger).toHaveLength(2);
    expect(ledger[1]).toMatchObject({
      amount: -3,
      reversesId: ledger[0].id,
      reason: 'Attendance recorded as 120 of 180 minutes.',
    });
    expect(ledger[0].reversedById).toBe(ledger[1].id);
    expect((await yearOne(official)).node.have).toBe(0);
    // The stored status (lists, dashboards, notices) was recomputed in the same request, not by a sweep.
    expect(await cachedStatus()).toBe('not_started');

    // Back to 165 minutes (over 90%): a new record, the reversal stays in the history.
    await instructor.request('PUT', `/api/sessions/${sessionId}/attendance`, {
      entries: [{ registrationId: regId, minutesAttended: 165 }],
    });
    expect((await official.request('GET', '/api/me/credits')).json.items).toHaveLength(3);
    expect((await yearOne(official)).node.have).toBe(1);
    expect(await cachedStatus()).toBe('in_progress');
  });

  it('partial credit only where the program allows it', async () => {
    const igo = await programId(t.db, 'igo-cpo');
    const course = await buildCourse(t.db, {
      programCode: 'igo-cpo',
      credits: [{ category: 'management', amount: 2 }],
      durationMinutes: 120,
    });
    const start2 = new Date(t.clock.now.getTime() + 86_400_000);
    const event = (await coordinator.request('POST', '/api/events', { title: 'iGO webinar' })).json;
    const s = (
      await coordinator.request('POST', '/api/sessions', {
        eventId: event.id,
        courseId: course.id,
        startsAt: start2.toISOString(),
        endsAt: new Date(start2.getTime() + 2 * 3_600_000).toISOString(),
        timeZone: 'America/New_York',
        venue: 'Online',
        capacity: 100,
        instructorIds: [instructor.personId],
      })
    ).json;
    const reg = (await official.request('POST', `/api/sessions/${s.id}/registrations`, {})).json;
    t.clock.now = new Date(start2.getTime() + 3 * 3_600_000);
    const record = () =>
      instructor.request('PUT', `/api/sessions/${s.id}/attendance`, {
        entries: [{ registrationId: reg.id, minutesAttended: 60 }],
      });
    expect((await record()).json.confirmed[0].credits).toBe(0);
    await t.db.updateTable('program').set({ partial_credit: true }).where('id', '=', igo).execute();
    expect((await record()).json.confirmed[0].credits).toBe(1);
  });
});

describe('the ledger', () => {
  it('is append-only: UPDATE and DELETE are refused by the database', async () => {
    const id = (await official.request('GET', '/api/me/credits')).json.items[0].id;
    await expect(sql`update credit_record set amount = 99 where id = ${id}`.execute(t.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from credit_record where id = ${id}`.execute(t.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('a coordinator corrects a record with a reversing record and a reason; a second reversal is refused', async () => {
    const items = (await official.request('GET', '/api/me/credits')).json.items;
    const live = items.find(
      (i: { reversesId: string | null; reversedById: string | null }) => !i.reversesId && !i.reversedById,
    );
    const res = await coordinator.request('POST', `/api/credits/${live.id}/reverse`, {
      reason: 'Signed in for a colleague',
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({
      reversesId: live.id,
      amount: -live.amount,
      reason: 'Signed in for a colleague',
    });
    expect(
      (await coordinator.request('POST', `/api/credits/${live.id}/reverse`, { reason: 'again' })).status,
    ).toBe(409);
    const noReason = await coordinator.request('POST', `/api/credits/${live.id}/reverse`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.json.errors[0].field).toBe('reason');
  });
});

describe('the date of attendance credit', () => {
  it('an evening session in Chicago earns credit dated that evening in Chicago, not the next day in UTC', async () => {
    // 19:00-22:00 CDT on April 20 is 00:00-03:00 UTC on April 21.
    const evening = new Date('2027-04-20T19:00:00-05:00');
    t.clock.now = new Date('2027-04-15T15:00:00Z');
    const course = await buildCourse(t.db, { code: 'KS-Y1-02', title: 'Voter Registration' });
    const event = (await coordinator.request('POST', '/api/events', { title: 'Year One evening class' }))
      .json;
    const s = await coordinator.request('POST', '/api/sessions', {
      eventId: event.id,
      courseId: course.id,
      startsAt: evening.toISOString(),
      endsAt: new Date(evening.getTime() + 3 * 3_600_000).toISOString(),
      timeZone: 'America/Chicago',
      venue: 'Memorial Building',
      capacity: 25,
      instructorIds: [instructor.personId],
    });
    expect(s.status, s.body).toBe(201);
    const reg = await official.request('POST', `/api/sessions/${s.json.id}/registrations`, {});
    expect(reg.status, reg.body).toBe(201);
    t.clock.now = new Date('2027-04-20T22:30:00-05:00');
    const att = await instructor.request('PUT', `/api/sessions/${s.json.id}/attendance`, {
      entries: [{ registrationId: reg.json.id, minutesAttended: 180 }],
    });
    expect(att.status, att.body).toBe(200);
    const credit = (await official.request('GET', '/api/me/credits')).json.items.find(
      (i: { sessionId: string | null }) => i.sessionId === s.json.id,
    );
    expect(credit).toMatchObject({ earnedOn: '2027-04-20', amount: 3, courseCode: 'KS-Y1-02' });
    // So it counts by a deadline of April 20: progress as of that day includes it.
    const asOfThatDay = await yearOne(official, '/api/me/progress?asOf=2027-04-20');
    expect(asOfThatDay.node.counted).toContainEqual(
      expect.objectContaining({ courseCode: 'KS-Y1-02', date: '2027-04-20' }),
    );
  });

  it('progress ?asOf takes an instant and evaluates the date it is in the program zone', async () => {
    // 04:30 UTC on April 20 is still April 19 in Chicago: the April 20 evening class is not counted yet.
    const before = await official.request('GET', '/api/me/progress?asOf=2027-04-20T04:30:00Z');
    expect(before.status, before.body).toBe(200);
    expect(before.json.asOf).toBe('2027-04-19');
    // 04:30 UTC on April 21 is 23:30 on April 20 in Chicago: it counts.
    const after = await yearOne(official, '/api/me/progress?asOf=2027-04-21T04:30:00Z');
    expect(after.node.counted).toContainEqual(
      expect.objectContaining({ courseCode: 'KS-Y1-02', date: '2027-04-20' }),
    );
    const stillBefore = await yearOne(official, '/api/me/progress?asOf=2027-04-20T04:30:00Z');
    expect(stillBefore.node.counted).not.toContainEqual(expect.objectContaining({ courseCode: 'KS-Y1-02' }));
    const bad = await official.request('GET', '/api/me/progress?asOf=2027-04-20T25:00:00Z');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body).toContain('asOf');
  });
});

describe('sign-in sheet', () => {
  it('renders a PDF with the embedded font, the same bytes every time', async () => {
    const a = await instructor.request('GET', `/api/sessions/${sessionId}/sign-in-sheet`);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/pdf');
    expect(a.headers['cache-control']).toBe('private, no-store');
    expect(a.body.startsWith('%PDF-')).toBe(true);
    expect(a.body.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(a.body).toMatch(/FontFile2/);
    expect(a.body).toMatch(/DejaVuSans/);
    const b = await instructor.request('GET', `/api/sessions/${sessionId}/sign-in-sheet`);
    expect(b.body).toBe(a.body);
  });
});
