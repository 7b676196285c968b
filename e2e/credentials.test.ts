/**
 * Issue 18 in Chromium: an official opens their award and downloads its verifiable credential
 * (JSON); the file is the signed OpenBadgeCredential naming the program's issuer. The award's
 * LinkedIn link carries the certification's fields, and the public verification page says an
 * uploaded credential is genuine and names the failing check for a tampered one. The transcript
 * page downloads the CLR 2.0 credential. Both pages show a wallet's QR code (ADR 0034): the image
 * holds the address the server gave, which answers the credential once. axe on each page.
 */
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, signInAs } from '../src/server/testing/harness.js';
import {
  buildCredit,
  buildEnrollment,
  buildKansasCourses,
  factsChanged,
  programId,
} from '../src/server/testing/scheduling.js';
import { downloadLink, expectAccessible, saveShot, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

/**
 * Clicks a wallet code button and answers the address the server gave, once the page has drawn
 * it: the QR image is read back module by module and must be the QR code of that address.
 */
async function showWalletCode(page: Page, button: string): Promise<{ offerUrl: string; expiresAt: string }> {
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/credential-offers') && r.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  expect(answer.status()).toBe(201);
  const offer = (await answer.json()) as { offerUrl: string; expiresAt: string };
  const qr = QRCode.create(offer.offerUrl, {});
  const size = qr.modules.size;
  const image = page.getByRole('img', { name: /QR code for a wallet app/ });
  await expect.poll(() => image.getAttribute('src')).toMatch(/^data:image\/png/);
  // The page draws with a one-module margin: sample the middle of each module.
  const drawn = await image.evaluate(async (img: HTMLImageElement, n: number) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const scale = img.naturalWidth / (n + 2);
    const bits: number[] = [];
    for (let row = 0; row < n; row++)
      for (let col = 0; col < n; col++) {
        const [r] = g.getImageData(
          Math.floor((col + 1.5) * scale),
          Math.floor((row + 1.5) * scale),
          1,
          1,
        ).data;
        bits.push(r! < 128 ? 1 : 0);
      }
    return bits;
  }, size);
  expect(drawn).toEqual(Array.from(qr.modules.data));
  return offer;
}

