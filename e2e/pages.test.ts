/**
 * Every page of the web app, for every role, in Chromium: each page and
 * state is scanned with axe, each check is something a user would notice
 * (a heading, a row count, a filtered result), and pages a role may not
 * open show the 403 page. Also: errors next to fields, a 320 px screen, and
 * signing in with the keyboard only.
 *
 * One app and one browser for the file; each role signs in once through the
 * UI and its page is reused by later tests.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role as AnyRole } from '../src/domain/authz/index.js';

/** The five original roles; the county supervisor has its own suite (e2e/county-supervisors.test.ts). */
type Role = Exclude<AnyRole, 'supervisor'>;
import { buildClaim } from '../src/server/testing/claims.js';
import { buildPerson, TEST_PASSWORD } from '../src/server/testing/harness.js';
import {
  buildEnrollment,
  buildRegistration,
  buildSession,
  programId,
} from '../src/server/testing/scheduling.js';
import { expectAccessible, navTo, startE2E, type E2E } from './harness.js';

const SHAWNEE = '20177';
/** The program the reviewer reviews, where their person has a claim. */
const REVIEWED_PROGRAM = 'igo-cpo';

/** One person per role, all in Shawnee County. Abbott sorts first by last name, Zimmerman (below) last. */
const staffAndOfficial: Record<Role, { first: string; last: string; email: string }> = {
  administrator: { first: 'Ada', last: 'Abbott', email: 'ada.abbott@shawnee.example.gov' },
  coordinator: { first: 'Cole', last: 'Carter', email: 'cole.carter@shawnee.example.gov' },
  reviewer: { first: 'Rita', last: 'Reyes', email: 'rita.reyes@shawnee.example.gov' },
  instructor: { first: 'Ian', last: 'Ito', email: 'ian.ito@shawnee.example.gov' },
  official: { first: 'Olive', last: 'Ortiz', email: 'olive.ortiz@shawnee.example.gov' },
};

/** Officials elsewhere, so lists and filters have something to show and hide. */
const others = [
  { first: 'Dana', last: 'Dunn', fips: '20045', county: 'Douglas' },
  { first: 'Sara', last: 'Sato', fips: '20173', county: 'Sedgwick' },
  { first: 'Jo', last: 'Jensen', fips: '20091', county: 'Johnson' },
  { first: 'Wes', last: 'Wolfe', fips: '20209', county: 'Wyandotte' },
  { first: 'Zed', last: 'Zimmerman', fips: '20173', county: 'Sedgwick' },
  { first: 'Quinn', last: 'Quartermaine', fips: SHAWNEE, county: 'Shawnee' },
];

/**
 * Whose record each staff role opens (and edits, when allowed), so roles running side by side do not collide.
 * The instructor's and the reviewer's are the one person in each of their scopes (set up in beforeAll).
 */
const personFor: Record<Exclude<Role, 'official'>, (typeof others)[number]> = {
  administrator: others.find((o) => o.last === 'Zimmerman')!,
  coordinator: others.find((o) => o.last === 'Wolfe')!,
  reviewer: others.find((o) => o.last === 'Sato')!,
  instructor: others.find((o) => o.last === 'Jensen')!,
};

const emailOf = (o: { first: string; last: string; county: string }) =>
  `${o.first}.${o.last}@${o.county}.example.gov`.toLowerCase();
const editedPhone = '785-555-0142';

/** The person the administrator adds through the form. */
const added = { first: 'Nora', last: 'Nakamura', email: 'nora.nakamura@shawnee.example.gov' };

const navByRole: Record<Role, string[]> = {
  administrator: ['Dashboard', 'People', 'Jurisdictions', 'Audit log', 'E-mail outbox', 'My profile'],
  coordinator: ['Dashboard', 'People', 'Jurisdictions', 'My profile'],
  reviewer: ['Dashboard', 'People', 'Jurisdictions', 'My profile'],
  instructor: ['Dashboard', 'People', 'Jurisdictions', 'My profile'],
  official: ['Dashboard', 'My profile'],
};

let e: E2E;
const signedIn = new Map<Role, Page>();
const ids = new Map<string, string>();

