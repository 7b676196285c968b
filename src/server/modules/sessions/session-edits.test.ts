/**
 * Editing a session re-checks everything creating one checks, against the
 * merged result; registrations already made survive a moved registration
 * window. And the per-session calendar download: same UID as the e-mails,
 * SEQUENCE that rises with every change, METHOD:CANCEL once cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientWithRoles, createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildCourse, icsOf, programId, quickClient } from '../../testing/scheduling.js';

let t: TestApp;
let coordinator: Client;
let ks: string;
beforeAll(async () => {
  t = await createTestApp({ smtp: true });
  coordinator = await clientWithRoles(t, ['coordinator'], { firstName: 'Robin', lastName: 'Alvarez' });
  ks = await programId(t.db);
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A session 40 days ahead at 14:00 UTC for three hours, registration open now until two days before. */
async function schedule(extra: Record<string, unknown> = {}, format?: 'webinar') {
  const course = await buildCourse(t.db, format ? { format } : {});
  const event = await coordinator.request('POST', '/api/events', {
    title: 'Year Two, Fall, Wichita',
    programId: ks,
  });
  const start = new Date(Date.now() + 40 * DAY);
  start.setUTCHours(14, 0, 0, 0);
  const res = await coordinator.request('POST', '/api/sessions', {
    eventId: event.json.id,
    courseId: course.id,
    startsAt: iso(start.getTime()),
    endsAt: iso(start.getTime() + 3 * 3_600_000),
    timeZone: 'America/Chicago',
    ...(format ? { webinarUrl: 'https://meet.example.gov/ks-y2' } : { venue: 'Sedgwick County Courthouse' }),
    capacity: 20,
    minimum: 5,
    registrationOpensAt: iso(Date.now() - DAY),
    registrationClosesAt: iso(start.getTime() - 2 * DAY),
    ...extra,
  });
  expect(res.status, res.body).toBe(201);
  return { id: res.json.id as string, start: start.getTime() };
}

const fieldsOf = (json: { errors?: { field: string }[] }) => (json.errors ?? []).map((e) => e.field);
const uidOf = (ics: string) => /\r\nUID:([^\r]+)\r\n/.exec(ics.replace(/\r\n /g, ''))?.[1];
const seqOf = (ics: string) => Number(/\r\nSEQUENCE:(\d+)\r\n/.exec(ics)?.[1]);
const methodOf = (ics: string) => /\r\nMETHOD:([A-Z]+)\r\n/.exec(ics)?.[1];

