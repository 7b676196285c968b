/**
 * Single sign-on in Chromium (issue 17, item 1): a real OpenID provider (panva's oidc-provider)
 * started here on a local port, with PKCE required and private_key_jwt client authentication.
 * A coordinator with an authenticator app signs in through it for the first time: the account is
 * linked by the verified e-mail, and since the provider asserts MFA (amr) no local code is asked.
 * Signing out ends the session at the provider too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/server/db/embedded.js';
import { sealTotpSecret } from '../src/server/modules/auth/second-factor.service.js';
import { newTotpSecret } from '../src/server/modules/auth/totp.js';
import { buildPerson } from '../src/server/testing/harness.js';
import { startTestOidcProvider, type TestOidcProvider } from '../src/server/testing/oidc-provider.js';
import { expectAccessible, saveShot, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
let noPasswords: E2E;
let idp: TestOidcProvider;
beforeAll(async () => {
  const port = await freePort();
  idp = await startTestOidcProvider({ appUrl: `http://127.0.0.1:${port}`, providerId: 'agency' });
  e = await startE2E({
    port,
    env: { OIDC_PROVIDERS: JSON.stringify([idp.providerConfig({ name: 'Agency ID' })]) },
  });
  noPasswords = await startE2E({
    env: {
      OIDC_PROVIDERS: JSON.stringify([idp.providerConfig({ name: 'Agency ID' })]),
      LOCAL_PASSWORDS: 'false',
    },
  });
});
afterAll(async () => {
  await e?.close();
  await noPasswords?.close();
  await idp?.close();
});

describe('single sign-on', () => {
  it('a coordinator signs in through the agency provider: linked by verified e-mail, no local code after MFA there', async () => {
    const email = 'casey.coordinator@agency.example.gov';
    const coordinator = await buildPerson(e.t.db, {
      email,
      firstName: 'Casey',
      lastName: 'Morrow',
      roles: ['coordinator'],
    });
    // Two-step sign-in is on for this account: a password sign-in would ask for a code.
    await e.t.db
      .updateTable('user_account')
      .set({ totp_secret: sealTotpSecret(e.t.config.secretsKey!, coordinator.userId, newTotpSecret()) })
      .where('id', '=', coordinator.userId)
      .execute();
    idp.accounts.set('agency-0042', {
      sub: 'agency-0042',
      email,
      emailVerified: true,
      givenName: 'Casey',
      familyName: 'Morrow',
      amr: ['pwd', 'mfa'],
    });

    const { page } = await e.newPage();
    await page.goto('/sign-in');
    const button = page.getByRole('link', { name: 'Sign in with Agency ID' });
    await button.waitFor();
    expect(await page.getByLabel('E-mail address').isVisible()).toBe(true);
    await expectAccessible(e, page, 'sign-in page with a provider');
    await saveShot(page, 'screenshot-sign-in-sso');

    await button.click();
    // At the provider (another origin): PKCE and a nonce were asked for.
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();

    // Back in CivicCert, signed in as the existing account, and no code was asked for.
    await page.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();
    expect(new URL(page.url()).origin).toBe(e.baseUrl);
    expect(await page.getByLabel('Code from your authenticator app').count()).toBe(0);
    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(session.user).toMatchObject({ email, roles: ['coordinator'] });
    const links = await e.t.db
      .selectFrom('external_identity')
      .select(['provider', 'subject', 'linked_by'])
      .where('user_id', '=', coordinator.userId)
      .execute();
    expect(links).toEqual([{ provider: 'agency', subject: 'agency-0042', linked_by: 'email' }]);

    // Signing out ends the session here and at the provider, which sends the browser back.
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByRole('button', { name: /yes, sign me out/i }).click();
    await page.waitForURL((url) => url.origin === e.baseUrl && url.pathname === '/sign-in');
    const after = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(after.user).toBeNull();
  });

  it('an administrator sees the link on the person page and unlinks it', async () => {
    const admin = await buildPerson(e.t.db, {
      roles: ['administrator'],
      email: 'ada.admin@agency.example.gov',
    });
    const person = await e.t.db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'casey.coordinator@agency.example.gov')
      .executeTakeFirstOrThrow();
    const { page } = await e.newPage();
    await signIn(page, admin.email);
    await page.goto(`/people/${person.id}`);
    const section = page.getByRole('region', { name: 'Single sign-on' });
    await section.getByRole('rowheader', { name: 'Agency ID' }).waitFor();
    expect(await section.getByRole('cell', { name: 'agency-0042' }).count()).toBe(1);
    await expectAccessible(e, page, 'person page with a linked sign-in');
    await saveShot(page, 'screenshot-person-sso');
    page.once('dialog', (d) => void d.accept());
    await section.getByRole('button', { name: 'Unlink Agency ID' }).click();
    await section.getByText('No provider sign-in is linked').waitFor();
    expect(await e.t.db.selectFrom('external_identity').select('id').execute()).toEqual([]);
  });

  it('with passwords turned off the sign-in page offers only the provider; the code step after a provider is accessible', async () => {
    const { page } = await noPasswords.newPage();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Sign in with Agency ID' }).waitFor();
    expect(await page.getByLabel('E-mail address').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Forgot your password?' }).count()).toBe(0);
    await expectAccessible(noPasswords, page, 'sign-in page, passwords off');
    await saveShot(page, 'screenshot-sign-in-sso-only');

    await page.goto('/sign-in?step=code');
    await page.getByRole('heading', { level: 1, name: 'Enter your sign-in code' }).waitFor();
    await expectAccessible(noPasswords, page, 'code after a provider sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('#code-error').innerText()).toMatch(/Enter the 6-digit code/);
  });
});
