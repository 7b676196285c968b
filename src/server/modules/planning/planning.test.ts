import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Plan, PlanRegistrations, Shortfall } from '../../../contract/planning.js';
import type { z } from 'zod';
import { addDays, todayIn } from '../../../domain/time/index.js';
import type { rosterSchema } from '../../../contract/sessions.js';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  signInAs,
  type Client,
  type TestApp,
} from '../../testing/harness.js';
import {
  buildCourse,
  buildCredit,
  buildEnrollment,
  buildRegistration,
  buildSession,
  programId,
} from '../../testing/scheduling.js';

let t: TestApp;
let ks: string;
const DAY = 86_400_000;
/** Sessions by name: Year Two and Year Three of the Kansas program, some weeks out. */
const s = {} as Record<
  'y1a' | 'y1b' | 'y1c' | 'y2a' | 'y2aLater' | 'y2b' | 'y2c' | 'y3early' | 'y3a' | 'y3b' | 'y3c',
  string
>;
let y2courses: string[] = [];

/** 10:00 Chicago (15:00 or 16:00 UTC) `days` from now: one session a day, none overlapping. */
const at = (days: number) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(16, 0, 0, 0);
  return d;
};

beforeAll(async () => {
  t = await createTestApp();
  ks = await programId(t.db);
  const y1 = ['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03'];
  const course = async (code: string, category: string, prerequisites: string[] = []) =>
    (await buildCourse(t.db, { code, credits: [{ category, amount: 3 }], prerequisites })).id;
  const y2 = await Promise.all(['KS-Y2-01', 'KS-Y2-02', 'KS-Y2-03'].map((c) => course(c, 'year-two', y1)));
  y2courses = y2;
  // Year One, a few days out: an official with nothing done plans it first, then Year Two.
  const y1ids = await Promise.all(y1.map((c) => course(c, 'year-one')));
  s.y1a = (await buildSession(t.db, { courseId: y1ids[0]!, startsAt: at(5) })).id;
  s.y1b = (await buildSession(t.db, { courseId: y1ids[1]!, startsAt: at(6) })).id;
  s.y1c = (await buildSession(t.db, { courseId: y1ids[2]!, startsAt: at(7) })).id;
  const y3 = await Promise.all(['KS-Y3-01', 'KS-Y3-02', 'KS-Y3-03'].map((c) => course(c, 'year-three')));
  // Year Two 01: an early session with one seat (taken below), and a later one.
  s.y2a = (await buildSession(t.db, { courseId: y2[0]!, startsAt: at(20), capacity: 1 })).id;
  s.y2aLater = (await buildSession(t.db, { courseId: y2[0]!, startsAt: at(25) })).id;
  s.y2b = (await buildSession(t.db, { courseId: y2[1]!, startsAt: at(21) })).id;
  s.y2c = (await buildSession(t.db, { courseId: y2[2]!, startsAt: at(22) })).id;
  // Year Three: one session before Year Two can be finished (it would not count), then the rest.
  s.y3early = (await buildSession(t.db, { courseId: y3[0]!, startsAt: at(10) })).id;
  s.y3a = (await buildSession(t.db, { courseId: y3[0]!, startsAt: at(30) })).id;
  s.y3b = (await buildSession(t.db, { courseId: y3[1]!, startsAt: at(31) })).id;
  s.y3c = (await buildSession(t.db, { courseId: y3[2]!, startsAt: at(32) })).id;
  const someone = await buildPerson(t.db);
  await buildRegistration(t.db, s.y2a, someone.personId);
}, 120_000);

afterAll(async () => t?.close());

/** An official enrolled in Kansas who has completed Year One. */
async function yearOneDone() {
  const p = await buildPerson(t.db, { roles: ['official'] });
  await buildEnrollment(t.db, p.personId);
  for (const c of ['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03'])
    await buildCredit(t.db, p.personId, { courseCode: c, category: 'year-one', earnedOn: '2026-04-10' });
  return { ...p, client: await signInAs(t, p) };
}

