/**
 * Issue 5's journey in Chromium: an official claims outside credit with a PDF
 * certificate through the form, a reviewer opens the document and approves,
 * the official sees the credit on the progress page and downloads the
 * official transcript PDF, whose text (pdftotext) and rendering (pdftoppm)
 * are checked; the public verification page confirms it. axe on every page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { tinyPdf } from '../src/server/testing/claims.js';
import { buildEnrollment, programId } from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, navTo, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
const dir = mkdtempSync(path.join(os.tmpdir(), 'civiccert-claims-'));
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
  rmSync(dir, { recursive: true, force: true });
});

const nav = (page: Page, name: string) => navTo(page, name);

/** A date some days ago, as YYYY-MM-DD. */
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('outside credit journey in Chromium', () => {
  it('an official asks to enroll in the CPO: the $25 fee is explained first, then progress says it is pending', async () => {
    await buildPerson(e.t.db, {
      email: 'nina.newcomb@example.gov',
      firstName: 'Nina',
      lastName: 'Newcomb',
      roles: ['official'],
    });
    const { page: off } = await e.newPage();
    await signIn(off, 'nina.newcomb@example.gov');
    await nav(off, 'My progress');
    await off.getByRole('heading', { level: 1, name: 'My progress' }).waitFor();
    await expect.poll(() => mainText(off)).toContain('You are not enrolled in a program yet.');
    expect(await mainText(off)).not.toMatch(/ask your coordinator/i);
    await off.getByRole('main').getByRole('link', { name: 'Programs' }).click();
    await off.getByRole('heading', { level: 1, name: 'Programs' }).waitFor();
    await expectAccessible(e, off, 'programs before asking to enroll');

    // Asking first explains the fee: how much, what it is for, how to pay. Nothing is sent yet.
    await off.getByRole('button', { name: /^Ask to enroll in .*CPO/ }).click();
    const ask = off.getByRole('region', { name: /^Ask to enroll in .*CPO/ });
    await ask.waitFor();
    const explained = await ask.innerText();
    expect(explained).toContain('one-time enrollment fee of $25.00');
    expect(explained).toMatch(/registers you in the CPO program/);
    expect(explained).toMatch(/How to pay:.*page six of the Certification Workbook.*iGO office/s);
    await expectAccessible(e, off, 'ask to enroll: the fee explained');
    expect(await mainText(off)).not.toContain('Your request to enroll');
    await ask.getByRole('button', { name: 'Send my request' }).click();
    await off.getByRole('status').filter({ hasText: 'Your request to enroll' }).waitFor();
    expect(await off.getByRole('status').filter({ hasText: 'Your request to enroll' }).innerText()).toMatch(
      /\$25\.00 enrollment fee are pending.*How to pay:/s,
    );
    await expect.poll(() => mainText(off)).toContain('Requested');
    await expectAccessible(e, off, 'programs after asking to enroll');

    // The progress page says the request and the fee are pending, with how to pay.
    await nav(off, 'My progress');
    const pending = off.getByRole('heading', { name: /^Enrollment in .*CPO.* pending$/ });
    await pending.waitFor();
    const text = await mainText(off);
    expect(text).toContain(
      'Your request to enroll is pending, and your $25.00 enrollment fee is pending (not paid yet).',
    );
    expect(text).toMatch(/How to pay:.*iGO office/s);
    expect(text).not.toMatch(/ask your coordinator/i);
    expect(text).not.toContain('You are not enrolled in a program yet.');
    await expectAccessible(e, off, 'progress with a pending enrollment and fee');
    await off.close();
  });

  it('official claims with a PDF, reviewer opens it and approves, progress counts it, transcript PDF checks out', async () => {
    const official = await buildPerson(e.t.db, {
      email: 'paula.pruitt@example.gov',
      firstName: 'Paula',
      lastName: 'Pruitt',
      roles: ['official'],
    });
    const reviewer = await buildPerson(e.t.db, {
      email: 'rene.reyes@example.gov',
      firstName: 'Rene',
      lastName: 'Reyes',
      roles: ['reviewer'],
    });
    await buildEnrollment(e.t.db, official.personId, 'igo-cpo');
    await e.t.db
      .insertInto('program_reviewer')
      .values({ program_id: await programId(e.t.db, 'igo-cpo'), person_id: reviewer.personId })
      .execute();

    // ---- The official claims outside credit through the form.
    const { page: off } = await e.newPage();
    await signIn(off, 'paula.pruitt@example.gov');
    await nav(off, 'Outside credit');
    await off.getByRole('heading', { level: 1, name: 'My outside credit' }).waitFor();
    await expectAccessible(e, off, 'my claims (empty)');
    await off.getByRole('link', { name: 'Claim outside credit' }).click();
    await off.getByRole('heading', { level: 1, name: 'Claim outside credit' }).waitFor();
    await off
      .getByLabel('Program')
      .selectOption({ label: 'Certified Public Official (CPO)' })
      .catch(async () => {
        await off.getByLabel('Program').selectOption({ index: 1 });
      });
    await off.getByLabel('Type of activity').selectOption('webinar');
    await off.getByLabel('Activity title').fill('Records retention in the digital age');
    await off.getByLabel('Provider').fill('State Archives');
    await off.getByLabel('Start date').fill(daysAgo(20));
    await off.getByLabel('Hours').fill('3');
    await expect.poll(() => off.getByLabel('Category').locator('option').count()).toBeGreaterThan(1);
    await off.getByLabel('Category').selectOption('records-management');
    await expectAccessible(e, off, 'new claim form');
    // A wrong value is shown next to its field.
    await off.getByLabel('Hours').fill('0');
    await off.getByRole('button', { name: 'Save draft' }).click();
    await off.locator('#claim-hours-error').waitFor();
    await expectAccessible(e, off, 'new claim form with an error');
    await off.getByLabel('Hours').fill('3');
    await off.getByRole('button', { name: 'Save draft' }).click();
    await off.getByRole('heading', { level: 1, name: 'Records retention in the digital age' }).waitFor();

    const upload = async (kind: string, name: string, buffer: Buffer) => {
      await off.getByLabel('What is the document?').selectOption(kind);
      await off.locator('#document-file').setInputFiles({ name, mimeType: 'application/pdf', buffer });
      await off.getByRole('button', { name: 'Upload document' }).click();
      await off.getByRole('link', { name: `Open ${name}` }).waitFor();
    };
    await upload('description', 'agenda.pdf', tinyPdf('Webinar agenda'));
    await upload('certificate', 'certificate.pdf', tinyPdf('Certificate of attendance: Paula Pruitt'));
    await expectAccessible(e, off, 'draft claim with documents');
    await off.getByRole('button', { name: 'Submit for review' }).click();
    await expect.poll(() => mainText(off)).toMatch(/waiting for review/i);
    await expectAccessible(e, off, 'submitted claim');

    // ---- The reviewer opens the certificate and approves.
    const { page: rev } = await e.newPage();
    await signIn(rev, 'rene.reyes@example.gov');
    await nav(rev, 'Claims to review');
    await rev.getByRole('heading', { level: 1, name: 'Claims to review' }).waitFor();
    await expect.poll(() => mainText(rev)).toContain('Paula Pruitt');
    await expectAccessible(e, rev, 'review queue');
    await rev.getByRole('link', { name: 'Records retention in the digital age' }).click();
    await rev.getByRole('heading', { level: 1, name: /^Review:/ }).waitFor();
    await expectAccessible(e, rev, 'review a claim');
    const [download] = await Promise.all([
      rev.waitForEvent('download'),
      rev.getByRole('link', { name: 'Open certificate.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('certificate.pdf');
    const opened = readFileSync(await download.path());
    expect(opened.subarray(0, 5).toString()).toBe('%PDF-');
    expect(opened.toString('latin1')).toContain('Certificate of attendance: Paula Pruitt');
    await rev.locator('label[for="decision-approve"]').click();
    await rev.getByRole('button', { name: 'Save decision' }).click();
    await rev.getByRole('heading', { level: 1, name: 'Claims to review' }).waitFor();
    await expect.poll(() => mainText(rev)).toContain('No claims are waiting for review.');
    await expectAccessible(e, rev, 'review queue after a decision');

    // ---- The official sees the credit counted.
    await nav(off, 'My progress');
    await off.getByRole('heading', { level: 1 }).first().waitFor();
    await expect.poll(() => mainText(off)).toMatch(/3 credits approved/);
    await expectAccessible(e, off, 'progress with approved outside credit');
    await nav(off, 'Outside credit');
    await expect.poll(() => mainText(off)).toMatch(/approved/i);

    // ---- The official downloads the transcript PDF.
    await nav(off, 'My transcript');
    await off.getByRole('heading', { level: 1, name: 'My transcript' }).waitFor();
    await expect.poll(() => mainText(off)).toContain('Total approved: 3 credits');
    await expectAccessible(e, off, 'transcript');
    await off.getByRole('button', { name: 'Issue an official transcript' }).click();
    const link = off.getByRole('link', { name: 'Download the transcript PDF' });
    await link.waitFor();
    const code = /verification code ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(await mainText(off))?.[1];
    expect(code).toBeTruthy();
    await expectAccessible(e, off, 'transcript issued');
    const [pdfDownload] = await Promise.all([off.waitForEvent('download'), link.click()]);
    const pdfPath = path.join(dir, 'transcript.pdf');
    await pdfDownload.saveAs(pdfPath);

    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('Official transcript');
    expect(text).toContain('Paula Pruitt');
    expect(text).toContain(`Verification code: ${code}`);
    expect(text).toMatch(/Total approved: 3 credits/);
    expect(text).toMatch(/Records Management: 3 credits/);
    expect(text).toContain('Records retention in the digital age');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdfPath, path.join(dir, 'page')]);
    const png = readFileSync(path.join(dir, 'page-1.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(5_000);

    // ---- Anyone can verify it, without signing in.
    const { page: pub } = await e.newPage();
    await pub.goto(`/verify/transcript/${code}`);
    await pub.getByRole('heading', { level: 2, name: 'This transcript is authentic' }).waitFor();
    const shown = await mainText(pub);
    expect(shown).toContain('Paula Pruitt');
    expect(shown).not.toContain('paula.pruitt@example.gov');
    await expectAccessible(e, pub, 'public transcript verification');
  });
});
