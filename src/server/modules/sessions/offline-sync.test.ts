/**
 * What a tablet or phone sends after working without a network (issue 19, item 3): attendance
 * with the minutes the device last read, refused as a conflict when someone else changed them
 * meanwhile (nothing in the request saved), and a QR check-in dated when it was scanned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildRegistration, buildSession, quickClient } from '../../testing/scheduling.js';

let t: TestApp;
let coordinator: Client;
let instructorTablet: Client;
beforeAll(async () => {
  t = await createTestApp();
  coordinator = await quickClient(t, ['coordinator']);
  instructorTablet = await quickClient(t, ['coordinator']);
});
afterAll(() => t?.close());

const minutesOf = async (registrationId: string) =>
  (
    await t.db
      .selectFrom('registration')
      .select('minutes_attended')
      .where('id', '=', registrationId)
      .executeTakeFirstOrThrow()
  ).minutes_attended;

describe('attendance sent after working offline', () => {
  it('a change made on the server meanwhile is a conflict naming the entry, and nothing in the request is saved', async () => {
    const s = await buildSession(t.db, { startsAt: new Date(t.clock.now.getTime() - 86_400_000) });
    const olive = await quickClient(t, ['official'], { firstName: 'Olive', lastName: 'Ortiz' });
    const pat = await quickClient(t, ['official'], { firstName: 'Pat', lastName: 'Park' });
    const oliveReg = await buildRegistration(t.db, s.id, olive.personId);
    const patReg = await buildRegistration(t.db, s.id, pat.personId);

    // The tablet read the roster (no records), went offline; the coordinator then recorded Olive.
    const online = await coordinator.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [{ registrationId: oliveReg, minutesAttended: 180 }],
    });
    expect(online.status, online.body).toBe(200);

    const sent = await instructorTablet.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [
        { registrationId: patReg, minutesAttended: 180, expectedMinutes: null },
        { registrationId: oliveReg, minutesAttended: 90, expectedMinutes: null },
      ],
    });
    expect(sent.status, sent.body).toBe(409);
    expect(sent.json.errors).toEqual([
      {
        field: 'entries.1.minutesAttended',
        message:
          'Changed on the server to 180 minutes since this device read no record; this device has 90 minutes.',
      },
    ]);
    expect(sent.json.detail).toContain('nothing was saved');
    expect(await minutesOf(oliveReg)).toBe(180);
    expect(await minutesOf(patReg)).toBeNull();

    // The rest goes through on its own; then "send mine" with what the server now has.
    const rest = await instructorTablet.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [{ registrationId: patReg, minutesAttended: 180, expectedMinutes: null }],
    });
    expect(rest.status, rest.body).toBe(200);
    const mine = await instructorTablet.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [{ registrationId: oliveReg, minutesAttended: 90, expectedMinutes: 180 }],
    });
    expect(mine.status, mine.body).toBe(200);
    expect(await minutesOf(oliveReg)).toBe(90);
    expect(await minutesOf(patReg)).toBe(180);
    const roster = mine.json.confirmed as { registrationId: string; credits: number }[];
    expect(roster.find((r) => r.registrationId === patReg)?.credits).toBe(3);
  });

  it('the same value entered on both sides is no conflict; without expectedMinutes the last save wins as before', async () => {
    const s = await buildSession(t.db, { startsAt: new Date(t.clock.now.getTime() - 86_400_000) });
    const p = await quickClient(t, ['official']);
    const reg = await buildRegistration(t.db, s.id, p.personId);
    await coordinator.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [{ registrationId: reg, minutesAttended: 180 }],
    });
    const same = await instructorTablet.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [{ registrationId: reg, minutesAttended: 180, expectedMinutes: null }],
    });
    expect(same.status, same.body).toBe(200);
    const plain = await instructorTablet.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [{ registrationId: reg, minutesAttended: 60 }],
    });
    expect(plain.status, plain.body).toBe(200);
    expect(await minutesOf(reg)).toBe(60);
    const bad = await instructorTablet.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [{ registrationId: reg, minutesAttended: 60, expectedMinutes: -1 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('entries.0.expectedMinutes');
  });
});

describe('a QR check-in queued on a phone without a network', () => {
  it('is dated when it was scanned, inside the check-in window, even when it arrives after the session', async () => {
    const startsAt = new Date(t.clock.now.getTime() - 5 * 3_600_000);
    const s = await buildSession(t.db, { startsAt, minutes: 180 }); // ended two hours ago
    const official = await quickClient(t, ['official']);
    const reg = await buildRegistration(t.db, s.id, official.personId);
    const url = `/api/sessions/${s.id}/check-in`;

    const late = await official.request('POST', url, { code: s.checkinCode });
    expect(late.status).toBe(409);
    expect(late.json.detail).toBe('Check-in is open from an hour before the session starts until it ends.');

    const scannedAt = new Date(startsAt.getTime() + 10 * 60_000).toISOString();
    const queued = await official.request('POST', url, { code: s.checkinCode, scannedAt });
    expect(queued.status, queued.body).toBe(200);
    expect(new Date(queued.json.checkedInAt).toISOString()).toBe(scannedAt);
    const row = await t.db
      .selectFrom('registration')
      .select('checked_in_at')
      .where('id', '=', reg)
      .executeTakeFirstOrThrow();
    expect(new Date(row.checked_in_at!).toISOString()).toBe(scannedAt);
  });

  it('refuses a scan time in the future, over 7 days old, outside the window, or not a date, naming scannedAt', async () => {
    const startsAt = new Date(t.clock.now.getTime() - 3_600_000);
    const s = await buildSession(t.db, { startsAt, minutes: 180 });
    const official = await quickClient(t, ['official']);
    await buildRegistration(t.db, s.id, official.personId);
    const url = `/api/sessions/${s.id}/check-in`;
    const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();

    const future = await official.request('POST', url, { code: s.checkinCode, scannedAt: at(3_600_000) });
    expect(future.status).toBe(400);
    expect(future.json.errors[0]).toEqual({
      field: 'scannedAt',
      message: 'Scanned at cannot be in the future.',
    });
    const old = await official.request('POST', url, { code: s.checkinCode, scannedAt: at(-8 * 86_400_000) });
    expect(old.status).toBe(400);
    expect(old.json.errors[0].field).toBe('scannedAt');
    const early = await official.request('POST', url, { code: s.checkinCode, scannedAt: at(-3 * 3_600_000) });
    expect(early.status).toBe(409);
    const words = await official.request('POST', url, { code: s.checkinCode, scannedAt: 'this morning' });
    expect(words.status).toBe(400);
    expect(words.json.errors[0].field).toBe('scannedAt');
  });
});
