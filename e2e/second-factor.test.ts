/**
 * Two-step sign-in in Chromium: an official sets up an authenticator app from
 * the QR code's typed key, keeps the recovery codes, and then needs a code to
 * sign in; with STAFF_TOTP=required a coordinator can do nothing until set up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { totpAt } from '../src/server/modules/auth/totp.js';
import { buildPerson, TEST_PASSWORD } from '../src/server/testing/harness.js';
import { expectAccessible, startE2E, type E2E } from './harness.js';

let e: E2E;
let strict: E2E;
beforeAll(async () => {
  e = await startE2E();
  strict = await startE2E({ env: { STAFF_TOTP: 'required' } });
});
afterAll(async () => {
  await e?.close();
  await strict?.close();
});

async function signInWithPassword(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.locator('#password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
}

/** On the security page: start set-up, read the typed key, confirm with a code; returns the secret. */
async function setUpAuthenticator(env: E2E, page: Page, label: string): Promise<string> {
  await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  await page.getByRole('img', { name: /QR code for adding CivicCert/ }).waitFor();
  await expectAccessible(env, page, `${label}: scan the QR code`);
  const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Code from the app').fill(totpAt(secret, env.t.clock.now));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByRole('heading', { name: 'Two-step sign-in is on' }).waitFor();
  return secret;
}

describe('two-step sign-in', () => {
  it('an official turns it on, then signs in with a code from the app', async () => {
    const official = await buildPerson(e.t.db, { email: 'tara.totp@example.gov', firstName: 'Tara' });
    const { page } = await e.newPage();
    await signInWithPassword(page, official.email);
    await page.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();

    await page.goto('/profile');
    await page.getByRole('link', { name: 'Two-step sign-in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Two-step sign-in' }).waitFor();
    await expect.poll(() => page.locator('#second-factor-status').innerText()).toMatch(/^Off/);
    await expectAccessible(e, page, 'security page, off');

    const secret = await setUpAuthenticator(e, page, 'official');
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    expect(await codes.count()).toBe(10);
    await expect
      .poll(() => page.locator('#second-factor-status').innerText())
      .toMatch(/10 of 10 recovery codes/);
    await expectAccessible(e, page, 'security page, recovery codes');

    // A new browser: the password alone leads to the code step.
    const { page: again } = await e.newPage();
    await signInWithPassword(again, official.email);
    const code = again.getByLabel('Code from your authenticator app');
    await code.waitFor();
    await expect.poll(() => again.evaluate(() => document.activeElement?.id)).toBe('code');
    await expectAccessible(e, again, 'sign-in, code step');
    await code.fill('000000');
    await again.getByRole('button', { name: /sign in/i }).click();
    await again.getByText('The code is not right or was already used.').first().waitFor();
    expect(again.url()).toContain('/sign-in');

    e.t.clock.now = new Date(e.t.clock.now.getTime() + 30_000); // the next code
    await code.fill(totpAt(secret, e.t.clock.now));
    await again.getByRole('button', { name: /sign in/i }).click();
    await again.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();
  });

  it('with STAFF_TOTP=required, a coordinator must set it up before anything else', async () => {
    const coordinator = await buildPerson(strict.t.db, {
      email: 'cora.coordinator@example.gov',
      roles: ['coordinator'],
    });
    const { page } = await strict.newPage();
    await signInWithPassword(page, coordinator.email);
    await expect.poll(() => page.url()).toContain('/profile/security');
    await page.getByRole('heading', { name: 'Set up two-step sign-in to continue' }).waitFor();
    await expectAccessible(strict, page, 'security page, required');

    // Other pages lead back here until it is on.
    await page.goto('/people');
    await expect.poll(() => page.url()).toContain('/profile/security');

    await setUpAuthenticator(strict, page, 'coordinator');
    await page.goto('/people');
    await page.getByRole('heading', { level: 1, name: /people/i }).waitFor();
    expect(page.url()).toContain('/people');
  });
});
