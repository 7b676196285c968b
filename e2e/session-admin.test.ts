/**
 * The coordinators' management screens in Chromium: a coordinator adds a
 * course, schedules a session of it (warned at the field about a start in the
 * past; a refusal by the server keeps no new event), is refused a capacity below the number
 * registered (at the field), raises it and sees who moved up from the
 * waitlist, cancels one registration on the roster and sees the next person
 * promoted, then cancels the session with a reason; the test SMTP server
 * catches the cancellation e-mail with METHOD:CANCEL. Axe on every page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import { buildRegistration, icsOf } from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, signIn, startE2E, wallClock, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe('coordinator manages the catalog and a session in Chromium', () => {
  it('adds a course, schedules it, changes capacity, cancels a registration and the session', async () => {
    await buildPerson(e.t.db, {
      email: 'casey.coordinator@example.gov',
      firstName: 'Casey',
      lastName: 'Lund',
      roles: ['coordinator'],
    });
    const { page } = await e.newPage();
    await signIn(page, 'casey.coordinator@example.gov');

    // ---- Add a course from the catalog.
    await page.goto('/catalog');
    await page.getByRole('heading', { level: 1, name: 'Course catalog' }).waitFor();
    await expectAccessible(e, page, 'course catalog (coordinator)');
    await page.getByRole('link', { name: 'Add a course' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add a course' }).waitFor();
    await expectAccessible(e, page, 'add a course');

    await page.getByRole('button', { name: 'Add course' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.locator('#programId-error').innerText()).toContain('Choose the program');
    expect(await page.locator('#title-error').innerText()).toContain('Enter the course title');
    await expectAccessible(e, page, 'add a course with errors');

    await page.locator('#programId').selectOption({ label: 'Kansas County Election Official Certification' });
    await page.locator('#code').fill('KS-Y1-09');
    await page.locator('#title').fill('Canvass and Certification');
    await page.locator('#description').fill('Running the county canvass and certifying results.');
    await page.locator('#topics').fill('Canvass\nCertification');
    await page.locator('#format').selectOption('in_person');
    await page.locator('#durationMinutes').fill('180');
    await page.locator('#credit-year-one').fill('3');
    // A prerequisite that is not a course code: the server's message lands at the field and in the summary.
    await page.locator('#prerequisites').fill('KS-Y1-01!');
    await page.getByRole('button', { name: 'Add course' }).click();
    await page.locator('#prerequisites-error').waitFor();
    expect(await page.locator('#prerequisites-error').innerText()).toContain('letters, digits');
    expect(await page.locator('.error-summary').innerText()).toContain('Prerequisites:');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await expectAccessible(e, page, 'add a course, refused by the server');
    await page.locator('#prerequisites').fill('');
    await page.getByRole('button', { name: 'Add course' }).click();
    await page.getByRole('heading', { level: 1, name: 'Course catalog' }).waitFor();
    await expect
      .poll(() => mainText(page))
      .toContain('Added KS-Y1-09: Canvass and Certification to the catalog.');
    await expect.poll(() => mainText(page)).toContain('3 Year One courses'); // the category's name, not its id
    await expectAccessible(e, page, 'catalog after adding a course');

    // ---- Schedule a session of it (the existing page), capacity 3.
    await page.goto('/sessions/new');
    await page.getByRole('heading', { level: 1, name: 'Schedule a session' }).waitFor();
    const zone = 'America/Chicago';
    const start = Math.ceil((Date.now() + 10 * 86_400_000) / 900_000) * 900_000;
    await page
      .locator('#courseId')
      .selectOption({ label: 'KS-Y1-09: Canvass and Certification (In person)' });
    await page.locator('#eventId').selectOption('new');
    await page.locator('#eventTitle').fill('Year One, Fall, Salina');
    await page.locator('#timeZone').selectOption(zone);
    await page.locator('#startsAt').fill(wallClock(start, zone));
    await page.locator('#endsAt').fill(wallClock(start + 3 * 3_600_000, zone));
    await page.locator('#capacity').fill('3');
    await page.locator('#minimum').fill('1');
    // A start already past is warned about at the field, without stopping the form.
    await page.locator('#startsAt').fill(wallClock(Date.now() - 2 * 86_400_000, zone));
    await expect.poll(() => page.locator('#startsAt-hint').innerText()).toContain('starts in the past');
    await expectAccessible(e, page, 'schedule form, start in the past');
    await page.locator('#startsAt').fill(wallClock(start, zone));
    await expect.poll(() => page.locator('#startsAt-hint').innerText()).not.toContain('in the past');
    // Refused by the server (in person, with no venue or address): the new event is not kept, so
    // the event list shows no event without sessions and "A new event…" stays chosen.
    await page.getByRole('button', { name: 'Schedule session' }).click();
    await page.locator('#venue-error').waitFor();
    expect(await page.locator('#venue-error').innerText()).toContain('venue or an address');
    await expectAccessible(e, page, 'schedule form, refused by the server');
    const salina = () =>
      e.t.db.selectFrom('event').select('id').where('title', '=', 'Year One, Fall, Salina').execute();
    expect(await salina()).toHaveLength(0);
    expect(await page.locator('#eventId').inputValue()).toBe('new');
    expect(await page.locator('#eventId option', { hasText: 'Year One, Fall, Salina' }).count()).toBe(0);
    await page.getByLabel('Venue').fill('Saline County Courthouse, Room 2');
    await expectAccessible(e, page, 'schedule form, filled');
    await page.getByRole('button', { name: 'Schedule session' }).click();
    await page.getByRole('heading', { level: 1, name: 'KS-Y1-09: Canvass and Certification' }).waitFor();
    await expect.poll(() => page.url()).toMatch(/\/sessions\/[0-9a-f-]{36}$/);
    const sessionPath = new URL(page.url()).pathname;
    const sessionId = sessionPath.split('/').pop()!;
    expect(await salina()).toHaveLength(1);

    // Three people registered and three waitlisted, in this order.
    const people: { name: string; email: string }[] = [];
    const add = async (first: string, last: string, status: 'confirmed' | 'waitlisted') => {
      const p = await buildPerson(e.t.db, { firstName: first, lastName: last });
      await buildRegistration(e.t.db, sessionId, p.personId, status);
      people.push({ name: `${first} ${last}`, email: p.email });
    };
    await add('Ann', 'Abbott', 'confirmed');
    await add('Ben', 'Baker', 'confirmed');
    await add('Cara', 'Chen', 'confirmed');
    await add('Dee', 'Diaz', 'waitlisted');
    await add('Eli', 'Evans', 'waitlisted');
    await add('Fay', 'Foster', 'waitlisted');

    // ---- Edit: a capacity below the number registered is refused at the field.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'KS-Y1-09: Canvass and Certification' }).waitFor();
    await expect.poll(() => mainText(page)).toContain('3 registered, 3 on the waitlist');
    await page.getByRole('link', { name: 'Edit session' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit session: KS-Y1-09' }).waitFor();
    expect(await page.locator('#capacity').inputValue()).toBe('3');
    expect(await page.locator('#startsAt').inputValue()).toBe(wallClock(start, zone));
    await expectAccessible(e, page, 'edit session');
    await page.locator('#capacity').fill('2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    const capacityError = await page.locator('#capacity-error').innerText();
    expect(capacityError.length).toBeGreaterThan(10);
    expect(await page.locator('.error-summary').innerText()).toContain(
      `Capacity: ${capacityError.replace(/^Error:?\s*/, '')}`,
    );
    // The summary has focus, so a screen reader announces the problem.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await expectAccessible(e, page, 'edit session, capacity refused');

    // ---- Raising it moves the first two waitlisted people up.
    await page.locator('#capacity').fill('5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'KS-Y1-09: Canvass and Certification' }).waitFor();
    await expect
      .poll(() => mainText(page))
      .toContain(
        'Capacity raised from 3 to 5: 2 people were moved from the waitlist and e-mailed (Dee Diaz, Eli Evans).',
      );
    // The notice can show before the session's seats are fetched again (seen under load in CI).
    await expect.poll(() => mainText(page)).toContain('5 registered, 1 on the waitlist');
    await expectAccessible(e, page, 'session after raising capacity');
    await e.t.smtp!.waitFor((m) => m.to.includes(people[4]!.email) && /seat opened up/.test(m.subject));

    // ---- Roster: cancel Ann Abbott's registration; Fay Foster gets the seat.
    await page.getByRole('link', { name: 'Roster' }).click();
    await page.getByRole('heading', { level: 1, name: 'Roster: KS-Y1-09' }).waitFor();
    await expectAccessible(e, page, 'roster');
    await page.getByRole('button', { name: 'Cancel registration of Ann Abbott' }).click();
    await page.getByRole('heading', { name: 'Cancel Ann Abbott’s registration' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('registration-reason');
    await page.getByRole('button', { name: 'Cancel the registration' }).click();
    await page.locator('#registration-reason-error').waitFor();
    await expectAccessible(e, page, 'roster, cancelling without a reason');
    await page.locator('#registration-reason').fill('Asked by phone to be taken off.');
    await page.getByRole('button', { name: 'Cancel the registration' }).click();
    await expect
      .poll(() => mainText(page))
      .toContain('Fay Foster was moved from the waitlist to the freed seat and e-mailed.');
    const registered = page.getByRole('table', { name: /Registered for KS-Y1-09/ });
    await expect.poll(() => registered.innerText()).toContain('Fay Foster');
    expect(await registered.innerText()).not.toContain('Ann Abbott');
    expect(await mainText(page)).toContain('No one is on the waitlist.');
    await expectAccessible(e, page, 'roster after a cancellation');
    await e.t.smtp!.waitFor((m) => m.to.includes(people[5]!.email) && /seat opened up/.test(m.subject));

    // ---- Rename the event.
    await page.getByRole('link', { name: 'Session details' }).click();
    await page.getByRole('heading', { level: 1, name: 'KS-Y1-09: Canvass and Certification' }).waitFor();
    await page.getByRole('link', { name: 'Edit event “Year One, Fall, Salina”' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit event' }).waitFor();
    expect(await page.locator('#title').inputValue()).toBe('Year One, Fall, Salina');
    await expectAccessible(e, page, 'edit event');
    await page.locator('#title').fill('Year One, Fall, Salina (Saline County)');
    await page.getByRole('button', { name: 'Save event' }).click();
    await page.getByRole('heading', { level: 1, name: 'KS-Y1-09: Canvass and Certification' }).waitFor();
    await expect
      .poll(() => mainText(page))
      .toContain('Saved the event “Year One, Fall, Salina (Saline County)”.');

    // ---- Cancel the session, with a reason and a confirmation that says who is e-mailed.
    await page.getByRole('button', { name: 'Cancel this session' }).click();
    await page.getByRole('heading', { name: 'Cancel this session' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cancel-reason');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#cancel-reason-error').waitFor();
    await expectAccessible(e, page, 'cancel session, reason missing');
    await page.locator('#cancel-reason').fill('The courthouse is closed for repairs.');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Cancel KS-Y1-09 on this date?' }).waitFor();
    expect(await mainText(page)).toContain(
      '5 people registered and 0 people on the waitlist will be e-mailed',
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cancel-session-heading');
    await expectAccessible(e, page, 'cancel session, confirmation');
    await page.getByRole('button', { name: 'Yes, cancel the session' }).click();
    await expect.poll(() => mainText(page)).toContain('The session is cancelled.');
    await expect.poll(() => page.locator('main .usa-tag').first().textContent()).toBe('Cancelled');
    expect(await page.getByRole('button', { name: 'Cancel this session' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit session' }).count()).toBe(0);
    await expectAccessible(e, page, 'session cancelled');

    const mail = await e.t.smtp!.waitFor(
      (m) => m.to.includes(people[1]!.email) && /^Session cancelled/.test(m.subject),
    );
    expect(mail.text).toContain('The courthouse is closed for repairs.');
    const ics = icsOf(mail);
    expect(ics).toContain('\r\nMETHOD:CANCEL\r\n');
    expect(ics).toContain('\r\nSTATUS:CANCELLED\r\n');
  });
});
