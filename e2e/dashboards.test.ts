/**
 * Issue 15, item 7, in Chromium on the demo data: each staff account's
 * dashboard shows its role's section (reviewer: claims waiting, oldest first;
 * instructor: next sessions and rosters; coordinator: sessions below minimum,
 * enrollment requests and waitlists; administrator: awards due and failed
 * e-mails), a person with several roles sees each, times carry their zone, and
 * the audit log names people and shows sign-ins, failed sign-ins and lockouts.
 * Axe on every page. E2E_SHOTS=docs saves docs/screenshot-dashboard-<role>.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCertificationSweep } from '../src/server/modules/certification/evaluation.js';
import { DEMO_PASSWORD, loadDemoData } from '../src/server/modules/demo/demo.service.js';
import { buildPerson } from '../src/server/testing/harness.js';
import { expectAccessible, mainText, saveShot, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ env: { SIGN_IN_MAX_FAILURES: '3' } });
  await loadDemoData(e.t.deps);
  // What the app's certification job does in the first minute after the demo loads.
  await runCertificationSweep(e.t.deps);
}, 240_000);
afterAll(() => e?.close());

const demoEmail = (role: string) => `${role}@demo.civiccert.local`;

/** Signs in as the demo account for a role, in a browser in Kansas (times not in a session's zone are the viewer's). */
async function dashboardAs(role: string): Promise<Page> {
  const { page } = await e.newPage({ timezoneId: 'America/Chicago' });
  await signIn(page, demoEmail(role), DEMO_PASSWORD);
  return page;
}

const section = (page: Page, name: string) =>
  page
    .getByRole('region', { name })
    .or(page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name }) }));