beforeAll(async () => {
  e = await startE2E();
  for (const [role, p] of Object.entries(staffAndOfficial) as [Role, (typeof staffAndOfficial)[Role]][]) {
    const { personId } = await buildPerson(e.t.db, {
      roles: [role],
      email: p.email,
      firstName: p.first,
      lastName: p.last,
      title: role === 'official' ? 'County Clerk' : null,
      jurisdictionFips: SHAWNEE,
    });
    ids.set(p.last, personId);
  }
  for (const o of others) {
    const { personId } = await buildPerson(e.t.db, {
      firstName: o.first,
      lastName: o.last,
      email: emailOf(o),
      title: 'Deputy County Clerk',
      jurisdictionFips: o.fips,
    });
    ids.set(o.last, personId);
  }
  // Instructors and reviewers see only the people their work needs (issue 11):
  // the instructor teaches a session with their person on its roster, and their
  // person has a submitted claim in the program the reviewer reviews.
  const session = await buildSession(e.t.db, { instructorIds: [ids.get(staffAndOfficial.instructor.last)!] });
  await buildRegistration(e.t.db, session.id, ids.get(personFor.instructor.last)!);
  await e.t.db
    .insertInto('program_reviewer')
    .values({
      program_id: await programId(e.t.db, REVIEWED_PROGRAM),
      person_id: ids.get(staffAndOfficial.reviewer.last)!,
    })
    .execute();
  const claimant = ids.get(personFor.reviewer.last)!;
  await buildEnrollment(e.t.db, claimant, REVIEWED_PROGRAM);
  await buildClaim(e.t.db, claimant, { programCode: REVIEWED_PROGRAM, status: 'submitted' });
});
afterAll(() => e?.close());

// ---------------------------------------------------------------- helpers