describe('verifiable credentials in Chromium', () => {
  it('lets an official download the signed credential from their award page', async () => {
    e.t.clock.now = new Date('2027-03-12T15:00:00Z');
    const admin = await buildPerson(e.t.db, { roles: ['administrator'] });
    const official = await buildPerson(e.t.db, {
      email: 'vera.credential@example.gov',
      firstName: 'Vera',
      lastName: 'Okafor',
      jurisdictionFips: '20177',
    });
    const ks = await programId(e.t.db);
    await buildEnrollment(e.t.db, official.personId, undefined, '2025-01-10');
    for (const [category, prefix, date] of [
      ['year-one', 'KS-Y1', '2025-04-10'],
      ['year-two', 'KS-Y2', '2026-04-09'],
      ['year-three', 'KS-Y3', '2027-03-11'],
    ] as const)
      for (const i of [1, 2, 3])
        await buildCredit(e.t.db, official.personId, {
          category,
          courseCode: `${prefix}-0${i}`,
          earnedOn: date,
        });
    await factsChanged(e.t, official.personId);
    const staff = await signInAs(e.t, admin);
    const award = await staff.request('POST', '/api/awards', { personId: official.personId, programId: ks });
    expect(award.status, award.body).toBe(201);

    const { page } = await e.newPage();
    await signIn(page, 'vera.credential@example.gov');
    await page.goto(`/awards/${award.json.id}`);
    await page.getByRole('heading', { level: 2, name: 'Digital credential' }).waitFor();
    await expectAccessible(e, page, 'award page with its credential');
    const { filename, text } = await downloadLink(page, 'Download the credential (JSON)');
    expect(filename).toBe(`credential-${award.json.certificateNumber}.json`);
    const credential = JSON.parse(text);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.issuer.name).toBe('Kansas Secretary of State, Elections Division');
    expect(credential.credentialSubject.name).toBe('Vera Okafor');
    expect(credential.proof.cryptosuite).toBe('eddsa-rdfc-2022');
    // The key that signed it is in the issuer's DID document, which anyone can fetch.
    const did = await page.request.get('/issuers/ks-county-election-official/did.json');
    expect(did.status()).toBe(200);
    expect((await did.json()).assertionMethod).toContain(credential.proof.verificationMethod);

    // ---- "Add to LinkedIn profile" fills LinkedIn's certification form (read, not followed).
    const href = await page.getByRole('link', { name: 'Add to LinkedIn profile' }).getAttribute('href');
    const linkedIn = new URL(href!);
    expect(`${linkedIn.origin}${linkedIn.pathname}`).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(linkedIn.searchParams)).toMatchObject({
      startTask: 'CERTIFICATION_NAME',
      name: 'Certified County Election Official',
      organizationName: 'Kansas Secretary of State, Elections Division',
      issueYear: '2027',
      issueMonth: '3',
      certId: award.json.certificateNumber,
      certUrl: award.json.verifyUrl,
    });
    await page.getByRole('img', { name: /QR code of the verification address/i }).waitFor();

    // ---- A wallet's QR code of the credential: fetched once by whoever scans it, not signed in.
    const offer = await showWalletCode(page, 'Show QR code for a wallet');
    await expectAccessible(e, page, 'award page with a wallet code');
    const scanned = await e.browser.newContext();
    const fromWallet = await scanned.request.get(offer.offerUrl);
    expect(fromWallet.status()).toBe(200);
    const walletCopy = await fromWallet.json();
    expect(walletCopy.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(walletCopy.credentialSubject.name).toBe('Vera Okafor');
    expect((await scanned.request.get(offer.offerUrl)).status()).toBe(410);
    await scanned.close();

    // ---- Anyone checks the file on the public verification page: genuine, then tampered.
    const { page: visitor } = await e.newPage();
    await visitor.goto('/verify');
    await visitor.getByRole('heading', { level: 2, name: 'Check a digital credential' }).waitFor();
    await visitor.getByLabel('Credential file').setInputFiles({
      name: filename,
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await visitor.getByRole('heading', { level: 3, name: 'Genuine and in force' }).waitFor();
    const checked = visitor.getByTestId('credential-check');
    expect(await checked.innerText()).toContain('Vera Okafor');
    await expectAccessible(e, visitor, 'public page, a genuine credential checked');

    const tampered = {
      ...credential,
      credentialSubject: { ...credential.credentialSubject, name: 'Eve Mallory' },
    };
    await visitor.getByLabel('Or paste the credential').fill(JSON.stringify(tampered));
    await visitor.getByRole('button', { name: 'Check the credential' }).click();
    await visitor.getByRole('heading', { level: 3, name: 'Does not verify' }).waitFor();
    expect(await checked.innerText()).toContain('Failed check: Signature.');
    await expectAccessible(e, visitor, 'public page, a tampered credential checked');
  });

  it('lets an official download their transcript as a CLR 2.0 credential and show it as a wallet code', async () => {
    e.t.clock.now = new Date('2027-03-12T15:00:00Z');
    const official = await buildPerson(e.t.db, {
      email: 'theo.transcript@example.gov',
      firstName: 'Theo',
      lastName: 'Marsh',
      jurisdictionFips: '20045',
    });
    await buildEnrollment(e.t.db, official.personId, undefined, '2026-01-15');
    await buildKansasCourses(e.t.db, official.personId);
    await factsChanged(e.t, official.personId);

    const { page, context } = await e.newPage({ timezoneId: 'America/Chicago' });
    await signIn(page, 'theo.transcript@example.gov');
    await page.goto('/transcript');
    await page
      .getByRole('heading', { level: 2, name: 'Kansas County Election Official Certification' })
      .waitFor();
    await expectAccessible(e, page, 'transcript page');
    const { filename, text } = await downloadLink(
      page,
      'Download this record as a CLR 2.0 credential (JSON)',
    );
    expect(filename).toBe('transcript-ks-county-election-official.clr.json');
    const clr = JSON.parse(text);
    expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(clr.credentialSubject.identifier[0].identityHash).toBe('Theo Marsh');
    expect(clr.credentialSubject.achievement).toHaveLength(9);
    expect(clr.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' });
    expect(clr.proof.proofValue).toMatch(/^z/);

    // ---- The wallet code: drawn, with when it stops working in the viewer's zone.
    const first = await showWalletCode(page, 'Show QR code for a wallet');
    expect(first.expiresAt).toBe('2027-03-12T15:10:00.000Z');
    expect(await page.getByTestId('wallet-code').innerText()).toContain('Mar 12, 2027, 9:10 AM CST');
    await expectAccessible(e, page, 'transcript page with a wallet code');
    await saveShot(page, 'transcript-wallet-code');
    // A new code ends the one on the screen; the new one gives the CLR once.
    const second = await showWalletCode(page, 'New code');
    expect(second.offerUrl).not.toBe(first.offerUrl);
    const wallet = await e.browser.newContext();
    expect((await wallet.request.get(first.offerUrl)).status()).toBe(410);
    const fetched = await wallet.request.get(second.offerUrl);
    expect(fetched.status()).toBe(200);
    expect((await fetched.json()).type).toEqual(['VerifiableCredential', 'ClrCredential']);
    await wallet.close();
    await context.close();
  });

  it('lets an administrator name the program’s issuer and add a signing key', async () => {
    await buildPerson(e.t.db, { email: 'ines.issuer@example.gov', roles: ['administrator'] });
    const ks = await programId(e.t.db);
    const { page } = await e.newPage();
    await signIn(page, 'ines.issuer@example.gov');
    await page.goto(`/programs/${ks}`);
    await page.getByRole('heading', { level: 2, name: 'Credential issuer' }).waitFor();
    expect(await page.locator('code', { hasText: 'did:web:' }).innerText()).toMatch(
      /^did:web:127\.0\.0\.1%3A\d+:issuers:ks-county-election-official$/,
    );
    // A bad address is refused next to its field.
    await page.getByLabel('Issuer web address').fill('not an address');
    await page.getByRole('button', { name: 'Save issuer' }).click();
    await page.getByText('must be an http or https address', { exact: false }).first().waitFor();
    await page.getByLabel('Issuer name').fill('Kansas Secretary of State');
    await page.getByLabel('Issuer web address').fill('https://sos.ks.gov');
    await page.getByRole('button', { name: 'Save issuer' }).click();
    await page.getByText('Issuer saved.', { exact: false }).waitFor();
    await expectAccessible(e, page, 'program page with the credential issuer');
    await page.getByRole('button', { name: 'Add a new signing key' }).click();
    await page.getByText('now signs', { exact: false }).waitFor();
    const did = await (await page.request.get('/issuers/ks-county-election-official/did.json')).json();
    expect(did.assertionMethod.length).toBeGreaterThanOrEqual(2);
    const verified = await (await page.request.get(`/api/programs/${ks}/issuer`)).json();
    expect(verified).toMatchObject({ name: 'Kansas Secretary of State', url: 'https://sos.ks.gov' });
  });
});
