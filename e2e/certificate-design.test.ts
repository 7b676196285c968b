/**
 * Issue 18 item 6 in Chromium: an administrator opens a program's certificate design from the
 * program page, changes the wording and colours, uploads a seal (PNG), previews the unsaved form
 * (a PDF answer naming the new heading) and saves it as version 1. An SVG logo is refused next to
 * its field. A coordinator sees the design read-only. axe on the page.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { programId } from '../src/server/testing/scheduling.js';
import { expectAccessible, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

const seal = () => {
  const p = new PNG({ width: 64, height: 64 });
  for (let i = 0; i < p.data.length; i += 4) p.data.set([30, 58, 104, 255], i);
  return PNG.sync.write(p);
};

describe('certificate designs in Chromium', () => {
  it('lets an administrator edit, preview and save a program’s certificate design', async () => {
    await buildPerson(e.t.db, { email: 'dora.design@example.gov', roles: ['administrator'] });
    const ks = await programId(e.t.db);
    const { page } = await e.newPage();
    await signIn(page, 'dora.design@example.gov');
    await page.goto(`/programs/${ks}`);
    await page.getByRole('link', { name: 'Certificate design' }).click();
    await page.getByRole('heading', { level: 1, name: 'Certificate design' }).waitFor();
    await page.getByText('The program has the default design', { exact: false }).waitFor();
    expect(await page.getByLabel('Heading').inputValue()).toBe('Certified County Election Official');
    await expectAccessible(e, page, 'certificate design page');

    // An SVG logo is refused by content, next to its field; nothing is saved.
    await page.getByLabel('Logo').setInputFiles({
      name: 'logo.svg',
      mimeType: 'image/png',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
    });
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('#design-logo-error', { hasText: 'SVG' }).waitFor();
    await page.getByRole('button', { name: 'Remove the logo' }).click();

    await page.getByLabel('Heading').fill('Kansas Certified Election Official');
    await page.getByLabel('Main colour').fill('#1f3a68');
    await page.getByLabel('Border').selectOption('ornate');
    await page.getByLabel('Seal').setInputFiles({ name: 'seal.png', mimeType: 'image/png', buffer: seal() });
    await page.locator('#signer-0-name').fill('Jordan Ellis');
    await page.locator('#signer-0-title').fill('Director of Elections');
    const previewed = page.waitForResponse((r) => r.url().endsWith('/certificate-design/preview'));
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = await previewed;
    expect(preview.status()).toBe(200);
    expect(preview.headers()['content-type']).toBe('application/pdf');
    // (The page reads the body as a Blob, so the browser keeps none for the test; the PDF's
    // content is checked in designs.test.ts.)
    await page.getByRole('link', { name: 'Download the preview (PDF)' }).waitFor();
    await expectAccessible(e, page, 'certificate design page with a preview');
    // Previewing saved nothing.
    expect(await e.t.db.selectFrom('certificate_design').select('id').execute()).toEqual([]);

    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByText('Design saved as version 1', { exact: false }).waitFor();
    await page.getByText(/^Version 1, saved .* by /).waitFor();
    const saved = await e.t.db
      .selectFrom('certificate_design')
      .select(['version', 'heading', 'border', 'seal_image_id', 'signer1_name'])
      .execute();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      version: 1,
      heading: 'Kansas Certified Election Official',
      border: 'ornate',
      signer1_name: 'Jordan Ellis',
    });
    expect(saved[0]!.seal_image_id).toBeTruthy();
    await page.getByRole('img', { name: 'Seal as it is now' }).waitFor();
  });

  it('shows a coordinator the design read-only', async () => {
    await buildPerson(e.t.db, { email: 'cory.coordinator@example.gov', roles: ['coordinator'] });
    const ks = await programId(e.t.db);
    const { page } = await e.newPage();
    await signIn(page, 'cory.coordinator@example.gov');
    await page.goto(`/programs/${ks}/certificate-design`);
    await page.getByRole('heading', { level: 1, name: 'Certificate design' }).waitFor();
    await page.getByLabel('Heading').waitFor();
    expect(await page.getByLabel('Heading').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save as a new version' }).count()).toBe(0);
    await expectAccessible(e, page, 'certificate design page, read-only');
  });
});