/** "Dec 4, 2026, 9:00 AM CST": a time with its zone. */
const withZone = /[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M [A-Z]{3,4}/;

describe('dashboards by role in Chromium', () => {
  it("a reviewer sees the claims waiting, the oldest first, and only a reviewer's section", async () => {
    const page = await dashboardAs('reviewer');
    const claims = section(page, 'Claims waiting for review');
    await claims.getByRole('table').waitFor();
    const text = await claims.innerText();
    expect(text).toMatch(/\d+ claims? (is|are) waiting/);
    expect(text).toMatch(withZone);
    const waited = (await claims.locator('tbody tr td:last-child').allInnerTexts()).map((t) =>
      parseInt(t, 10),
    );
    expect(waited.length).toBeGreaterThan(1);
    expect(waited).toEqual([...waited].sort((a, b) => b - a));
    expect(await mainText(page)).not.toMatch(/Your next sessions|Awards due|Enrollment requests/);
    await expectAccessible(e, page, 'reviewer dashboard');
    await saveShot(page, 'screenshot-dashboard-reviewer');
    // The oldest claim opens its review page.
    await claims.locator('tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expect.poll(() => page.url()).toMatch(/\/review\/[0-9a-f-]{36}$/);
    await expectAccessible(e, page, 'claim review from the dashboard');
  });

  it('an instructor sees their next sessions, each with its roster', async () => {
    const page = await dashboardAs('instructor');
    const next = section(page, 'Your next sessions');
    await next.getByRole('heading', { level: 3 }).first().waitFor();
    const text = await next.innerText();
    expect(text).toMatch(withZone);
    expect(text).toMatch(/seats taken/);
    const roster = next.locator('details').first();
    await roster.locator('summary').click();
    expect(await roster.locator('li').count()).toBeGreaterThan(0);
    await expectAccessible(e, page, 'instructor dashboard');
    await saveShot(page, 'screenshot-dashboard-instructor');
    await next.getByRole('link', { name: 'Roster and sign-in sheet' }).first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(e, page, 'roster from the dashboard');
  });

  it('a coordinator sees sessions below minimum, enrollment requests and waitlists', async () => {
    const page = await dashboardAs('coordinator');
    const reg = section(page, 'Registration');
    await reg.getByRole('heading', { level: 3, name: 'Sessions below their minimum' }).waitFor();
    await reg.getByRole('table', { name: /short of their minimum/ }).waitFor();
    await reg.getByRole('table', { name: /on the waitlist/ }).waitFor();
    const text = await reg.innerText();
    expect(text).toMatch(/3 officials asked to join a program/);
    expect(text).toMatch(withZone);
    await expectAccessible(e, page, 'coordinator dashboard');
    await saveShot(page, 'screenshot-dashboard-coordinator');
  });

  it('an administrator sees the awards due and the failed e-mails', async () => {
    const page = await dashboardAs('admin');
    const admin = section(page, 'Awards and e-mail');
    await admin.getByRole('table', { name: /could not be delivered/ }).waitFor();
    const text = await admin.innerText();
    expect(text).toMatch(/\d+ officials? met the requirements/);
    expect(text).toMatch(/2 e-mails could not be delivered/);
    expect(text).toMatch(/does not exist/);
    expect(text).toMatch(withZone);
    await expectAccessible(e, page, 'administrator dashboard');
    await saveShot(page, 'screenshot-dashboard-administrator');
    await admin.getByRole('link', { name: 'Award them' }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(e, page, 'eligible list from the dashboard');
  });

  it("a person with several roles sees each role's section", async () => {
    const p = await buildPerson(e.t.db, {
      firstName: 'Morgan',
      lastName: 'Manyhats',
      roles: ['coordinator', 'reviewer', 'instructor'],
    });
    const { page } = await e.newPage();
    await signIn(page, p.email);
    for (const name of ['Registration', 'Claims waiting for review', 'Your next sessions'])
      await page.getByRole('heading', { level: 2, name }).waitFor();
    expect(await mainText(page)).toMatch(/Your roles: Coordinator, Reviewer, Instructor/);
    expect(await mainText(page)).not.toMatch(/Awards and e-mail/);
    await expectAccessible(e, page, 'dashboard with three roles');
  });

  it('the audit log names people and records sign-ins, failed sign-ins and lockouts', async () => {
    // Three wrong passwords for the demo official, then a refused fourth attempt (locked).
    const { page: guesser } = await e.newPage();
    await guesser.goto('/sign-in');
    for (let i = 0; i < 4; i++) {
      await guesser.getByLabel('E-mail address').fill(demoEmail('official'));
      await guesser.locator('#password').fill(`not it ${i}`);
      const answer = guesser.waitForResponse(
        (r) => r.url().endsWith('/api/session') && r.request().method() === 'POST',
      );
      await guesser.getByRole('button', { name: /sign in/i }).click();
      expect((await answer).status()).toBe(i < 3 ? 401 : 429);
    }
    await guesser
      .getByText(/Too many failed sign-in attempts/)
      .first()
      .waitFor();

    const page = await dashboardAs('admin');
    await page.goto('/audit?action=auth.sign-in');
    await page.getByRole('heading', { level: 1, name: /audit/i }).waitFor();
    await page.getByRole('table').waitFor();
    const text = await mainText(page);
    expect(text).toMatch(/auth sign-in failed/);
    expect(text).toMatch(/auth sign-in locked/);
    expect(text).toMatch(/Dana Kessler \(account\)/);
    expect(text).toMatch(/Avery Lindqvist \(account\)/);
    expect(text).not.toMatch(/\b(person|user) [0-9a-f]{8}\b/);
    await expectAccessible(e, page, 'audit log of sign-ins');
    await saveShot(page, 'screenshot-audit-sign-ins');

    // The dashboard's recent changes name people too.
    await page.goto('/');
    await page.getByRole('heading', { level: 2, name: 'Recent changes' }).waitFor();
    expect(await page.getByRole('table', { name: /latest changes/ }).innerText()).not.toMatch(
      /\bperson [0-9a-f]{8}\b/,
    );
  });
});
