/**
 * Issue 5's staff screens in Chromium, axe on every page visited:
 * - a coordinator finds an official, enters a legacy paper record with its
 *   reason, sees it on the ledger and in the official's progress, and
 *   corrects it with a reversing record (both rows stay);
 * - the coordinator records a claim's credit fee as paid by check, and the
 *   official sees that on their claim;
 * - an administrator assigns a reviewer to the program, and the reviewer's
 *   queue then shows the program's claims; unassigning empties it again.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, TEST_PASSWORD } from '../src/server/testing/harness.js';
import { buildClaim } from '../src/server/testing/claims.js';
import { buildEnrollment } from '../src/server/testing/scheduling.js';
import { expectAccessible, navTo, startE2E, type E2E } from './harness.js';

let e: E2E;
let officialId = '';
let claimId = '';

beforeAll(async () => {
  e = await startE2E();
  for (const [role, first, last] of [
    ['coordinator', 'Corinne', 'Castillo'],
    ['administrator', 'Abel', 'Ames'],
    ['reviewer', 'Rhea', 'Rowe'],
  ] as const)
    await buildPerson(e.t.db, {
      roles: [role],
      firstName: first,
      lastName: last,
      email: `${first}.${last}@example.gov`.toLowerCase(),
    });
  const official = await buildPerson(e.t.db, {
    roles: ['official'],
    firstName: 'Odessa',
    lastName: 'Quillfeather',
    email: 'odessa.quillfeather@example.gov',
  });
  officialId = official.personId;
  await buildEnrollment(e.t.db, officialId, 'igo-cpo');
  // The $25 CPO enrollment fee, not paid yet.
  await e.t.db
    .updateTable('enrollment')
    .set({ fee_amount_cents: 2500, fee_status: 'unpaid' })
    .where('person_id', '=', officialId)
    .execute();
  // A submitted CPO claim for 3 credits: $15.00 owed at $5 per credit.
  claimId = await buildClaim(e.t.db, officialId, { hours: 3, feeCents: 1500 });
});
afterAll(() => e?.close());

async function signIn(email: string): Promise<Page> {
  const { page } = await e.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.locator('#password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();
  return page;
}

const nav = (page: Page, name: string) => navTo(page, name);
/** The staff credit screens share one main navigation entry and link to each other. */
async function staffCredit(page: Page, screen: string): Promise<void> {
  await nav(page, 'Staff credit');
  await page
    .getByRole('navigation', { name: 'Staff credit screens' })
    .getByRole('link', { name: screen })
    .click();
}
const heading = (page: Page, name: string | RegExp) =>
  page.getByRole('heading', { level: 1, name }).waitFor();
const mainText = (page: Page) => page.locator('main').innerText();
const ledgerRows = (page: Page) => page.getByRole('region', { name: /credit ledger/i }).locator('tbody tr');

