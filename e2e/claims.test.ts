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
import { buildClaim, PNG_1x1, tinyPdf } from '../src/server/testing/claims.js';
import { buildEnrollment, programId } from '../src/server/testing/scheduling.js';
import {
  expectAccessible,
  fieldError,
  mainText,
  navTo,
  signIn,
  startE2E,
  uploadClaimDocument,
  type E2E,
} from './harness.js';

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

    const upload = (kind: string, name: string, buffer: Buffer) =>
      uploadClaimDocument(off, kind, { name, mimeType: 'application/pdf', buffer });
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
  it('issue 15: errors read as sentences, documents are named before submitting, the fee is explained, drafts are deleted, a reviewer reads the evidence inline and approves fewer credits', async () => {
    const official = await buildPerson(e.t.db, {
      email: 'ines.ortega@example.gov',
      firstName: 'Ines',
      lastName: 'Ortega',
      roles: ['official'],
    });
    const reviewer = await buildPerson(e.t.db, {
      email: 'ravi.rao@example.gov',
      firstName: 'Ravi',
      lastName: 'Rao',
      roles: ['reviewer'],
    });
    await buildEnrollment(e.t.db, official.personId, 'igo-cpo');
    const igo = await programId(e.t.db, 'igo-cpo');
    await e.t.db
      .insertInto('program_reviewer')
      .values({ program_id: igo, person_id: reviewer.personId })
      .execute();
    await e.t.db
      .updateTable('program')
      .set({ claim_fee_per_credit_cents: 500 })
      .where('id', '=', igo)
      .execute();
    // A claim the reviewer sent back with a question: never on the official transcript.
    const asked = await buildClaim(e.t.db, official.personId, { status: 'needs_information' });
    await e.t.db
      .updateTable('claim')
      .set({ title: 'Poll worker recruiting forum' })
      .where('id', '=', asked)
      .execute();

    const { page: off } = await e.newPage();
    await signIn(off, 'ines.ortega@example.gov');
    const newClaim = async () => {
      await nav(off, 'Outside credit');
      await off.getByRole('link', { name: 'Claim outside credit' }).click();
      await off.getByRole('heading', { level: 1, name: 'Claim outside credit' }).waitFor();
    };
    const save = () => off.getByRole('button', { name: 'Save draft' }).click();
    const summary = off.locator('.error-summary');

    // ---- An empty form: sentences about each field, no code names, and no error on the optional End date.
    await newClaim();
    await save();
    await summary.waitFor();
    const said = await summary.innerText();
    expect(said).toContain('Choose the program this credit is for.');
    expect(said).toContain('Choose the type of activity.');
    expect(said).toContain('Choose the category this credit counts toward.');
    expect(said).not.toMatch(/programId|UUID|\(and \d+ more\)|state-association|records-management/);
    expect(await fieldError(off, 'claim-programId')).toContain('Choose the program this credit is for.');
    expect(await fieldError(off, 'claim-endDate')).toBeNull();
    await expectAccessible(e, off, 'new claim with every required field empty');

    // ---- A start date in the future is wrong on the Start date; 500 hours in a day is refused on Hours.
    await off.getByLabel('Program').selectOption({ index: 1 });
    await off.getByLabel('Type of activity').selectOption('webinar');
    await off.getByLabel('Activity title').fill('Ballot design workshop');
    await off.getByLabel('Provider').fill('State Association of County Clerks');
    await off.getByLabel('Start date').fill(daysAgo(-30));
    await off.getByLabel('Hours').fill('500');
    await expect.poll(() => off.getByLabel('Category').locator('option').count()).toBeGreaterThan(1);
    await off.getByLabel('Category').selectOption('records-management');
    await save();
    await expect.poll(() => fieldError(off, 'claim-startDate')).toMatch(/start date is in the future/);
    expect(await fieldError(off, 'claim-endDate')).toBeNull();
    expect(await fieldError(off, 'claim-hours')).toMatch(/500 hours in one day cannot be right/);
    await expectAccessible(e, off, 'new claim with a future date and impossible hours');
    await off.getByLabel('Start date').fill(daysAgo(10));
    await off.getByLabel('Hours').fill('3');
    await save();
    await off.getByRole('heading', { level: 1, name: 'Ballot design workshop' }).waitFor();

    // ---- Before submitting: what is missing, and the fee with what it is for and how to pay.
    const missing = off.getByTestId('missing-evidence');
    expect(await missing.innerText()).toContain('A course description or agenda');
    expect(await missing.innerText()).toContain('Proof of attendance');
    const fee = off.getByRole('region', { name: /Credit application fee: \$15\.00/ });
    expect(await fee.innerText()).toMatch(/\$5\.00 per credit, for the 3 credits claimed/);
    expect(await fee.innerText()).toMatch(/What it is for: .*review of outside credit/s);
    expect(await fee.innerText()).toMatch(/How to pay: .*coordinator/s);
    await expectAccessible(e, off, 'draft claim with the fee and the missing documents');

    // ---- Submitting without the documents is refused, naming them; the claim stays a draft.
    await off.getByRole('button', { name: 'Submit for review' }).click();
    const refusal = off.getByText(/^Add these documents before submitting:/);
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('A course description or agenda');
    // The status tag (upper case on screen) still says draft; a reviewer asked for nothing.
    expect(await mainText(off)).not.toMatch(/needs information/i);
    expect(await mainText(off)).toMatch(/^DRAFT$/m);
    await expectAccessible(e, off, 'submission refused for missing documents');

    // ---- The banner follows each upload at once.
    await uploadClaimDocument(off, 'description', {
      name: 'agenda.pdf',
      mimeType: 'application/pdf',
      buffer: tinyPdf('Workshop agenda: 9:00 to 12:00'),
    });
    await expect.poll(() => missing.innerText()).not.toContain('A course description or agenda');
    expect(await missing.innerText()).toContain('Proof of attendance');
    expect(await mainText(off)).not.toMatch(/Add these documents before submitting/);
    await uploadClaimDocument(off, 'certificate', {
      name: 'certificate.png',
      mimeType: 'image/png',
      buffer: PNG_1x1,
    });
    await expect.poll(() => missing.innerText()).toContain('Every document this program asks for is here');
    await off.getByRole('button', { name: 'Submit for review' }).click();
    await expect.poll(() => mainText(off)).toMatch(/^WAITING FOR REVIEW/m);
    const claimUrl = off.url();

    // ---- A draft can be deleted.
    await newClaim();
    await off.getByLabel('Program').selectOption({ index: 1 });
    await off.getByLabel('Type of activity').selectOption('online-course');
    await off.getByLabel('Activity title').fill('Started by mistake');
    await off.getByLabel('Provider').fill('Nobody');
    await off.getByLabel('Start date').fill(daysAgo(3));
    await off.getByLabel('Hours').fill('1');
    await expect.poll(() => off.getByLabel('Category').locator('option').count()).toBeGreaterThan(1);
    await off.getByLabel('Category').selectOption('records-management');
    await save();
    await off.getByRole('heading', { level: 1, name: 'Started by mistake' }).waitFor();
    await off.getByRole('button', { name: 'Delete this draft' }).click();
    await expectAccessible(e, off, 'asked to confirm deleting a draft');
    await off.getByRole('button', { name: 'Yes, delete the draft' }).click();
    await off.getByRole('heading', { level: 1, name: 'My outside credit' }).waitFor();
    await expect.poll(() => mainText(off)).toContain('Draft deleted: Started by mistake.');
    expect(await off.getByRole('link', { name: 'Started by mistake' }).count()).toBe(0);
    await expectAccessible(e, off, 'my claims after deleting a draft');

    // ---- The reviewer reads both documents on the page and approves fewer credits, with a reason.
    const { page: rev } = await e.newPage();
    await signIn(rev, 'ravi.rao@example.gov');
    await nav(rev, 'Claims to review');
    await rev.getByRole('link', { name: 'Ballot design workshop' }).click();
    await rev.getByRole('heading', { level: 1, name: /^Review:/ }).waitFor();
    const image = rev.getByRole('img', { name: /Attendance certificate: certificate\.png/ });
    await image.waitFor();
    await expect.poll(() => image.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(1);
    const frame = rev.locator('iframe[title="Course description or agenda: agenda.pdf"]');
    await frame.waitFor();
    const shown = await rev.request.get((await frame.getAttribute('src'))!);
    expect(shown.headers()['content-type']).toBe('application/pdf');
    expect(shown.headers()['content-disposition']).toMatch(/^inline;/);
    await expectAccessible(e, rev, 'review with the evidence inline');
    await rev.locator('label[for="decision-approve"]').click();
    await rev.getByLabel('Credits to approve').fill('2');
    await rev.getByRole('button', { name: 'Save decision' }).click();
    await expect
      .poll(() => fieldError(rev, 'decision-reason'))
      .toMatch(/Say why you approve 2 credits of the 3 claimed/);
    await expectAccessible(e, rev, 'approving fewer credits without a reason');
    await rev.getByLabel(/Why you approve fewer/).fill('The agenda shows two hours of instruction.');
    await rev.getByRole('button', { name: 'Save decision' }).click();
    await rev.getByRole('heading', { level: 1, name: 'Claims to review' }).waitFor();

    // ---- The official sees why, and the official transcript lists approved credit only.
    await off.goto(claimUrl);
    await expect
      .poll(() => mainText(off))
      .toContain(
        'The reviewer approved 2 credits of the 3 claimed. Reason: The agenda shows two hours of instruction.',
      );
    await expectAccessible(e, off, 'claim approved with fewer credits');
    await nav(off, 'My transcript');
    await off.getByRole('heading', { level: 1, name: 'My transcript' }).waitFor();
    await expect.poll(() => mainText(off)).toContain('Ballot design workshop');
    expect(await mainText(off)).not.toContain('Poll worker recruiting forum');
    await off.getByRole('button', { name: 'Issue an official transcript' }).click();
    const link = off.getByRole('link', { name: 'Download the transcript PDF' });
    await link.waitFor();
    const [download] = await Promise.all([off.waitForEvent('download'), link.click()]);
    const pdfPath = path.join(dir, 'transcript-approved-only.pdf');
    await download.saveAs(pdfPath);
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('Ballot design workshop');
    expect(text).not.toContain('Poll worker recruiting forum');
    expect(text).not.toMatch(/waiting for review|needs information/i);
  });
});
