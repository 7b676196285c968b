/**
 * Issue 2's journey: an administrator creates an official in a county; the
 * password-set e-mail arrives over SMTP; the official sets a password, signs
 * in, sees their own dashboard, and gets a clear 403 page for the people list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, TEST_PASSWORD } from '../src/server/testing/harness.js';
import { expectAccessible, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe('foundation journey in Chromium', () => {
  it('admin creates an official, who sets a password by e-mail and signs in', async () => {
    await buildPerson(e.t.db, {
      email: 'admin@example.gov',
      firstName: 'Avery',
      lastName: 'Admin',
      roles: ['administrator'],
    });

    // The administrator signs in.
    const { page: admin } = await e.newPage();
    await admin.goto('/');
    await expect.poll(() => admin.url()).toContain('/sign-in');
    await expectAccessible(e, admin, 'sign-in');
    await admin.getByLabel('E-mail address').fill('admin@example.gov');
    await admin.locator('#password').fill(TEST_PASSWORD);
    await admin.getByRole('button', { name: /sign in/i }).click();
    await expect.poll(() => admin.url()).not.toContain('/sign-in');
    await admin.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();
    await expectAccessible(e, admin, 'admin dashboard');

    // People list, then a new official in Shawnee County.
    await admin.goto('/people');
    await admin.getByRole('heading', { level: 1, name: /people/i }).waitFor();
    await expectAccessible(e, admin, 'people list');
    await admin.goto('/people/new');
    await admin.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(e, admin, 'new person form');
    await admin.getByLabel('First name').fill('Morgan');
    await admin.getByLabel('Last name').fill("O'Connell");
    await admin.getByLabel('E-mail address').fill('morgan.oconnell@shawnee.example.gov');
    await admin.getByLabel('Title').selectOption('County Clerk');
    const county = admin.getByLabel('County', { exact: true });
    await county.waitFor();
    await expect.poll(async () => county.locator('option').count()).toBeGreaterThan(100);
    await county.selectOption({ label: 'Shawnee' });
    await admin.getByRole('button', { name: /create|save|add/i }).click();
    await admin.getByRole('heading', { level: 1, name: /Morgan/ }).waitFor();
    await expect.poll(() => admin.url()).toMatch(/\/people\/[0-9a-f-]{36}$/);
    await expectAccessible(e, admin, 'person detail');
    expect(await admin.locator('main').innerText()).toContain('Shawnee');

    // The invitation arrives over real SMTP.
    const mail = await e.t.smtp!.waitFor((m) => m.to.includes('morgan.oconnell@shawnee.example.gov'));
    expect(mail.subject).toBe('Set your CivicCert password');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/password\/set\?token=[\w-]+)/.exec(mail.text)?.[1];
    expect(link, 'password-set link in the e-mail').toBeTruthy();

    // The official sets a password from the link and signs in.
    const { page: official } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await official.goto(link!);
    await official.getByLabel('New password').waitFor();
    await expectAccessible(e, official, 'set password');
    await official.getByLabel('New password').fill('my county clerk passphrase');
    await official.getByLabel('Type the password again').fill('my county clerk passphrase');
    await official.getByRole('button', { name: /set password|save|choose/i }).click();
    await expect.poll(() => official.url()).toContain('/sign-in');
    await official.getByLabel('E-mail address').fill('morgan.oconnell@shawnee.example.gov');
    await official.locator('#password').fill('my county clerk passphrase');
    await official.getByRole('button', { name: /sign in/i }).click();
    await expect.poll(() => official.url()).not.toContain('/sign-in');
    await official.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();
    await expect.poll(async () => official.locator('main').innerText()).toContain('Morgan');
    await expectAccessible(e, official, 'official dashboard');

    // The official may not open the people list: a 403 page, not a blank screen.
    await official.goto('/people');
    const forbidden = official.getByRole('heading', { level: 1 });
    await forbidden.waitFor();
    expect(await forbidden.innerText()).toMatch(/access|not allowed|permission/i);
    await expectAccessible(e, official, '403 page');
  });

  it('an administrator changes an official’s e-mail; it changes only when confirmed from the new address', async () => {
    await buildPerson(e.t.db, { email: 'admin2@example.gov', roles: ['administrator'] });
    const official = await buildPerson(e.t.db, {
      email: 'riley.old@example.gov',
      firstName: 'Riley',
      lastName: 'Mover',
    });
    const { page: admin } = await e.newPage();
    await admin.goto('/sign-in');
    await admin.getByLabel('E-mail address').fill('admin2@example.gov');
    await admin.locator('#password').fill(TEST_PASSWORD);
    await admin.getByRole('button', { name: /sign in/i }).click();
    await admin.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();

    await admin.goto(`/people/${official.personId}/edit`);
    await admin.getByRole('heading', { level: 1, name: /Edit Riley/ }).waitFor();
    await admin.getByLabel('E-mail address').fill('riley.new@example.gov');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Riley Mover' }).waitFor();
    await expect
      .poll(async () => admin.locator('main').innerText())
      .toContain('A confirmation link was sent to riley.new@example.gov');
    expect(await admin.getByTestId('pending-email').innerText()).toContain('riley.new@example.gov');
    await expectAccessible(e, admin, 'person with a pending e-mail change');

    // The old address is told; the new one gets the link.
    const notice = await e.t.smtp!.waitFor((m) => m.to.includes('riley.old@example.gov'));
    expect(notice.subject).toBe('Your CivicCert sign-in address is being changed');
    const mail = await e.t.smtp!.waitFor((m) => m.to.includes('riley.new@example.gov'));
    const link = /(http:\/\/127\.0\.0\.1:\d+\/email\/confirm\?token=[\w-]+)/.exec(mail.text)?.[1];
    expect(link, 'confirmation link in the e-mail').toBeTruthy();

    const { page: riley } = await e.newPage();
    await riley.goto(link!);
    await riley.getByRole('heading', { level: 1, name: 'Confirm your new sign-in address' }).waitFor();
    await expectAccessible(e, riley, 'confirm e-mail');
    await riley.getByRole('button', { name: 'Confirm my new address' }).click();
    await riley.getByRole('heading', { level: 1, name: 'Your new sign-in address is confirmed' }).waitFor();
    expect(await riley.locator('main').innerText()).toContain('riley.new@example.gov');
    await riley.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
    await riley.getByLabel('E-mail address').fill('riley.new@example.gov');
    await riley.locator('#password').fill(TEST_PASSWORD);
    await riley.getByRole('button', { name: /sign in/i }).click();
    await riley.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();

    // The link works once.
    await riley.goto(link!);
    await riley.getByRole('button', { name: 'Confirm my new address' }).click();
    await riley.getByRole('heading', { level: 1, name: 'This link does not work' }).waitFor();
  });
});
