/**
 * Issue 19, item 1 in Chromium: an official who finished Year One opens My certification, sees the
 * plan to certification as a timeline (Year Two, then Year Three) and registers for the whole plan
 * with one button; each session says what happened. axe on the page before and after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { buildCourse, buildCredit, buildEnrollment, buildSession } from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

const DAY = 86_400_000;
const at = (days: number) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(16, 0, 0, 0);
  return d;
};

describe('plan to certification in Chromium', () => {
  it('an official registers for a whole plan', async () => {
    const official = await buildPerson(e.t.db, {
      email: 'pat.plan@example.gov',
      firstName: 'Pat',
      lastName: 'Plan',
      roles: ['official'],
    });
    await buildEnrollment(e.t.db, official.personId);
    const y1 = ['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03'];
    for (const c of y1)
      await buildCredit(e.t.db, official.personId, {
        courseCode: c,
        category: 'year-one',
        earnedOn: '2026-04-10',
      });
    let day = 20;
    for (const [year, category] of [
      ['Y2', 'year-two'],
      ['Y3', 'year-three'],
    ] as const)
      for (const n of [1, 2, 3]) {
        const course = await buildCourse(e.t.db, {
          code: `KS-${year}-0${n}`,
          title: `${year === 'Y2' ? 'Year Two' : 'Year Three'} course ${n}`,
          credits: [{ category, amount: 3 }],
          prerequisites: year === 'Y2' ? y1 : [],
        });
        await buildSession(e.t.db, { courseId: course.id, startsAt: at(day++) });
      }

    const { page } = await e.newPage();
    await signIn(page, 'pat.plan@example.gov');
    await page.goto('/certification');
    await page.getByRole('heading', { level: 1, name: 'My certification' }).waitFor();
    await page.getByRole('heading', { name: 'Your plan to certification' }).waitFor();
    await expect.poll(() => mainText(page)).toContain('6 sessions complete what is missing');
    const steps = page.locator('.usa-process-list__item');
    expect(await steps.count()).toBe(6);
    expect(await steps.first().innerText()).toContain('KS-Y2-01');
    expect(await steps.last().innerText()).toContain('KS-Y3-03');
    await expectAccessible(e, page, 'my certification, plan');

    await page.getByRole('button', { name: 'Register for all (6)' }).click();
    await page.getByRole('heading', { name: 'What happened to each session' }).waitFor();
    const results = await page.getByTestId('plan-results').innerText();
    expect(results.match(/Registered\./g)).toHaveLength(6);
    await expect.poll(async () => page.getByText('You are registered').count()).toBe(6);
    await expectAccessible(e, page, 'my certification, registered for the plan');

    const regs = await e.t.db
      .selectFrom('registration')
      .select('status')
      .where('person_id', '=', official.personId)
      .execute();
    expect(regs.map((r) => r.status)).toEqual(Array(6).fill('confirmed'));
  });
});
