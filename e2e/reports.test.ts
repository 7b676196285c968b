/**
 * Reports in Chromium: a known data set (Douglas County has a certified
 * official, Shawnee an official in progress, Wyandotte nobody) draws the
 * county map with the right fill and status for each, a legend, county
 * selection by click and by keyboard, every report page loads and passes axe,
 * and the CSV/XLSX export links download files.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, TEST_PASSWORD } from '../src/server/testing/harness.js';
import { buildCredit, buildEnrollment, factsChanged, programId } from '../src/server/testing/scheduling.js';
import { expectAccessible, saveShot, startE2E, type E2E } from './harness.js';

let e: E2E;
let page: Page;

beforeAll(async () => {
  e = await startE2E();
  e.t.clock.now = new Date('2027-03-12T15:00:00Z');
  const db = e.t.db;
  await buildPerson(db, {
    email: 'ada.admin@example.gov',
    firstName: 'Ada',
    lastName: 'Admin',
    roles: ['administrator'],
    jurisdictionFips: '20',
  });
  const ks = await programId(db);
  const certified = await buildPerson(db, {
    firstName: 'Carmen',
    lastName: 'Certified',
    jurisdictionFips: '20045',
  });
  await buildEnrollment(db, certified.personId, undefined, '2025-01-10');
  for (const [category, prefix, date] of [
    ['year-one', 'KS-Y1', '2025-04-10'],
    ['year-two', 'KS-Y2', '2026-04-09'],
    ['year-three', 'KS-Y3', '2027-03-01'],
  ] as const)
    for (const i of [1, 2, 3])
      await buildCredit(db, certified.personId, { category, courseCode: `${prefix}-0${i}`, earnedOn: date });
  await db
    .insertInto('award')
    .values({ program_id: ks, person_id: certified.personId, awarded_on: '2027-03-05', number: 'KS-E2E-1' })
    .execute();
  const started = await buildPerson(db, { firstName: 'Sam', lastName: 'Started', jurisdictionFips: '20177' });
  const enr = await buildEnrollment(db, started.personId, undefined, '2025-01-10');
  await db
    .updateTable('enrollment')
    .set({ cohorts: ['pilot-2024'] })
    .where('id', '=', enr)
    .execute();
  await buildCredit(db, started.personId, {
    category: 'year-one',
    courseCode: 'KS-Y1-01',
    earnedOn: '2025-04-10',
  });
  // What the app's writers do after a change (the records went straight to the database).
  for (const who of [certified, started]) await factsChanged(e.t, who.personId);

  ({ page } = await e.newPage());
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill('ada.admin@example.gov');
  await page.locator('#password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();
});
afterAll(() => e?.close());

/** E2E_SHOTS=dir saves screenshots of the report pages for a person to look at. */
/** How many enrollments are in the pilot cohort. */
const pilots = async () =>
  (await e.t.db.selectFrom('enrollment').select('cohorts').execute()).filter((r) =>
    r.cohorts.includes('pilot-2024'),
  ).length;

const shot = (name: string) => saveShot(page, name);

const county = (fips: string) => page.locator(`[data-testid="county-map"] path[data-fips="${fips}"]`);

