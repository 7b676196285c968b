/**
 * Issue 17, item 2, in Chromium: an official asks to enroll; the coordinator is e-mailed, opens
 * the enrollment request queue and approves; another official's request is declined with a
 * reason, which that official reads on the Programs page, and asks again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { expectAccessible, mainText, navTo, saveShot, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await buildPerson(e.t.db, {
    email: 'cora.coord@example.gov',
    firstName: 'Cora',
    lastName: 'Coordinator',
    roles: ['coordinator'],
  });
  await buildPerson(e.t.db, { email: 'avery.asker@example.gov', firstName: 'Avery', lastName: 'Asker' });
  await buildPerson(e.t.db, { email: 'blair.asker@example.gov', firstName: 'Blair', lastName: 'Asker' });
});
afterAll(() => e?.close());

async function askToEnroll(email: string) {
  const { page } = await e.newPage();
  await signIn(page, email);
  await page.getByRole('link', { name: 'See the programs and ask to enroll' }).click();
  await page.getByRole('heading', { level: 1, name: 'Programs' }).waitFor();
  await page
    .getByRole('button', { name: /Ask to enroll in .*Kansas/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Send my request' }).click();
  await page.getByText(/Your request to enroll in .* is sent/).waitFor();
  return page;
}

describe('enrollment requests', () => {
  it('the coordinator is told, approves one request and declines another; both officials are e-mailed', async () => {
    const avery = await askToEnroll('avery.asker@example.gov');
    const blair = await askToEnroll('blair.asker@example.gov');
    const told = await e.t.smtp!.waitFor(
      (m) =>
        m.to.includes('cora.coord@example.gov') && m.subject.startsWith('Enrollment request: Blair Asker'),
    );
    expect(told.text).toMatch(/\/enrollment-requests/);

    const { page: coord } = await e.newPage();
    await signIn(coord, 'cora.coord@example.gov');
    await navTo(coord, 'Enrollment requests');
    await coord.getByRole('heading', { level: 1, name: 'Enrollment requests' }).waitFor();
    await expect.poll(() => mainText(coord)).toContain('Blair Asker');
    await expectAccessible(e, coord, 'enrollment request queue');
    await saveShot(coord, 'enrollment-requests');

    await coord.getByRole('button', { name: 'Approve Avery Asker' }).click();
    await coord.getByText(/Avery Asker is enrolled in .* from today/).waitFor();
    await coord.getByRole('button', { name: 'Decline Blair Asker' }).click();
    await coord.getByRole('button', { name: 'Decline and e-mail the reason' }).click();
    await expect.poll(() => mainText(coord)).toMatch(/Why decline Blair Asker\?.*(required|Enter)/s);
    await coord
      .getByLabel('Why decline Blair Asker?')
      .fill('Please ask your county clerk to confirm your appointment first.');
    await coord.getByRole('button', { name: 'Decline and e-mail the reason' }).click();
    await coord.getByText('The request from Blair Asker is declined.').waitFor();
    await expectAccessible(e, coord, 'enrollment request decided');
    await expect.poll(() => mainText(coord)).not.toContain('Approve Blair Asker');

    await coord.getByRole('link', { name: 'Declined' }).click();
    await expect
      .poll(() => mainText(coord))
      .toContain('Please ask your county clerk to confirm your appointment first.');
    expect(await mainText(coord)).toContain('by Cora Coordinator');

    const approved = await e.t.smtp!.waitFor(
      (m) => m.to.includes('avery.asker@example.gov') && m.subject.startsWith('You are enrolled in'),
    );
    expect(approved.text).toMatch(/\/progress/);
    const declined = await e.t.smtp!.waitFor(
      (m) => m.to.includes('blair.asker@example.gov') && m.subject.startsWith('Your request to enroll'),
    );
    expect(declined.text.replace(/\s+/g, ' ')).toContain('confirm your appointment first');

    // Avery is enrolled; Blair reads the reason and may ask again.
    await avery.reload();
    await expect.poll(() => mainText(avery)).toContain('Enrolled');
    await blair.reload();
    await expect
      .poll(() => mainText(blair))
      .toContain('Your request was declined: “Please ask your county clerk');
    expect(await blair.getByRole('button', { name: /Ask again in/ }).count()).toBeGreaterThan(0);
    await expectAccessible(e, blair, 'programs page after a declined request');
  });
});