describe('the plan to certification', () => {
  it('lists the sessions that finish soonest: Year Two before Year Three, no full session', async () => {
    const o = await yearOneDone();
    const res = await o.client.request('GET', `/api/me/plan?programId=${ks}`);
    expect(res.status, res.body).toBe(200);
    const plan = (res.json as Plan).programs[0]!;
    expect(plan.outcome).toBe('planned');
    expect(plan.exact).toBe(true);
    expect(plan.sessions.map((x) => x.id)).toEqual([s.y2b, s.y2c, s.y2aLater, s.y3a, s.y3b, s.y3c]);
    expect(plan.finishesOn).toBe(plan.sessions.at(-1)!.date);
    expect(plan.sessions.every((x) => x.registerAfter === null)).toBe(true);
  });

  it('says what is missing when nothing can be finished by a date', async () => {
    const o = await yearOneDone();
    const by = new Date(Date.now() + 26 * DAY).toISOString().slice(0, 10);
    const res = await o.client.request('GET', `/api/me/plan?programId=${ks}&by=${by}`);
    const plan = (res.json as Plan).programs[0]!;
    expect(plan.outcome).toBe('none');
    expect(plan.missing.map((m) => [m.courseCode, m.reason])).toEqual([
      ['KS-Y3-02', 'after_deadline'],
      ['KS-Y3-03', 'after_deadline'],
    ]);
    expect(plan.missing[0]!.message).toMatch(/has no session on or before/);
  });

  it('refuses a malformed date, naming the field', async () => {
    const o = await yearOneDone();
    const res = await o.client.request('GET', `/api/me/plan?by=next-week`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain('by');
  });

  it('registers for the whole plan through the normal path, reporting a session that filled meanwhile', async () => {
    const o = await yearOneDone();
    const plan = ((await o.client.request('GET', `/api/me/plan?programId=${ks}`)).json as Plan).programs[0]!;
    // Someone else takes the last seats of Year Three 01 before the official clicks.
    await t.db.updateTable('session').set({ capacity: 1 }).where('id', '=', s.y3a).execute();
    const other = await buildPerson(t.db);
    await buildRegistration(t.db, s.y3a, other.personId);
    const res = await o.client.request('POST', '/api/me/plan/registrations', {
      sessionIds: plan.sessions.map((x) => x.id),
    });
    expect(res.status, res.body).toBe(200);
    const results = (res.json as PlanRegistrations).results;
    expect(results.map((r) => r.outcome)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'waitlisted',
      'confirmed',
      'confirmed',
    ]);
    expect(results[3]!.message).toMatch(/filled .* waitlist/);
    const regs = await t.db
      .selectFrom('registration')
      .select(['session_id', 'status'])
      .where('person_id', '=', o.personId)
      .execute();
    expect(regs).toHaveLength(6);
    // Registering again is refused per session, with the reason, and changes nothing.
    const again = await o.client.request('POST', '/api/me/plan/registrations', { sessionIds: [s.y2b] });
    expect((again.json as PlanRegistrations).results[0]).toMatchObject({ outcome: 'refused' });
    await t.db
      .updateTable('session')
      .set({ capacity: 30, status: 'scheduled' })
      .where('id', '=', s.y3a)
      .execute();
  });

  it('reports a Year Two session refused by its prerequisite instead of skipping it', async () => {
    const p = await buildPerson(t.db, { roles: ['official'] });
    await buildEnrollment(t.db, p.personId);
    const client = await signInAs(t, p);
    const res = await client.request('POST', '/api/me/plan/registrations', { sessionIds: [s.y2b] });
    expect((res.json as PlanRegistrations).results[0]).toMatchObject({ outcome: 'refused' });
    expect((res.json as PlanRegistrations).results[0]!.message).toMatch(/KS-Y1-01/);
  });

  it('shows staff the plan of a person they may read, and coordinators the courses short of seats', async () => {
    const o = await yearOneDone();
    const coordinator = await clientWithRoles(t, ['coordinator']);
    const res = await coordinator.request('GET', `/api/people/${o.personId}/plan`);
    expect(res.status).toBe(200);
    expect((res.json as Plan).programs[0]!.outcome).toBe('planned');
    const by = new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10);
    const short = await coordinator.request('GET', `/api/reports/seat-shortfall?programId=${ks}&by=${by}`);
    expect(short.status, short.body).toBe(200);
    const body = short.json as Shortfall;
    const y2a = body.courses.find((c) => c.courseCode === 'KS-Y2-01')!;
    expect(y2a.sessions).toBe(2);
    expect(y2a.need).toBeGreaterThan(0);
    expect(y2a.short).toBe(Math.max(0, y2a.need - y2a.freeSeats));
    const past = await coordinator.request(
      'GET',
      `/api/reports/seat-shortfall?programId=${ks}&by=2020-01-01`,
    );
    expect(past.status).toBe(400);
  });
});

