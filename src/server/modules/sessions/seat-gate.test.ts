/**
 * The per-session gate in front of register_seat and the session read shared by a rush (ADR 0042):
 * how many calls run, in what order, when a read is shared and when it is read afresh, and that a
 * shared read gone stale cannot seat anyone the session as stored would refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildCourse, quickClient } from '../../testing/scheduling.js';
import {
  SEAT_CALLS_PER_SESSION,
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
  let t: TestApp;
  let staff: Client;
  beforeAll(async () => {
    t = await createTestApp();
    staff = await quickClient(t, ['coordinator']);
  });
  afterAll(async () => t.close());

  it('seats nobody once the session was closed meanwhile: register_seat finds it changed, and the refusal is the closed one', async () => {
    const courseId = (await buildCourse(t.db)).id;
    const event = await staff.request('POST', '/api/events', { title: 'Spring Workshop' });
    const created = await staff.request('POST', '/api/sessions', {
      eventId: event.json.id,
      courseId,
      startsAt: '2030-04-07T09:00:00-05:00',
      endsAt: '2030-04-07T12:00:00-05:00',
      timeZone: 'America/Chicago',
      venue: 'Room 12',
      capacity: 10,
    });
    expect(created.status, created.body).toBe(201);
    const id = created.json.id as string;
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