async function countPeople(fips?: string): Promise<number> {
  let q = e.t.db.selectFrom('person').select((eb) => eb.fn.countAll<string>().as('n'));
  if (fips) q = q.where('jurisdiction_fips', '=', fips);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/**
 * Waits until the page's h1 reads as expected (pages show "Loading…" headings first). A sign-in
 * hashes the password first, which takes seconds on a loaded machine, hence the longer wait.
 */
async function expectHeading(page: Page, expected: RegExp | string): Promise<void> {
  await h1(page).first().waitFor();
  const heading = expect.poll(() => h1(page).first().innerText(), { timeout: 20_000 });
  if (typeof expected === 'string') await heading.toBe(expected);
  else await heading.toMatch(expected);
}

const mainText = (page: Page) => page.locator('main').innerText();

/** The preferred name each signed-in user saves on their profile (checkProfile), which lists then show. */
const preferredName = (role: Role) => `${staffAndOfficial[role].first}ie`;

async function signIn(role: Role, viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await e.newPage({ viewport });
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(staffAndOfficial[role].email);
  await page.locator('#password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expectHeading(page, role === 'official' ? 'My dashboard' : 'Dashboard');
  signedIn.set(role, page);
  return page;
}

const nav = (page: Page, label: string): Promise<void> => navTo(page, label);

/** Pages already scanned on the 403 page; it is one page whatever the address, so it is scanned once per user. */
const forbiddenScanned = new Set<Page>();

async function expectForbidden(page: Page, path: string, label: string): Promise<void> {
  await page.goto(path);
  await expectHeading(page, /access/i);
  expect(await mainText(page)).toContain('does not have permission');
  await page.getByRole('link', { name: 'Go to your dashboard' }).waitFor();
  expect(new URL(page.url()).pathname).toBe(path);
  if (!forbiddenScanned.has(page)) {
    forbiddenScanned.add(page);
    await expectAccessible(e, page, label);
  }
}

/** Names in the first column of the people table, as shown ("Last, First"). */
const rowNames = (page: Page) => page.locator('main tbody th[scope="row"]').allInnerTexts();
/** The County column (the second data cell of each row). */
const rowCounties = (page: Page) => page.locator('main tbody tr td:nth-of-type(2)').allInnerTexts();
const resultCount = (page: Page) => page.locator('main .result-count').innerText();

// ------------------------------------------------------------- page checks

async function checkDashboard(page: Page, role: Role): Promise<void> {
  await nav(page, 'Dashboard');
  const me = staffAndOfficial[role];
  if (role === 'official') {
    await expectHeading(page, 'My dashboard');
    await page.getByRole('heading', { name: 'Your program progress' }).waitFor();
    await expect.poll(() => mainText(page)).toContain('Shawnee, KS');
    expect(await mainText(page)).toContain(me.email);
  } else {
    await expectHeading(page, 'Dashboard');
    const roleWord = role[0]!.toUpperCase() + role.slice(1);
    expect(await mainText(page)).toContain(`Your role: ${roleWord}`);
    // The figures have arrived: the first is the number of people.
    const people = await countPeople();
    await expect
      .poll(async () => Number(await page.locator('.stat__number').first().innerText()))
      .toBe(people);
    const quick = await page.locator('main .usa-list a').allInnerTexts();
    expect(quick).toContain('People');
    expect(quick.includes('Add a person')).toBe(role === 'administrator' || role === 'coordinator');
    expect(quick.includes('Audit log')).toBe(role === 'administrator');
  }
  // Every link of the navigation, including those inside closed drop-down groups.
  const navLinks = await page
    .getByRole('navigation', { name: 'Primary navigation' })
    .locator('a')
    .allTextContents();
  // Other features add their own links; these are the ones the pages here decide.
  const known = new Set(Object.values(navByRole).flat());
  expect(navLinks.map((t) => t.trim()).filter((t) => known.has(t))).toEqual(navByRole[role]);
  await expectAccessible(e, page, `${role} dashboard`);
}

async function checkProfile(page: Page, role: Role): Promise<void> {
  const me = staffAndOfficial[role];
  await nav(page, 'My profile');
  await expectHeading(page, 'My profile');
  await expect.poll(() => mainText(page)).toContain(me.email);
  expect(await mainText(page)).toContain('Shawnee, Kansas');
  await expectAccessible(e, page, `${role} profile`);

  // The edit form: a bad phone number is refused next to the field (the same
  // form for everyone, so its error state is checked once).
  if (role === 'official') {
    await page.getByLabel('Phone').fill('call me maybe');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#phone-error').waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.className ?? ''))
      .toContain('error-summary');
    await expectAccessible(e, page, `${role} profile, phone error`);
  }

  // A preferred name is saved and shows in the header.
  const preferred = preferredName(role);
  await page.getByLabel('Preferred name').fill(preferred);
  await page.getByLabel('Phone').fill('785-555-0100');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Your changes are saved.').waitFor();
  await expect.poll(() => page.locator('.signed-in-as').innerText()).toContain(preferred);
  expect(await page.locator('#phone-error').count()).toBe(0);
  await expectAccessible(e, page, `${role} profile saved`);
}

async function checkPeopleList(page: Page, role: Role): Promise<void> {
  await nav(page, 'People');
  await expectHeading(page, 'People');
  const total = await countPeople();
  await expect.poll(() => resultCount(page)).toBe(`Showing 1–${total} of ${total} people.`);
  expect(await page.locator('main tbody tr').count()).toBe(total);
  const names = await rowNames(page);
  expect(names[0]).toMatch(/^Abbott, /);
  expect(names.at(-1)).toMatch(/^Zimmerman, /);
  expect(await page.getByRole('link', { name: 'Add a person' }).count()).toBe(
    role === 'administrator' || role === 'coordinator' ? 1 : 0,
  );
  await expectAccessible(e, page, `${role} people list`);

  // A search by name.
  await page.getByLabel('Name or e-mail').fill('quarter');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => rowNames(page)).toEqual(['Quartermaine, Quinn']);
  expect(await resultCount(page)).toBe('Showing 1–1 of 1 people.');
  await expectAccessible(e, page, `${role} people search`);

  // Clear it, then filter by county.
  await page.getByRole('link', { name: 'Clear search' }).click();
  await expect.poll(() => page.locator('main tbody tr').count()).toBe(total);
  await page.getByLabel('County', { exact: true }).selectOption({ label: 'Shawnee' });
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('county')).toBe(SHAWNEE);
  const inShawnee = await countPeople(SHAWNEE);
  await expect.poll(async () => (await rowCounties(page)).length).toBe(inShawnee);
  expect(new Set(await rowCounties(page))).toEqual(new Set(['Shawnee']));
  expect(await rowNames(page)).not.toContain('Zimmerman, Zed');
  await expectAccessible(e, page, `${role} people filtered by county`);

  // Sort by name, Z to A, with a click on the column header.
  await page.getByRole('link', { name: 'Clear search' }).click();
  await expect.poll(() => page.locator('main tbody tr').count()).toBe(total);
  await page.getByRole('columnheader', { name: /^Name/ }).getByRole('button').click();
  await expect.poll(async () => (await rowNames(page))[0]).toMatch(/^Zimmerman, /);
  expect((await rowNames(page)).at(-1)).toMatch(/^Abbott, /);
  expect(await page.getByRole('columnheader', { name: /^Name/ }).getAttribute('aria-sort')).toBe(
    'descending',
  );
  expect(await page.getByRole('table').locator('caption').innerText()).toContain('Z to A');
  await expectAccessible(e, page, `${role} people sorted`);
}

/**
 * The people list of an instructor or a reviewer (issue 11, least data): it
 * holds only themselves and the one person their work concerns (personFor),
 * and search, the county filter and sorting work within that.
 */