describe('editing a session re-checks the rules of a new session against the merged result', () => {
  it('refuses each broken invariant with 400 naming the field, and changes nothing', async () => {
    const s = await schedule();
    const before = (await coordinator.request('GET', `/api/sessions/${s.id}`)).json;
    const cases: [Record<string, unknown>, string][] = [
      // Only one side moves; the other comes from what is stored.
      [{ registrationClosesAt: iso(s.start + 3_600_000) }, 'registrationClosesAt'],
      [{ startsAt: iso(s.start - 3 * DAY) }, 'registrationClosesAt'],
      [{ registrationOpensAt: iso(s.start - DAY) }, 'registrationClosesAt'],
      [{ registrationOpensAt: iso(s.start + 60_000), registrationClosesAt: null }, 'registrationOpensAt'],
      [{ endsAt: iso(s.start - 60_000) }, 'endsAt'],
      [{ startsAt: iso(s.start + 4 * 3_600_000) }, 'endsAt'],
      [{ minimum: 21 }, 'minimum'],
      [{ timeZone: 'America/Topeka' }, 'timeZone'],
      [{ venue: null }, 'venue'],
    ];
    for (const [change, field] of cases) {
      const res = await coordinator.request('PATCH', `/api/sessions/${s.id}`, change);
      expect(res.status, `${JSON.stringify(change)} → ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(fieldsOf(res.json), JSON.stringify(change)).toEqual([field]);
    }
    const after = (await coordinator.request('GET', `/api/sessions/${s.id}`)).json;
    expect(after).toEqual(before);
  });

  it('a webinar cannot lose its link', async () => {
    const s = await schedule({}, 'webinar');
    const res = await coordinator.request('PATCH', `/api/sessions/${s.id}`, { webinarUrl: null });
    expect(res.status, res.body).toBe(400);
    expect(fieldsOf(res.json)).toEqual(['webinarUrl']);
  });

  it('creating a session checks the same window rules', async () => {
    const course = await buildCourse(t.db);
    const event = await coordinator.request('POST', '/api/events', { title: 'Rules on create' });
    const res = await coordinator.request('POST', '/api/sessions', {
      eventId: event.json.id,
      courseId: course.id,
      startsAt: '2031-04-12T09:00:00-05:00',
      endsAt: '2031-04-12T12:00:00-05:00',
      timeZone: 'America/Chicago',
      venue: 'Hall',
      capacity: 30,
      registrationClosesAt: '2031-04-12T10:00:00-05:00',
    });
    expect(res.status, res.body).toBe(400);
    expect(fieldsOf(res.json)).toEqual(['registrationClosesAt']);
  });

  it('a valid edit of the window keeps existing registrations; only new registrations use the new window', async () => {
    const s = await schedule();
    const early = await quickClient(t, ['official'], { lastName: 'Early' });
    const reg = await early.request('POST', `/api/sessions/${s.id}/registrations`, {});
    expect(reg.status, reg.body).toBe(201);
    expect(reg.json.status).toBe('confirmed');

    // Registration now opens a week from today: a valid window, later than the existing registration.
    const moved = await coordinator.request('PATCH', `/api/sessions/${s.id}`, {
      registrationOpensAt: iso(Date.now() + 7 * DAY),
    });
    expect(moved.status, moved.body).toBe(200);
    expect(moved.json).toMatchObject({ confirmedCount: 1, seatsLeft: 19 });
    const mine = await early.request('GET', `/api/sessions/${s.id}`);
    expect(mine.json.myRegistration).toMatchObject({ id: reg.json.id, status: 'confirmed' });

    const late = await quickClient(t, ['official'], { lastName: 'Late' });
    const refused = await late.request('POST', `/api/sessions/${s.id}/registrations`, {});
    expect(refused.status, refused.body).toBe(409);
    expect(refused.json.detail).toMatch(/Registration opens on/);

    // Closing registration already (a time in the past) is also valid and keeps the seat.
    const closed = await coordinator.request('PATCH', `/api/sessions/${s.id}`, {
      registrationOpensAt: iso(Date.now() - 2 * DAY),
      registrationClosesAt: iso(Date.now() - DAY),
    });
    expect(closed.status, closed.body).toBe(200);
    expect(closed.json.confirmedCount).toBe(1);
    const stillRefused = await late.request('POST', `/api/sessions/${s.id}/registrations`, {});
    expect(stillRefused.status).toBe(409);
    expect(stillRefused.json.detail).toMatch(/has closed/);
  });
});

describe('GET /api/sessions/:id/calendar.ics', () => {
  it('is a single-event calendar with the confirmation e-mail’s UID, a rising SEQUENCE, and CANCEL once cancelled', async () => {
    const s = await schedule();
    const official = await quickClient(t, ['official'], { firstName: 'Casey', lastName: 'Nguyen' });
    expect((await official.request('POST', `/api/sessions/${s.id}/registrations`, {})).status).toBe(201);
    const mail = await t.smtp!.waitFor(
      (m) => m.to.includes(official.email) && /You are registered/.test(m.subject),
    );
    const emailed = icsOf(mail);

    const first = await official.request('GET', `/api/sessions/${s.id}/calendar.ics`);
    expect(first.status, first.body).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8/);
    expect(String(first.headers['content-disposition'])).toMatch(/^attachment; filename=".+\.ics"$/);
    const ics = first.body;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(methodOf(ics)).toBe('PUBLISH');
    expect(uidOf(ics)).toBe(uidOf(emailed));
    expect(uidOf(ics)).toBe(`session-${s.id}@civiccert`);
    expect(seqOf(ics)).toBe(seqOf(emailed));
    const dtstart = (doc: string) => /\r\n(DTSTART;TZID=America\/Chicago:\d{8}T\d{6})\r\n/.exec(doc)?.[1];
    expect(dtstart(ics)).toBeDefined();
    expect(dtstart(ics)).toBe(dtstart(emailed));
    expect(ics).toMatch(/\r\nBEGIN:VTIMEZONE\r\nTZID:America\/Chicago\r\n/);
    expect(ics).toMatch(/\r\nSTATUS:CONFIRMED\r\n/);

    // Someone who is not registered (any signed-in role can see sessions) gets the same entry.
    const instructor = await clientWithRoles(t, ['instructor']);
    const theirs = await instructor.request('GET', `/api/sessions/${s.id}/calendar.ics`);
    expect(theirs.status).toBe(200);
    expect(uidOf(theirs.body)).toBe(uidOf(ics));

    const moved = await coordinator.request('PATCH', `/api/sessions/${s.id}`, {
      venue: 'Sedgwick County Courthouse, Room 4',
    });
    expect(moved.status, moved.body).toBe(200);
    const afterEdit = (await official.request('GET', `/api/sessions/${s.id}/calendar.ics`)).body;
    expect(seqOf(afterEdit)).toBeGreaterThan(seqOf(ics));
    expect(afterEdit.replace(/\r\n /g, '')).toMatch(/\r\nLOCATION:Sedgwick County Courthouse\\, Room 4\r\n/);
    const changedMail = await t.smtp!.waitFor(
      (m) => m.to.includes(official.email) && /Session changed/.test(m.subject),
    );
    expect(seqOf(afterEdit)).toBe(seqOf(icsOf(changedMail)));

    const cancelled = await coordinator.request('POST', `/api/sessions/${s.id}/cancel`, {
      reason: 'Courthouse closed for repairs',
    });
    expect(cancelled.status, cancelled.body).toBe(200);
    const afterCancel = (await official.request('GET', `/api/sessions/${s.id}/calendar.ics`)).body;
    expect(methodOf(afterCancel)).toBe('CANCEL');
    expect(afterCancel).toMatch(/\r\nSTATUS:CANCELLED\r\n/);
    expect(uidOf(afterCancel)).toBe(uidOf(ics));
    expect(seqOf(afterCancel)).toBeGreaterThan(seqOf(afterEdit));
  });

  it('is public like the session page (issue 17), and says which session is missing', async () => {
    const s = await schedule();
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/sessions/${s.id}/calendar.ics` });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.body).toContain('BEGIN:VEVENT');
    const missing = await coordinator.request(
      'GET',
      '/api/sessions/00000000-0000-4000-8000-000000000000/calendar.ics',
    );
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    const bad = await coordinator.request('GET', '/api/sessions/not-an-id/calendar.ics');
    expect(bad.status).toBe(400);
  });
});
