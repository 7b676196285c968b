/**
 * Transcripts: the whole record on screen, the official PDF as an immutable
 * issued record, and the public verification that shows only what the
 * transcript states.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaim } from '../../testing/claims.js';
import { buildApp } from '../../app.js';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildCredit, buildEnrollment, programId, quickClient } from '../../testing/scheduling.js';

let t: TestApp;
let official: Client & { email: string };
let other: Client & { email: string };
let coordinator: Client;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-01T15:00:00Z');
  official = await quickClient(t, ['official'], { firstName: 'Marguerite', lastName: 'Okafor' });
  other = await quickClient(t, ['official']);
  coordinator = await quickClient(t, ['coordinator']);
  await buildEnrollment(t.db, official.personId, 'igo-cpo');
  await buildEnrollment(t.db, official.personId);
  const igo = await programId(t.db, 'igo-cpo');
  await buildCredit(t.db, official.personId, { courseCode: 'KS-Y1-01', earnedOn: '2026-04-01' });
  const manual = await coordinator.request('POST', `/api/people/${official.personId}/credits`, {
    programId: igo,
    amount: 4,
    category: 'elections',
    sourceType: 'state-association',
    earnedOn: '2026-05-02',
    title: 'State clerks association spring meeting',
    reason: 'Paper workbook',
  });
  expect(manual.status, manual.body).toBe(201);
  await coordinator.request('POST', `/api/people/${official.personId}/credits`, {
    programId: igo,
    amount: 2.5,
    category: 'records-management',
    sourceType: 'online-course',
    earnedOn: '2026-06-02',
    title: 'Digital records',
    reason: 'Paper workbook',
  });
  await buildClaim(t.db, official.personId, { hours: 3 });
});
afterAll(() => t.close());

describe('the transcript on screen', () => {
  it('shows every program with totals per category and requirement, outside credit and pending claims', async () => {
    const res = await official.request('GET', '/api/me/transcript');
    expect(res.status, res.body).toBe(200);
    expect(res.json.person.name).toBe('Marguerite Okafor');
    const cpo = res.json.programs.find((p: { program: { code: string } }) => p.program.code === 'igo-cpo');
    expect(cpo.totalApproved).toBe(6.5);
    expect(cpo.totals).toEqual([
      { category: 'elections', name: 'Elections Administration', amount: 4 },
      { category: 'records-management', name: 'Records Management', amount: 2.5 },
    ]);
    expect(cpo.outside.map((o: { source: string }) => o.source)).toEqual([
      'Entered by staff',
      'Entered by staff',
    ]);
    expect(cpo.pending).toEqual([expect.objectContaining({ hours: 3, status: 'waiting for review' })]);
    expect(cpo.totalPending).toBe(3);
    // Totals per requirement: elections and records management are job-specific modules, not
    // Management credits, and no module is complete yet.
    expect(cpo.requirements).toEqual([
      { id: 'management-tier', title: 'Management tier', have: 0, need: 72, met: false },
      {
        id: 'job-specific-tier',
        title: 'Job-specific tier (one certification module)',
        have: 0,
        need: 1,
        met: false,
      },
    ]);
    const ks = res.json.programs.find(
      (p: { program: { code: string } }) => p.program.code === 'ks-county-election-official',
    );
    expect(ks.totalApproved).toBe(3);
    expect(ks.totals).toEqual([{ category: 'year-one', name: expect.any(String), amount: 3 }]);
    expect(ks.requirements).toEqual([
      { id: 'year-one', title: 'Year One', have: 1, need: 3, met: false },
      { id: 'year-two', title: 'Year Two', have: 0, need: 3, met: false },
      { id: 'year-three', title: 'Year Three', have: 0, need: 3, met: false },
    ]);
    expect(ks.program.issuingBody).toBe('Kansas Secretary of State, Elections Division');
    expect((await coordinator.request('GET', `/api/people/${official.personId}/transcript`)).json).toEqual(
      res.json,
    );
    expect((await other.request('GET', `/api/people/${official.personId}/transcript`)).status).toBe(403);
  });
});

describe('official PDF transcripts', () => {
  let issued: { id: string; code: string; verifyUrl: string; pdfUrl: string; sha256: string };

  it('issues a PDF with a verification code and QR link, kept as an immutable record', async () => {
    const res = await official.request('POST', '/api/me/transcripts');
    expect(res.status, res.body).toBe(201);
    issued = res.json;
    expect(issued.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(issued.verifyUrl).toBe(`http://localhost:3000/verify/transcript/${issued.code}`);
    const pdf = await official.request('GET', issued.pdfUrl);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="transcript-${issued.code}.pdf"`);
    expect(pdf.body.startsWith('%PDF-')).toBe(true);
    expect((await official.request('GET', '/api/me/transcripts')).json.items[0].code).toBe(issued.code);
    // Only its owner and staff can download it.
    expect((await other.request('GET', issued.pdfUrl)).status).toBe(404);
    expect((await coordinator.request('GET', issued.pdfUrl)).status).toBe(200);
    await expect(
      sql`update issued_transcript set snapshot = '{}' where id = ${issued.id}`.execute(t.db),
    ).rejects.toThrow(/immutable/);
    await expect(sql`delete from issued_transcript where id = ${issued.id}`.execute(t.db)).rejects.toThrow(
      /immutable/,
    );
  });

  it('the public verification confirms it without sign-in and shows nothing private', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/verify/transcript/${issued.code}` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      authentic: true,
      code: issued.code,
      name: 'Marguerite Okafor',
      sha256: issued.sha256,
    });
    expect(
      body.programs.find((p: { name: string }) => /CPO|Certified Public Official/.test(p.name)).totalApproved,
    ).toBe(6.5);
    expect(res.body).not.toContain(official.email);
    expect(res.body).not.toContain(official.personId);
    expect(res.body).not.toContain('Paper workbook');
    const unknown = await t.app.inject({ method: 'GET', url: '/api/verify/transcript/ABCD-EFGH-JKMN' });
    expect(unknown.statusCode).toBe(404);
    const malformed = await t.app.inject({ method: 'GET', url: '/api/verify/transcript/not-a-code' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].field).toBe('params.code');
  });

  it('is rate-limited per address by the shared PostgreSQL limiter, across app instances', async () => {
    // A second app instance on the same database, as behind a load balancer.
    const second = await buildApp(t.deps, { logger: false, webRoot: '/nonexistent' });
    await second.ready();
    try {
      const check = (app: typeof second, ip: string) =>
        app.inject({ method: 'GET', url: '/api/verify/transcript/ABCD-EFGH-JKMN', remoteAddress: ip });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++)
        statuses.push((await check(i % 2 ? second : t.app, '203.0.113.9')).statusCode);
      expect(statuses.every((s) => s === 404)).toBe(true);
      // The 61st check is refused on either instance: the count lives in PostgreSQL.
      for (const app of [t.app, second]) {
        const refused = await check(app, '203.0.113.9');
        expect(refused.statusCode).toBe(429);
        expect(refused.headers['content-type']).toMatch(/problem\+json/);
        expect(refused.json().detail).toMatch(/too many transcript checks/i);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      }
      // Another address, and the award verification bucket, are counted apart.
      expect((await check(t.app, '203.0.113.10')).statusCode).toBe(404);
      const award = await t.app.inject({
        method: 'GET',
        url: '/api/verify/KS-NOPE-0000',
        remoteAddress: '203.0.113.9',
      });
      expect(award.statusCode).not.toBe(429);
      // Once the minute has passed, the address may check again.
      t.clock.now = new Date(t.clock.now.getTime() + 61_000);
      expect((await check(second, '203.0.113.9')).statusCode).toBe(404);
      // 150 simultaneous checks from a fresh address over both instances: exactly the limit passes.
      const burst = await Promise.all(
        Array.from({ length: 150 }, (_, i) => check(i % 2 ? second : t.app, '203.0.113.50')),
      );
      expect(burst.filter((r) => r.statusCode === 404)).toHaveLength(60);
      expect(burst.filter((r) => r.statusCode === 429)).toHaveLength(90);
    } finally {
      await second.close();
    }
  });
});
