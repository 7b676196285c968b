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
  factsChanged,
  programId,
  quickClient,
} from '../../testing/scheduling.js';
import { reportSnapshot } from './reports.service.js';
import { buildClaim } from '../../testing/claims.js';

let t: TestApp;
let admin: Client;
let ks: string;
let startedEnrollment: string;
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
  startedEnrollment = await buildEnrollment(t.db, started.personId, undefined, '2026-01-15');
  // Staff put the official in the pilot cohort through the enrollment API.
  const set = await admin.request('PATCH', `/api/enrollments/${startedEnrollment}`, {
    cohorts: ['pilot-2024'],
  });
  expect(set.status, set.body).toBe(200);
  expect(set.json.cohorts).toEqual(['pilot-2024']);
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
  // What the app's writers do after a change (records and the award went straight to the database).
  for (const who of [certified, started]) await factsChanged(t, who.personId);
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
    // The full course has a waitlist and no free seat ahead: it needs another session.
    const full = s.sessionFill.courses.find((c) => c.waitlisted === 1)!;
    expect(full).toMatchObject({ upcomingFreeSeats: 0, needsMoreSessions: true, fillPercent: 100 });
    expect(s.sessionFill.courses.find((c) => c.capacity === 20)).toMatchObject({
      upcomingFreeSeats: 20,
      needsMoreSessions: false,
    });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('counts nobody enrolled after the date', async () => {
    const s = await reportSnapshot(t.db, { programId: ks, asOf: '2025-12-31' });
    expect(s.funnel.enrolled).toBe(0);
    expect(s.coverage.stateFips).toBeNull();
  });
});

