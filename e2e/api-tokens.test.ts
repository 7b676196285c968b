/**
 * Issue 17, item 5, in Chromium with axe: the administrator creates an API token for a training
 * provider from the admin navigation, sees its secret once (with a copy button), finds it listed
 * without the secret, and revokes it; the secret then gets 401 from the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProvider } from '../src/server/testing/api-tokens.js';
import { buildPerson } from '../src/server/testing/harness.js';
import { expectAccessible, navTo, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  await buildPerson(e.t.db, {
    roles: ['administrator'],
    firstName: 'Ada',
    lastName: 'Abbott',
    email: 'ada.abbott@example.gov',
  });
  await buildProvider(e.t.db, 'Riverside Training Institute');
});
afterAll(() => e?.close());

describe('API tokens in the browser', () => {
  it('the administrator creates a token, sees it once, and revokes it', async () => {
    const { page, context } = await e.newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e.baseUrl });
    await signIn(page, 'ada.abbott@example.gov');
    await navTo(page, 'API tokens');
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await page.getByText('There are no API tokens yet.').waitFor();
    await expectAccessible(e, page, 'API tokens, none yet');

    // Without a scope the form says what is missing, and nothing is created.
    await page.getByLabel(/^Name/).fill('Riverside LMS roster sync');
    await page.getByRole('button', { name: 'Create the token' }).click();
    await page.getByText('Choose at least one scope.').first().waitFor();
    await expectAccessible(e, page, 'API token form with an error');

    // USWDS draws its own boxes: the labels are what a person clicks.
    await page.locator('label.usa-checkbox__label', { hasText: 'credits:write' }).click();
    await page.locator('label.usa-checkbox__label', { hasText: 'reports:read' }).click();
    await page.getByLabel('Training provider').selectOption({ label: 'Riverside Training Institute' });
    await page.getByLabel('Expires in').selectOption('30');
    await page.getByRole('button', { name: 'Create the token' }).click();
    await page.getByRole('heading', { name: 'Copy the token “Riverside LMS roster sync” now' }).waitFor();
    const secret = await page.locator('#new-token-secret').inputValue();
    expect(secret).toMatch(/^cct_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: 'Copy the token' }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expectAccessible(e, page, 'API token created, secret shown once');

    // The list shows the token's last use, and never the secret again.
    const refused = await fetch(`${e.baseUrl}/api/providers`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(refused.status).toBe(403); // a person's route, even for a token with every scope
    await page.getByRole('button', { name: 'I have copied it; hide it' }).click();
    await page.reload();
    const table = page.getByRole('table', { name: 'API tokens' });
    await table.waitFor();
    const row = table.getByRole('row').filter({ hasText: 'Riverside LMS roster sync' });
    expect(await row.innerText()).toMatch(/credits:write, reports:read/);
    expect(await row.innerText()).toContain('Only Riverside Training Institute');
    // The refused call above is its last use, with the address it came from.
    expect(await row.innerText()).toContain('from 127.0.0.1');
    expect(await row.innerText()).toContain('Ada Abbott');
    expect(await row.innerText()).toContain(secret.slice(0, 8));
    expect(await page.content()).not.toContain(secret.slice(8));

    await row.getByRole('button', { name: 'Revoke Riverside LMS roster sync' }).click();
    await row.getByRole('button', { name: 'Yes, revoke “Riverside LMS roster sync”' }).click();
    await page.getByText('The token “Riverside LMS roster sync” is revoked.').waitFor();
    await expect.poll(() => row.innerText()).toMatch(/Revoked .* by Ada Abbott/);
    await expectAccessible(e, page, 'API token revoked');
    const after = await fetch(`${e.baseUrl}/api/reports/coverage`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(after.status).toBe(401);
  });
});
