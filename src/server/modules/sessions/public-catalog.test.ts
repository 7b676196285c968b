/**
 * Issue 17, item 2: without signing in, anyone sees the catalog, the session calendar and a
 * session's details with seats left, but no names (not the instructors, not who registered) and
 * not the webinar link, which is for the people registered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, clientWithRoles, createTestApp, type TestApp } from '../../testing/harness.js';
import { buildCourse, buildRegistration, buildSession } from '../../testing/scheduling.js';

let t: TestApp;
let sessionId: string;
let courseCode: string;

beforeAll(async () => {
  t = await createTestApp();
  const course = await buildCourse(t.db, { code: 'PUB-101' });
  courseCode = course.code;
  sessionId = (await buildSession(t.db, { courseId: course.id, capacity: 3 })).id;
  await t.db
    .updateTable('session')
    .set({ webinar_url: 'https://meet.example.gov/j/123456' })
    .where('id', '=', sessionId)
    .execute();
  const teacher = await buildPerson(t.db, { firstName: 'Iris', lastName: 'Teachwell' });
  await t.db
    .insertInto('session_instructor')
    .values({ session_id: sessionId, person_id: teacher.personId })
    .execute();
  const taken = await buildPerson(t.db, { firstName: 'Regina', lastName: 'Seated' });
  await buildRegistration(t.db, sessionId, taken.personId, 'confirmed');
});
afterAll(async () => t?.close());

const anonymous = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.body, json: () => res.json() };
};

describe('the public catalog and session calendar', () => {
  it('lists the catalog to a visitor who is not signed in', async () => {
    const res = await anonymous('/api/courses?q=PUB-101');
    expect(res.status).toBe(200);
    expect(res.json().items.map((c: { code: string }) => c.code)).toEqual([courseCode]);
  });

  it('shows a session with seats left, but no names and no webinar link', async () => {
    const res = await anonymous(`/api/sessions/${sessionId}`);
    expect(res.status).toBe(200);
    const s = res.json();
    expect({ seatsLeft: s.seatsLeft, confirmed: s.confirmedCount, capacity: s.capacity }).toEqual({
      seatsLeft: 2,
      confirmed: 1,
      capacity: 3,
    });
    expect(s.instructors).toEqual([]);
    expect(s.webinarUrl).toBeNull();
    expect(s.myRegistration).toBeNull();
    expect(res.body).not.toMatch(/Teachwell|Seated|meet\.example\.gov/);
  });

  it('lists the calendar, and its calendar file leaves the webinar link out', async () => {
    const list = await anonymous(
      `/api/sessions?courseId=${(await anonymous(`/api/sessions/${sessionId}`)).json().course.id}`,
    );
    expect(list.status).toBe(200);
    expect(list.json().items.map((s: { id: string }) => s.id)).toEqual([sessionId]);
    expect(list.body).not.toMatch(/Teachwell|meet\.example\.gov/);
    const ics = await anonymous(`/api/sessions/${sessionId}/calendar.ics`);
    expect(ics.status).toBe(200);
    expect(ics.body).toContain('BEGIN:VEVENT');
    expect(ics.body).not.toContain('meet.example.gov');
  });

  it('still gives a signed-in official the instructors and the webinar link', async () => {
    const official = await clientWithRoles(t, ['official']);
    const res = await official.request('GET', `/api/sessions/${sessionId}`);
    expect(res.status).toBe(200);
    expect(res.json.webinarUrl).toBe('https://meet.example.gov/j/123456');
    expect(res.json.instructors.map((i: { displayName: string }) => i.displayName)).toEqual([
      'Iris Teachwell',
    ]);
  });

  it('still refuses a visitor everything that changes a session or names people', async () => {
    expect((await anonymous(`/api/sessions/${sessionId}/roster`)).status).toBe(401);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/sessions/${sessionId}/registrations`,
      payload: {},
    });
    expect(res.statusCode).toBe(401);
  });
});
