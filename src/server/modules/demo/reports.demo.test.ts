/**
 * The reports on the demo data (300 Kansas officials): pilot counties'
 * officials are in the pilot cohort, some finished before the 2024 General
 * Election and some missed it, and the map has certified, in-progress and
 * empty counties. Prints how long the full snapshot takes (see docs/reports.md).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { programId } from '../../testing/scheduling.js';
import { loadDemoData } from './demo.service.js';
import { PILOT_COUNTIES } from './demo-reports.js';
import { computeReports, reportSnapshot } from '../reports/reports.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2026-11-23T15:00:00Z');
  await loadDemoData(t.deps);
});
afterAll(() => t.close());

it('shows the pilot cohort, certified pilot counties and the funnel on the demo data', async () => {
  const ks = await programId(t.db);
  const started = performance.now();
  const s = await reportSnapshot(t.db, { programId: ks, asOf: '2026-11-23' });
  console.log(`reportSnapshot on the demo data: ${Math.round(performance.now() - started)} ms`);
  for (const only of [['funnel'], ['sessionFill'], ['turnaround']] as const) {
    const at = performance.now();
    await computeReports(t.db, { programId: ks, asOf: '2026-11-23' }, [...only]);
    console.log(`${only[0]} alone: ${Math.round(performance.now() - at)} ms`);
  }
  const pilot = s.cohorts.find((c) => c.id === 'pilot-2024')!;
  expect(pilot.members).toBeGreaterThan(8);
  expect(pilot.met).toBeGreaterThan(0);
  expect(pilot.missed).toBeGreaterThan(0);
  expect(pilot.met + pilot.missed).toBe(pilot.members);
  const status = new Map(s.coverage.counties.map((c) => [c.fips, c.status]));
  for (const fips of PILOT_COUNTIES.slice(0, 3)) expect(status.get(fips), fips).toBe('certified');
  expect(s.coverage.totals.certified + s.coverage.totals.in_progress + s.coverage.totals.none).toBe(105);
  // A dozen counties have enrolled nobody yet: the map shows all three states.
  expect(s.coverage.totals.none).toBeGreaterThanOrEqual(10);
  expect(s.funnel.enrolled).toBeGreaterThanOrEqual(250);
  expect(s.funnel.certified).toBeGreaterThanOrEqual(13);
  expect(s.sessionFill.courses.length).toBeGreaterThan(0);
});
