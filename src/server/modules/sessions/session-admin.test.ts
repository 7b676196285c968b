/**
 * What the coordinators' screens need to say after a change: the answer to a
 * session edit and to a registration cancellation names the people moved from
 * the waitlist (who were e-mailed), so the page can say who got a seat.
 * Scheduling a session in a new event commits both or neither, and warns of a
 * start in the past; the roster says why minutes below the completion share
 * earned no credit; a session tells its viewer they already completed the
 * course, so the page can warn before registering again.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  type Client,
  type TestApp,
} from '../../testing/harness.js';
import {
  buildCourse,
  buildCredit,
  buildRegistration,
  buildSession,
  quickClient,
} from '../../testing/scheduling.js';

let t: TestApp;
let coordinator: Client;
beforeAll(async () => {
  t = await createTestApp({ smtp: true });
  coordinator = await clientWithRoles(t, ['coordinator'], { firstName: 'Dana', lastName: 'Reyes' });
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

interface Named {
  registrationId: string;
  personId: string;
  displayName: string;
}

describe('session edits and cancellations report who was promoted', () => {
  it('a raised capacity lists the promoted people in waitlist order; a cancelled seat lists its successor', async () => {
    const s = await buildSession(t.db, { capacity: 2, minimum: 0 });
    const confirmed = [];
    for (const lastName of ['Abbott', 'Baker']) {
      const p = await buildPerson(t.db, { firstName: 'Ann', lastName });
      confirmed.push(await buildRegistration(t.db, s.id, p.personId, 'confirmed'));
    }
    const waiting: { id: string; email: string }[] = [];
    for (const lastName of ['Chen', 'Diaz', 'Evans']) {
      const p = await buildPerson(t.db, { firstName: 'Bo', lastName });
      waiting.push({ id: await buildRegistration(t.db, s.id, p.personId, 'waitlisted'), email: p.email });
    }

    // Below the confirmed count: refused on the capacity field, nothing promoted or changed.
    const low = await coordinator.request('PATCH', `/api/sessions/${s.id}`, { capacity: 1 });
    expect(low.status).toBe(409);
    expect(low.json.errors[0].field).toBe('capacity');

    // An edit that frees no seat promotes no one, and says so.
    const same = await coordinator.request('PATCH', `/api/sessions/${s.id}`, { minimum: 1 });
    expect(same.status, same.body).toBe(200);
    expect(same.json.promoted).toEqual([]);
    expect(same.json.skipped).toEqual([]);

    const raised = await coordinator.request('PATCH', `/api/sessions/${s.id}`, { capacity: 4 });
    expect(raised.status, raised.body).toBe(200);
    expect(raised.json.capacity).toBe(4);
    expect(raised.json.confirmedCount).toBe(4);
    expect(raised.json.waitlistCount).toBe(1);
    expect((raised.json.promoted as Named[]).map((p) => p.displayName)).toEqual(['Bo Chen', 'Bo Diaz']);
    expect((raised.json.promoted as Named[]).map((p) => p.registrationId)).toEqual([
      waiting[0]!.id,
      waiting[1]!.id,
    ]);
    await t.smtp!.waitFor((m) => m.to.includes(waiting[1]!.email) && /seat opened up/.test(m.subject));

    // A coordinator cancels a confirmed seat: the next on the waitlist gets it, by name.
    const cancel = await coordinator.request('POST', `/api/registrations/${confirmed[0]}/cancel`, {
      reason: 'Asked by phone to be taken off.',
    });
    expect(cancel.status, cancel.body).toBe(200);
    expect(cancel.json.status).toBe('cancelled');
    expect((cancel.json.promoted as Named[]).map((p) => p.displayName)).toEqual(['Bo Evans']);
    await t.smtp!.waitFor((m) => m.to.includes(waiting[2]!.email) && /seat opened up/.test(m.subject));

    // Nobody left waiting: the next cancellation promotes no one.
    const again = await coordinator.request('POST', `/api/registrations/${confirmed[1]}/cancel`, {
      reason: 'Moved to another county.',
    });
    expect(again.status, again.body).toBe(200);
    expect(again.json.promoted).toEqual([]);
  });
});

describe('a session that is over keeps its registrations', () => {
  /** One confirmed seat and one person waiting, in a session that ended yesterday. */
  async function pastSession() {
    const s = await buildSession(t.db, {
      capacity: 1,
      minimum: 0,
      startsAt: new Date(t.clock.now.getTime() - 86_400_000),
    });
    const seated = await quickClient(t, ['official']);
    const waiting = await quickClient(t, ['official']);
    const seat = await buildRegistration(t.db, s.id, seated.personId, 'confirmed');
    const queued = await buildRegistration(t.db, s.id, waiting.personId, 'waitlisted');
    return { s, seated, waiting, seat, queued };
  }
  const statusOf = async (id: string) =>
    (await t.db.selectFrom('registration').select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status;
  const promotions = async (sessionId: string) =>
    (
      await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'registration.promote')
        .where(sql<boolean>`after->>'sessionId' = ${sessionId}`)
        .execute()
    ).length;

  it('refuses to cancel a registration in a completed session, and promotes nobody into it', async () => {
    const { s, seated, seat, queued } = await pastSession();
    const recorded = await coordinator.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [{ registrationId: seat, minutesAttended: 180 }],
    });
    expect(recorded.status, recorded.body).toBe(200);
    expect((await coordinator.request('GET', `/api/sessions/${s.id}`)).json.status).toBe('completed');

    for (const who of [seated, coordinator]) {
      const res = await who.request('POST', `/api/registrations/${seat}/cancel`, {
        reason: 'Changed my mind',
      });
      expect(res.status, res.body).toBe(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await statusOf(seat)).toBe('confirmed');
    expect(await statusOf(queued)).toBe('waitlisted');
    expect(await promotions(s.id)).toBe(0);
  });

  it('a raised capacity on a session that has ended promotes nobody into it', async () => {
    const { s, waiting, queued } = await pastSession();
    const res = await coordinator.request('PATCH', `/api/sessions/${s.id}`, { capacity: 2 });
    expect(res.status, res.body).toBe(200);
    expect(res.json.promoted).toEqual([]);
    expect(await statusOf(queued)).toBe('waitlisted');
    expect(await promotions(s.id)).toBe(0);
    await t.deps.mailer.flush();
    expect(t.smtp!.messages.filter((m) => m.to.includes(waiting.email))).toEqual([]);
  });

  it('refuses it too once the session has ended, before attendance is recorded', async () => {
    const { s, seated, waiting, seat, queued } = await pastSession();
    expect((await coordinator.request('GET', `/api/sessions/${s.id}`)).json.status).not.toBe('completed');
    const res = await seated.request('POST', `/api/registrations/${seat}/cancel`, {});
    expect(res.status, res.body).toBe(409);
    expect(await statusOf(seat)).toBe('confirmed');
    expect(await statusOf(queued)).toBe('waitlisted');
    expect(await promotions(s.id)).toBe(0);
    await t.deps.mailer.flush();
    expect(t.smtp!.messages.filter((m) => m.to.includes(waiting.email))).toEqual([]);
  });
});

