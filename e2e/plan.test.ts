/**
 * Issue 19, item 1 in Chromium: an official who finished Year One opens My certification, sees the
 * plan to certification as a timeline (Year Two, then Year Three) and registers for the whole plan
 * with one button; each session says what happened. axe on the page before and after. Then the
 * coordinators' reverse view: a coordinator finds the courses short of seats from the navigation,
 * reads the sentence for the course and follows its link to schedule a session of it; a
 * coordinator limited to another program is refused the program's figures. Last, an official
 * with nothing done registers for Year One and Year Two with one button (ADR 0033): Year Two is
 * confirmed on the Year One seats and My sessions says it is provisional.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import {
  buildCourse,
  buildCredit,
  buildEnrollment,
  buildSession,
  programId,
} from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, navTo, saveShot, signIn, startE2E, type E2E } from './harness.js';

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

  it('a coordinator sees the courses short of seats and goes to schedule one; another program’s coordinator does not', async () => {
    // Year One 01: one session of 2 seats for 3 officials who have done nothing yet.
    const y1 = await buildCourse(e.t.db, {
      code: 'KS-Y1-01',
      title: 'Planning for an Election',
      credits: [{ category: 'year-one', amount: 3 }],
    });
    await buildSession(e.t.db, { courseId: y1.id, startsAt: at(10), capacity: 2 });
    for (const n of [1, 2, 3]) {
      const p = await buildPerson(e.t.db, { lastName: `Newcomer${n}`, roles: ['official'] });
      await buildEnrollment(e.t.db, p.personId);
    }
    await buildPerson(e.t.db, { email: 'cora.coordinator@example.gov', roles: ['coordinator'] });

    const { page } = await e.newPage();
    await signIn(page, 'cora.coordinator@example.gov');
    await navTo(page, 'Courses short of seats');
    await page.getByRole('heading', { level: 1, name: 'Courses short of seats' }).waitFor();
    await page.getByLabel('Program').selectOption({ label: 'Kansas County Election Official Certification' });
    await page.getByRole('button', { name: 'Show courses' }).click();
    const row = page.getByTestId('shortfall-KS-Y1-01');
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toMatch(
      /3 officials still need KS-Y1-01 and 2 seats remain by .*: schedule at least 1 more session of 2\./,
    );
    await expect.poll(() => mainText(page)).toContain('short of seats');
    await expectAccessible(e, page, 'courses short of seats');
    await saveShot(page, 'seat-shortfall');

    // The row's link opens the scheduling form with the course chosen, by keyboard.
    await row.getByRole('link', { name: 'Schedule a session of KS-Y1-01' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /schedule/i }).waitFor();
    await expect.poll(() => page.locator('#courseId').inputValue()).toBe(y1.id);

    // A coordinator limited to another program is refused Kansas's figures.
    const cpo = await programId(e.t.db, 'igo-cpo');
    const scoped = await buildPerson(e.t.db, { email: 'otto.other@example.gov', roles: ['coordinator'] });
    await e.t.db
      .insertInto('coordinator_program')
      .values({ user_id: scoped.userId, program_id: cpo })
      .execute();
    const other = await e.newPage();
    await signIn(other.page, 'otto.other@example.gov');
    const ks = await programId(e.t.db);
    await other.page.goto(`/reports/seat-shortfall?programId=${ks}`);
    await other.page.getByRole('heading', { level: 1, name: 'Courses short of seats' }).waitFor();
    await expect.poll(() => mainText(other.page)).toContain('You coordinate other programs, not this one.');
    expect(await other.page.getByTestId('shortfall-KS-Y1-01').count()).toBe(0);
    await expectAccessible(e, other.page, 'courses short of seats, refused');
  });

  it('an official with nothing done registers for Year One and Year Two at once; Year Two rests on Year One', async () => {
    // KS-Y1-01 exists (the test before); Year One 02 and 03 the days after it.
    let day = 11;
    for (const n of [2, 3]) {
      const course = await buildCourse(e.t.db, {
        code: `KS-Y1-0${n}`,
        title: `Year One course ${n}`,
        credits: [{ category: 'year-one', amount: 3 }],
      });
      await buildSession(e.t.db, { courseId: course.id, startsAt: at(day++) });
    }
    const fresh = await buildPerson(e.t.db, { email: 'nia.new@example.gov', roles: ['official'] });
    await buildEnrollment(e.t.db, fresh.personId);
    const { page } = await e.newPage();
    await signIn(page, 'nia.new@example.gov');
    await page.goto('/certification');
    await page.getByRole('heading', { name: 'Your plan to certification' }).waitFor();
    const steps = page.locator('.usa-process-list__item');
    await expect.poll(() => steps.count()).toBe(9);
    expect(await steps.nth(3).innerText()).toMatch(/Register for KS-Y1-01, KS-Y1-02, KS-Y1-03 first/);
    await page.getByRole('button', { name: 'Register for all (9)' }).click();
    await page.getByRole('heading', { name: 'What happened to each session' }).waitFor();
    const results = await page.getByTestId('plan-results').innerText();
    expect(results.match(/Registered: your seat is confirmed\./g)).toHaveLength(9);
    expect(results.match(/rests on your seat in KS-Y1-01, KS-Y1-02, KS-Y1-03/g)).toHaveLength(3);
    await page.goto('/my-sessions');
    await expect.poll(() => page.getByTestId('prerequisite-note').count()).toBe(3);
    expect(await page.getByTestId('prerequisite-note').first().innerText()).toMatch(
      /^Provisional: rests on a seat/,
    );
    await expectAccessible(e, page, 'my sessions, provisional seats');
  });
});