describe('report routes', () => {
  it('refuses a bad filter or page of officials with a 400 naming the field', async () => {
    for (const [url, field] of [
      [`/api/reports/coverage/officials?programId=${ks}&county=Douglas`, 'query.county'],
      [`/api/reports/coverage/officials?programId=${ks}`, 'query.county'],
      [`/api/reports/coverage/officials?programId=${ks}&county=20045&page=0`, 'query.page'],
      [`/api/reports/cohorts/officials?programId=${ks}&cohort=no-such-cohort`, 'query.cohort'],
      [`/api/reports/cohorts/officials?programId=${ks}`, 'query.cohort'],
      [`/api/reports/renewal/officials?programId=${ks}&renewalState=asleep`, 'query.renewalState'],
      [`/api/reports/renewal/officials?programId=${ks}&pageSize=500`, 'query.pageSize'],
    ] as const) {
      const r = await admin.request('GET', url);
      expect(r.status, `${url}: ${r.body}`).toBe(400);
      expect(r.json.errors.map((e: { field: string }) => e.field), url).toContain(field);
    }
  });

  it('pages the officials as of today from the cache, with the total', async () => {
    const one = await admin.request('GET', `/api/reports/renewal/officials?programId=${ks}&pageSize=1`);
    expect(one.status, one.body).toBe(200);
    expect(one.json.page).toEqual({ page: 1, pageSize: 1, total: 1 });
    const beyond = await admin.request('GET', `/api/reports/renewal/officials?programId=${ks}&page=3`);
    expect(beyond.json).toEqual({ items: [], page: { page: 3, pageSize: 25, total: 1 } });
  });

  it('serves each report for a program and date, defaulting to today in the program’s zone', async () => {
    const r = await admin.request('GET', `/api/reports/coverage?programId=${ks}&asOf=${asOf}`);
    expect(r.status, r.body).toBe(200);
    expect(r.json.program.code).toBe('ks-county-election-official');
    const douglas = r.json.report.counties.find((c: { fips: string }) => c.fips === '20045');
    expect(douglas).toMatchObject({ name: 'Douglas', status: 'certified', officials: 1, certified: 1 });
    expect(douglas.people).toBeUndefined();
    // The county's officials come a page at a time.
    const officials = await admin.request(
      'GET',
      `/api/reports/coverage/officials?programId=${ks}&asOf=${asOf}&county=20045`,
    );
    expect(officials.status, officials.body).toBe(200);
    expect(officials.json.page).toEqual({ page: 1, pageSize: 25, total: 1 });
    expect(officials.json.items[0].name).toMatch(/Certified$/);
    const today = await admin.request('GET', `/api/reports/funnel?programId=${ks}`);
    expect(today.json.asOf).toBe('2027-03-11');
    const report = async (name: string) => {
      const x = await admin.request('GET', `/api/reports/${name}?programId=${ks}&asOf=${asOf}`);
      expect(x.status, `${name}: ${x.body}`).toBe(200);
      expect(x.json).toMatchObject({ program: { code: 'ks-county-election-official' }, asOf });
      return x.json.report;
    };
    // The pilot cohort: the one member (Started) missed the 2024 deadline.
    const cohorts = await report('cohorts');
    expect(cohorts.cohorts).toHaveLength(1);
    expect(cohorts.cohorts[0]).toMatchObject({
      id: 'pilot-2024',
      members: 1,
      met: 0,
      upcoming: 0,
      missed: 1,
      completed: 0,
    });
    const members = await admin.request(
      'GET',
      `/api/reports/cohorts/officials?programId=${ks}&asOf=${asOf}&cohort=pilot-2024`,
    );
    expect(members.json.items).toEqual([
      expect.objectContaining({ name: 'Test Started', countyFips: '20177', deadlineState: 'missed' }),
    ]);
    // Session fill: the full session with one waiting, the 20-seat one below its minimum.
    const fill = await report('session-fill');
    expect(fill.totals).toEqual({
      sessions: 2,
      capacity: 21,
      confirmed: 1,
      waitlisted: 1,
      belowMinimum: 1,
      fillPercent: 4.8,
    });
    expect(
      fill.courses.map((c: Record<string, unknown>) => [
        c.capacity,
        c.confirmed,
        c.waitlisted,
        c.needsMoreSessions,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [1, 1, 1, true],
        [20, 0, 0, false],
      ]),
    );
    // Renewal: the one certified official is current, first cycle due at the end of 2028.
    const renewal = await report('renewal');
    expect(renewal.counts).toEqual({ current: 1, renewal_due: 0, in_grace: 0, lapsed: 0, reinstated: 0 });
    const certified = await admin.request('GET', `/api/reports/renewal/officials?programId=${ks}&asOf=${asOf}`);
    expect(certified.json.items).toEqual([
      expect.objectContaining({ name: 'Test Certified', renewalState: 'current', cycleDue: '2028-12-31' }),
    ]);
    // Review turnaround: two decided claims (2 and 4 days), one waiting 3 days, one on the official for 38.
    const claimant = await quickClient(t, ['official']);
    const claim = async (status: string, submittedAt: string, decidedAt: string | null) => {
      const id = await buildClaim(t.db, claimant.personId, {
        programCode: 'ks-county-election-official',
        category: 'year-one',
        submittedAt,
      });
      await t.db
        .updateTable('claim')
        .set({
          status: status as 'submitted',
          decided_at: decidedAt,
          approved_amount: status === 'approved' ? 2 : null,
          approved_category: status === 'approved' ? 'year-one' : null,
        })
        .where('id', '=', id)
        .execute();
    };
    await claim('approved', '2027-03-01T15:00:00Z', '2027-03-03T15:00:00Z');
    await claim('rejected', '2027-03-01T15:00:00Z', '2027-03-05T15:00:00Z');
    await claim('submitted', '2027-03-08T15:00:00Z', null);
    await claim('needs_information', '2027-02-01T15:00:00Z', null);
    const turnaround = await report('turnaround');
    expect(turnaround.overall).toEqual({ decided: 2, medianDays: 3, p90Days: 3.8 });
    expect(turnaround.byMonth).toEqual([{ month: '2027-03', decided: 2, medianDays: 3, p90Days: 3.8 }]);
    expect(turnaround.pendingTotal).toBe(2);
    expect(
      turnaround.pendingByAge.map((b: { id: string; count: number; waitingOnOfficial: number }) => [
        b.id,
        b.count,
        b.waitingOnOfficial,
      ]),
    ).toEqual([
      ['0-7', 1, 0],
      ['8-14', 0, 0],
      ['15-30', 0, 0],
      ['31+', 1, 1],
    ]);
  });

  it('exports a report as CSV and XLSX with the program and date in the file name', async () => {
    const csv = await admin.request(
      'GET',
      `/api/reports/session-fill/export?programId=${ks}&asOf=${asOf}&format=csv`,
    );
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-disposition'])).toContain(
      'filename="session-fill-ks-county-election-official-as-of-2027-03-11-2027-03-11.csv"',
    );
    expect(csv.body).toContain('"Course","Title","Sessions"');
    const xlsx = await admin.request(
      'GET',
      `/api/reports/cohorts/export?programId=${ks}&asOf=${asOf}&format=xlsx`,
    );
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('names bad input, refuses officials, and sends the state’s county outlines', async () => {
    const bad = await admin.request('GET', `/api/reports/funnel?programId=${ks}&asOf=2027-02-30`);
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('query.asOf');
    const missing = await admin.request(
      'GET',
      '/api/reports/funnel?programId=00000000-0000-4000-8000-000000000000',
    );
    expect(missing.status).toBe(404);
    const official = await quickClient(t, ['official']);
    expect((await official.request('GET', `/api/reports/funnel?programId=${ks}`)).status).toBe(403);
    const shapes = await admin.request('GET', '/api/reports/county-shapes/20');
    expect(shapes.status).toBe(200);
    expect(shapes.json.counties).toHaveLength(105);
    expect(shapes.json.counties.find((c: { fips: string }) => c.fips === '20045').d).toMatch(
      /^M[\d.,LMZ-]+$/,
    );
    expect((await admin.request('GET', '/api/reports/county-shapes/99')).status).toBe(404);
  });

  it('refuses a cohort the program does not define, naming the field', async () => {
    const r = await admin.request('PATCH', `/api/enrollments/${startedEnrollment}`, {
      cohorts: ['pilot-2099'],
    });
    expect(r.status, r.body).toBe(400);
    expect(r.json.errors[0].field, r.body).toBe('cohorts');
    const bad = await admin.request('PATCH', `/api/enrollments/${startedEnrollment}`, {
      cohorts: ['Not An Id'],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toMatch(/cohorts/);
  });
});

describe('award holders without an enrollment', () => {
  it('count as the program’s officials (e.g. past awards imported for people never enrolled)', async () => {
    const holder = await quickClient(t, ['official'], { lastName: 'Holder', jurisdictionFips: '20059' });
    await t.db
      .insertInto('award')
      .values({ program_id: ks, person_id: holder.personId, awarded_on: '2027-03-05', number: null })
      .execute();
    const s = await reportSnapshot(t.db, { programId: ks, asOf });
    const franklin = s.coverage.counties.find((c) => c.fips === '20059')!;
    expect(franklin.status).toBe('certified');
    expect(franklin).toMatchObject({ certified: 1, inProgress: 0 });
    expect(s.funnel.certified).toBe(2);
  });
});