describe('scheduling a session in a new event', () => {
  const eventsTitled = async (title: string) =>
    (await t.db.selectFrom('event').select('id').where('title', '=', title).execute()).length;
  const when = (hoursFromNow: number) => {
    const start = t.clock.now.getTime() + hoursFromNow * 3_600_000;
    return {
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 3 * 3_600_000).toISOString(),
      timeZone: 'America/Chicago',
      capacity: 30,
    };
  };

  it('a refused session leaves no event behind; an accepted one creates both in one request', async () => {
    const course = await buildCourse(t.db, { format: 'in_person' });
    const title = 'Year One, Fall, Salina';
    // In person with neither venue nor address: refused at the venue field, and the new event is not kept.
    const refused = await coordinator.request('POST', '/api/sessions', {
      event: { title, programId: course.programId },
      courseId: course.id,
      ...when(240),
    });
    expect(refused.status, refused.body).toBe(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json.errors[0].field).toBe('venue');
    expect(await eventsTitled(title)).toBe(0);

    const created = await coordinator.request('POST', '/api/sessions', {
      event: { title, programId: course.programId },
      courseId: course.id,
      venue: 'Saline County Courthouse',
      ...when(240),
    });
    expect(created.status, created.body).toBe(201);
    expect(created.json.event.title).toBe(title);
    expect(created.json.warnings).toEqual([]);
    expect(await eventsTitled(title)).toBe(1);
    const event = await coordinator.request('GET', `/api/events/${created.json.event.id}`);
    expect(event.json.event.sessionCount).toBe(1);
    expect(event.json.event.programId).toBe(course.programId);
  });

  it('names the field when the event is missing, doubled, or its new title is empty', async () => {
    const course = await buildCourse(t.db);
    const base = { courseId: course.id, venue: 'Memorial Building', ...when(240) };
    const none = await coordinator.request('POST', '/api/sessions', base);
    expect(none.status, none.body).toBe(400);
    expect(none.json.errors[0].field).toBe('eventId');
    const { eventId } = await buildSession(t.db);
    const both = await coordinator.request('POST', '/api/sessions', {
      ...base,
      eventId,
      event: { title: 'X' },
    });
    expect(both.status, both.body).toBe(400);
    expect(both.json.errors[0].field).toBe('eventId');
    const blank = await coordinator.request('POST', '/api/sessions', { ...base, event: { title: ' ' } });
    expect(blank.status, blank.body).toBe(400);
    expect(blank.json.errors[0].field).toBe('event.title');
  });

  it('schedules a session that starts in the past, with a warning on the start field', async () => {
    const course = await buildCourse(t.db);
    const { eventId } = await buildSession(t.db);
    const res = await coordinator.request('POST', '/api/sessions', {
      eventId,
      courseId: course.id,
      venue: 'Memorial Building',
      ...when(-48),
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json.warnings).toHaveLength(1);
    expect(res.json.warnings[0].field).toBe('startsAt');
    expect(res.json.warnings[0].message).toMatch(/starts in the past/);
  });
});

