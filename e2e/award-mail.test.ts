/**
 * Issue 16 item 3 in Chromium: the award e-mail caught by the test SMTP server carries the
 * certificate number and a link to the certificate; the official follows that link from the e-mail,
 * signs in on the way, lands on their certificate and downloads the PDF; the verification link in
 * the same e-mail shows the certificate as active. Every page visited is scanned with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import {
  buildKansasCourses,
  buildEnrollment,
  factsChanged,
  programId,
  quickClient,
} from '../src/server/testing/scheduling.js';
import { TEST_PASSWORD } from '../src/server/testing/harness.js';
import { expectAccessible, mainText, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe('the award e-mail in Chromium', () => {
  it('leads the official from the e-mail to their certificate, and to its public verification', async () => {
    e.t.clock.now = new Date('2027-03-12T15:00:00Z');
    const admin = await quickClient(e.t, ['administrator']);
    const official = await buildPerson(e.t.db, {
      email: 'lena.lindqvist@example.gov',
      firstName: 'Lena',
      lastName: 'Lindqvist',
      jurisdictionFips: '20177',
    });
    await buildEnrollment(e.t.db, official.personId, undefined, '2025-01-10');
    await buildKansasCourses(e.t.db, official.personId, ['2025-04-10', '2026-04-09', '2027-03-11']);
    await factsChanged(e.t, official.personId);
    const r = await admin.request('POST', '/api/awards', {
      personId: official.personId,
      programId: await programId(e.t.db),
    });
    expect(r.status, r.body).toBe(201);
    const number = r.json.certificateNumber as string;

    // The e-mail as it arrived: its text part names the number and carries the links.
    const mail = await e.t.smtp!.waitFor(
      (m) => m.to.includes('lena.lindqvist@example.gov') && /^Congratulations/.test(m.subject),
    );
    const text = mail.parts.find((p) => p.contentType.startsWith('text/plain'))!.body;
    const html = mail.parts.find((p) => p.contentType.startsWith('text/html'))!.body;
    expect(text).toContain(`Your certificate number is ${number}.`);
    const certificateLink = /Open your certificate and download it \(PDF\): (\S+)/.exec(text)?.[1];
    const verifyLink = /Public verification of certificate \S+: (\S+)/.exec(text)?.[1];
    expect(certificateLink).toMatch(new RegExp(`^${e.baseUrl}/awards/[0-9a-f-]{36}$`));
    expect(verifyLink).toBe(`${e.baseUrl}/verify/${number}`);
    expect(html).toContain(`<a href="${certificateLink}">Open your certificate and download it (PDF)</a>`);

    // Following the link: not signed in yet, so the sign-in page first, then the certificate.
    const { page } = await e.newPage();
    await page.goto(certificateLink!);
    await page.getByLabel('E-mail address').waitFor();
    await expectAccessible(e, page, 'sign-in on the way to the certificate');
    await page.getByLabel('E-mail address').fill('lena.lindqvist@example.gov');
    await page.locator('#password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('link', { name: 'Download the certificate (PDF)' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(new URL(certificateLink!).pathname);
    const shown = await mainText(page);
    expect(shown).toContain(number);
    expect(shown).toContain('Lena Lindqvist');
    await expectAccessible(e, page, 'the certificate, from the e-mail');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the certificate (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`certificate-${number}.pdf`);

    // The verification link from the same e-mail, as anyone would open it.
    const { page: anyone } = await e.newPage();
    await anyone.goto(verifyLink!);
    const status = anyone.getByTestId('verify-status');
    await status.waitFor();
    expect(await status.innerText()).toMatch(/Active/);
    await expectAccessible(e, anyone, 'verification, from the e-mail');
  });
});
