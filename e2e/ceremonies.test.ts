/**
 * Issue 15 item 1 in Chromium: ceremonies are a thing, not a label. An administrator sees on the
 * eligible list only the ceremonies that have happened or are today (a ceremony months away is
 * listed with its lists but not offered), awards an official at the recognition ceremony right
 * after a Year Three session, follows the award to the ceremony's page, downloads the ceremony
 * list, and moves the plaque from to order to ordered to delivered. A second journey loads the
 * demo and shows its ceremony page (E2E_SHOTS saves docs/screenshot-ceremony.png). Axe on every page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../src/server/modules/demo/demo.service.js';
import { buildPerson } from '../src/server/testing/harness.js';
import {
  buildCredit,
  buildEnrollment,
  buildSession,
  factsChanged,
  programId,
} from '../src/server/testing/scheduling.js';
import {
  downloadLink,
  expectAccessible,
  mainText,
  navTo,
  saveShot,
  signIn,
  startE2E,
  zonedTime,
  type E2E,
} from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe('ceremonies in Chromium', () => {
  it('awards at today’s ceremony after a Year Three session, not at one months away; lists and plaques from the ceremony page', async () => {
    e.t.clock.now = new Date('2027-04-12T22:30:00Z'); // 17:30 CDT in Topeka
    await buildPerson(e.t.db, { email: 'cara.admin@example.gov', roles: ['administrator'] });
    const official = await buildPerson(e.t.db, {
      email: 'rosa.reyes@example.gov',
      firstName: 'Rosa',
      lastName: 'Reyes',
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
    // Today's Year Three session, 13:00–16:00 CDT, and the recognition ceremony right after it.
    const y3 = await buildSession(e.t.db, { startsAt: new Date('2027-04-12T18:00:00Z'), minutes: 180 });
    const ceremony = await e.t.db
      .insertInto('event')
      .values({
        program_id: ks,
        title: 'Recognition ceremony for the journey, Spring 2027, Topeka',
        kind: 'ceremony',
        follows_session_id: y3.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hays = await e.t.db
      .insertInto('event')
      .values({
        program_id: ks,
        title: 'Year Three, Summer 2027, Hays',
        kind: 'ceremony',
        held_on: '2027-07-15',
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const { page } = await e.newPage();
    await signIn(page, 'cara.admin@example.gov');
    await navTo(page, 'Awards');
    await page.getByRole('heading', { level: 1, name: 'Eligible for award' }).waitFor();
    await page.getByRole('rowheader', { name: 'Rosa Reyes' }).waitFor();
    const offered = await page.locator('#award-event option').allInnerTexts();
    expect(offered).toContain('Recognition ceremony for the journey, Spring 2027, Topeka');
    expect(offered).not.toContain('Year Three, Summer 2027, Hays');
    // Both ceremonies are listed with their ceremony and plaque lists.
    const ceremonies = page.getByTestId('ceremony-events');
    await ceremonies.getByRole('link', { name: 'Year Three, Summer 2027, Hays', exact: true }).waitFor();
    expect(await ceremonies.innerText()).toContain('Jul 15, 2027');
    expect(
      await ceremonies
        .getByRole('link', { name: /CSV of the plaque orders for Recognition ceremony for the journey/ })
        .getAttribute('href'),
    ).toBe(`/api/events/${ceremony.id}/plaque-orders?format=csv`);
    await expectAccessible(e, page, 'eligible list with ceremonies');

    await page.locator('label.usa-checkbox__label', { hasText: 'Award Rosa Reyes' }).click();
    await page
      .locator('#award-event')
      .selectOption({ label: 'Recognition ceremony for the journey, Spring 2027, Topeka' });
    await page.getByRole('button', { name: 'Award 1 selected' }).click();
    await page.getByRole('heading', { name: 'Awards made' }).waitFor();
    await page.getByRole('link', { name: /Rosa Reyes \(KS-2027-\d+\)/ }).click();
    await page.getByRole('heading', { level: 1, name: /Rosa Reyes/ }).waitFor();
    expect(await mainText(page)).toContain('To order');
    await expectAccessible(e, page, 'award with its ceremony');

    // From the award to the ceremony's page.
    await page
      .getByRole('link', { name: 'Recognition ceremony for the journey, Spring 2027, Topeka' })
      .first()
      .click();
    await page
      .getByRole('heading', { level: 1, name: 'Recognition ceremony for the journey, Spring 2027, Topeka' })
      .waitFor();
    expect(await page.getByTestId('event-kind').innerText()).toBe('Recognition ceremony');
    const when = await page.getByTestId('event-when').innerText();
    expect(when).toMatch(/^Right after /);
    expect(when).toContain(zonedTime(Date.parse('2027-04-12T21:00:00Z'), 'America/Chicago')); // 4:00 PM CDT
    await expectAccessible(e, page, 'ceremony page');
    const list = await downloadLink(page, /^CSV of the ceremony list/);
    expect(list.filename).toBe(`ceremony-list-${ceremony.id}.csv`);
    expect(list.text).toContain('Rosa Reyes');
    const pdf = await downloadLink(page, /^PDF of the plaque orders/);
    expect(pdf.filename).toBe(`plaque-orders-${ceremony.id}.pdf`);
    expect(pdf.text.startsWith('%PDF-')).toBe(true);

    // The plaque: to order → ordered → delivered.
    expect(await page.getByTestId('plaque-counts').innerText()).toBe(
      'Plaques: 1 to order, 0 ordered, 0 delivered.',
    );
    await page.getByRole('button', { name: 'Mark ordered for Rosa Reyes' }).click();
    await page.getByRole('button', { name: 'Mark delivered for Rosa Reyes' }).waitFor();
    expect(await page.getByTestId('plaque-counts').innerText()).toBe(
      'Plaques: 0 to order, 1 ordered, 0 delivered.',
    );
    await expectAccessible(e, page, 'ceremony page, plaque ordered');
    await page.getByRole('button', { name: 'Mark delivered for Rosa Reyes' }).click();
    await page
      .getByRole('button', { name: 'Back to “to order”' })
      .waitFor({ state: 'detached' })
      .catch(() => {});
    await expect
      .poll(() => page.getByTestId('plaque-counts').innerText())
      .toBe('Plaques: 0 to order, 0 ordered, 1 delivered.');
    const plaques = await downloadLink(page, /^CSV of the plaque orders/);
    expect(plaques.text).toMatch(/Rosa Reyes.*"Delivered"/);

    // The edit page offers the kind; the session page links to its event.
    await page.getByRole('link', { name: 'Edit event' }).click();
    await page.getByLabel('Kind').waitFor();
    expect(await page.getByLabel('Kind').inputValue()).toBe('ceremony');
    expect(await page.getByLabel('Right after').inputValue()).toBe(y3.id);
    await expectAccessible(e, page, 'edit ceremony');

    // A ceremony with its own date is paired with the Year Three session from its edit page: it
    // then takes place right after that session, and its own date is no longer asked for.
    await page.goto(`/events/${hays.id}/edit`);
    await page.getByLabel('Right after').waitFor();
    expect(await page.getByLabel('Right after').inputValue()).toBe('');
    await page.getByLabel('Date').waitFor();
    await expect.poll(() => page.locator(`#followsSessionId option[value="${y3.id}"]`).count()).toBe(1);
    await page.getByLabel('Right after').selectOption(y3.id);
    expect(await page.getByLabel('Date').count()).toBe(0);
    await expectAccessible(e, page, 'edit ceremony, paired with a session');
    await page.getByRole('button', { name: 'Save event' }).click();
    await page.getByText('Saved the event “Year Three, Summer 2027, Hays”.').waitFor();
    await page.goto(`/events/${hays.id}`);
    await page.getByRole('heading', { level: 1, name: 'Year Three, Summer 2027, Hays' }).waitFor();
    await expect.poll(() => page.getByTestId('event-when').innerText()).toMatch(/^Right after /);
    await page.goto(`/sessions/${y3.id}`);
    await page.getByRole('link', { name: /^Event “/ }).waitFor();
    await expectAccessible(e, page, 'session with its event link');
  }, 180_000);

  it('shows the demo’s ceremony, with plaques delivered, ordered and to order', async () => {
    // A directory of its own: the demo loads only into an empty one, and the journey above has
    // already added people to the shared one.
    const d = await startE2E();
    try {
      await demoCeremony(d);
    } finally {
      await d.close();
    }
  }, 300_000);
});

async function demoCeremony(e: E2E): Promise<void> {
  e.t.clock.now = new Date();
  await loadDemoData(e.t.deps);
  const { page } = await e.newPage({ viewport: { width: 1100, height: 900 } });
  await buildPerson(e.t.db, { email: 'dee.admin@example.gov', roles: ['administrator'] });
  await signIn(page, 'dee.admin@example.gov');
  // The demo's ceremony (the journey above links to a ceremony from the eligible list).
  const demo = await e.t.db
    .selectFrom('event')
    .select('id')
    .where('kind', '=', 'ceremony')
    .where('title', 'like', 'Year Three recognition ceremony, Spring %, Topeka')
    .executeTakeFirstOrThrow();
  await page.goto(`/events/${demo.id}`);
  await page.getByRole('heading', { level: 1, name: /Year Three recognition ceremony/ }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Awards made here' }).waitFor();
  await page.waitForLoadState('networkidle');
  expect(await page.getByTestId('plaque-counts').innerText()).toBe(
    'Plaques: 1 to order, 1 ordered, 1 delivered.',
  );
  await expectAccessible(e, page, 'demo ceremony page');
  await saveShot(page, 'screenshot-ceremony');
}
