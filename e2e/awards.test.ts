/**
 * Issue 6's journey in Chromium with the server's controllable clock: an
 * official completes Year One, Two and Three and becomes eligible; the
 * administrator awards them at the recognition ceremony; the certificate PDF is
 * downloaded, its text extracted (pdftotext) and rendered (pdftoppm); public
 * verification shows "Active"; with no renewal course the certification is
 * still in force at 23:59 local time on its last day and lapsed at 00:00; the
 * renewal course reinstates it. Every page visited is scanned with axe.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { buildCredit, buildEnrollment, factsChanged, programId } from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

async function verifyStatus(page: Page, number: string): Promise<string> {
  await page.goto(`/verify/${number}`);
  const status = page.getByTestId('verify-status');
  await status.waitFor();
  return status.innerText();
}

describe('awards journey in Chromium', () => {
  it('eligible → awarded at the ceremony → certificate PDF → verified → lapses at local midnight → reinstated', async () => {
    const clock = e.t.clock;
    clock.now = new Date('2027-03-12T15:00:00Z'); // 10:00 in Topeka
    const admin = await buildPerson(e.t.db, {
      email: 'ada.admin@example.gov',
      firstName: 'Ada',
      lastName: 'Admin',
      roles: ['administrator'],
    });
    const official = await buildPerson(e.t.db, {
      email: 'rosa.reyes@example.gov',
      firstName: 'Rosa',
      lastName: 'Reyes',
      jurisdictionFips: '20177',
    });
    void admin;
    const ks = await programId(e.t.db);
    await buildEnrollment(e.t.db, official.personId, undefined, '2025-01-10');
    // Year One, Two and Three attendance, recorded as the ledger entries attendance writes.
    const years = [
      ['year-one', 'KS-Y1', '2025-04-10'],
      ['year-two', 'KS-Y2', '2026-04-09'],
      ['year-three', 'KS-Y3', '2027-03-11'],
    ] as const;
    for (const [category, prefix, date] of years)
      for (const i of [1, 2, 3])
        await buildCredit(e.t.db, official.personId, {
          category,
          courseCode: `${prefix}-0${i}`,
          earnedOn: date,
        });
    await factsChanged(e.t, official.personId); // what attendance does after writing them
    await e.t.db
      .insertInto('event')
      .values({
        program_id: ks,
        title: 'Year Three recognition ceremony, Spring 2027',
        kind: 'ceremony',
        held_on: '2027-03-12',
      })
      .execute();

    // The administrator sees Rosa in the eligible list and awards her at the ceremony.
    const { page } = await e.newPage();
    await signIn(page, 'ada.admin@example.gov');
    await page.goto('/awards/eligible');
    await page.getByRole('heading', { level: 1, name: 'Eligible for award' }).waitFor();
    await page.getByRole('rowheader', { name: 'Rosa Reyes' }).waitFor();
    await expectAccessible(e, page, 'eligible list');
    // USWDS draws the box on the label; the native input is hidden.
    await page.locator('label.usa-checkbox__label', { hasText: 'Award Rosa Reyes' }).click();
    expect(await page.getByLabel('Award Rosa Reyes').isChecked()).toBe(true);
    await page.getByLabel(/Event/).selectOption({ label: 'Year Three recognition ceremony, Spring 2027' });
    await page.getByRole('button', { name: 'Award 1 selected' }).click();
    await page.getByRole('heading', { name: 'Awards made' }).waitFor();
    await page.getByRole('link', { name: /Rosa Reyes \(KS-2027-\d+\)/ }).click();
    await page
      .getByRole('heading', { level: 1, name: /Certified County Election Official: Rosa Reyes/ })
      .waitFor();
    const text = await mainText(page);
    const number = /KS-2027-\d{6}/.exec(text)![0];
    expect(text).toContain('Year Three recognition ceremony, Spring 2027');
    expect(text).toContain('Active');
    await expectAccessible(e, page, 'award detail');

    // The certificate PDF: downloaded, its text checked, rendered to PNG.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the certificate (PDF)' }).click(),
    ]);
    const dir = await mkdtemp(path.join(tmpdir(), 'civiccert-cert-'));
    const pdfPath = path.join(dir, 'certificate.pdf');
    await download.saveAs(pdfPath);
    expect((await readFile(pdfPath)).subarray(0, 5).toString()).toBe('%PDF-');
    const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    for (const s of [
      'Rosa Reyes',
      'Certified County Election Official',
      'Kansas Secretary of State, Elections Division',
      `Certificate number ${number}`,
      'Awarded March 12, 2027',
      'Program administrator',
      `${e.baseUrl}/verify/${number}`,
    ])
      expect(pdfText).toContain(s);
    execFileSync('pdftoppm', ['-png', '-r', '50', pdfPath, path.join(dir, 'page')]);
    const pngs = (await readdir(dir)).filter((f) => f.endsWith('.png'));
    expect(pngs).toHaveLength(1);
    const png = await readFile(path.join(dir, pngs[0]!));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(2_000);

    // The renewals page for administrators.
    await page.goto('/renewals');
    await page.getByRole('heading', { level: 1, name: 'Certifications and renewals' }).waitFor();
    await expectAccessible(e, page, 'renewals');

    // The official's certification dashboard.
    const off = await e.newPage();
    await signIn(off.page, 'rosa.reyes@example.gov');
    await off.page.goto('/certification');
    await off.page.getByRole('heading', { level: 2, name: /Kansas County Election Official/ }).waitFor();
    expect(await mainText(off.page)).toContain(number);
    await expectAccessible(e, off.page, 'my certification');

    // Public verification, signed out.
    const pub = await e.newPage();
    expect(await verifyStatus(pub.page, number)).toBe('Active');
    expect(await mainText(pub.page)).not.toContain('rosa.reyes@example.gov');
    await expectAccessible(e, pub.page, 'public verification');
    // The sign-in page and the footer lead to verification; a number no certificate has says so.
    await pub.page.goto('/sign-in');
    expect(
      await pub.page
        .getByRole('navigation', { name: 'Footer' })
        .getByRole('link', { name: 'Verify a certification' })
        .getAttribute('href'),
    ).toBe('/verify');
    await pub.page.locator('main').getByRole('link', { name: 'Verify a certification' }).click();
    await pub.page.getByRole('heading', { name: 'Verify a certification', level: 1 }).waitFor();
    await pub.page.getByLabel('Certificate number').fill('KS-0000-999999');
    await pub.page.getByRole('button', { name: 'Verify' }).click();
    await pub.page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await mainText(pub.page)).toContain(
      'No certificate has the number "KS-0000-999999". Check the number on the certificate.',
    );
    expect(await mainText(pub.page)).not.toContain('name and county.');
    await expectAccessible(e, pub.page, 'public verification, number not found');
    // By name and county too.
    await pub.page.getByLabel('Certificate number').fill('');
    await pub.page.getByLabel('Name').fill('Rosa Reyes');
    await pub.page.getByLabel('County', { exact: true }).fill('Shawnee');
    await pub.page.getByRole('button', { name: 'Verify' }).click();
    await pub.page.getByTestId('verify-status').waitFor();
    await expectAccessible(e, pub.page, 'public verification by name');

    // No renewal course: due December 31, 2028, 90 days of grace; the last day is March 31, 2029.
    clock.now = new Date('2029-03-31T23:59:00-05:00'); // 23:59 CDT in Topeka (04:59 UTC the next day)
    expect(await verifyStatus(pub.page, number)).toBe('Active: renewal due');
    clock.now = new Date('2029-04-01T00:00:00-05:00');
    expect(await verifyStatus(pub.page, number)).toBe('Lapsed');
    await expectAccessible(e, pub.page, 'public verification, lapsed');

    // Completing the advance renewal course reinstates the certification.
    clock.now = new Date('2029-05-02T15:00:00Z');
    await buildCredit(e.t.db, official.personId, {
      category: 'advance-renewal',
      courseCode: 'KS-ARC-2027',
      earnedOn: '2029-05-01',
    });
    expect(await verifyStatus(pub.page, number)).toBe('Active');
  }, 180_000);
});
