/**
 * Issue 7's import journey in Chromium: an administrator uploads a CSV of
 * officials with one bad row, sees the dry-run error table (row, column,
 * message), fixes the file, checks it again, imports, watches progress reach
 * 100% and reads the counts. axe on every page state.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, TEST_PASSWORD } from '../src/server/testing/harness.js';
import { header, officialRows } from '../src/server/modules/imports/testdata.js';
import { writeCsv } from '../src/server/modules/imports/write.js';
import { expectAccessible, navTo, startE2E, type E2E } from './harness.js';

let e: E2E;
const dir = mkdtempSync(path.join(os.tmpdir(), 'civiccert-imports-'));
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('spreadsheet import in Chromium', () => {
  it('dry run shows the bad row; the corrected file imports with progress to 100%', async () => {
    const admin = await buildPerson(e.t.db, {
      email: 'ivy.imports@example.gov',
      firstName: 'Ivy',
      lastName: 'Imports',
      roles: ['administrator'],
    });
    const rows = officialRows(60, { prefix: 'KSO' });
    rows[11]![7] = '99999'; // row 13: no such county
    const bad = path.join(dir, 'officials.csv');
    writeFileSync(bad, writeCsv(header('officials'), rows));

    const { page } = await e.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(admin.email);
    await page.locator('#password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();

    await navTo(page, 'Imports');
    await page.getByRole('heading', { level: 1, name: 'Import from a spreadsheet' }).waitFor();
    await expectAccessible(e, page, 'imports');

    await page.getByLabel('What does the file hold?').selectOption('officials');
    // A file saved as Windows-1252 (Excel's plain "CSV"): the encoding is named next to the field.
    const latin1 = path.join(dir, 'roster-latin1.csv');
    writeFileSync(
      latin1,
      Buffer.from(`${header('officials').join(',')}\nKSO-L,Ren\u00e9e,Lee,,r@example.gov\n`, 'latin1'),
    );
    await page.locator('#import-file').setInputFiles(latin1);
    await page.getByRole('button', { name: 'Check the file' }).click();
    const fileError = page.locator('#import-file-error');
    await fileError.waitFor();
    expect(await fileError.innerText()).toContain(
      'The file is not UTF-8 text: line 2 has a byte (0xE9) that is not UTF-8.',
    );
    await expectAccessible(e, page, 'imports: file not UTF-8');

    await page.locator('#import-file').setInputFiles(bad);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('heading', { name: '1 error: nothing was imported' }).waitFor();
    const table = page.getByRole('table', { name: /Errors in officials\.csv/ });
    const cells = await table.locator('tbody tr').first().locator('td').allInnerTexts();
    expect(cells).toEqual(['13', 'county_fips', 'There is no state or county with FIPS code 99999.']);
    expect(await table.locator('tbody tr').count()).toBe(1);
    await expectAccessible(e, page, 'imports: dry-run errors');
    expect(
      await e.t.db.selectFrom('person').select('id').where('external_id', 'like', 'KSO-%').execute(),
    ).toEqual([]);

    // The administrator corrects the row and checks the corrected file.
    rows[11]![7] = '20177';
    const fixed = path.join(dir, 'officials-fixed.csv');
    writeFileSync(fixed, writeCsv(header('officials'), rows));
    await page.locator('#import-file').setInputFiles(fixed);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('heading', { name: 'No errors: ready to import' }).waitFor();
    await expectAccessible(e, page, 'imports: dry run passed');

    await page.getByRole('button', { name: 'Import 60 rows' }).click();
    await page.getByText('100% done: 60 rows imported.').waitFor();
    expect(await page.locator('#import-progress').getAttribute('value')).toBe('100');
    await page.getByRole('heading', { name: 'Import complete' }).waitFor();
    const counts = await page.getByTestId('import-counts').last().innerText();
    expect(counts).toContain('60 new rows');
    expect(counts).toContain('0 changed rows');
    expect(counts).toContain('0 unchanged rows');
    await expectAccessible(e, page, 'imports: done');
    const imported = await e.t.db
      .selectFrom('person')
      .select('id')
      .where('external_id', 'like', 'KSO-%')
      .execute();
    expect(imported).toHaveLength(60);
    // The recent list shows the failed check, the passed check and the import.
    const recent = await page
      .getByRole('table', { name: /latest 20 imports/ })
      .locator('tbody tr')
      .allInnerTexts();
    expect(recent.some((r) => r.includes('Imported'))).toBe(true);
    expect(recent.some((r) => r.includes('Checked: errors found'))).toBe(true);
  }, 180_000);
});