describe('reports in Chromium', () => {
  it('lists the reports from the navigation', async () => {
    await page.getByRole('link', { name: 'Reports', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    for (const name of [
      'Certification coverage by county',
      'Pilot cohort progress',
      'Program funnel',
      'Session fill and waitlist demand',
      'Renewal compliance',
      'Review turnaround',
    ])
      await page.getByRole('link', { name }).waitFor();
    await expectAccessible(e, page, 'reports index');
  });

  it('draws the county map with each county’s status, a legend, and the officials of a selected county', async () => {
    await page.getByRole('link', { name: 'Certification coverage by county' }).click();
    await page.locator('[data-testid="county-map"] path').first().waitFor();
    expect(await page.locator('[data-testid="county-map"] path').count()).toBe(105);
    expect(await county('20045').getAttribute('data-status')).toBe('certified');
    expect(await county('20045').getAttribute('fill')).toBe('url(#county-certified)');
    expect(await county('20177').getAttribute('data-status')).toBe('in_progress');
    expect(await county('20177').getAttribute('fill')).toBe('url(#county-in_progress)');
    expect(await county('20209').getAttribute('data-status')).toBe('none');
    expect(await county('20209').getAttribute('fill')).toBe('url(#county-none)');
    // The patterns themselves: blue for certified, gold for in progress.
    expect(await page.locator('#county-certified rect').getAttribute('fill')).toBe('#005ea2');
    expect(await page.locator('#county-in_progress rect').getAttribute('fill')).toBe('#ffbe2e');
    const legend = await page.getByRole('list', { name: 'Map legend' }).innerText();
    expect(legend).toContain('Has a certified official (1 county)');
    expect(legend).toContain('In progress (1 county)');
    expect(legend).toContain('No enrolled official (103 counties)');
    await expectAccessible(e, page, 'coverage map');

    await county('20045').click();
    await page.getByRole('heading', { level: 2, name: 'Douglas County' }).waitFor();
    expect(await page.getByTestId('county-status').innerText()).toContain('Has a certified official');
    expect(await page.getByRole('table', { name: 'Officials in Douglas County' }).innerText()).toContain(
      'Carmen Certified',
    );

    // Keyboard: focus Shawnee and press Enter.
    await county('20177').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Shawnee County' }).waitFor();
    expect(await county('20177').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('table', { name: 'Officials in Shawnee County' }).innerText()).toContain(
      'Sam Started',
    );
    await expectAccessible(e, page, 'coverage map, county selected');
    await shot('coverage');
  });

  it('downloads the coverage report as CSV and XLSX', async () => {
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download CSV/ }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(
      /^coverage-ks-county-election-official-as-of-2027-03-12-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const text = await readFile((await csv.path())!, 'utf8');
    expect(text).toContain('"20045","Douglas","Certified","1","1","0"');
    expect(text).toContain('"20209","Wyandotte","None","0","0","0"');
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download XLSX/ }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = await readFile((await xlsx.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
  });

  it('shows every other report with its chart, table and downloads, and passes axe', async () => {
    const checks: [string, string, RegExp][] = [
      ['cohorts', 'Pilot cohort progress', /Missed the deadline/],
      ['funnel', 'Program funnel', /Enrolled/],
      ['session-fill', 'Session fill and waitlist demand', /No sessions are scheduled|Sessions by course/],
      ['renewal', 'Renewal compliance', /renewal/i],
      ['turnaround', 'Review turnaround', /claims decided/],
    ];
    for (const [path, title, expected] of checks) {
      await page.goto(`/reports/${path}?asOf=2027-03-12`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByTestId('report-as-of').waitFor();
      expect(await page.locator('main').innerText(), path).toMatch(expected);
      expect(await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href')).toContain(
        `/api/reports/${path}/export?`,
      );
      await expectAccessible(e, page, `${path} report`);
      await shot(path);
    }
    // The funnel counts both officials as enrolled and one as certified.
    await page.goto('/reports/funnel?asOf=2027-03-12');
    await page.getByRole('table', { name: 'Program funnel' }).waitFor();
    const funnel = await page.getByRole('table', { name: 'Program funnel' }).innerText();
    expect(funnel).toMatch(/Enrolled\s+2/);
    expect(funnel).toMatch(/Certified \(ever awarded\)\s+1/);
  });

  it('lets the administrator set an official’s cohorts on the program’s enrollments', async () => {
    await page.goto(`/programs/${await programId(e.t.db)}`);
    const sam = page.getByRole('checkbox', { name: 'Pilot counties' }).first();
    await sam.waitFor();
    const group = page.getByRole('group', { name: 'Cohorts of Sam Started' });
    expect(await group.getByRole('checkbox', { name: 'Pilot counties' }).isChecked()).toBe(true);
    const carmenGroup = page.getByRole('group', { name: 'Cohorts of Carmen Certified' });
    const carmen = carmenGroup.getByRole('checkbox');
    expect(await carmen.isChecked()).toBe(false);
    await carmenGroup.getByText('Pilot counties').click(); // the USWDS label is what people click
    await expect.poll(pilots).toBe(2);
    await expectAccessible(e, page, 'program page with cohorts');
    await carmenGroup.getByText('Pilot counties').click();
    await expect.poll(pilots).toBe(1);
  });

  it('downloads a list with its filters, and the signed-in person’s own data as JSON', async () => {
    await page.goto('/people?county=20045');
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    const link = page.getByRole('link', { name: /Download CSV/ });
    expect(await link.getAttribute('href')).toBe('/api/people/export?county=20045&sort=name&format=csv');
    const [csv] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = await readFile((await csv.path())!, 'utf8');
    expect(text).toContain('"Certified","Carmen"');
    expect(text).not.toContain('Started');
    await expectAccessible(e, page, 'people list with export links');

    await page.goto('/profile');
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download all your data (JSON)' }).click(),
    ]);
    expect(json.suggestedFilename()).toMatch(/^civiccert-Admin-Ada-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(await readFile((await json.path())!, 'utf8'));
    expect(data.profile).toMatchObject({ firstName: 'Ada', lastName: 'Admin' });
    await expectAccessible(e, page, 'profile with data download');
  });

  it('a report of another day shows its progress while it is prepared, then when it was prepared, and prepares again', async () => {
    const ks = await programId(e.t.db);
    const run = await e.t.db
      .insertInto('report_run')
      .values({
        program_id: ks,
        as_of: '2026-06-30',
        requested_by: null,
        started_at: e.t.clock.now.toISOString(),
        total: 2,
        snapshot: sql<string>`pg_current_snapshot()`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Held by another worker (as a batch of a large program would be): the page waits with the progress.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const locked = e.t.db.transaction().execute(async (tx) => {
      await tx.selectFrom('report_run').select('id').where('id', '=', run.id).forUpdate().execute();
      await held;
    });
    await page.goto('/reports/coverage?asOf=2026-06-30');
    await page.getByRole('heading', { level: 1, name: 'Certification coverage by county' }).waitFor();
    const progress = page.getByTestId('report-preparing');
    await progress.waitFor();
    expect(await progress.innerText()).toMatch(
      /Preparing the report of .* as of .*2026[\s\S]*0 of 2 officials evaluated so far/,
    );
    expect(await progress.innerText()).toMatch(/started .*(CST|CDT)/);
    await expectAccessible(e, page, 'coverage report being prepared');
    await shot('coverage-preparing');
    release();
    await locked;
    // Once the batch is free the page's next read finds it done, and shows when it was prepared.
    await page.getByTestId('report-as-of').waitFor();
    // Loaded afresh for the checks (axe's contrast pass leaves empty style attributes behind).
    await page.goto('/reports/coverage?asOf=2026-06-30');
    const note = page.getByTestId('report-prepared');
    await note.waitFor();
    expect(await note.innerText()).toMatch(/Prepared .*(CST|CDT) from the records of 2 officials/);
    await expectAccessible(e, page, 'coverage report prepared');
    await shot('coverage-prepared');
    e.t.clock.now = new Date('2027-03-12T16:00:00Z');
    await note.getByRole('button', { name: 'Prepare again' }).click();
    await page.getByText(/Prepared .*10:00.*from the records of 2 officials/).waitFor();
    // A day whose preparation failed: the page says so and offers to prepare it again.
    await e.t.db
      .insertInto('report_run')
      .values({
        program_id: ks,
        as_of: '2026-05-31',
        requested_by: null,
        started_at: e.t.clock.now.toISOString(),
        total: 2,
        snapshot: sql<string>`pg_current_snapshot()`,
        failed: 'the database went away',
      })
      .execute();
    await page.goto('/reports/coverage?asOf=2026-05-31');
    await page.getByText(/failed \(the database went away\)/).waitFor();
    await expectAccessible(e, page, 'coverage report, preparation failed');
    await shot('coverage-failed');
    await page.getByRole('button', { name: 'Prepare again' }).click();
    await page.getByTestId('report-prepared').waitFor();
    e.t.clock.now = new Date('2027-03-12T15:00:00Z');
  });

  it('names a bad date next to the field', async () => {
    await page.goto('/reports/funnel?asOf=2027-02-30');
    await page.getByRole('heading', { level: 1, name: 'Program funnel' }).waitFor();
    await page.locator('.usa-error-message').first().waitFor();
    await expectAccessible(e, page, 'funnel, bad date');
  });
});
