/**
 * Issue 15, item 12, in Chromium: the shared web components behave the same on every page that
 * uses them. The five searchable lists (people, jurisdictions, audit log, outbox, catalog) share
 * one skeleton: filter form, download links carrying the filters, "Showing … of …", table, and a
 * "Clear" link while a filter is applied. Form errors come one way (formErrors) from the server
 * (a list filter it refuses) and from checks in the browser (zod, on My profile), and show in the
 * shared text and textarea fields: message next to the field, field marked invalid and described
 * by its hint and message. Every page and state is scanned with axe.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { buildSession } from '../src/server/testing/scheduling.js';
import { expectAccessible, fieldError, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
let page: Page;
let sessionId: string;
beforeAll(async () => {
  e = await startE2E();
  await buildPerson(e.t.db, {
    email: 'ada.admin@example.gov',
    firstName: 'Ada',
    lastName: 'Abbott',
    roles: ['administrator'],
  });
  await buildPerson(e.t.db, { firstName: 'Rosa', lastName: 'Reyes', jurisdictionFips: '20177' });
  sessionId = (await buildSession(e.t.db, { course: { title: 'Canvassing and certifying the vote' } })).id;
  page = (await e.newPage()).page;
  await signIn(page, 'ada.admin@example.gov');
});
afterAll(() => e?.close());

/** One list page, its filter, and what the filtered list must say. */
const lists = [
  {
    path: '/people',
    title: 'People',
    search: 'Find people',
    field: 'Name or e-mail',
    param: 'q',
    value: 'Reyes',
    count: /^Showing 1–1 of 1 people\.$/,
    exported: '/api/people/export',
    clear: 'Clear search',
  },
  {
    path: '/jurisdictions',
    title: 'Jurisdictions',
    search: 'Find jurisdictions',
    field: 'Name or FIPS code',
    param: 'q',
    value: '20177',
    count: /^Showing 1–1 of 1 jurisdictions\.$/,
    exported: '/api/jurisdictions/export',
    clear: 'Clear search',
  },
  {
    path: '/audit',
    title: 'Audit log',
    search: null,
    field: 'Action',
    param: 'action',
    value: 'no.such-action',
    count: /^No changes match\.$/,
    exported: '/api/audit/export',
    clear: 'Clear filters',
  },
  {
    path: '/outbox',
    title: 'E-mail outbox',
    search: 'Find e-mails',
    field: 'Sent to',
    param: 'to',
    value: 'nobody.here',
    count: /^No e-mails match\.$/,
    exported: '/api/outbox/export',
    clear: 'Clear search',
  },
  {
    path: '/catalog',
    title: 'Course catalog',
    search: 'Find courses',
    field: 'Code, title or topic',
    param: 'q',
    value: 'Canvassing',
    count: /^Showing 1–1 of 1 courses\.$/,
    exported: '/api/courses/export',
    clear: 'Clear search',
  },
];

describe('shared web components', () => {
  it('the five list pages: filters, download links, count, table and Clear, the same way on each', async () => {
    const main = page.locator('main');
    const count = main.locator('.result-count');
    for (const l of lists) {
      await page.goto(l.path);
      await page.getByRole('heading', { level: 1, name: l.title }).waitFor();
      await count.waitFor();
      expect(await count.innerText(), l.path).toMatch(/^(Showing \d+–\d+ of \d+|No .* match)/);
      if (l.search) expect(await page.getByRole('search', { name: l.search }).count(), l.path).toBe(1);
      expect(await main.getByRole('link', { name: l.clear }).count(), l.path).toBe(0);
      await expectAccessible(e, page, `${l.title} list`);

      await main.getByLabel(l.field, { exact: true }).fill(l.value);
      await main.getByRole('button', { name: l.path === '/audit' ? 'Show changes' : 'Search' }).click();
      await page.waitForURL((u) => u.searchParams.get(l.param) === l.value);
      await expect.poll(() => count.innerText(), { message: l.path }).toMatch(l.count);
      // The download links carry the applied filter.
      const csv = await main.locator('a[data-format="csv"]').getAttribute('href');
      expect(csv, l.path).toContain(l.exported);
      expect(new URL(csv!, e.baseUrl).searchParams.get(l.param), l.path).toBe(l.value);
      const rows = await main.locator('tbody tr').count();
      expect(rows > 0, l.path).toBe(!l.count.source.startsWith('^No'));
      await expectAccessible(e, page, `${l.title} list, filtered`);

      await main.getByRole('link', { name: l.clear }).click();
      await page.waitForURL((u) => !u.searchParams.has(l.param));
      // The URL changes before React re-renders the form from it, so wait for the field.
      await expect
        .poll(() => main.getByLabel(l.field, { exact: true }).inputValue(), { message: l.path })
        .toBe('');
    }
  });

  it('a filter the server refuses shows its message next to the field (formErrors from the server)', async () => {
    await page.goto('/audit?from=2027-02-31');
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.locator('#from-error').waitFor();
    expect(await fieldError(page, 'from')).toContain('From must be a date like 2026-01-31.');
    const from = page.locator('#from');
    expect(await from.getAttribute('type')).toBe('date');
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(await from.getAttribute('aria-describedby')).toBe('from-error');
    expect(await page.getByRole('alert').or(page.locator('.usa-alert--error')).count()).toBeGreaterThan(0);
    await expectAccessible(e, page, 'audit log with a refused filter');
  });

  it('a check in the browser shows its message next to the field (formErrors from zod)', async () => {
    await page.goto('/profile');
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    await page.getByLabel('Phone').fill('call me maybe');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#phone-error').waitFor();
    expect(await fieldError(page, 'phone')).toContain('Phone may contain only digits');
    expect(await page.locator('#phone').getAttribute('aria-describedby')).toBe('phone-hint phone-error');
    expect(await page.locator('#phone').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(e, page, 'profile with an error');
  });

  it('a textarea field: required, hinted, and its error wired to the textarea', async () => {
    await page.goto(`/sessions/${sessionId}`);
    await page.getByRole('button', { name: 'Cancel this session' }).click();
    const reason = page.locator('textarea#cancel-reason');
    await reason.waitFor();
    expect(await reason.getAttribute('aria-describedby')).toBe('cancel-reason-hint');
    expect(await page.getByLabel(/^Reason/).evaluate((el) => el.id)).toBe('cancel-reason');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#cancel-reason-error').waitFor();
    expect(await fieldError(page, 'cancel-reason')).toContain('Give the reason.');
    expect(await reason.getAttribute('aria-describedby')).toBe('cancel-reason-hint cancel-reason-error');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(e, page, 'cancel a session, reason missing');
    await reason.fill('The courthouse is closed for repairs.');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('#cancel-reason-error').count()).toBe(0);
  });
});
