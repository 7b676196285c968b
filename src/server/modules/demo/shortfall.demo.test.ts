/**
 * Issue 19: the coordinators' view of courses short of seats shows a real shortfall on the demo's
 * first start, so the page has something to say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Shortfall } from '../../../contract/planning.js';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { programId, quickClient } from '../../testing/scheduling.js';
import { loadDemoData } from './demo.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await loadDemoData(t.deps);
});
afterAll(() => t.close());

describe('the demo', () => {
  it('has a course short of seats in the Kansas program, 90 days out', async () => {
    const coordinator = await quickClient(t, ['coordinator']);
    const ks = await programId(t.db);
    const res = await coordinator.request('GET', `/api/reports/seat-shortfall?programId=${ks}`);
    expect(res.status, res.body).toBe(200);
    const body = res.json as Shortfall;
    // Year One in Salina has a session with free seats, far fewer than the officials who need it.
    const y1 = body.courses.find((c) => c.courseCode === 'KS-Y1-01')!;
    expect(y1.sessions).toBeGreaterThan(0);
    expect(y1.freeSeats).toBeGreaterThan(0);
    expect(y1.short).toBe(y1.need - y1.freeSeats);
    expect(y1.short).toBeGreaterThan(0);
    expect(y1.message).toMatch(
      /^\d+ officials still need KS-Y1-01 and \d+ seats remain by .*: schedule at least \d+ more sessions of \d+\.$/,
    );
  });
});
