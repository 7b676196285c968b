/**
 * What the coordinators' screens need to say after a change: the answer to a
 * session edit and to a registration cancellation names the people moved from
 * the waitlist (who were e-mailed), so the page can say who got a seat.
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
import { buildRegistration, buildSession, quickClient } from '../../testing/scheduling.js';

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
