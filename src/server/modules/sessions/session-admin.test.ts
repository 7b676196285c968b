/**
 * What the coordinators' screens need to say after a change: the answer to a
 * session edit and to a registration cancellation names the people moved from
 * the waitlist (who were e-mailed), so the page can say who got a seat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  type Client,
  type TestApp,
} from '../../testing/harness.js';
import { buildRegistration, buildSession } from '../../testing/scheduling.js';

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