async function checkScopedPeopleList(page: Page, role: 'reviewer' | 'instructor'): Promise<void> {
  const me = staffAndOfficial[role];
  const meRow = `${me.last}, ${preferredName(role)}`;
  const who = personFor[role];
  const whoRow = `${who.last}, ${who.first}`;
  await nav(page, 'People');
  await expectHeading(page, 'People');
  await expect.poll(() => resultCount(page)).toBe('Showing 1–2 of 2 people.');
  // By last name: Ito before Jensen, Reyes before Sato.
  expect(await rowNames(page)).toEqual([meRow, whoRow]);
  expect(await mainText(page)).not.toContain('Zimmerman');
  expect(await page.getByRole('link', { name: 'Add a person' }).count()).toBe(0);
  await expectAccessible(e, page, `${role} people list`);

  // A search by name finds the person in scope, and nobody outside it.
  await page.getByLabel('Name or e-mail').fill(who.last.toLowerCase());
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => rowNames(page)).toEqual([whoRow]);
  expect(await resultCount(page)).toBe('Showing 1–1 of 1 people.');
  await expectAccessible(e, page, `${role} people search`);
  await page.getByLabel('Name or e-mail').fill('quarter');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => resultCount(page)).toBe('No people match.');
  expect(await page.locator('main tbody tr').count()).toBe(0);
  await expectAccessible(e, page, `${role} people search, outside their scope`);

  // Clear it, then filter by county: in Shawnee they see only themselves
  // (Quartermaine and the other staff there are outside their scope); in their
  // person's county, only that person.
  await page.getByRole('link', { name: 'Clear search' }).click();
  await expect.poll(() => page.locator('main tbody tr').count()).toBe(2);
  await page.getByLabel('County', { exact: true }).selectOption({ label: 'Shawnee' });
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('county')).toBe(SHAWNEE);
  await expect.poll(() => rowNames(page)).toEqual([meRow]);
  expect(await rowCounties(page)).toEqual(['Shawnee']);
  await expectAccessible(e, page, `${role} people filtered by county`);
  await page.getByLabel('County', { exact: true }).selectOption({ label: who.county });
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('county')).toBe(who.fips);
  await expect.poll(() => rowNames(page)).toEqual([whoRow]);
  expect(await rowCounties(page)).toEqual([who.county]);
  await expectAccessible(e, page, `${role} people filtered by their person's county`);

  // Sort by name, Z to A, with a click on the column header.
  await page.getByRole('link', { name: 'Clear search' }).click();
  await expect.poll(() => page.locator('main tbody tr').count()).toBe(2);
  await page.getByRole('columnheader', { name: /^Name/ }).getByRole('button').click();
  await expect.poll(() => rowNames(page)).toEqual([whoRow, meRow]);
  expect(await page.getByRole('columnheader', { name: /^Name/ }).getAttribute('aria-sort')).toBe(
    'descending',
  );
  await expectAccessible(e, page, `${role} people sorted`);
}

/** A person outside an instructor's or reviewer's scope is not found (the API answers 404), even by address. */
async function checkOutOfScopePerson(page: Page, role: 'reviewer' | 'instructor'): Promise<void> {
  const outside = ids.get(personFor.administrator.last)!;
  await page.goto(`/people/${outside}`);
  await expectHeading(page, 'We could not find that person');
  expect(await mainText(page)).not.toContain(emailOf(personFor.administrator));
  await expectAccessible(e, page, `${role} person outside their scope`);
}

async function checkPersonPages(page: Page, role: Exclude<Role, 'official'>): Promise<void> {
  const mayEdit = role === 'administrator' || role === 'coordinator';
  const who = personFor[role];
  const name = `${who.first} ${who.last}`;
  const id = ids.get(who.last)!;
  // Person detail, reached from the list.
  await page.getByRole('link', { name: `${who.last}, ${who.first}` }).click();
  await expectHeading(page, name);
  await expect.poll(() => page.url()).toContain(`/people/${id}`);
  const text = await mainText(page);
  expect(text).toContain(who.county);
  expect(text).toContain(emailOf(who));
  expect(await page.getByRole('link', { name: 'Edit details' }).count()).toBe(mayEdit ? 1 : 0);
  await expectAccessible(e, page, `${role} person detail`);

  if (!mayEdit) {
    await expectForbidden(page, `/people/${id}/edit`, `${role} person edit 403`);
    await expectForbidden(page, '/people/new', `${role} new person 403`);
    return;
  }

  // Person edit: the form holds their details; only administrators see roles.
  await page.getByRole('link', { name: 'Edit details' }).click();
  await expectHeading(page, `Edit ${name}`);
  await expect.poll(() => page.getByLabel('Last name').inputValue()).toBe(who.last);
  expect(await page.getByLabel('County', { exact: true }).inputValue()).toBe(who.fips);
  expect(await page.getByRole('group', { name: 'Roles' }).count()).toBe(role === 'administrator' ? 1 : 0);
  await expectAccessible(e, page, `${role} person edit`);
  await page.getByLabel('Phone').fill(editedPhone);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText(`Saved the changes to ${name}.`).waitFor();
  await expectHeading(page, name);
  expect(await mainText(page)).toContain(editedPhone);
  await expectAccessible(e, page, `${role} person saved`);

  // New person form (its error states are checked in their own test).
  await page.goto('/people/new');
  await expectHeading(page, 'Add a person');
  await expect
    .poll(() => page.getByLabel('County', { exact: true }).locator('option').count())
    .toBeGreaterThan(100);
  expect(await page.getByRole('group', { name: 'Roles' }).count()).toBe(role === 'administrator' ? 1 : 0);
  await expectAccessible(e, page, `${role} new person`);
}