describe('the roster and My sessions say why attendance earned no credit', () => {
  it('90 of 180 minutes, below the 90% completion share with no partial credit: 0 credits, and why', async () => {
    const s = await buildSession(t.db, {
      course: { durationMinutes: 180, completionMinPercent: 90 },
      startsAt: new Date(t.clock.now.getTime() - 86_400_000),
    });
    const half = await quickClient(t, ['official']);
    const full = await quickClient(t, ['official']);
    const halfReg = await buildRegistration(t.db, s.id, half.personId, 'confirmed');
    const fullReg = await buildRegistration(t.db, s.id, full.personId, 'confirmed');
    const res = await coordinator.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [
        { registrationId: halfReg, minutesAttended: 90 },
        { registrationId: fullReg, minutesAttended: 180 },
      ],
    });
    expect(res.status, res.body).toBe(200);
    const roster = (await coordinator.request('GET', `/api/sessions/${s.id}/roster`)).json;
    const entry = (id: string) =>
      (roster.confirmed as { registrationId: string; credits: number; creditNote: string | null }[]).find(
        (r) => r.registrationId === id,
      )!;
    expect(entry(halfReg).credits).toBe(0);
    expect(entry(halfReg).creditNote).toBe(
      '90 of 180 minutes is below the 90% (162 minutes) needed to complete the course, and this program gives no partial credit, so no credit was earned.',
    );
    expect(entry(fullReg).credits).toBe(3);
    expect(entry(fullReg).creditNote).toBeNull();
    // The official reads the same reason in My sessions.
    const mine = (await half.request('GET', '/api/me/registrations')).json.items;
    expect(mine[0].attendance).toEqual({ minutesAttended: 90, creditNote: entry(halfReg).creditNote });
    const theirs = (await full.request('GET', '/api/me/registrations')).json.items;
    expect(theirs[0].attendance).toEqual({ minutesAttended: 180, creditNote: null });
  });
});

describe('a session tells the viewer they already completed its course', () => {
  it('true with net approved credit for the course code, false once it is reversed or for others', async () => {
    const course = await buildCourse(t.db);
    const s = await buildSession(t.db, { courseId: course.id });
    const done = await quickClient(t, ['official']);
    const other = await quickClient(t, ['official']);
    const credit = await buildCredit(t.db, done.personId, { courseCode: course.code });
    await buildCredit(t.db, other.personId, { courseCode: 'SOMETHING-ELSE' });
    expect((await done.request('GET', `/api/sessions/${s.id}`)).json.myCourseCompleted).toBe(true);
    expect((await other.request('GET', `/api/sessions/${s.id}`)).json.myCourseCompleted).toBe(false);
    const listed = await done.request('GET', `/api/sessions?courseId=${course.id}`);
    expect(listed.json.items[0].myCourseCompleted).toBe(true);

    const reversed = await coordinator.request('POST', `/api/credits/${credit}/reverse`, {
      reason: 'Entered for the wrong person.',
    });
    expect(reversed.status, reversed.body).toBeLessThan(300);
    expect((await done.request('GET', `/api/sessions/${s.id}`)).json.myCourseCompleted).toBe(false);
  });
});
