/**
 * The program form editor in Chromium: an administrator raises the CPO
 * Management minimum in the form, sees the server's field error for an
 * impossible value (next to the field and in the summary, which takes
 * focus), saves a new draft, finds the change in the JSON view and on the
 * program page, checks the draft's impact (publishing waits for it, ADR 0029) and
 * publishes it. Everything the form does not show is kept
 * exactly as it was. The fee per outside credit starts off (0) and is set in
 * the fee settings, with an error next to the field for a non-number.
 * Every page state visited is scanned with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { buildEnrollment } from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

const PROGRAM = 'iGO Certified Public Official (CPO) Program';

describe('program form editor in Chromium', () => {
  it('changes a requirement minimum in the form, shows field errors, saves, shows it in the JSON view and on the page, publishes', async () => {
    await buildPerson(e.t.db, {
      email: 'avery.admin@example.gov',
      firstName: 'Avery',
      lastName: 'Adams',
      roles: ['administrator'],
    });
    const published = await e.t.db
      .selectFrom('program_version as v')
      .innerJoin('program as p', 'p.id', 'v.program_id')
      .select(['v.definition'])
      .where('p.code', '=', 'igo-cpo')
      .where('v.published', '=', true)
      .executeTakeFirstOrThrow();
    const original = published.definition as unknown as Record<string, unknown>;

    const { page } = await e.newPage();
    await signIn(page, 'avery.admin@example.gov');
    await page.goto('/programs');
    await page.getByRole('link', { name: PROGRAM }).click();
    await page.getByRole('heading', { level: 1, name: PROGRAM }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Edit the rules (form)' }).waitFor();
    expect(await mainText(page)).toContain('Management tier: at least 72 credits, 16 of them iGO-sponsored');
    await expectAccessible(e, page, 'program page with the form editor');

    const minimum = page.locator('#rule-initial-requirement-items-0-min');
    expect(await minimum.inputValue()).toBe('72');
    expect(await page.locator('label[for="rule-initial-requirement-items-0-min"]').innerText()).toContain(
      'Minimum credits',
    );

    // An impossible minimum: the server's problem appears next to the field and in the summary.
    await minimum.fill('0');
    await page.locator('#rule-version').fill('2026.1');
    await page.getByRole('button', { name: 'Save draft from the form' }).click();
    await page.getByRole('heading', { name: 'The draft was not saved' }).waitFor();
    expect(await page.locator('#rule-initial-requirement-items-0-min-error').innerText()).toContain(
      'Must be greater than 0.',
    );
    expect(await minimum.getAttribute('aria-invalid')).toBe('true');
    expect(await minimum.getAttribute('aria-describedby')).toContain(
      'rule-initial-requirement-items-0-min-error',
    );
    // Focus is on the summary, whose link leads to the field.
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(
      'The draft was not saved',
    );
    const link = page.getByRole('link', { name: /Minimum credits: Must be greater than 0\./ }).first();
    await link.click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      'rule-initial-requirement-items-0-min',
    );
    await expectAccessible(e, page, 'form editor with a field error');

    // Reusing the published version number is refused on the version field.
    await minimum.fill('80');
    await page.locator('#rule-version').fill(String(original.version));
    await page.getByRole('button', { name: 'Save draft from the form' }).click();
    await expect
      .poll(() =>
        page
          .locator('#rule-version-error')
          .innerText()
          .catch(() => ''),
      )
      .toContain('is published and cannot change');

    // A good draft, typed with the keyboard only.
    await page.locator('#rule-version').fill('2026.1');
    await page.locator('#rule-effectiveFrom').fill('2026-07-01');
    await page.locator('#rule-effectiveFrom').press('Tab');
    await page.getByRole('button', { name: 'Save draft from the form' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Draft 2026.1 saved from the form. Publish it to put it in force.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Draft 2026.1' }).waitFor();
    expect(await mainText(page)).toContain('Management tier: at least 80 credits, 16 of them iGO-sponsored');
    await expectAccessible(e, page, 'program page with a draft saved from the form');

    // The JSON view now shows the draft with the new minimum …
    const json = JSON.parse(await page.locator('#definition').inputValue()) as Record<string, unknown>;
    expect(json.version).toBe('2026.1');
    // … and everything else exactly as it was (the form touched only what changed).
    const expected = JSON.parse(JSON.stringify(original)) as {
      version: string;
      effectiveFrom: string;
      initial: { requirement: { items: { min: number }[] } };
    };
    expected.version = '2026.1';
    expected.effectiveFrom = '2026-07-01';
    expected.initial.requirement.items[0]!.min = 80;
    expect(json).toEqual(expected);

    // The form starts again from the saved draft.
    expect(await page.locator('#rule-initial-requirement-items-0-min').inputValue()).toBe('80');

    // One official is enrolled, so the new rules leave one status to re-evaluate in the background.
    const enrolled = await buildPerson(e.t.db, { firstName: 'Ena', lastName: 'Enrolled' });
    await buildEnrollment(e.t.db, enrolled.personId, 'igo-cpo');
    // Publishing waits for the draft's impact (ADR 0029): the button says why it is off.
    await page.reload();
    const publishButton = page.getByRole('button', { name: 'Publish draft 2026.1' });
    await page.getByText('Check the impact of this draft before publishing it.').waitFor();
    expect(await publishButton.isDisabled()).toBe(true);
    await page.getByLabel('As of').fill('2026-08-01');
    await page.getByRole('button', { name: 'Check the impact' }).click();
    await expect.poll(() => mainText(page), { timeout: 60_000 }).toContain('0 of 1 official would change');
    expect(await mainText(page)).toContain('as of Aug 1, 2026');
    expect(await page.getByRole('table', { name: /by kind of change/ }).innerText()).toContain(
      'Eligible → not eligible',
    );
    await expectAccessible(e, page, 'program page with the draft checked for its impact');
    expect(await publishButton.isDisabled()).toBe(false);
    await publishButton.click();
    await page.getByText('Version 2026.1 is published.').waitFor();
    expect(await mainText(page)).toContain(
      'Certification statuses are being re-evaluated under the new rules: 1 of 1 officials still to go.',
    );
    await expect.poll(() => mainText(page)).toContain('Version 2026.1, from');
    const inForce = page
      .locator('h2', { hasText: 'Requirements in force' })
      .locator('xpath=following-sibling::ul[1]');
    expect(await inForce.innerText()).toContain(
      'Management tier: at least 80 credits, 16 of them iGO-sponsored',
    );
    await expectAccessible(e, page, 'program page after publishing');

    // A reload shows the published rules in force.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: PROGRAM }).waitFor();
    expect(await mainText(page)).toContain('Management tier: at least 80 credits, 16 of them iGO-sponsored');
  });

  it('edits a reinstatement window in months, keeping the unit the program uses', async () => {
    const KS = 'Kansas County Election Official Certification';
    const row = await e.t.db
      .selectFrom('program_version as v')
      .innerJoin('program as p', 'p.id', 'v.program_id')
      .select(['v.id', 'v.definition'])
      .where('p.code', '=', 'ks-county-election-official')
      .where('v.published', '=', true)
      .executeTakeFirstOrThrow();
    // The program as an office would write it with a reinstatement window of 12 months.
    const def = JSON.parse(JSON.stringify(row.definition)) as {
      version: string;
      renewal: { reinstatement: Record<string, unknown> };
    };
    def.renewal.reinstatement = { ...def.renewal.reinstatement, within: { months: 12 } };
    delete def.renewal.reinstatement.withinDays;
    await e.t.db
      .updateTable('program_version')
      .set({ definition: JSON.stringify(def) as never })
      .where('id', '=', row.id)
      .execute();

    const { page } = await e.newPage();
    await signIn(page, 'avery.admin@example.gov');
    await page.goto('/programs');
    await page.getByRole('link', { name: KS }).click();
    await page.getByRole('heading', { level: 2, name: 'Edit the rules (form)' }).waitFor();
    const months = page.locator('#rule-renewal-reinstatement-within-months');
    expect(await months.inputValue()).toBe('12');
    expect(await page.locator('#rule-renewal-reinstatement-withinDays').count()).toBe(0);
    await expectAccessible(e, page, 'form editor with a reinstatement window in months');

    await months.fill('18');
    await page.locator('#rule-version').fill('2026.9');
    await page.getByRole('button', { name: 'Save draft from the form' }).click();
    await page.getByText('Draft 2026.9 saved from the form. Publish it to put it in force.').waitFor();
    const json = JSON.parse(await page.locator('#definition').inputValue()) as typeof def;
    expect(json.renewal.reinstatement).toMatchObject({ within: { months: 18 } });
    expect(json.renewal.reinstatement.withinDays).toBeUndefined();
  });

  it('keeps the fee per outside credit off until an administrator sets it in the fee settings', async () => {
    const { page } = await e.newPage();
    await signIn(page, 'avery.admin@example.gov');
    await page.goto('/programs');
    await page.getByRole('link', { name: PROGRAM }).click();
    await page.getByRole('heading', { level: 2, name: 'Fee settings' }).waitFor();
    const perCredit = page.locator('#settings-claim-fee');
    expect(await perCredit.inputValue()).toBe('0.00');
    // The $5 the definition documents is shown as not in force.
    expect(await page.locator('#settings-claim-fee-hint').innerText()).toMatch(
      /0 means no fee \(the default\)\. The program definition documents \$5 a credit, not in force/,
    );
    await expectAccessible(e, page, 'fee settings with no fee per credit');

    await perCredit.fill('five');
    await page.getByRole('button', { name: 'Save fee settings' }).click();
    await page.locator('#settings-claim-fee-error').waitFor();
    expect(await page.locator('#settings-claim-fee-error').innerText()).toContain(
      'Enter the fee per credit in dollars',
    );
    await expectAccessible(e, page, 'fee settings with an error');
    const stored = () =>
      e.t.db
        .selectFrom('program')
        .select('claim_fee_per_credit_cents')
        .where('code', '=', 'igo-cpo')
        .executeTakeFirstOrThrow();
    expect((await stored()).claim_fee_per_credit_cents).toBe(0);

    await perCredit.fill('5');
    await page.getByRole('button', { name: 'Save fee settings' }).click();
    await page.getByText('Fee settings saved.').waitFor();
    expect((await stored()).claim_fee_per_credit_cents).toBe(500);
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Fee settings' }).waitFor();
    expect(await page.locator('#settings-claim-fee').inputValue()).toBe('5.00');
    await expectAccessible(e, page, 'fee settings with a fee per credit');
  });
});