async function checkJurisdictions(page: Page, role: Role): Promise<void> {
  await nav(page, 'Jurisdictions');
  await expectHeading(page, 'Jurisdictions');
  await expect.poll(() => page.locator('main tbody tr').count()).toBe(50);
  expect(await resultCount(page)).toMatch(/^Showing 1–50 of 3,\d{3} jurisdictions\.$/);
  await expectAccessible(e, page, `${role} jurisdictions`);

  await page.getByLabel('Name or FIPS code').fill('Shawnee');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const row = page.getByRole('row', { name: /Shawnee.*20177/ });
  await row.waitFor();
  expect(await row.innerText()).toContain('Kansas');
  for (const name of await page.locator('main tbody th[scope="row"]').allInnerTexts()) {
    expect(name).toMatch(/Shawnee/);
  }
  await expectAccessible(e, page, `${role} jurisdictions search`);
}

/** Issue 5's staff credit screens: credit entries, fees, and (administrators) reviewers per program. */
async function checkStaffCredit(page: Page, role: 'administrator' | 'coordinator'): Promise<void> {
  await nav(page, 'Staff credit');
  await expectHeading(page, 'Staff credit entries');
  await expectAccessible(e, page, `${role} staff credit entries`);
  await page.goto('/fees');
  await expectHeading(page, 'Credit fees');
  await expectAccessible(e, page, `${role} credit fees`);
  if (role === 'administrator') {
    await page.goto('/reviewers');
    await expectHeading(page, 'Claim reviewers');
    await expectAccessible(e, page, 'administrator claim reviewers');
  } else await expectForbidden(page, '/reviewers', `${role} claim reviewers 403`);
}

async function checkAudit(page: Page): Promise<void> {
  await nav(page, 'Audit log');
  await expectHeading(page, 'Audit log');
  await page.getByRole('table').waitFor();
  await expect.poll(() => mainText(page)).toContain('person create');
  expect(await mainText(page)).toContain('person update');
  await expectAccessible(e, page, 'audit log');

  // Filter: the changes to Zimmerman's record, then open one.
  await page.getByLabel('Action').fill('person.update');
  await page.getByLabel('Who').fill('ada.abbott');
  await page.getByRole('button', { name: 'Show changes' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('person.update');
  await expect
    .poll(async () => new Set(await page.locator('main tbody tr td:nth-of-type(3)').allInnerTexts()))
    .toEqual(new Set(['person update']));
  // The Record column names the person (it showed "person" and the id's first 8 characters).
  const zimmermanRow = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'Zed Zimmerman', exact: true }) });
  expect(await zimmermanRow.first().getByRole('link').first().getAttribute('href')).toBe(
    `/people/${ids.get('Zimmerman')!}`,
  );
  await zimmermanRow.first().waitFor();
  await zimmermanRow.first().locator('summary').click();
  const change = zimmermanRow.first().locator('.change-list');
  await change.waitFor();
  expect(await change.innerText()).toContain(`now ${editedPhone}`);
  await expectAccessible(e, page, 'audit log filtered, details open');
}

async function checkOutbox(page: Page): Promise<void> {
  await nav(page, 'E-mail outbox');
  await expectHeading(page, 'E-mail outbox');
  const row = page.getByRole('row').filter({ hasText: added.email });
  await row.first().waitFor();
  expect(await row.first().innerText()).toContain('Set your CivicCert password');
  await expectAccessible(e, page, 'outbox');

  await row.first().getByRole('button', { name: 'Set your CivicCert password' }).click();
  const heading = page.getByRole('heading', { level: 2, name: 'Set your CivicCert password' });
  await heading.waitFor();
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('message-heading');
  const message = await page.getByRole('document', { name: 'Message text' }).innerText();
  // The link's secret is the recipient's alone: administrators see it masked.
  expect(message).toContain('/password/set?token=[hidden]');
  expect(await page.locator('.usa-summary-box').innerText()).toContain(added.email);
  await expectAccessible(e, page, 'outbox message open');

  // Closing it returns focus to the subject that opened it.
  await page.getByRole('button', { name: 'Close message' }).click();
  await heading.waitFor({ state: 'detached' });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Set your CivicCert password');
}

