/**
 * Reports: a small known data set (a county with a certified official, one in
 * progress, one with nobody; a pilot-cohort member; sessions with a waitlist;
 * decided and pending claims) gives the numbers an administrator would expect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import {
  buildCredit,
  buildEnrollment,
  buildRegistration,
  buildSession,
  programId,
  quickClient,
} from '../../testing/scheduling.js';
import { reportSnapshot } from './reports.service.js';

let t: TestApp;
let admin: Client;
let ks: string;
const asOf = '2027-03-11';

const courses = (y: number) => [1, 2, 3].map((i) => `KS-Y${y}-0${i}`);
async function completeKs(personId: string) {
  const dates = ['2026-04-10', '2026-09-10', '2027-03-01'];
  for (const [i, y] of [1, 2, 3].entries())
    for (const code of courses(y))
      await buildCredit(t.db, personId, {
        category: `year-${['one', 'two', 'three'][i]}`,
        courseCode: code,
        earnedOn: dates[i]!,
      });
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  ks = await programId(t.db);
  // Douglas (20045): certified. Shawnee (20177): in progress. Wyandotte (20209): nobody.
  const certified = await quickClient(t, ['official'], { lastName: 'Certified', jurisdictionFips: '20045' });
  await buildEnrollment(t.db, certified.personId, undefined, '2026-01-15');
  await completeKs(certified.personId);
  await t.db
    .insertInto('award')
    .values({ program_id: ks, person_id: certified.personId, awarded_on: '2027-03-05', number: null })
    .execute();
  const started = await quickClient(t, ['official'], { lastName: 'Started', jurisdictionFips: '20177' });
  const enr = await buildEnrollment(t.db, started.personId, undefined, '2026-01-15');
  await t.db
    .updateTable('enrollment')
    .set({ cohorts: ['pilot-2024'] })
    .where('id', '=', enr)
    .execute();
  await buildCredit(t.db, started.personId, {
    category: 'year-one',
    courseCode: 'KS-Y1-01',
    earnedOn: '2026-04-10',
  });
  // A full session with a waitlist, and an under-filled upcoming one.
  const full = await buildSession(t.db, {
    capacity: 1,
    minimum: 1,
    startsAt: new Date('2027-04-01T15:00:00Z'),
  });
  await buildRegistration(t.db, full.id, certified.personId, 'confirmed');
  await buildRegistration(t.db, full.id, started.personId, 'waitlisted');
  await t.db.updateTable('session').set({ confirmed_count: 1 }).where('id', '=', full.id).execute();
  await buildSession(t.db, { capacity: 20, minimum: 5, startsAt: new Date('2027-05-01T15:00:00Z') });
});
afterAll(async () => {
  await t.close();
});

describe('reportSnapshot', () => {
  it('colors counties, counts the funnel and the pilot cohort', async () => {
    const s = await reportSnapshot(t.db, { programId: ks, asOf });
    expect(s.program).toBe('ks-county-election-official');
    expect(s.coverage.stateFips).toBe('20');
    const status = Object.fromEntries(s.coverage.counties.map((c) => [c.fips, c.status]));
    expect(status['20045']).toBe('certified');
    expect(status['20177']).toBe('in_progress');
    expect(status['20209']).toBeUndefined();
    expect(s.coverage.totals.certified).toBeGreaterThanOrEqual(1);
    expect(s.coverage.totals.none).toBeGreaterThan(90);
    expect(s.funnel).toMatchObject({
      enrolled: 2,
      in_progress: 2,
      eligible: 1,
      certified: 1,
      active: 1,
      lapsed: 0,
    });
    expect(s.cohorts).toEqual([
      { id: 'pilot-2024', members: 1, met: 0, upcoming: 0, missed: 1, completed: 0 },
    ]);
    expect(s.sessionFill.totals).toMatchObject({
      sessions: 2,
      capacity: 21,
      confirmed: 1,
      waitlisted: 1,
      belowMinimum: 1,
    });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('is the same before an official enrolled later than the date', async () => {
    const s = await reportSnapshot(t.db, { programId: ks, asOf: '2025-12-31' });
    expect(s.funnel.enrolled).toBe(0);
    expect(admin).toBeTruthy();
  });
});
