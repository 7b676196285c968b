/**
 * Issue 17, item 3, in Chromium: an administrator makes a county clerk a county supervisor of
 * Shawnee County on the person's edit page; the clerk signs in, finds only Shawnee County's
 * officials under People, opens one's progress, and is refused an official of another county.
 * Then a coordinator is limited to Shawnee County and the Kansas program the same way, and sees
 * the same people only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { buildEnrollment } from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, navTo, saveShot, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
let clerkId: string;
let otherId: string;
let regionalId: string;
beforeAll(async () => {
  e = await startE2E();
  await buildPerson(e.t.db, { email: 'ada.admin@example.gov', roles: ['administrator'] });
  clerkId = (
    await buildPerson(e.t.db, {
      email: 'renee.castillo@shawnee.example.gov',
      firstName: 'Renee',
      lastName: 'Castillo',
      jurisdictionFips: '20177',
    })
  ).personId;
  const maya = await buildPerson(e.t.db, {
    firstName: 'Maya',
    lastName: 'Shawnee-Deputy',
    jurisdictionFips: '20177',
  });
  await buildEnrollment(e.t.db, maya.personId);
  otherId = (
    await buildPerson(e.t.db, { firstName: 'Theo', lastName: 'Douglas-Deputy', jurisdictionFips: '20045' })
  ).personId;
  regionalId = (
    await buildPerson(e.t.db, {
      email: 'marcus.delgado@sos.example.gov',
      firstName: 'Marcus',
      lastName: 'Delgado',
      roles: ['coordinator'],
      jurisdictionFips: '20177',
    })
  ).personId;
});

/** Gives the account the password of an account that has one (the invitation sets it in real life). */
async function givePassword(personId: string) {
  const { password_hash } = await e.t.db
    .selectFrom('user_account')
    .select('password_hash')
    .where('password_hash', 'is not', null)
    .executeTakeFirstOrThrow();
  await e.t.db.updateTable('user_account').set({ password_hash }).where('person_id', '=', personId).execute();
}
afterAll(() => e?.close());

describe('county supervisors', () => {
  it('the administrator grants Shawnee County; the clerk sees only its officials', async () => {
    const { page: admin } = await e.newPage();
    await signIn(admin, 'ada.admin@example.gov');
    await admin.goto(`/people/${clerkId}/edit`);
    await admin.getByRole('group', { name: 'Roles' }).waitFor();
    await admin.locator('label[for="role-supervisor"]').click();
    await admin.getByRole('group', { name: 'Counties supervised' }).waitFor();
    // Saved without a county, the form says what is missing.
    await admin.getByRole('button', { name: /Save/ }).click();
    await expect.poll(() => mainText(admin)).toContain('Choose the counties this county supervisor sees.');
    const add = admin.getByLabel('Add a county');
    await expect.poll(() => add.locator('option').count()).toBeGreaterThan(100);
    await add.selectOption({ label: 'Shawnee' });
    await expect.poll(() => mainText(admin)).toContain('Shawnee County');
    await expectAccessible(e, admin, 'person edit with counties supervised');
    await saveShot(admin, 'county-supervisor-edit');
    await admin.getByRole('button', { name: /Save/ }).click();
    await admin.getByText(/Saved the changes to Renee Castillo/).waitFor();

    // The clerk needs a password: the administrator's invitation sets it in real life.
    await e.t.db
      .updateTable('user_account')
      .set({
        password_hash: (
          await e.t.db
            .selectFrom('user_account')
            .select('password_hash')
            .where('password_hash', 'is not', null)
            .executeTakeFirstOrThrow()
        ).password_hash,
      })
      .where('person_id', '=', clerkId)
      .execute();
    const { page: clerk } = await e.newPage();
    await signIn(clerk, 'renee.castillo@shawnee.example.gov');
    // A county supervisor (also an official) gets the staff dashboard, with the figures of their county.
    await clerk.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await expect.poll(() => mainText(clerk)).toContain('Your roles: County supervisor, Official');
    await expectAccessible(e, clerk, 'a county supervisor’s dashboard');
    await navTo(clerk, 'People');
    await clerk.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await expect.poll(() => mainText(clerk)).toContain('Shawnee-Deputy');
    expect(await mainText(clerk)).not.toContain('Douglas-Deputy');
    await expectAccessible(e, clerk, 'people list of a county supervisor');
    await clerk.getByRole('link', { name: /Shawnee-Deputy/ }).click();
    await clerk.getByRole('heading', { level: 1, name: /Maya/ }).waitFor();
    await expectAccessible(e, clerk, 'a person of the supervised county');

    await clerk.goto(`/people/${otherId}`);
    await expect.poll(() => mainText(clerk)).toMatch(/not in the counties you supervise|permission/);
  });

  it('the administrator limits a coordinator to Shawnee County and the Kansas program; they see its officials only', async () => {
    const { page: admin } = await e.newPage();
    await signIn(admin, 'ada.admin@example.gov');
    await admin.goto(`/people/${regionalId}/edit`);
    await admin.getByRole('group', { name: 'Counties coordinated' }).waitFor();
    const add = admin.getByLabel('Add a county');
    await expect.poll(() => add.locator('option').count()).toBeGreaterThan(100);
    await add.selectOption({ label: 'Shawnee' });
    const programs = admin.getByRole('group', { name: 'Programs coordinated' });
    await programs
      .getByText(/Kansas/)
      .first()
      .waitFor();
    await programs
      .locator('label')
      .filter({ hasText: /Kansas/ })
      .first()
      .click();
    await expectAccessible(e, admin, 'person edit with the counties and programs coordinated');
    await saveShot(admin, 'coordinator-scope-edit');
    await admin.getByRole('button', { name: /Save/ }).click();
    await admin.getByText(/Saved the changes to Marcus Delgado/).waitFor();
    await expect
      .poll(() => mainText(admin))
      .toMatch(/Limited to\s*Counties: Shawnee County\s*Programs: .*Kansas/);

    await givePassword(regionalId);
    const { page: regional } = await e.newPage();
    await signIn(regional, 'marcus.delgado@sos.example.gov');
    await navTo(regional, 'People');
    await regional.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    // Shawnee County's officials enrolled in the Kansas program: Maya, not the Douglas County deputy.
    await expect.poll(() => mainText(regional)).toContain('Shawnee-Deputy');
    expect(await mainText(regional)).not.toContain('Douglas-Deputy');
    await expectAccessible(e, regional, 'people list of a scoped coordinator');
    await regional.goto(`/people/${otherId}`);
    await expect.poll(() => mainText(regional)).toMatch(/not in the counties|permission/);
  });
});
