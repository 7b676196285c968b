/**
 * Exports of the sessions list, the course catalog, the review queue and the
 * claim fees: the list's filters, every row, local session times, and the
 * list's own permissions.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaim } from '../testing/claims.js';
import { buildPerson, createTestApp, type Client, type TestApp } from '../testing/harness.js';
import {
  buildCourse,
  buildEnrollment,
  buildRegistration,
  buildSession,
  programId,
  quickClient,
} from '../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let coordinator: Client;
let official: Client;
let firstSession: string;

const csvRows = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');

beforeAll(async () => {
  t = await createTestApp();
  admin = await quickClient(t, ['administrator']);
  coordinator = await quickClient(t, ['coordinator']);
  official = await quickClient(t, ['official']);
  const { id: course } = await buildCourse(t.db, {
    code: 'EXP-101',
    title: '=Canvass "math"',
    durationMinutes: 180,
  });
  // 9:00 in Chicago on 2030-03-04 is 15:00 UTC.
  for (let i = 0; i < 3; i++) {
    const id = await buildSession(t.db, {
      courseId: course,
      startsAt: new Date(Date.UTC(2030, 2, 4 + i, 15, 0)),
      timeZone: 'America/Chicago',
      capacity: 30,
      minimum: 5,
    });
    if (i === 0) firstSession = id.id;
  }
  for (const name of ['Avery', 'Blake']) {
    const p = await buildPerson(t.db, { firstName: name, lastName: 'Roster' });
    await buildRegistration(t.db, firstSession, p.personId);
    await buildEnrollment(t.db, p.personId);
  }
  const claimant = await buildPerson(t.db, { firstName: 'Cora', lastName: 'Claimant' });
  await buildClaim(t.db, claimant.personId, { feeCents: 1500, hours: 3 });
  await buildClaim(t.db, claimant.personId, { feeCents: 0, hours: 1 });
});
afterAll(() => t.close());

describe('more list exports', () => {
  it('sessions: every session with its local start time, as the list filters them', async () => {
    const r = await coordinator.request(
      'GET',
      '/api/sessions/export?from=2030-03-01&to=2030-03-31&format=csv',
    );
    expect(r.status, r.body).toBe(200);
    expect(String(r.headers['content-disposition'])).toMatch(/filename="sessions-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = csvRows(r.body);
    expect(lines[0]).toMatch(/^"Starts \(local\)","Ends \(local\)","Time zone","Course code","Course"/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('"2030-03-04 09:00","2030-03-04 12:00","America/Chicago","EXP-101"');
    // The course title starts with "=": written as text, never a formula.
    expect(lines[1]).toContain(`"'=Canvass ""math"""`);
    const empty = await coordinator.request('GET', '/api/sessions/export?from=2031-01-01&format=csv');
    expect(csvRows(empty.body)).toHaveLength(1);

    // Each download is in the audit log: who, which list, which filters, how many rows.
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'actor_label', 'after'])
      .where('action', '=', 'list.export')
      .where('entity_type', '=', 'sessions')
      .orderBy('at')
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.after).toMatchObject({ format: 'csv', rows: 3, filters: { from: '2030-03-01' } });
  });

  it('public reference lists are not audited', async () => {
    const r = await coordinator.request('GET', '/api/jurisdictions/export?state=KS&kind=county');
    expect(r.status).toBe(200);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'list.export')
      .where('entity_type', '=', 'jurisdictions')
      .execute();
    expect(audit).toHaveLength(0);
  });

  it('courses: the catalog as XLSX, numbers as numbers', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/courses/export?q=EXP-101&format=xlsx',
      headers: { cookie: official.cookie },
    });
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as never);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Code');
    expect(sheet.getRow(2).getCell(1).value).toBe('EXP-101');
    expect(sheet.getRow(2).getCell(5).value).toBe(180);
    expect(sheet.rowCount).toBe(2);
  });

  it('review queue and claim fees: staff only, with the amount owed', async () => {
    const queue = await admin.request('GET', '/api/review/claims/export?format=csv');
    expect(queue.status).toBe(200);
    const rows = csvRows(queue.body);
    expect(rows[0]).toMatch(/"Days waiting"$/);
    expect(rows.filter((l) => l.includes('Cora Claimant'))).toHaveLength(2);

    const fees = await coordinator.request('GET', '/api/claim-fees/export?format=csv');
    expect(fees.status).toBe(200);
    const feeRows = csvRows(fees.body).filter((l) => l.includes('Cora Claimant'));
    expect(feeRows).toHaveLength(1);
    expect(feeRows[0]).toContain('"15","unpaid"');

    expect((await official.request('GET', '/api/claim-fees/export')).status).toBe(403);
    expect((await official.request('GET', '/api/review/claims/export')).status).toBe(403);
    expect((await coordinator.request('GET', '/api/review/claims/export')).status).toBe(403);
    const bad = await admin.request('GET', '/api/review/claims/export?format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('query.format');
  });

  it("a program's enrollments and a session's roster", async () => {
    const ks = await programId(t.db);
    const e = await admin.request('GET', `/api/programs/${ks}/enrollments/export?format=csv`);
    expect(e.status, e.body).toBe(200);
    const rows = csvRows(e.body);
    expect(rows[0]).toMatch(/^"Official","E-mail","Program","Status","Enrolled on"/);
    expect(rows.filter((l) => l.includes('Roster"'))).toHaveLength(2);
    const missing = await admin.request(
      'GET',
      '/api/programs/00000000-0000-4000-8000-000000000000/enrollments/export',
    );
    expect(missing.status).toBe(404);

    const r = await coordinator.request('GET', `/api/sessions/${firstSession}/roster/export?format=csv`);
    expect(r.status, r.body).toBe(200);
    expect(String(r.headers['content-disposition'])).toMatch(/filename="roster-EXP-101-/);
    const roster = csvRows(r.body);
    expect(roster[0]).toMatch(/^"Name","E-mail","Title","County","Status"/);
    expect(roster.slice(1).map((l) => l.split(',')[0])).toEqual(['"Avery Roster"', '"Blake Roster"']);
    expect((await official.request('GET', `/api/sessions/${firstSession}/roster/export`)).status).toBe(403);
  });

  it("names the file for the day in the program's zone (9 p.m. in Kansas is already tomorrow in UTC)", async () => {
    const was = t.clock.now;
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    const evening = await coordinator.request('GET', '/api/sessions/export?from=2030-03-01&to=2030-03-31');
    t.clock.now = was;
    expect(evening.status, evening.body).toBe(200);
    expect(String(evening.headers['content-disposition'])).toContain('filename="sessions-2026-12-03.csv"');
  });
});
