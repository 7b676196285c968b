/** Tests that publish a draft of a program with rules in force check its impact first (ADR 0029). */
import { expect } from 'vitest';
import { impactRunsSettled } from '../modules/certification/impact.service.js';
import type { Client } from './harness.js';

/** Checks the draft's impact as of a day and waits for the check to finish; returns the impact. */
export async function checkImpact(admin: Client, programId: string, asOf = '2026-06-01') {
  const started = await admin.request('POST', `/api/programs/${programId}/draft/impact`, { asOf });
  expect(started.status, started.body).toBe(202);
  await impactRunsSettled();
  const read = await admin.request('GET', `/api/programs/${programId}/draft/impact`);
  expect(read.json.impact, read.body).toMatchObject({ state: 'finished' });
  return read.json.impact as import('../../contract/impact.js').Impact;
}
