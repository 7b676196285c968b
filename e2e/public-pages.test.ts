/**
 * Issue 17, item 2, in Chromium: a signed-out visitor browses the course catalog and the session
 * calendar (seats left, no names), opens a session, asks for an account; the coordinator sees the
 * request in the queue and approves it; the person receives the set-password e-mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { buildCourse, buildSession } from '../src/server/testing/scheduling.js';
import {
  expectAccessible,
  fieldError,
  mainText,
  navTo,
  saveShot,
  signIn,
  startE2E,
  type E2E,
} from './harness.js';

let e: E2E;
let sessionId: string;
beforeAll(async () => {
  e = await startE2E();
  const course = await buildCourse(e.t.db, {
    code: 'ELEC-210',
    title: 'Canvassing and the official results',
  });
  sessionId = (await buildSession(e.t.db, { courseId: course.id, capacity: 24 })).id;
  const teacher = await buildPerson(e.t.db, {
    firstName: 'Iris',
    lastName: 'Teachwell',
    roles: ['instructor'],
  });
  await e.t.db
    .insertInto('session_instructor')
    .values({ session_id: sessionId, person_id: teacher.personId })
    .execute();
  await buildPerson(e.t.db, {
    email: 'coord@example.gov',
    firstName: 'Cora',
    lastName: 'Coordinator',
    roles: ['coordinator'],
  });
});
afterAll(() => e?.close());

describe('public pages and account requests', () => {
  it('a visitor browses the catalog and calendar and asks for an account; the coordinator approves it', async () => {
    const { page } = await e.newPage();
    await page.goto('/sign-in');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await navTo(page, 'Courses');
    await page.getByRole('heading', { level: 1, name: 'Course catalog' }).waitFor();
    await expect.poll(() => mainText(page)).toContain('Canvassing and the official results');
    await expectAccessible(e, page, 'public course catalog');

    await navTo(page, 'Sessions');
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    await page
      .getByRole('link', { name: /ELEC-210/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: /ELEC-210/ }).waitFor();
    const text = await mainText(page);
    expect(text).toContain('24 of 24 seats left.');
    expect(text).not.toContain('Teachwell');
    expect(text).not.toContain('Instructors');
    expect(await page.getByRole('link', { name: 'Sign in to register' }).count()).toBe(1);
    await expectAccessible(e, page, 'public session details');
    await saveShot(page, 'public-session');

    await page.getByRole('main').getByRole('link', { name: 'Ask for an account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ask for an account' }).waitFor();
    await expectAccessible(e, page, 'account request form');
    // Sent empty, each required field says what is missing.
    await page.getByRole('button', { name: 'Send my request' }).click();
    await expect.poll(() => fieldError(page, 'firstName')).toMatch(/First name is required/);
    expect(await fieldError(page, 'jurisdictionFips')).toBe('Choose your county.');
    await page.getByLabel('First name').fill('Dana');
    await page.getByLabel('Last name').fill('Deputy');
    await page.getByLabel('E-mail address').fill('dana.deputy@shawnee.example.gov');
    const county = page.getByLabel('County');
    await expect.poll(() => county.locator('option').count()).toBeGreaterThan(100);
    await county.selectOption({ label: 'Shawnee' });
    await page.getByLabel('Position').selectOption('Deputy County Clerk');
    await page.getByLabel('Anything else').fill('Started in November.');
    await page.getByRole('button', { name: 'Send my request' }).click();
    await page.getByRole('heading', { name: 'Request sent' }).waitFor();
    await expectAccessible(e, page, 'account request sent');
    const ack = await e.t.smtp!.waitFor((m) => m.to.includes('dana.deputy@shawnee.example.gov'));
    expect(ack.subject).toBe('We received your request for a CivicCert account');

    // The coordinator approves it from the queue.
    const { page: coord } = await e.newPage();
    await signIn(coord, 'coord@example.gov');
    await navTo(coord, 'Account requests');
    await coord.getByRole('heading', { level: 1, name: 'Account requests' }).waitFor();
    await expect.poll(() => mainText(coord)).toContain('dana.deputy@shawnee.example.gov');
    expect(await mainText(coord)).toContain('Shawnee County, KS');
    await expectAccessible(e, coord, 'account request queue');
    await coord.getByRole('button', { name: 'Approve Dana Deputy' }).click();
    await coord.getByText('Dana Deputy now has an account.').waitFor();
    await expectAccessible(e, coord, 'account request approved');

    const mail = await e.t.smtp!.waitFor(
      (m) => m.to.includes('dana.deputy@shawnee.example.gov') && m.subject === 'Set your CivicCert password',
    );
    expect(mail.text).toMatch(/\/password\/set\?token=/);
  });
});
