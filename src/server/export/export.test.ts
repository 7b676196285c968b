/**
 * List exports and the per-official JSON export, through the HTTP API: the
 * same filters as the list, every row (not one page), attachment headers,
 * hostile names neutralised, permissions as the list's, and an official can
 * never download another person's data.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, createTestApp, type Client, type TestApp } from '../testing/harness.js';
import { buildClaim } from '../testing/claims.js';
import {
  buildCredit,
  buildEnrollment,
  buildRegistration,
  buildSession,
  factsChanged,
  programId,
  quickClient,
} from '../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let coordinator: Client;
let official: Client & { email: string };
let other: Client & { email: string };
let eligibleOne: Client & { email: string };
const mine: Record<string, string> = {};
const theirs: Record<string, string> = {};

const csvRows = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2026-12-03T15:00:00Z'); // renewals due are counted from this day
  admin = await quickClient(t, ['administrator']);
  coordinator = await quickClient(t, ['coordinator']);
  official = await quickClient(t, ['official'], { firstName: 'Dana', lastName: 'Kessler' });
  other = await quickClient(t, ['official'], { firstName: 'Other', lastName: 'Person' });
  await buildEnrollment(t.db, official.personId);
  mine.credit = await buildCredit(t.db, official.personId, { courseCode: 'KS-Y1-01' });
  // The official's own claim, registration and award; the other official has one of each too.
  const ks = await programId(t.db);
  for (const [who, into] of [
    [official, mine],
    [other, theirs],
  ] as const) {
    into.claim = await buildClaim(t.db, who.personId);
    into.registration = await buildRegistration(t.db, (await buildSession(t.db)).id, who.personId);
    into.award = (
      await t.db
        .insertInto('award')
        .values({
          program_id: ks,
          person_id: who.personId,
          // Dana's first renewal cycle ends this year (due soon); the other's is years away.
          awarded_on: who === official ? '2025-03-05' : '2026-11-02',
          number: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  theirs.credit = await buildCredit(t.db, other.personId, { courseCode: 'KS-Y1-02' });
  for (const who of [official, other]) await factsChanged(t, who.personId);
  // An official who has completed every Kansas course and awaits the award.
  eligibleOne = await quickClient(t, ['official'], { firstName: 'Erin', lastName: 'Eligible' });
  await buildEnrollment(t.db, eligibleOne.personId, undefined, '2024-01-15');
  for (const [i, year] of ['one', 'two', 'three'].entries())
    for (const n of [1, 2, 3])
      await buildCredit(t.db, eligibleOne.personId, {
        category: `year-${year}`,
        courseCode: `KS-Y${i + 1}-0${n}`,
        earnedOn: `${2024 + i}-04-10`,
      });
  await factsChanged(t, eligibleOne.personId);
  // 230 people in Finney County (more than one 200-row page), one with a hostile name.
  for (let i = 0; i < 229; i++)
    await buildPerson(t.db, {
      lastName: `Finney${String(i).padStart(3, '0')}`,
      jurisdictionFips: '20055',
      password: null,
    });
  await buildPerson(t.db, {
    firstName: '=HYPERLINK("http://evil")',
    lastName: '@Finney',
    jurisdictionFips: '20055',
    password: null,
  });
});
afterAll(() => t.close());

describe('list exports', () => {
  it('exports every person matching the filters as CSV, with formulas neutralised', async () => {
    const r = await coordinator.request('GET', '/api/people/export?county=20055&format=csv');
    expect(r.status, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(r.headers['content-disposition'])).toMatch(
      /^attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = csvRows(r.body);
    expect(lines[0]).toBe(
      '"Last name","First name","Preferred name","E-mail","Phone","Title","County or state","FIPS","Roles","Created"',
    );
    expect(lines).toHaveLength(231);
    expect(r.body).toContain(`"'@Finney","'=HYPERLINK(""http://evil"")"`);
    expect(r.body).not.toContain('Kessler');
  });

  it('exports XLSX with the same rows', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/people/export?county=20055&q=Finney00&format=xlsx',
      headers: { cookie: admin.cookie },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as never);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(11); // header + Finney000..Finney009
    expect(ws.getCell(2, 1).value).toBe('Finney000');
  });

  it('refuses a bad format naming the field, and follows the list’s permissions', async () => {
    const bad = await admin.request('GET', '/api/people/export?format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('query.format');
    expect((await official.request('GET', '/api/people/export')).status).toBe(403);
    expect((await coordinator.request('GET', '/api/audit/export')).status).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/people/export' })).statusCode).toBe(401);
  });

  it('exports the audit log, outbox, jurisdictions and awards lists', async () => {
    const audit = await admin.request('GET', '/api/audit/export?format=csv');
    expect(audit.status).toBe(200);
    expect(csvRows(audit.body)[0]).toContain('"Action"');
    // Whom each entry is about, by name (issue 15).
    expect(csvRows(audit.body)[0]).toContain('"About"');
    const outbox = await admin.request('GET', '/api/outbox/export?format=xlsx');
    expect(outbox.status).toBe(200);
    const j = await t.app.inject({ method: 'GET', url: '/api/jurisdictions/export?state=KS&kind=county' });
    expect(j.statusCode).toBe(200);
    const rows = csvRows(j.body);
    expect(rows).toHaveLength(106);
    expect(rows).toContain('"20055","county","Finney","KS","Kansas"');
    // Each list export has its header and exactly the list's rows.
    const exported = async (url: string, list: string) => {
      const r = await admin.request('GET', `${url}${url.includes('?') ? '&' : '?'}format=csv`);
      expect(r.status, url).toBe(200);
      const [head, ...data] = csvRows(r.body);
      const items = (await admin.request('GET', list)).json.items;
      expect(data, url).toHaveLength(items.length);
      return { head: head!, data };
    };
    const awards = await exported('/api/awards/export', '/api/awards');
    expect(awards.head).toContain('"Certificate number","Name on certificate"');
    expect(awards.data).toHaveLength(2);
    expect(awards.data.some((l) => l.includes('Dana Kessler'))).toBe(true);
    expect(awards.data.some((l) => l.includes('Other Person'))).toBe(true);
    const eligible = await exported('/api/awards/eligible/export', '/api/awards/eligible');
    expect(eligible.head).toMatch(/^"Name","County","Program","Eligible on"/);
    expect(eligible.data).toHaveLength(1);
    expect(eligible.data[0]).toMatch(/^"Erin Eligible",.*"Kansas County Election Official/);
    const due = await exported('/api/renewals/due/export?withinDays=365', '/api/renewals/due?withinDays=365');
    expect(due.head).toMatch(/^"Name","County","Program","Certificate number","Status","Due on"/);
    expect(due.data).toHaveLength(1);
    expect(due.data[0]).toMatch(/^"Dana Kessler",/);
  });
});

describe('per-official JSON export', () => {
  it('gives an official all their own data, and records it in the audit log', async () => {
    const r = await official.request('GET', '/api/profile/export');
    expect(r.status, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(String(r.headers['content-disposition'])).toMatch(
      /^attachment; filename="civiccert-Kessler-Dana-/,
    );
    const data = r.json;
    expect(data.format).toBe('civiccert.person-export.v1');
    expect(data.profile).toMatchObject({ id: official.personId, firstName: 'Dana', lastName: 'Kessler' });
    expect(data.enrollments).toHaveLength(1);
    expect(data.ledger).toHaveLength(1);
    expect(data.ledger[0]).toMatchObject({ id: mine.credit, courseCode: 'KS-Y1-01', status: 'approved' });
    // Their own claim, registration and award; none of the other official's.
    const ids = (k: string) => (data[k] as { id: string }[]).map((x) => x.id);
    expect(ids('claims')).toEqual([mine.claim]);
    expect(data.claims[0]).toMatchObject({ title: 'Records retention webinar', status: 'submitted' });
    expect(ids('registrations')).toEqual([mine.registration]);
    expect(data.registrations[0]).toMatchObject({ status: 'confirmed' });
    expect(ids('awards')).toEqual([mine.award]);
    expect(data.transcripts).toEqual([]);
    for (const id of Object.values(theirs)) expect(r.body).not.toContain(id);
    expect(r.body).not.toContain(other.personId);
    expect(r.body).not.toMatch(/password_?hash|totp|csrf/i);
    const audit = await admin.request('GET', `/api/audit?action=person.export&entityId=${official.personId}`);
    expect(audit.json.items).toHaveLength(1);
  });

  it('never lets an official export another person, while an administrator can', async () => {
    expect((await official.request('GET', `/api/people/${other.personId}/export`)).status).toBe(403);
    expect((await coordinator.request('GET', `/api/people/${other.personId}/export`)).status).toBe(403);
    const mine = await other.request('GET', '/api/profile/export');
    expect(mine.json.profile.id).toBe(other.personId);
    expect(mine.body).not.toContain('Kessler');
    const byAdmin = await admin.request('GET', `/api/people/${official.personId}/export`);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.json.profile.id).toBe(official.personId);
    const missing = await admin.request('GET', '/api/people/00000000-0000-4000-8000-000000000000/export');
    expect(missing.status).toBe(404);
  });
});
