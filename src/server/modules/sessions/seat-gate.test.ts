/**
 * The per-session gate in front of register_seat and the session read shared by a rush (ADR 0042):
 * how many calls run, in what order, when a read is shared and when it is read afresh, and that a
 * shared read gone stale cannot seat anyone the session as stored would refuse.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildCourse, buildRegistration, buildSession, quickClient } from '../../testing/scheduling.js';
import {
  SEAT_CALLS_PER_SESSION,
  SHARED_READ_MS,
  forgetSessionRead,
  seatGateLoad,
  sharedSessionRead,
  throughSeatGate,
} from './seat-gate.js';
import { sessionById } from './sessions.repo.js';

/** A promise and the function that settles it. */
function pending<T = void>() {
  let settle!: (v: T) => void;
  const promise = new Promise<T>((r) => (settle = r));
  return { promise, settle };
}
const tick = () => new Promise((r) => setImmediate(r));

let t: TestApp;
let staff: Client;
beforeAll(async () => {
  t = await createTestApp();
  staff = await quickClient(t, ['coordinator']);
});
afterAll(async () => t.close());

describe('the gate', () => {
  it(`runs ${SEAT_CALLS_PER_SESSION} calls for a session at once, the rest in the order they came, and other sessions beside them`, async () => {
    const started: number[] = [];
    const releases = Array.from({ length: 8 }, () => pending());
    const calls = releases.map((r, i) =>
      throughSeatGate('session-a', async () => {
        started.push(i);
        await r.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1, 2]);
    expect(seatGateLoad('session-a')).toEqual({ running: 3, waiting: 5 });
    // Another session is not held up by this one's queue.
    expect(await throughSeatGate('session-b', async () => 'b')).toBe('b');
    releases[1]!.settle();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    // A call that fails gives its place up too.
    const failing = throughSeatGate('session-c', () => Promise.reject(new Error('refused')));
    await expect(failing).rejects.toThrow('refused');
    expect(seatGateLoad('session-c')).toEqual({ running: 0, waiting: 0 });
    for (const r of releases) r.settle();
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(seatGateLoad('session-a')).toEqual({ running: 0, waiting: 0 });
  });
});

describe('the shared session read', () => {
  it('is shared while in flight and while registrations are in the gate; read afresh once the gate is empty, after a failure, or when forgotten', async () => {
    let reads = 0;
    const read = () => Promise.resolve(++reads);
    // Arriving together: one read.
    expect(await Promise.all([sharedSessionRead('s1', read), sharedSessionRead('s1', read)])).toEqual([1, 1]);
    // Settled with nobody in the gate: the next one reads afresh.
    expect(await sharedSessionRead('s1', read)).toBe(2);
    // While a registration is in the gate, the read is shared.
    const held = pending();
    const inGate = throughSeatGate('s1', () => held.promise);
    expect(await sharedSessionRead('s1', read)).toBe(3);
    expect(await sharedSessionRead('s1', read)).toBe(3);
    forgetSessionRead('s1');
    expect(await sharedSessionRead('s1', read)).toBe(4);
    held.settle();
    await inGate;
    expect(await sharedSessionRead('s1', read)).toBe(5);
    // A failed read is not kept.
    await expect(sharedSessionRead('s2', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await sharedSessionRead('s2', read)).toBe(6);
  });
});

describe('a shared read gone stale', () => {
  it('seats nobody once the session was closed meanwhile: register_seat finds it changed, and the refusal is the closed one', async () => {
    const { id } = await buildSession(t.db, { capacity: 10 });
    const official = await quickClient(t);

    // Another registration is in the gate, and the session as it was read before the change is the
    // one the next registrations share.
    const stale = await sessionById(t.db, id);
    const held = pending();
    const inGate = throughSeatGate(id, () => held.promise);
    await sharedSessionRead(id, async () => stale);
    const cancelled = await staff.request('POST', `/api/sessions/${id}/cancel`, { reason: 'Venue flooded' });
    expect(cancelled.status, cancelled.body).toBe(200);

    const res = await official.request('POST', `/api/sessions/${id}/registrations`, {});
    expect(res.status, res.body).toBe(409);
    expect(res.json.detail).toMatch(/cancel/i);
    const stored = await t.db.selectFrom('registration').select('id').where('session_id', '=', id).execute();
    expect(stored).toEqual([]);
    held.settle();
    await inGate;
  });
});

describe('the gate, when a turn does not come', () => {
  it('answers 503 with nothing run after the wait, and the queue moves on without it', async () => {
    const holds = Array.from({ length: SEAT_CALLS_PER_SESSION }, () => pending());
    const running = holds.map((h) => throughSeatGate('gate-wait', () => h.promise));
    let ran = false;
    const late = throughSeatGate(
      'gate-wait',
      async () => {
        ran = true;
      },
      20,
    );
    await expect(late).rejects.toMatchObject({ code: 'unavailable', retryAfterSeconds: 30 });
    expect(ran).toBe(false);
    expect(seatGateLoad('gate-wait')).toEqual({ running: SEAT_CALLS_PER_SESSION, waiting: 0 });
    const next = throughSeatGate('gate-wait', async () => 'next');
    holds[0]!.settle();
    expect(await next).toBe('next');
    for (const h of holds) h.settle();
    await Promise.all(running);
    expect(seatGateLoad('gate-wait')).toEqual({ running: 0, waiting: 0 });
  });
});

describe('the shared session read, over time', () => {
  it(`is read afresh once it is ${SHARED_READ_MS} ms old, even while registrations are in the gate`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      let reads = 0;
      const read = () => Promise.resolve(++reads);
      const held = pending();
      const inGate = throughSeatGate('s-age', () => held.promise);
      expect(await sharedSessionRead('s-age', read)).toBe(1);
      vi.setSystemTime(Date.now() + SHARED_READ_MS - 1);
      expect(await sharedSessionRead('s-age', read)).toBe(1);
      vi.setSystemTime(Date.now() + 1);
      expect(await sharedSessionRead('s-age', read)).toBe(2);
      held.settle();
      await inGate;
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a course rule saved while a rush shares its session read', () => {
  it('refuses an official without the prerequisite the coordinator added before they clicked, as it would with no rush', async () => {
    const pre = await buildCourse(t.db);
    const course = await buildCourse(t.db);
    const session = await buildSession(t.db, { courseId: course.id, capacity: 10 });
    // A rush on the session: one register_seat call of someone else is in the gate.
    const held = pending();
    const inGate = throughSeatGate(session.id, () => held.promise);
    // An official registers: reads the session (no prerequisites) and it is kept for the others.
    const first = await (
      await quickClient(t)
    ).request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(first.status, first.body).toBe(201);
    // The coordinator adds a prerequisite; the save is answered.
    const saved = await staff.request('PATCH', `/api/courses/${course.id}`, { prerequisites: [pre.code] });
    expect(saved.status, saved.body).toBe(200);
    // Only then does another official (who has not done `pre`) register.
    const later = await (
      await quickClient(t)
    ).request('POST', `/api/sessions/${session.id}/registrations`, {});
    // With no rush this is a 409 naming the prerequisite (below); during the rush too.
    const duringRush = { status: later.status, detail: later.json.detail ?? null };
    held.settle();
    await inGate;
    const quiet = await (
      await quickClient(t)
    ).request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(quiet.status, quiet.body).toBe(409);
    expect(duringRush).toEqual({ status: 409, detail: quiet.json.detail });
  });
});

describe('a start moved while a rush shares its session read', () => {
  it('refuses an official whose prerequisite seat now ends after this session starts, as it would with no rush', async () => {
    const day = 86_400_000;
    const base = Date.now() + 30 * day;
    const pre = await buildCourse(t.db);
    const preSession = await buildSession(t.db, { courseId: pre.id, startsAt: new Date(base), minutes: 180 });
    const course = await buildCourse(t.db, { prerequisites: [pre.code] });
    const session = await buildSession(t.db, {
      courseId: course.id,
      startsAt: new Date(base + day),
      capacity: 10,
    });
    const withSeat = async () => {
      const c = await quickClient(t);
      await buildRegistration(t.db, preSession.id, c.personId);
      return c;
    };
    const held = pending();
    const inGate = throughSeatGate(session.id, () => held.promise);
    const first = await (await withSeat()).request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(first.status, first.body).toBe(201);
    // The session moves to start one hour into the prerequisite's session (before it ends).
    const moved = await staff.request('PATCH', `/api/sessions/${session.id}`, {
      startsAt: new Date(base + 3_600_000).toISOString(),
      endsAt: new Date(base + 4 * 3_600_000).toISOString(),
    });
    expect(moved.status, moved.body).toBe(200);
    const later = await (await withSeat()).request('POST', `/api/sessions/${session.id}/registrations`, {});
    const duringRush = { status: later.status, detail: later.json.detail ?? null };
    held.settle();
    await inGate;
    const quiet = await (await withSeat()).request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(quiet.status, quiet.body).toBe(409);
    expect(duringRush).toEqual({ status: 409, detail: quiet.json.detail });
  });
});

describe('an official already registered', () => {
  it('is told so once registration has closed, registering themself as when a coordinator registers them', async () => {
    const session = await buildSession(t.db, { registrationClosesAt: new Date(Date.now() + 86_400_000) });
    const official = await quickClient(t);
    const r = await official.request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(r.status, r.body).toBe(201);
    await t.db
      .updateTable('session')
      .set({ registration_closes_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', session.id)
      .execute();
    const byStaff = await staff.request('POST', `/api/sessions/${session.id}/registrations`, {
      personId: official.personId,
    });
    const again = await official.request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect({ staff: byStaff.json.detail, self: again.json.detail }).toEqual({
      staff: 'Already registered (or on the waitlist) for this session.',
      self: 'Already registered (or on the waitlist) for this session.',
    });
  });
});

describe("a unique violation that is not the registration's own", () => {
  it('does not tell someone with no registration that they are registered, and saves nothing', async () => {
    const session = await buildSession(t.db);
    const official = await quickClient(t);
    // Stand-in for any unique violation other than registration_active_key inside the function.
    await sql`
      create function other_unique_violation() returns trigger language plpgsql as $$
      begin raise unique_violation using message = 'duplicate key value violates unique constraint "other_key"'; end $$;
      create trigger other_unique_violation before insert on session_mail_due for each row execute function other_unique_violation();
    `.execute(t.db);
    try {
      const r = await official.request('POST', `/api/sessions/${session.id}/registrations`, {});
      const stored = await t.db
        .selectFrom('registration')
        .select('id')
        .where('session_id', '=', session.id)
        .execute();
      expect(stored).toEqual([]);
      // A 500 (or a 409 that does not claim a registration) is what a user should see here.
      expect({ status: r.status, detail: r.json.detail }).not.toEqual({
        status: 409,
        detail: 'Already registered (or on the waitlist) for this session.',
      });
    } finally {
      await sql`drop trigger other_unique_violation on session_mail_due; drop function other_unique_violation();`.execute(
        t.db,
      );
    }
  });
});

describe('the gate, when a call fails', () => {
  it('hands a slot to the next in line when a running call rejects or throws synchronously', async () => {
    const id = 'gate-reject';
    const holds = [pending(), pending()];
    const a = throughSeatGate(id, () => holds[0]!.promise);
    const b = throughSeatGate(id, () => holds[1]!.promise);
    const bad = throughSeatGate(id, () => {
      throw new Error('sync');
    });
    const started: string[] = [];
    const w1 = throughSeatGate(id, async () => void started.push('w1'));
    await expect(bad).rejects.toThrow('sync');
    await tick();
    expect(started).toEqual(['w1']);
    await w1;
    holds[0]!.settle();
    holds[1]!.settle();
    await Promise.all([a, b]);
    expect(seatGateLoad(id)).toEqual({ running: 0, waiting: 0 });
  });
});