describe('courses short of seats, for coordinators', () => {
  /** A coordinator limited to these programs (ADR 0025). */
  const coordinatorOf = async (programs: string[]) => {
    const client = await clientWithRoles(t, ['coordinator']);
    const account = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', client.personId)
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('coordinator_program')
      .values(programs.map((program_id) => ({ user_id: account.id, program_id })))
      .execute();
    return client;
  };

  it('refuses a coordinator limited to another program, and shows their own program 90 days out by default', async () => {
    const cpo = await programId(t.db, 'igo-cpo');
    const other = await coordinatorOf([cpo]);
    const refused = await other.request('GET', `/api/reports/seat-shortfall?programId=${ks}`);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.json)).not.toContain('KS-Y2-01');
    const own = await coordinatorOf([ks]);
    const res = await own.request('GET', `/api/reports/seat-shortfall?programId=${ks}`);
    expect(res.status, res.body).toBe(200);
    const body = res.json as Shortfall;
    expect(body.by).toBe(addDays(todayIn('America/Chicago', new Date()), 90));
    const y2a = body.courses.find((c) => c.courseCode === 'KS-Y2-01')!;
    expect(y2a.courseId).toBe(y2courses[0]);
    expect(y2a.sessionSize).toBe(30);
    expect(y2a.message).toMatch(new RegExp(`^${y2a.need} officials? still needs? KS-Y2-01 and .* by `));
  });
});

