/**
 * Issue 13, section 3, in Chromium with axe: a closed Kansas renewal cycle
 * survives a late reversal of the course it counted; the coordinator sees the
 * flag on the official's progress page, reopens the cycle with a reason, and
 * the page then shows the cycle recomputed from the ledger (reinstated late
 * with the 2025 course, so 2025 is now due).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCertificationSweep } from '../src/server/modules/certification/evaluation.js';
import { buildPerson } from '../src/server/testing/harness.js';
import { buildCredit, buildEnrollment, programId, quickClient } from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
let officialId = '';

beforeAll(async () => {
  e = await startE2E();
  e.t.clock.now = new Date('2023-06-01T15:00:00Z');
  await buildPerson(e.t.db, {
    roles: ['coordinator'],
    firstName: 'Corinne',
    lastName: 'Castillo',
    email: 'corinne.castillo@example.gov',
  });
  const admin = await quickClient(e.t, ['administrator']);
  officialId = (await buildPerson(e.t.db, { roles: ['official'], firstName: 'Lena', lastName: 'Marsh' }))
    .personId;
  const ks = await programId(e.t.db);
  await buildEnrollment(e.t.db, officialId, undefined, '2022-01-15');
  for (const [i, y] of ['one', 'two', 'three'].entries())
    for (const n of [1, 2, 3])
      await buildCredit(e.t.db, officialId, {
        category: `year-${y}`,
        courseCode: `KS-Y${i + 1}-0${n}`,
        earnedOn: ['2022-04-10', '2022-09-10', '2023-03-10'][i]!,
      });
  const award = await admin.request('POST', '/api/awards', {
    personId: officialId,
    programId: ks,
    awardedOn: '2023-06-01',
  });
  expect(award.status, award.body).toBe(201);
  const course2024 = await buildCredit(e.t.db, officialId, {
    category: 'advance-renewal',
    courseCode: 'KS-ARC-2026',
    earnedOn: '2024-06-01',
  });
  await buildCredit(e.t.db, officialId, {
    category: 'advance-renewal',
    courseCode: 'KS-ARC-2027',
    earnedOn: '2025-05-01',
  });
  // The 2024 cycle closes (its grace ended 2025-03-31); then its course is reversed.
  e.t.clock.now = new Date('2025-11-01T15:00:00Z');
  await runCertificationSweep(e.t.deps);
  e.t.clock.now = new Date('2025-11-02T15:00:00Z');
  const coordinator = await quickClient(e.t, ['coordinator']);
  const reversed = await coordinator.request('POST', `/api/credits/${course2024}/reverse`, {
    reason: 'Attendance sheet was for another official',
  });
  expect(reversed.status, reversed.body).toBe(201);
});
afterAll(() => e?.close());

async function signedIn(email: string): Promise<Page> {
  const { page } = await e.newPage();
  await signIn(page, email);
  return page;
}

describe('reopening a closed renewal cycle in the browser', () => {
  it('the coordinator sees the flag, reopens with a reason, and the cycle is recomputed', async () => {
    const page = await signedIn('corinne.castillo@example.gov');
    await page.goto(`/people/${officialId}/progress`);
    await page.getByTestId('cycle-flag').waitFor();
    expect(await page.getByTestId('cycle-flag').innerText()).toMatch(/reversed/);
    expect(await mainText(page)).toMatch(/Renewed on Jun 1, 2024 \(closed: this outcome no longer changes\)/);
    await expectAccessible(e, page, 'progress with a flagged closed cycle');

    // No reason: the field says so, and nothing is reopened.
    await page.getByRole('button', { name: 'Reopen the cycle' }).click();
    await page.getByText('Give the reason for reopening this cycle.').waitFor();
    await page
      .getByLabel('Reason for reopening')
      .fill('The 2024 course was recorded in error; recompute from the ledger');
    await page.getByRole('button', { name: 'Reopen the cycle' }).click();
    await page.getByText(/Reinstated on May 1, 2025/).waitFor();
    expect(await page.getByTestId('cycle-flag').count()).toBe(0);
    await expectAccessible(e, page, 'progress after reopening');

    const audit = await e.t.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', officialId)
      .where('action', '=', 'certification.cycle.reopen')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({
      reason: 'The 2024 course was recorded in error; recompute from the ledger',
    });
  });
});
