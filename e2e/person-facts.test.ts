/**
 * Issue 13, section 4, in Chromium with axe on every page visited: a
 * coordinator records an official's taking-office date and a medical waiver
 * of the orientation deadline on the person page. The official's progress
 * then shows the deadline (6 months after taking office), the waiver with its
 * reason, and the orientation courses still owed.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orientationProgram } from '../src/domain/requirements/orientation.fixture.js';
import { jsonb } from '../src/server/db/json.js';
import { buildPerson } from '../src/server/testing/harness.js';
import { expectAccessible, mainText, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
let officialId = '';

beforeAll(async () => {
  e = await startE2E();
  await buildPerson(e.t.db, {
    roles: ['coordinator'],
    firstName: 'Corinne',
    lastName: 'Castillo',
    email: 'corinne.castillo@example.gov',
  });
  officialId = (
    await buildPerson(e.t.db, {
      roles: ['official'],
      firstName: 'Wendell',
      lastName: 'Okafor',
      email: 'wendell.okafor@example.gov',
    })
  ).personId;
  const program = await e.t.db
    .insertInto('program')
    .values({
      code: orientationProgram.id,
      name: orientationProgram.name,
      time_zone: orientationProgram.timeZone,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await e.t.db
    .insertInto('program_version')
    .values({
      program_id: program.id,
      version: orientationProgram.version,
      effective_from: orientationProgram.effectiveFrom,
      definition: jsonb(orientationProgram),
      published: true,
      published_at: new Date().toISOString(),
    })
    .execute();
  await e.t.db
    .insertInto('enrollment')
    .values({
      program_id: program.id,
      person_id: officialId,
      status: 'active',
      enrolled_on: '2026-07-01',
      pinned_version: null,
      fee_amount_cents: 0,
      fee_status: 'waived',
      fee_method: null,
      receipt_number: null,
      requested_at: null,
    })
    .execute();
});
afterAll(() => e?.close());

async function signedIn(email: string): Promise<Page> {
  const { page } = await e.newPage();
  await signIn(page, email);
  return page;
}

describe('person facts in the browser', () => {
  it('a coordinator records a taking-office date and a medical waiver; the official sees the deadline, the waiver and the training owed', async () => {
    const page = await signedIn('corinne.castillo@example.gov');
    await page.goto(`/people/${officialId}`);
    await page.getByRole('heading', { level: 2, name: 'Facts the rules use' }).waitFor();
    await expectAccessible(e, page, 'person page with facts');
    expect(await mainText(page)).toContain('Nothing is recorded yet.');

    // Taking office: nothing filled in first, so the form names each missing field.
    await page.getByRole('button', { name: 'Record the fact' }).click();
    await page.getByText('Choose what the fact is about.').first().waitFor();
    await page.locator('#fact-key').selectOption({ label: 'Taking office (appointment date)' });
    await page.locator('#fact-date').fill('2026-07-01');
    await page.locator('#fact-reason').fill('Oath of office filed with the county clerk, July 1');
    await page.getByRole('button', { name: 'Record the fact' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Recorded: Taking office (appointment date): Jul 1, 2026' })
      .waitFor();

    // The medical waiver of the orientation deadline.
    await page.locator('#fact-kind').selectOption('waiver');
    await page
      .getByLabel('What it is about')
      .selectOption({ label: 'Orientation within 6 months of taking office' });
    await page.locator('#fact-date').fill('2026-09-10');
    await page.locator('#fact-reason').fill('Medical leave, July to October; doctor’s note on file');
    await page.getByRole('button', { name: 'Record the fact' }).click();
    await page.getByRole('status').filter({ hasText: 'waived on Sep 10, 2026' }).waitFor();
    const table = page.getByRole('table', { name: 'Current facts' });
    await expect.poll(async () => table.locator('tbody tr').count()).toBe(2);
    expect(await table.innerText()).toContain('Medical leave, July to October');
    await expectAccessible(e, page, 'person page after recording facts');

    const official = await signedIn('wendell.okafor@example.gov');
    await official.goto('/progress');
    await official.getByRole('heading', { level: 2, name: 'New County Clerk Orientation' }).waitFor();
    await official.getByTestId('person-facts').waitFor();
    const text = await mainText(official);
    // The facts, in the official's words.
    expect(text).toContain('Taking office (appointment date): Jul 1, 2026');
    expect(text).toContain('Orientation within 6 months of taking office: waived on Sep 10, 2026');
    // The deadline (January 1, 2027) is suspended by the waiver, and the courses are still owed.
    expect(text).toMatch(/January 1, 2027/);
    expect(text).toContain('Medical leave, July to October');
    expect(text).toMatch(/Orientation courses/);
    expect(text).not.toMatch(/Eligible/);
    await expectAccessible(e, official, 'official progress with facts');
  });
});