describe('staff screens for outside credit', () => {
  it('a coordinator enters a legacy credit with a reason, sees it in the ledger and progress, and corrects it', async () => {
    const page = await signIn('corinne.castillo@example.gov');
    await nav(page, 'Staff credit');
    await heading(page, 'Staff credit entries');
    await expectAccessible(e, page, 'staff credit search');
    await page.getByLabel("Official's name or e-mail").fill('Quillfeather');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: /Odessa Quillfeather/ }).click();
    await heading(page, 'Credits: Odessa Quillfeather');
    await page.getByText('No credit recorded yet.').waitFor();
    await expect
      .poll(() => mainText(page))
      .toMatch(/iGO Certified Public Official \(CPO\) Program: 0 credits approved/);
    await expectAccessible(e, page, 'official credits (empty)');

    // Everything but the reason: the form says what is missing, next to the field.
    await page
      .getByRole('combobox', { name: /^Program/ })
      .selectOption({ label: 'iGO Certified Public Official (CPO) Program' });
    await page.getByLabel('Category or tier').selectOption({ label: 'Management' });
    await page.getByLabel('Kind of activity').selectOption({ label: 'State association meeting' });
    await page.getByRole('textbox', { name: /^Credits/ }).fill('4');
    await page.getByLabel('Date earned').fill('2019-05-02');
    await page.getByLabel('Activity title').fill('Kansas clerks spring meeting 2019');
    await page.getByRole('button', { name: 'Enter the credit' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await expect.poll(() => page.locator('#manual-reason-error').innerText()).toMatch(/give the reason/i);
    await expectAccessible(e, page, 'staff entry without a reason');

    await page.getByLabel('Reason').fill('Legacy paper record: 2019 workbook, certificate on file.');
    await page.getByRole('button', { name: 'Enter the credit' }).click();
    await page
      .getByRole('heading', { name: /Credit entered: 4 for Kansas clerks spring meeting 2019/ })
      .waitFor();
    expect(await page.locator('.usa-alert--success').innerText()).toMatch(/0 → 4 credits approved/);
    await expect.poll(() => ledgerRows(page).count()).toBe(1);
    const row = ledgerRows(page).first();
    expect(await row.innerText()).toMatch(/Staff entry/);
    expect(await row.innerText()).toMatch(/Reason: Legacy paper record: 2019 workbook/);
    expect(await row.innerText()).toMatch(/by Corinne Castillo/);
    await expect.poll(() => mainText(page)).toMatch(/Program: 4 credits approved/);
    await expectAccessible(e, page, 'official credits after a staff entry');

    // Correct it: a reversing record with its reason; the original stays, marked corrected.
    await page.getByRole('button', { name: 'Correct Kansas clerks spring meeting 2019' }).click();
    await page.getByRole('heading', { name: 'Correct a record' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('correct-reason');
    await page.getByRole('button', { name: 'Record the correction' }).click();
    await page.locator('#correct-reason-error').waitFor();
    await expectAccessible(e, page, 'correction without a reason');
    await page.getByLabel('Reason for the correction').fill('Entered for the wrong official.');
    await page.getByRole('button', { name: 'Record the correction' }).click();
    await page.getByRole('heading', { name: /Correction recorded/ }).waitFor();
    expect(await page.locator('.usa-alert--success').innerText()).toMatch(/4 → 0 credits approved/);
    await expect.poll(() => ledgerRows(page).count()).toBe(2);
    const ledger = await page.getByRole('region', { name: /credit ledger/i }).innerText();
    expect(ledger).toMatch(/Corrected/);
    expect(ledger).toMatch(/Correction \(reversing record\)/);
    expect(ledger).toMatch(/Reason: Entered for the wrong official\./);
    await expect(page.getByRole('button', { name: /^Correct / }).count()).resolves.toBe(0);
    await expectAccessible(e, page, 'official credits after a correction');

    // The person page leads here too.
    await page.goto(`/people/${officialId}`);
    await heading(page, 'Odessa Quillfeather');
    await page.getByRole('link', { name: 'Credits and staff entries' }).click();
    await heading(page, 'Credits: Odessa Quillfeather');
  });

  it('the coordinator records a fee as paid by check; the official sees it on the claim', async () => {
    const page = await signIn('corinne.castillo@example.gov');
    await staffCredit(page, 'Credit fees');
    await heading(page, 'Credit fees');
    await page.getByRole('link', { name: /Records retention webinar/ }).waitFor();
    expect(await mainText(page)).toMatch(/still owed in this view: \$15\.00/);
    const listed = page.getByRole('row', { name: /Records retention webinar/ });
    expect(await listed.innerText()).toMatch(/Odessa Quillfeather[\s\S]*\$15\.00[\s\S]*Not paid yet/);
    const enrollmentFees = page.getByRole('region', {
      name: /enrollments? in iGO Certified Public Official/,
    });
    expect(await enrollmentFees.innerText()).toMatch(/Odessa Quillfeather[\s\S]*\$25\.00[\s\S]*Not paid yet/);
    await expectAccessible(e, page, 'credit fees (owed)');

    await page.getByRole('link', { name: /Records retention webinar/ }).click();
    await heading(page, 'Fee: Records retention webinar');
    expect(await mainText(page)).toMatch(/Owed: \$15\.00 for 3 credits/);
    await expectAccessible(e, page, 'claim fee');
    await page.locator('label[for="fee-status-paid"]').click();
    await page.getByRole('button', { name: 'Save the fee' }).click();
    await page.locator('#fee-method-error').waitFor();
    await expectAccessible(e, page, 'claim fee without a method');
    await page.getByLabel('Payment method').selectOption({ label: 'Check' });
    await page.getByLabel('Receipt number').fill('R-2027-0042');
    await page.getByRole('button', { name: 'Save the fee' }).click();
    await heading(page, 'Credit fees');
    expect(await mainText(page)).toMatch(
      /Fee recorded for Records retention webinar \(Odessa Quillfeather\): Paid by check, receipt R-2027-0042/,
    );
    await page.getByText('No claims match.').waitFor();
    await page.getByLabel('Fee state').selectOption({ label: 'Paid' });
    await page.getByRole('row', { name: /Records retention webinar/ }).waitFor();
    await expectAccessible(e, page, 'credit fees (paid)');

    const official = await signIn('odessa.quillfeather@example.gov');
    await official.goto(`/claims/${claimId}`);
    await heading(official, 'Records retention webinar');
    expect(await mainText(official)).toMatch(/\$15\.00: Paid by check, receipt R-2027-0042/);
    await expectAccessible(e, official, 'official claim with its fee');
  });

  it('an administrator assigns a reviewer to the program; the reviewer then sees its claims', async () => {
    const reviewer = await signIn('rhea.rowe@example.gov');
    await nav(reviewer, 'Claims to review');
    await heading(reviewer, 'Claims to review');
    await reviewer.getByText('No claims are waiting for review.').waitFor();

    const admin = await signIn('abel.ames@example.gov');
    await staffCredit(admin, 'Claim reviewers');
    await heading(admin, 'Claim reviewers');
    const cpo = admin.getByRole('region', { name: 'iGO Certified Public Official (CPO) Program' });
    await cpo.getByText('Nobody reviews this program yet').waitFor();
    await expectAccessible(e, admin, 'claim reviewers (none assigned)');
    await cpo
      .getByLabel('Assign a reviewer to iGO Certified Public Official (CPO) Program')
      .selectOption({ label: 'Rhea Rowe (rhea.rowe@example.gov)' });
    await cpo.getByRole('button', { name: /^Assign/ }).click();
    await cpo
      .getByText('Rhea Rowe now reviews claims in iGO Certified Public Official (CPO) Program.')
      .waitFor();
    await cpo.getByRole('button', { name: 'Unassign Rhea Rowe' }).waitFor();
    await expectAccessible(e, admin, 'claim reviewers (one assigned)');

    await reviewer.reload();
    await heading(reviewer, 'Claims to review');
    await reviewer.getByRole('link', { name: 'Records retention webinar' }).waitFor();
    expect(await reviewer.getByRole('row', { name: /Records retention webinar/ }).innerText()).toMatch(
      /Odessa Quillfeather/,
    );
    await expectAccessible(e, reviewer, 'review queue after assignment');

    // Unassigned again, the queue is empty.
    await cpo.getByRole('button', { name: 'Unassign Rhea Rowe' }).click();
    await cpo.getByText('Rhea Rowe no longer reviews claims').waitFor();
    await reviewer.reload();
    await reviewer.getByText('No claims are waiting for review.').waitFor();
  });
});
