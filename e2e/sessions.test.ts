/**
 * Issue 4's journey in Chromium: a coordinator schedules a session through
 * the form, an official registers for it, the instructor records attendance
 * with "Mark all present", and the official's progress page shows the new
 * credit; corrected to 90 of 180 minutes, the attendance page and the
 * official's My sessions say why that earns no credit. Then what can't be undone asks first: an official
 * cancelling their seat is told it goes to the waitlist, and one registering
 * for a course already completed is warned. Every page visited is scanned with axe.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import {
  buildCourse,
  buildCredit,
  buildEnrollment,
  buildRegistration,
  buildSession,
} from '../src/server/testing/scheduling.js';
import {
  expectAccessible,
  mainText,
  navTo,
  signIn,
  startE2E,
  wallClock,
  zonedTime,
  type E2E,
} from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe('sessions journey in Chromium', () => {
  it('coordinator schedules, official registers, instructor records attendance, progress shows the credit', async () => {
    await buildPerson(e.t.db, {
      email: 'cole.carter@example.gov',
      firstName: 'Cole',
      lastName: 'Carter',
      roles: ['coordinator'],
    });
    await buildPerson(e.t.db, {
      email: 'ian.ito@example.gov',
      firstName: 'Ian',
      lastName: 'Ito',
      roles: ['instructor'],
    });
    const official = await buildPerson(e.t.db, {
      email: 'olive.ortiz@example.gov',
      firstName: 'Olive',
      lastName: 'Ortiz',
      roles: ['official'],
    });
    // The catalog and the official's enrollment come from the server's own factories.
    await buildCourse(e.t.db, {
      code: 'KS-Y1-01',
      title: 'Planning for an Election',
      description: 'Calendars, budgets and the election timeline, from filing deadlines to canvass.',
      credits: [{ category: 'year-one', amount: 3 }],
      durationMinutes: 180,
    });
    await buildEnrollment(e.t.db, official.personId);

    // ---- The coordinator schedules a session through the form.
    const { page: coord } = await e.newPage();
    await signIn(coord, 'cole.carter@example.gov');
    await navTo(coord, 'Courses');
    await coord.getByRole('heading', { level: 1, name: 'Course catalog' }).waitFor();
    await expect.poll(() => mainText(coord)).toContain('Planning for an Election');
    // Credits by the category's name in the program, not its internal id ("3 year-one").
    const catalogRow = coord.getByRole('row', { name: /KS-Y1-01/ });
    expect(await catalogRow.innerText()).toContain('3 Year One courses');
    expect(await catalogRow.innerText()).not.toContain('year-one');
    await expectAccessible(e, coord, 'course catalog');

    await navTo(coord, 'Sessions');
    await coord.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    await expectAccessible(e, coord, 'sessions list (empty)');
    await coord.getByRole('link', { name: 'Schedule a session' }).click();
    await coord.getByRole('heading', { level: 1, name: 'Schedule a session' }).waitFor();
    await expectAccessible(e, coord, 'schedule form');

    // Sending it empty lists the problems next to the fields.
    await coord.getByRole('button', { name: 'Schedule session' }).click();
    await coord.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await coord.locator('#courseId-error').innerText()).toContain('Choose a course');
    await expectAccessible(e, coord, 'schedule form with errors');

    const zone = 'America/Chicago';
    const start = Math.ceil((Date.now() + 2 * 3_600_000) / 900_000) * 900_000;
    await coord
      .locator('#courseId')
      .selectOption({ label: 'KS-Y1-01: Planning for an Election (In person)' });
    await coord.locator('#eventId').selectOption('new');
    await coord.locator('#eventTitle').fill('Year One, Spring, Topeka');
    await coord.locator('#timeZone').selectOption(zone);
    await coord.locator('#startsAt').fill(wallClock(start, zone));
    await coord.locator('#endsAt').fill(wallClock(start + 3 * 3_600_000, zone));
    await coord.getByLabel('Venue').fill('Memorial Building, Room 100');
    await coord.getByLabel('Address').fill('120 SW 10th Ave, Topeka, KS 66612');
    await coord.locator('#capacity').fill('30');
    await coord.locator('#minimum').fill('5');
    await coord.locator('label', { hasText: 'Ian Ito' }).click();
    expect(await coord.getByLabel('Ian Ito').isChecked()).toBe(true);
    await coord.getByRole('button', { name: 'Schedule session' }).click();
    await coord.getByRole('heading', { level: 1, name: 'KS-Y1-01: Planning for an Election' }).waitFor();
    await expect.poll(() => coord.url()).toMatch(/\/sessions\/[0-9a-f-]{36}$/);
    const sessionPath = new URL(coord.url()).pathname;
    const detail = await mainText(coord);
    expect(detail).toContain('Scheduled KS-Y1-01 for Year One, Spring, Topeka.');
    expect(detail).toMatch(/C[DS]T/); // times are shown in the session's zone, with its abbreviation
    expect(detail).toContain('Central Time'); // the zone by its plain name, not "America/Chicago"
    expect(detail).not.toContain('America/Chicago');
    expect(detail).toContain('30 of 30 seats left.');
    expect(detail).toContain('Ian Ito');
    await expectAccessible(e, coord, 'session detail (coordinator)');

    // The month view shows it on its day.
    await coord.goto(`/sessions?view=month&month=${wallClock(start, zone).slice(0, 7)}`);
    await coord.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    await coord
      .locator('.month-grid')
      .getByRole('link', { name: /KS-Y1-01/ })
      .waitFor();
    await expectAccessible(e, coord, 'sessions month view');

    // ---- The official registers, on a phone-sized screen.
    const { page: off } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(off, 'olive.ortiz@example.gov');
    await off.goto('/sessions');
    await off.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    await off.getByRole('link', { name: 'KS-Y1-01: Planning for an Election' }).click();
    await off.getByRole('heading', { level: 1, name: 'KS-Y1-01: Planning for an Election' }).waitFor();
    // The course: its description, its credit by category name, and what it counts toward for her.
    const about = off.getByRole('region', { name: 'About the course' });
    const aboutText = await about.innerText();
    expect(aboutText).toContain('Calendars, budgets and the election timeline');
    expect(aboutText).toContain('Year One courses: 3 credits');
    expect(aboutText).toContain('completing this course counts toward:');
    expect(aboutText).toMatch(
      /For you, in .+, completing this course counts toward:\s+Year One \(certification\)/,
    );
    expect(aboutText).not.toContain('year-one');
    await expectAccessible(e, off, 'session detail (official)');
    await off.getByRole('button', { name: 'Register' }).click();
    await off.getByText('You are registered for this session.').waitFor();
    await expect.poll(() => mainText(off)).toContain('29 of 30 seats left.');
    await expectAccessible(e, off, 'session detail, registered');

    // The session as a calendar file: the same entry (UID) the confirmation e-mail carried.
    const sessionId = sessionPath.split('/').pop()!;
    const [download] = await Promise.all([
      off.waitForEvent('download'),
      off.getByRole('link', { name: /^Add to calendar \(\.ics\)/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^KS-Y1-01-\d{4}-\d{2}-\d{2}\.ics$/);
    const ics = await readFile(await download.path(), 'utf8');
    expect(ics).toContain(`\r\nUID:session-${sessionId}@civiccert\r\n`);
    expect(ics).toContain('\r\nMETHOD:PUBLISH\r\n');

    await off.goto('/my-sessions');
    await off.getByRole('heading', { level: 1, name: 'My sessions' }).waitFor();
    await expect.poll(() => mainText(off)).toContain('KS-Y1-01: Planning for an Election');
    const myLink = off.getByRole('link', {
      name: 'Add to calendar (.ics) for KS-Y1-01: Planning for an Election',
    });
    expect(await myLink.getAttribute('href')).toBe(`/api/sessions/${sessionId}/calendar.ics`);
    await expectAccessible(e, off, 'my sessions');

    await off.goto('/progress');
    await off.getByRole('heading', { level: 1, name: 'My progress' }).waitFor();
    await expect.poll(() => mainText(off)).toContain('Year One');
    expect(await mainText(off)).toContain('0 of 3 courses');
    await expectAccessible(e, off, 'my progress (before)');

    // My certification shows the plan to certification: with only this Year One session
    // scheduled, no plan can finish, and the plan says which courses have no session.
    await off.goto('/certification');
    await off.getByRole('heading', { level: 1, name: 'My certification' }).waitFor();
    await off.getByRole('heading', { name: 'Your plan to certification' }).waitFor();
    await expect.poll(() => mainText(off)).toContain('No plan can finish');
    expect(await mainText(off)).toMatch(/No upcoming session of .+ is scheduled\./);
    await expectAccessible(e, off, 'my certification, no plan yet');

    // ---- At the door, ten minutes in, the official scans the room's QR code: the confirmation
    // gives the arrival time in the session's zone, with its abbreviation.
    const arrived = start + 10 * 60_000;
    e.t.clock.now = new Date(arrived);
    const { checkin_code: code } = await e.t.db
      .selectFrom('session')
      .select('checkin_code')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    await off.goto(`/check-in/${sessionId}?code=${encodeURIComponent(code)}`);
    await off.getByRole('heading', { name: 'You are checked in' }).waitFor();
    expect(await mainText(off)).toContain(`, ${zonedTime(arrived, zone)}.`);
    await expectAccessible(e, off, 'check-in confirmation');

    // ---- The session takes place; the instructor records attendance.
    e.t.clock.now = new Date(start + 3 * 3_600_000 + 5 * 60_000);
    const { page: ins } = await e.newPage({ viewport: { width: 1024, height: 768 } });
    await signIn(ins, 'ian.ito@example.gov');
    await ins.goto(sessionPath);
    await ins.getByRole('heading', { level: 1, name: 'KS-Y1-01: Planning for an Election' }).waitFor();
    await ins.getByRole('link', { name: 'Record attendance' }).click();
    await ins.getByRole('heading', { level: 1, name: 'Attendance: KS-Y1-01' }).waitFor();
    await ins.getByRole('img', { name: /QR code/ }).waitFor();
    expect(await mainText(ins)).toContain('0 of 1 people have a record.');
    expect(await mainText(ins)).toContain(zonedTime(arrived, zone)); // checked in, in the session's zone
    await expectAccessible(e, ins, 'attendance');
    await ins.getByRole('button', { name: 'Mark all present' }).click();
    await ins.getByText(/Everyone without a record is marked present/).waitFor();
    await expect.poll(() => ins.getByLabel('Olive Ortiz').inputValue()).toBe('180');
    expect(await mainText(ins)).toContain('1 of 1 people have a record.');
    await expectAccessible(e, ins, 'attendance, all present');

    // ---- The official's progress shows the new credit at once.
    await off.goto('/progress');
    await off.getByRole('heading', { level: 1, name: 'My progress' }).waitFor();
    await expect.poll(() => mainText(off)).toContain('1 of 3 courses');
    const progress = await mainText(off);
    expect(progress).toContain('1 credit record, 3 credits approved');
    await off
      .getByText(/Records: 1 counted/)
      .first()
      .click();
    await expect.poll(() => mainText(off)).toContain('KS-Y1-01: 3');
    await expectAccessible(e, off, 'my progress (after)');

    // ---- Corrected to 90 of 180 minutes: the credit is taken back, and the page says why.
    await ins.getByLabel('Olive Ortiz').fill('90');
    await ins.getByRole('button', { name: 'Save attendance' }).click();
    await ins.getByText(/Attendance saved/).waitFor();
    await expect
      .poll(() => mainText(ins))
      .toContain(
        '90 of 180 minutes is below the 90% (162 minutes) needed to complete the course, and this program gives no partial credit, so no credit was earned.',
      );
    await expectAccessible(e, ins, 'attendance, below the completion share');
    // The official reads the same reason next to the session in My sessions.
    await off.goto('/my-sessions');
    await off.getByRole('heading', { level: 1, name: 'My sessions' }).waitFor();
    const attended = off.getByRole('table', { name: 'Past sessions and the credit you earned' });
    await expect.poll(() => attended.innerText()).toContain('No credit');
    expect(await attended.innerText()).toContain('90 of 180 minutes is below the 90% (162 minutes)');
    await expectAccessible(e, off, 'my sessions, no credit and why');
  });
});

describe('confirming what cannot be undone, in Chromium', () => {
  it('cancelling one’s seat asks first and says it goes to the waitlist; a completed course warns before registering', async () => {
    const course = await buildCourse(e.t.db, {
      code: 'KS-Y1-02',
      title: 'Voter Registration',
      credits: [{ category: 'year-one', amount: 3 }],
    });
    const full = await buildSession(e.t.db, { courseId: course.id, capacity: 1, minimum: 0 });
    const open = await buildSession(e.t.db, { courseId: course.id, capacity: 10, minimum: 0 });
    const pat = await buildPerson(e.t.db, {
      email: 'pat.park@example.gov',
      firstName: 'Pat',
      lastName: 'Park',
    });
    const quinn = await buildPerson(e.t.db, { firstName: 'Quinn', lastName: 'Quill' });
    const rae = await buildPerson(e.t.db, {
      email: 'rae.ruiz@example.gov',
      firstName: 'Rae',
      lastName: 'Ruiz',
    });
    for (const p of [pat, quinn, rae]) await buildEnrollment(e.t.db, p.personId);
    const patSeat = await buildRegistration(e.t.db, full.id, pat.personId, 'confirmed');
    const quinnPlace = await buildRegistration(e.t.db, full.id, quinn.personId, 'waitlisted');
    await buildCredit(e.t.db, rae.personId, { courseCode: 'KS-Y1-02' });
    const statusOf = async (id: string) =>
      (
        await e.t.db
          .selectFrom('registration')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).status;
    const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

    // ---- Pat cancels, by keyboard: a confirmation first, saying the seat goes to the waitlist.
    const { page: p } = await e.newPage();
    await signIn(p, 'pat.park@example.gov');
    await p.goto(`/sessions/${full.id}`);
    await p.getByRole('heading', { level: 1, name: 'KS-Y1-02: Voter Registration' }).waitFor();
    await p.getByRole('button', { name: 'Cancel my registration' }).focus();
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: 'Cancel your registration?' }).waitFor();
    expect(await focused(p)).toBe('Cancel your registration?');
    expect(await mainText(p)).toContain(
      'Your seat goes to the first person on the waitlist (1 waiting), who is e-mailed.',
    );
    expect(await statusOf(patSeat)).toBe('confirmed');
    await expectAccessible(e, p, 'cancel my registration, confirmation');
    // Escape answers no: nothing changes and focus returns to the button.
    await p.keyboard.press('Escape');
    await expect.poll(() => focused(p)).toBe('Cancel my registration');
    expect(await statusOf(patSeat)).toBe('confirmed');
    await p.keyboard.press('Enter');
    await p.getByRole('button', { name: 'Yes, cancel my registration' }).click();
    await p.getByText('Your registration is cancelled.').waitFor();
    expect(await statusOf(patSeat)).toBe('cancelled');
    expect(await statusOf(quinnPlace)).toBe('confirmed');
    await expectAccessible(e, p, 'session, own registration cancelled');

    // ---- Rae completed KS-Y1-02 already: registering again is warned about first.
    const { page: r } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(r, 'rae.ruiz@example.gov');
    await r.goto(`/sessions/${open.id}`);
    await r.getByRole('heading', { level: 1, name: 'KS-Y1-02: Voter Registration' }).waitFor();
    await r.getByRole('button', { name: 'Register' }).click();
    await r.getByRole('heading', { name: 'You have already completed KS-Y1-02' }).waitFor();
    expect(await focused(r)).toBe('You have already completed KS-Y1-02');
    await expectAccessible(e, r, 'register for a completed course, warning');
    await r.getByRole('button', { name: 'Do not register' }).click();
    await expect.poll(() => focused(r)).toBe('Register');
    const mine = () =>
      e.t.db.selectFrom('registration').select('id').where('person_id', '=', rae.personId).execute();
    expect(await mine()).toHaveLength(0);
    await r.getByRole('button', { name: 'Register' }).click();
    await r.getByRole('button', { name: 'Register anyway' }).click();
    await r.getByText('You are registered for this session.').waitFor();
    expect(await mine()).toHaveLength(1);
    await expectAccessible(e, r, 'registered again for a completed course');
  });
});

describe('calendar feed address, in Chromium', () => {
  it('reads back on a second device, and replacing it asks first', async () => {
    await buildPerson(e.t.db, { email: 'sky.soto@example.gov', firstName: 'Sky', lastName: 'Soto' });
    const feedField = (page: Page) => page.getByLabel('Your calendar feed address');

    // First device: no address yet, then one.
    const { page: desk } = await e.newPage();
    await signIn(desk, 'sky.soto@example.gov');
    await desk.goto('/my-sessions');
    await desk.getByRole('button', { name: 'Get my calendar feed address' }).click();
    const first = await feedField(desk).inputValue();
    expect(first).toMatch(/\/api\/calendar-feed\?token=/);
    await expectAccessible(e, desk, 'my sessions, calendar feed address');

    // Second device: the same address, shown without asking for a new one.
    const { page: phone } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone, 'sky.soto@example.gov');
    await phone.goto('/my-sessions');
    await expect.poll(() => feedField(phone).inputValue()).toBe(first);

    // Replacing asks first; "keep" changes nothing.
    await phone.getByRole('button', { name: 'Replace the address' }).click();
    await phone.getByRole('heading', { name: 'Replace your calendar feed address?' }).waitFor();
    await expectAccessible(e, phone, 'replace calendar feed, confirmation');
    await phone.getByRole('button', { name: 'Keep the current address' }).click();
    expect(await feedField(phone).inputValue()).toBe(first);
    await phone.getByRole('button', { name: 'Replace the address' }).click();
    await phone.getByRole('button', { name: 'Yes, replace the address' }).click();
    await phone.getByText('Your calendar feed has a new address.').waitFor();
    const second = await feedField(phone).inputValue();
    expect(second).not.toBe(first);

    const status = async (url: string) => (await fetch(url)).status;
    expect(await status(first)).toBe(404);
    expect(await status(second)).toBe(200);
    await desk.reload();
    await expect.poll(() => feedField(desk).inputValue()).toBe(second);
  });
});