// ------------------------------------------------------------------- tests

// Several tests walk every page a role may open: dozens of pages, each scanned
// by axe and validated as HTML. On a loaded machine they need longer than the
// e2e project's 120 s (the administrator's took 266 s).
describe('pages in Chromium, scanned with axe', { timeout: 600_000 }, () => {
  it('anonymous: sign-in, forgot password, set password with a bad token, 404', async () => {
    const { page } = await e.newPage();
    await page.goto('/people');
    await expect.poll(() => page.url()).toContain('/sign-in?next=%2Fpeople');
    await expectHeading(page, 'Sign in');
    // Signed out, the navigation offers only the public pages (issue 17): the catalog and the calendar.
    const nav = page.getByRole('navigation', { name: 'Primary navigation' });
    expect(await nav.locator('.usa-nav__primary').getByRole('link').allInnerTexts()).toEqual([
      'Courses',
      'Sessions',
    ]);
    await expectAccessible(e, page, 'sign-in');

    // Empty submit: both fields say what is missing, and the summary has focus.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#email-error').waitFor();
    expect(await page.locator('#email-error').innerText()).toContain('Enter your e-mail address.');
    expect(await page.locator('#password-error').innerText()).toContain('Enter your password.');
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    await expectAccessible(e, page, 'sign-in, empty');

    // A wrong password gets a plain explanation.
    await page.getByLabel('E-mail address').fill('nobody@example.gov');
    await page.locator('#password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(/e-mail address or password is not right/i).waitFor();
    await expectAccessible(e, page, 'sign-in, wrong password');

    // Forgot password: the link arrives by e-mail.
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expectHeading(page, 'Reset your password');
    await expectAccessible(e, page, 'forgot password');
    await page.getByLabel('E-mail address').fill(staffAndOfficial.official.email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    expect(await mainText(page)).toContain(staffAndOfficial.official.email);
    await expectAccessible(e, page, 'forgot password, sent');
    const mail = await e.t.smtp!.waitFor((m) => m.to.includes(staffAndOfficial.official.email));
    expect(mail.text).toMatch(/\/password\/set\?token=/);

    // Set password with a token that does not work.
    await page.goto('/password/set?token=this-token-was-never-issued-0123456789');
    await expectHeading(page, 'Choose your password');
    await expectAccessible(e, page, 'set password');
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.locator('#password-error').waitFor();
    expect(await page.locator('#password-error').innerText()).toContain('Use at least 12 characters.');
    await expectAccessible(e, page, 'set password, too short');
    await page.getByLabel('New password').fill('a long enough passphrase');
    await page.getByLabel('Type the password again').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expectHeading(page, 'This link does not work');
    await page.getByRole('link', { name: 'Get a new link' }).waitFor();
    await expectAccessible(e, page, 'set password, bad token');

    // An address that is not a page: the app's not-found page, answered with a real 404.
    const missing = await page.goto('/no-such-page');
    expect(missing?.status()).toBe(404);
    await expectHeading(page, 'Page not found');
    await expectAccessible(e, page, 'anonymous 404');
  });

  it('new person form: errors next to the fields, focus on the summary', async () => {
    const admin = await signIn('administrator');
    await nav(admin, 'People');
    await admin.getByRole('link', { name: 'Add a person' }).click();
    await expectHeading(admin, 'Add a person');
    await expect
      .poll(() => admin.getByLabel('County', { exact: true }).locator('option').count())
      .toBeGreaterThan(100);

    await admin.getByRole('button', { name: 'Add person' }).click();
    const summary = admin.locator('.error-summary');
    await summary.waitFor();
    await expect
      .poll(() => admin.evaluate(() => document.activeElement?.className ?? ''))
      .toContain('error-summary');
    expect(await summary.getByRole('heading', { name: 'There is a problem' }).count()).toBe(1);
    const listed = await summary.getByRole('link').allInnerTexts();
    expect(listed.map((l) => l.split(':')[0])).toEqual(['First name', 'Last name', 'E-mail address']);
    for (const [id, label] of [
      ['firstName', 'First name'],
      ['lastName', 'Last name'],
      ['email', 'E-mail address'],
    ] as const) {
      const group = admin.locator('.usa-form-group--error').filter({ has: admin.locator(`#${id}`) });
      expect(await group.locator('label').innerText()).toContain(label);
      expect(await group.locator(`#${id}-error`).isVisible()).toBe(true);
      expect(await admin.locator(`#${id}`).getAttribute('aria-invalid')).toBe('true');
      expect(await admin.locator(`#${id}`).getAttribute('aria-describedby')).toContain(`${id}-error`);
    }
    expect(await admin.locator('#phone-error').count()).toBe(0);
    await expectAccessible(e, admin, 'new person, empty');

    // A link in the summary takes focus to its field.
    await summary.getByRole('link', { name: /^Last name/ }).click();
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('lastName');

    // Fixing one field leaves the others flagged after the next try.
    await admin.getByLabel('First name').fill(added.first);
    await admin.getByLabel('E-mail address').fill('not an address');
    await admin.getByRole('button', { name: 'Add person' }).click();
    await expect
      .poll(async () => (await summary.getByRole('link').allInnerTexts()).map((l) => l.split(':')[0]))
      .toEqual(['Last name', 'E-mail address']);
    expect(await admin.locator('#firstName-error').count()).toBe(0);
    await expectAccessible(e, admin, 'new person, two errors');

    // Corrected, the person is added in Shawnee County and invited.
    await admin.getByLabel('Last name').fill(added.last);
    await admin.getByLabel('E-mail address').fill(added.email);
    await admin.getByLabel('Title').selectOption('Deputy County Clerk');
    await admin.getByLabel('County', { exact: true }).selectOption({ label: 'Shawnee' });
    await admin.getByRole('button', { name: 'Add person' }).click();
    await expectHeading(admin, `${added.first} ${added.last}`);
    await admin.getByText(`We sent an invitation to ${added.email}`).waitFor();
    expect(await mainText(admin)).toContain('Invited: they have not chosen a password yet');
    await expectAccessible(e, admin, 'person added');
  });

  // From here on the people count, the audit log and the outbox are settled.
  it('administrator: every page', async () => {
    const page = signedIn.get('administrator') ?? (await signIn('administrator'));
    await checkDashboard(page, 'administrator');
    expect(await page.getByRole('heading', { name: 'Recent changes' }).count()).toBe(1);
    await checkProfile(page, 'administrator');
    await checkPeopleList(page, 'administrator');
    await checkPersonPages(page, 'administrator');
    await checkJurisdictions(page, 'administrator');
    await checkAudit(page);
    await checkOutbox(page);
    await checkStaffCredit(page, 'administrator');

    await page.goto('/people/00000000-0000-4000-8000-000000000000');
    await expectHeading(page, 'We could not find that person');
    await expectAccessible(e, page, 'administrator person 404');
    await page.goto('/no-such-page');
    await expectHeading(page, 'Page not found');
    await expectAccessible(e, page, 'administrator 404');
  });

  it('coordinator: every page it may open, and 403 for the rest', async () => {
    const page = await signIn('coordinator');
    await checkDashboard(page, 'coordinator');
    await checkProfile(page, 'coordinator');
    await checkPeopleList(page, 'coordinator');
    await checkPersonPages(page, 'coordinator');
    await checkJurisdictions(page, 'coordinator');
    await checkStaffCredit(page, 'coordinator');
    await expectForbidden(page, '/audit', 'coordinator audit 403');
    await expectForbidden(page, '/outbox', 'coordinator outbox 403');
  });

  for (const role of ['reviewer', 'instructor'] as const) {
    it(`${role}: every page it may open, and 403 for the rest`, async () => {
      const page = await signIn(role);
      await checkDashboard(page, role);
      await checkProfile(page, role);
      await checkScopedPeopleList(page, role);
      await checkPersonPages(page, role);
      await checkOutOfScopePerson(page, role);
      await checkJurisdictions(page, role);
      await expectForbidden(page, '/audit', `${role} audit 403`);
      await expectForbidden(page, '/outbox', `${role} outbox 403`);
      await expectForbidden(page, '/credits', `${role} staff credit 403`);
      await expectForbidden(page, '/fees', `${role} credit fees 403`);
      await expectForbidden(page, '/reports', `${role} reports 403`);
    });
  }

  it('official: dashboard and profile, and 403 for every staff page', async () => {
    const page = await signIn('official');
    await checkDashboard(page, 'official');
    await checkProfile(page, 'official');
    const zimmerman = ids.get('Zimmerman')!;
    for (const [path, label] of [
      ['/people', 'people list'],
      [`/people/${zimmerman}`, 'person detail'],
      [`/people/${zimmerman}/edit`, 'person edit'],
      ['/people/new', 'new person'],
      ['/jurisdictions', 'jurisdictions'],
      ['/audit', 'audit log'],
      ['/outbox', 'outbox'],
      ['/credits', 'staff credit'],
      ['/fees', 'credit fees'],
      ['/reviewers', 'claim reviewers'],
      ['/reports', 'reports'],
      ['/reports/coverage', 'coverage report'],
    ] as const) {
      await expectForbidden(page, path, `official ${label} 403`);
    }
    await page.getByRole('link', { name: 'Go to your dashboard' }).click();
    await expectHeading(page, 'My dashboard');
  });
});

describe('small screens and the keyboard', () => {
  it('at 320 px the dashboard and people list do not scroll sideways; the menu works from the keyboard', async () => {
    const page = await signIn('administrator', { width: 320, height: 800 });
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    // A fresh load, so Tab starts from the top of the page.
    await page.goto('/');
    await expectHeading(page, 'Dashboard');
    await page.locator('.stat__number').first().waitFor();
    await expectAccessible(e, page, 'dashboard at 320 px');
    expect(await pageWidth()).toBeLessThanOrEqual(321);

    // The navigation is behind the Menu button; reach it with Tab and open it with Enter.
    const menuButton = page.getByRole('button', { name: 'Menu', exact: true });
    expect(await menuButton.isVisible()).toBe(true);
    const primaryNav = page.getByRole('navigation', { name: 'Primary navigation' });
    expect(await primaryNav.getByRole('link', { name: 'People' }).isVisible()).toBe(false);
    let steps = 0;
    while (!(await menuButton.evaluate((b) => b === document.activeElement)) && steps++ < 10) {
      await page.keyboard.press('Tab');
    }
    expect(await menuButton.evaluate((b) => b === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const adminGroup = primaryNav.getByRole('button', { name: 'Administration' });
    await adminGroup.waitFor({ state: 'visible' });
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
    // Focus moves into the menu (its close button).
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains('usa-nav__close')))
      .toBe(true);
    await expectAccessible(e, page, 'menu open at 320 px');

    // Escape closes it and returns focus to the Menu button.
    await page.keyboard.press('Escape');
    await adminGroup.waitFor({ state: 'hidden' });
    expect(await menuButton.evaluate((b) => b === document.activeElement)).toBe(true);

    // Space opens it again; Tab to the "Administration" group, open it with Enter,
    // then Tab to "People" and follow it with Enter.
    await page.keyboard.press('Space');
    await adminGroup.waitFor({ state: 'visible' });
    steps = 0;
    while (!(await adminGroup.evaluate((b) => b === document.activeElement)) && steps++ < 15) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await primaryNav.getByRole('link', { name: 'People' }).waitFor({ state: 'visible' });
    expect(await adminGroup.getAttribute('aria-expanded')).toBe('true');
    steps = 0;
    while (
      !(await page.evaluate(() => document.activeElement?.textContent?.trim() === 'People')) &&
      steps++ < 10
    ) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await expectHeading(page, 'People');
    await primaryNav.getByRole('link', { name: 'People' }).waitFor({ state: 'hidden' });
    const total = await countPeople();
    await expect.poll(() => page.locator('main tbody tr').count()).toBe(total);
    await expectAccessible(e, page, 'people list at 320 px');
    expect(await pageWidth()).toBeLessThanOrEqual(321);
  });

  it('signs in with the keyboard only', async () => {
    const { page } = await e.newPage();
    await page.goto('/sign-in');
    await expectHeading(page, 'Sign in');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return { tag: el?.tagName ?? '', id: el?.id ?? '', text: el?.innerText?.trim() ?? '' };
      });

    // The first Tab lands on the skip link, and it works.
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'A', text: 'Skip to main content' });
    expect(await page.getByRole('link', { name: 'Skip to main content' }).isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect((await focused()).id).toBe('main-content');

    // Through the form: e-mail, password, show password, sign in.
    await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('email');
    await page.keyboard.type(staffAndOfficial.official.email);
    await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('password');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'BUTTON', text: 'Show password' });
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'BUTTON', text: 'Sign in' });
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).id).toBe('password');
    await page.keyboard.press('Enter');

    // The dashboard, with focus on its heading so a screen reader announces it.
    await expectHeading(page, 'My dashboard');
    await expect.poll(() => page.url()).toBe(`${e.baseUrl}/`);
    await expect.poll(async () => (await focused()).tag).toBe('H1');
    await expectAccessible(e, page, 'dashboard after keyboard sign-in');
  });
});
