/**
 * Issue 15, item 11: on a phone (390 px wide) the wide tables — My sessions, the officials eligible
 * for award and the people list — become stacked rows, each cell under its column's name, instead
 * of columns clipped by sideways scrolling. Nothing scrolls sideways; the people list can still be
 * sorted (a "Sort by" select stands in for the hidden header row); on a wide screen the tables and
 * their sort buttons are as before. Every page is scanned with axe.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import {
  buildCredit,
  buildEnrollment,
  buildRegistration,
  buildSession,
  factsChanged,
} from '../src/server/testing/scheduling.js';
import {
  expectAccessible,
  saveShot,
  sidewaysOverflow,
  signIn,
  startE2E,
  unlabelledStackedCells,
  type E2E,
} from './harness.js';

const PHONE = { width: 390, height: 844 };

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  const clock = e.t.clock;
  clock.now = new Date('2027-03-12T15:00:00Z');
  await buildPerson(e.t.db, {
    email: 'ada.admin@example.gov',
    firstName: 'Ada',
    lastName: 'Abbott',
    roles: ['administrator'],
  });
  // Olive has a session ahead, a place on a waitlist, and one she attended.
  const olive = await buildPerson(e.t.db, {
    email: 'olive.ortiz@example.gov',
    firstName: 'Olive',
    lastName: 'Ortiz',
    jurisdictionFips: '20177',
  });
  const day = 86_400_000;
  const ahead = await buildSession(e.t.db, {
    startsAt: new Date(Date.now() + 20 * day),
    course: { title: 'Canvassing and certifying the vote' },
  });
  const full = await buildSession(e.t.db, {
    startsAt: new Date(Date.now() + 40 * day),
    course: { title: 'Voter registration and list maintenance' },
  });
  const past = await buildSession(e.t.db, {
    startsAt: new Date(Date.now() - 20 * day),
    course: { title: 'Ethics for election officials' },
  });
  await buildRegistration(e.t.db, ahead.id, olive.personId);
  await buildRegistration(e.t.db, full.id, olive.personId, 'waitlisted');
  await buildRegistration(e.t.db, past.id, olive.personId);
  // Rosa has met every requirement and waits for her award.
  const rosa = await buildPerson(e.t.db, {
    email: 'rosa.reyes@example.gov',
    firstName: 'Rosa',
    lastName: 'Reyes',
    jurisdictionFips: '20177',
  });
  await buildEnrollment(e.t.db, rosa.personId, undefined, '2025-01-10');
  for (const [category, prefix, date] of [
    ['year-one', 'KS-Y1', '2025-04-10'],
    ['year-two', 'KS-Y2', '2026-04-09'],
    ['year-three', 'KS-Y3', '2027-03-11'],
  ] as const)
    for (const i of [1, 2, 3])
      await buildCredit(e.t.db, rosa.personId, { category, courseCode: `${prefix}-0${i}`, earnedOn: date });
  await factsChanged(e.t, rosa.personId);
  for (const [first, last] of [
    ['Wes', 'Wolfe'],
    ['Zed', 'Zimmerman'],
  ])
    await buildPerson(e.t.db, { firstName: first, lastName: last, title: 'Deputy County Clerk' });
});
afterAll(() => e?.close());

async function phone(email: string): Promise<Page> {
  const { page } = await e.newPage({ viewport: PHONE });
  await signIn(page, email);
  return page;
}

/** The page at 390 px: axe finds nothing, nothing scrolls sideways, every cell names its column. */
async function expectStacked(page: Page, label: string) {
  await page.locator('main .data-table--stacked tbody tr').first().waitFor();
  await expectAccessible(e, page, label);
  const overflow = await sidewaysOverflow(page);
  expect(overflow.page, `${label}: the page scrolls sideways`).toBe(0);
  expect(overflow.tables.length, label).toBeGreaterThan(0);
  expect(overflow.tables, `${label}: a table scrolls sideways`).toEqual(overflow.tables.map(() => 0));
  expect(await unlabelledStackedCells(page), label).toEqual([]);
}

describe('phones: wide tables stack below 640 px', () => {
  it('My sessions: registered, waitlisted and attended rows stack, each cell under its column name', async () => {
    const page = await phone('olive.ortiz@example.gov');
    await page.goto('/my-sessions');
    await page.getByRole('heading', { level: 1, name: 'My sessions' }).waitFor();
    await expect.poll(() => page.locator('main .data-table--stacked').count()).toBe(3);
    await expectStacked(page, 'My sessions at 390 px');
    const main = page.locator('main');
    // The column names are shown above the values, e.g. "When" and "Your place".
    const waitlisted = main.getByRole('region', { name: 'Sessions where you are on the waitlist' });
    expect(await waitlisted.locator('td').first().getAttribute('data-label')).toBe('Your place');
    expect(await waitlisted.locator('td').first().innerText()).toContain('Number 1');
    expect(await main.getByRole('link', { name: /Ethics for election officials/ }).isVisible()).toBe(true);
    await saveShot(page, 'screenshot-phone-my-sessions');
  });

  it('the eligible list stacks, and its award checkboxes still work', async () => {
    const page = await phone('ada.admin@example.gov');
    await page.goto('/awards/eligible');
    await page.getByRole('heading', { level: 1, name: 'Eligible for award' }).waitFor();
    await expectStacked(page, 'eligible list at 390 px');
    const row = page.locator('main tbody tr', { hasText: 'Rosa Reyes' });
    expect(await row.locator('th').getAttribute('data-label')).toBe('Official');
    await row.locator('label.usa-checkbox__label', { hasText: 'Award Rosa Reyes' }).click();
    expect(await row.getByLabel('Award Rosa Reyes').isChecked()).toBe(true);
  });

  it('the people list stacks and sorts with a select; at 1280 px the header row sorts as before', async () => {
    const page = await phone('ada.admin@example.gov');
    await page.goto('/people');
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await expectStacked(page, 'people list at 390 px');
    const names = () => page.locator('main tbody th').allInnerTexts();
    const first = (await names())[0]!;
    expect(first).toContain('Abbott, Ada');
    // The header row (and its sort buttons) is hidden on a phone: the Sort by select sorts instead.
    expect(await page.getByRole('button', { name: /^Name/ }).isVisible()).toBe(false);
    const sortBy = page.getByLabel('Sort by');
    expect(await sortBy.isVisible()).toBe(true);
    await sortBy.selectOption({ label: 'Last name, Z to A' });
    await page.waitForURL(/sort=-name/);
    await expect.poll(async () => (await names())[0]).toContain('Zimmerman, Zed');
    await expectStacked(page, 'people list sorted Z to A at 390 px');
    await page.getByLabel('Sort by').selectOption({ label: 'Last name, A to Z' });
    await expect.poll(async () => (await names())[0]).toContain('Abbott, Ada');
    await saveShot(page, 'screenshot-phone-people');

    // On a wide screen: columns, sort buttons in the header, no Sort by select.
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.locator('main thead').isVisible()).toBe(true);
    expect(await page.getByLabel('Sort by').isVisible()).toBe(false);
    await page.getByRole('button', { name: /^Name/ }).click();
    await page.waitForURL(/sort=-name/);
    await expect.poll(async () => (await names())[0]).toContain('Zimmerman, Zed');
    await expectAccessible(e, page, 'people list at 1280 px');
  });
});