describe('Register for all across prerequisites (ADR 0033)', () => {
  /** An official with neither Year One nor Year Two done, registered for their whole plan. */
  type Roster = z.infer<typeof rosterSchema>;
  let fresh: { personId: string; email: string; client: Client };
  const rosterEntry = async (sessionId: string, personId: string) => {
    const coordinator = await clientWithRoles(t, ['coordinator']);
    const res = await coordinator.request('GET', `/api/sessions/${sessionId}/roster`);
    expect(res.status, res.body).toBe(200);
    return (res.json as Roster).confirmed.find((e) => e.personId === personId);
  };
  const unmetMail = (email: string) =>
    t.db
      .selectFrom('email_message')
      .select(['subject', 'text_body'])
      .where('to_address', '=', email)
      .where('kind', '=', 'session.prerequisite-unmet')
      .execute();

  it('confirms Year One and Year Two for an official with neither done; Year Two rests on the Year One seats', async () => {
    const p = await buildPerson(t.db, { roles: ['official'] });
    await buildEnrollment(t.db, p.personId);
    fresh = { ...p, client: await signInAs(t, p) };
    const plan = ((await fresh.client.request('GET', `/api/me/plan?programId=${ks}`)).json as Plan)
      .programs[0]!;
    const ids = plan.sessions.map((x) => x.id);
    expect(ids.slice(0, 6)).toEqual([s.y1a, s.y1b, s.y1c, s.y2b, s.y2c, s.y2aLater]);
    expect(plan.sessions[3]!.registerAfter).toMatch(/^Register for KS-Y1-01, KS-Y1-02, KS-Y1-03 first/);
    const res = await fresh.client.request('POST', '/api/me/plan/registrations', { sessionIds: ids });
    expect(res.status, res.body).toBe(200);
    const results = (res.json as PlanRegistrations).results;
    expect(results.map((r) => r.outcome)).toEqual(ids.map(() => 'confirmed'));
    expect(results[0]!.message).toBe('Registered: your seat is confirmed.');
    expect(results[3]!.message).toMatch(/rests on your seat in KS-Y1-01, KS-Y1-02, KS-Y1-03/);
    // The roster shows the Year Two seat as provisional; the audit entry records what it rests on.
    expect((await rosterEntry(s.y2b, fresh.personId))!.prerequisite).toMatch(
      /^Provisional: rests on a seat in KS-Y1-01/,
    );
    expect((await rosterEntry(s.y1a, fresh.personId))!.prerequisite).toBeNull();
    const audit = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'registration.create')
      .where(sql<boolean>`after->>'sessionId' = ${s.y2b} and after->'person'->>'id' = ${fresh.personId}`)
      .executeTakeFirstOrThrow();
    expect((audit.after as { restsOn: string[] }).restsOn).toEqual(['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03']);
    // The plan now shows every session as registered, with nothing left to register first.
    const again = ((await fresh.client.request('GET', `/api/me/plan?programId=${ks}`)).json as Plan)
      .programs[0]!;
    expect(again.sessions.every((x) => x.registered && x.registerAfter === null)).toBe(true);
  });

  it('cancelling the Year One seat flags the Year Two registrations and tells the official once', async () => {
    const y1 = await t.db
      .selectFrom('registration')
      .select('id')
      .where('session_id', '=', s.y1a)
      .where('person_id', '=', fresh.personId)
      .executeTakeFirstOrThrow();
    const res = await fresh.client.request('POST', `/api/registrations/${y1.id}/cancel`, {
      reason: 'Conflict',
    });
    expect(res.status, res.body).toBe(200);
    const entry = await rosterEntry(s.y2b, fresh.personId);
    expect(entry!.status).toBe('confirmed');
    expect(entry!.prerequisite).toMatch(/^Prerequisite not yet met: KS-Y1-01/);
    // One e-mail per Year Two registration (all three rest on KS-Y1-01); none for Year Three.
    const mails = await unmetMail(fresh.email);
    expect(mails).toHaveLength(3);
    for (const m of mails) expect(m.subject).toMatch(/^Prerequisite not yet met: /);
    expect(mails[0]!.text_body).toMatch(/KS-Y1-01/);
    // My sessions says it too.
    const mine = (await fresh.client.request('GET', '/api/me/registrations')).json as {
      items: { session: { id: string }; prerequisite: string | null }[];
    };
    expect(mine.items.find((i) => i.session.id === s.y2b)!.prerequisite).toMatch(/^Prerequisite not yet met/);
    expect(mine.items.find((i) => i.session.id === s.y3a)!.prerequisite).toBeNull();
    // Registering for Year One again, before Year Two, lifts the flag: the standing is read, not stored.
    const back = await fresh.client.request('POST', `/api/sessions/${s.y1a}/registrations`, {});
    expect(back.status, back.body).toBe(201);
    expect((await rosterEntry(s.y2b, fresh.personId))!.prerequisite).toMatch(/^Provisional/);
    expect(await unmetMail(fresh.email)).toHaveLength(3);
  });

  it('refuses a Year Two session that starts before the Year One seat ends', async () => {
    const p = await buildPerson(t.db, { roles: ['official'] });
    await buildEnrollment(t.db, p.personId);
    const client = await signInAs(t, p);
    // Between Year One 02 (day 6) and Year One 03 (day 7).
    const early = await buildSession(t.db, {
      courseId: y2courses[1]!,
      startsAt: new Date(at(6).getTime() + 4 * 3_600_000),
    });
    try {
      const res = await client.request('POST', '/api/me/plan/registrations', {
        sessionIds: [s.y1a, s.y1b, s.y1c, early.id],
      });
      const results = (res.json as PlanRegistrations).results;
      expect(results.map((r) => r.outcome)).toEqual(['confirmed', 'confirmed', 'confirmed', 'refused']);
      expect(results[3]!.message).toMatch(
        /^Complete KS-Y1-03 first, or hold a seat in a session of it that ends before this one starts/,
      );
    } finally {
      await t.db.updateTable('session').set({ status: 'cancelled' }).where('id', '=', early.id).execute();
    }
  });

  it('waitlist promotion counts a held seat, and passes over someone whose seat is gone', async () => {
    const full = (await buildSession(t.db, { courseId: y2courses[2]!, startsAt: at(40), capacity: 1 })).id;
    const holder = await yearOneDone();
    expect((await holder.client.request('POST', `/api/sessions/${full}/registrations`, {})).status).toBe(201);
    /** Year One 01 and 02 completed, Year One 03 held in its session on day 7, waitlisted for `full`. */
    const waiting = async () => {
      const p = await buildPerson(t.db, { roles: ['official'] });
      await buildEnrollment(t.db, p.personId);
      for (const c of ['KS-Y1-01', 'KS-Y1-02'])
        await buildCredit(t.db, p.personId, { courseCode: c, category: 'year-one', earnedOn: '2026-04-10' });
      const client = await signInAs(t, p);
      const seat = await client.request('POST', `/api/sessions/${s.y1c}/registrations`, {});
      expect(seat.status, seat.body).toBe(201);
      const wait = await client.request('POST', `/api/sessions/${full}/registrations`, {});
      expect((wait.json as { status: string }).status).toBe('waitlisted');
      return { ...p, client, y1c: (seat.json as { id: string }).id };
    };
    const gaveUp = await waiting();
    const keeps = await waiting();
    // The first in line gives up the Year One seat their waitlist place rested on.
    await gaveUp.client.request('POST', `/api/registrations/${gaveUp.y1c}/cancel`, { reason: 'Cannot come' });
    const seat = await t.db
      .selectFrom('registration')
      .select('id')
      .where('session_id', '=', full)
      .where('person_id', '=', holder.personId)
      .executeTakeFirstOrThrow();
    const res = await holder.client.request('POST', `/api/registrations/${seat.id}/cancel`, {
      reason: 'Moved',
    });
    expect(res.status, res.body).toBe(200);
    const body = res.json as { promoted: { personId: string }[]; skipped: { personId: string }[] };
    expect(body.promoted.map((p) => p.personId)).toEqual([keeps.personId]);
    expect(body.skipped.map((p) => p.personId)).toEqual([gaveUp.personId]);
  });

  it('an absence recorded in Year One flags Year Two as well', async () => {
    const reg = await t.db
      .selectFrom('registration')
      .select('id')
      .where('session_id', '=', s.y1b)
      .where('person_id', '=', fresh.personId)
      .executeTakeFirstOrThrow();
    const saved = t.clock.now;
    // After Year One 02 has ended (signed in then: a session older than its lifetime has expired).
    t.clock.now = new Date(at(6).getTime() + 4 * 3_600_000);
    try {
      const instructor = await clientWithRoles(t, ['coordinator']);
      const res = await instructor.request('PUT', `/api/sessions/${s.y1b}/attendance`, {
        entries: [{ registrationId: reg.id, minutesAttended: 0 }],
      });
      expect(res.status, res.body).toBe(200);
      expect((await rosterEntry(s.y2c, fresh.personId))!.prerequisite).toMatch(
        /^Prerequisite not yet met: KS-Y1-02/,
      );
      expect(await unmetMail(fresh.email)).toHaveLength(6);
    } finally {
      t.clock.now = saved;
    }
  });
});
