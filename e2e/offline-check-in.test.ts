/**
 * Issue 19, item 3, in Chromium: check-in without a network. An instructor opens the attendance
 * page online (the service worker keeps the app and the roster), loses the network, reloads, and
 * still sees the roster; what they save waits on the tablet with a sign saying how many changes
 * wait. Meanwhile a coordinator records one of the same people on the server. Back online, the
 * tablet sends its changes: the untouched person's credit appears, the conflicting one is shown,
 * not overwritten. An official's QR check-in while offline waits on the phone the same way and
 * is dated when scanned. Every page state is scanned with axe.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../src/server/testing/harness.js';
import {
  buildCourse,
  buildEnrollment,
  buildRegistration,
  buildSession,
  quickClient,
} from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, saveShot, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

const minutesOf = async (registrationId: string) =>
  (
    await e.t.db
      .selectFrom('registration')
      .select(['minutes_attended', 'checked_in_at'])
      .where('id', '=', registrationId)
      .executeTakeFirstOrThrow()
  ).minutes_attended;

/** Waits until the service worker controls the page, then loads it again so its reads are kept. */
async function underServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // The page's later reads (its code chunks, the signed-in person) are kept by the worker as they
  // arrive: let them finish before the network goes, as a phone that opened the app would have.
  await page.waitForLoadState('networkidle');
}

describe('check-in without a network, in Chromium', () => {
  it('an instructor records attendance offline; back online the credits appear and a conflict is shown, not overwritten', async () => {
    e.t.clock.now = new Date();
    const course = await buildCourse(e.t.db, {
      code: 'KS-Y1-03',
      title: 'Election Security',
      credits: [{ category: 'year-one', amount: 3 }],
    });
    const s = await buildSession(e.t.db, {
      courseId: course.id,
      startsAt: new Date(e.t.clock.now.getTime() - 60 * 60_000),
      minutes: 180,
    });
    await buildPerson(e.t.db, {
      email: 'ines.iqbal@example.gov',
      firstName: 'Ines',
      lastName: 'Iqbal',
      roles: ['coordinator'],
    });
    const olive = await buildPerson(e.t.db, { firstName: 'Olive', lastName: 'Ortiz' });
    const pat = await buildPerson(e.t.db, { firstName: 'Pat', lastName: 'Park' });
    for (const p of [olive, pat]) await buildEnrollment(e.t.db, p.personId);
    const oliveReg = await buildRegistration(e.t.db, s.id, olive.personId);
    const patReg = await buildRegistration(e.t.db, s.id, pat.personId);

    const { page, context } = await e.newPage({ viewport: { width: 1024, height: 768 } });
    await signIn(page, 'ines.iqbal@example.gov');
    await page.goto(`/sessions/${s.id}/attendance`);
    await page.getByRole('heading', { level: 1, name: 'Attendance: KS-Y1-03' }).waitFor();
    await underServiceWorker(page);
    await page.getByRole('heading', { level: 1, name: 'Attendance: KS-Y1-03' }).waitFor();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    // The roster is kept on the device once opened.
    const kept = await page.evaluate(async () =>
      (await (await caches.open('civiccert-data-v1')).keys()).map((r) => new URL(r.url).pathname),
    );
    expect(kept).toContain(`/api/sessions/${s.id}/roster`);

    // ---- The venue's Wi-Fi goes; the tablet reloads the page and still has the roster.
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Attendance: KS-Y1-03' }).waitFor();
    await page.getByLabel('Olive Ortiz').waitFor();
    expect(await mainText(page)).toContain(
      'You are offline. Attendance you save is kept on this tablet and sent when it is back online.',
    );
    await expectAccessible(e, page, 'attendance, offline');

    await page.getByLabel('Olive Ortiz').fill('180');
    await page.getByLabel('Pat Park').fill('90');
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByText('Saved on this tablet: 2 changes will be sent when it is back online.').waitFor();
    expect(await mainText(page)).toContain(
      'You are offline. 2 changes are stored on this tablet and will be sent when it is back online.',
    );
    expect(await page.getByText('Waiting to be sent').count()).toBe(2);
    expect(await minutesOf(oliveReg)).toBeNull();
    await expectAccessible(e, page, 'attendance, changes waiting offline');
    await saveShot(page, 'screenshot-attendance-offline');

    // A reload keeps what waits (stored on the device, not in the page).
    await page.reload();
    await page.getByLabel('Pat Park').waitFor();
    await expect.poll(() => page.getByLabel('Pat Park').inputValue()).toBe('90');
    expect(await mainText(page)).toContain('2 changes are stored on this tablet');

    // ---- Meanwhile a coordinator with a network records Pat for the whole session.
    const coordinator = await quickClient(e.t, ['coordinator']);
    const online = await coordinator.request('PUT', `/api/sessions/${s.id}/attendance`, {
      entries: [{ registrationId: patReg, minutesAttended: 180 }],
    });
    expect(online.status, online.body).toBe(200);

    // ---- Back online: Olive's minutes are sent and her credit appears; Pat's conflict is shown.
    await context.setOffline(false);
    const refused = page.getByRole('heading', { name: 'Changes this tablet could not save' });
    await refused.waitFor();
    await expect.poll(() => minutesOf(oliveReg)).toBe(180);
    expect(await minutesOf(patReg)).toBe(180); // not overwritten with the tablet's 90
    const text = await mainText(page);
    expect(text).toContain(
      'Pat Park: Changed on the server to 180 minutes since this device read no record; this device has 90 minutes.',
    );
    expect(text).not.toContain('stored on this tablet');
    await expect.poll(() => mainText(page)).toContain('2 of 2 people have a record.');
    const oliveRow = page.getByRole('row', { name: /Olive Ortiz/ });
    await expect.poll(() => oliveRow.innerText()).toMatch(/\b3\b/);
    await expect.poll(() => page.getByLabel('Pat Park').inputValue()).toBe('180');
    await expectAccessible(e, page, 'attendance, a conflict after reconnecting');
    await saveShot(page, 'screenshot-attendance-conflict');

    // The instructor keeps the server's value; nothing more is sent.
    await page.getByRole('button', { name: 'Keep the server’s value for Pat Park' }).click();
    await refused.waitFor({ state: 'detached' });
    expect(await minutesOf(patReg)).toBe(180);
  });

  it('an official checks in with the QR code while offline; it is sent later, dated when scanned', async () => {
    e.t.clock.now = new Date();
    const s = await buildSession(e.t.db, { startsAt: new Date(e.t.clock.now.getTime() - 10 * 60_000) });
    const official = await buildPerson(e.t.db, {
      email: 'quinn.quill@example.gov',
      firstName: 'Quinn',
      lastName: 'Quill',
    });
    const reg = await buildRegistration(e.t.db, s.id, official.personId);
    const { page, context } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, 'quinn.quill@example.gov');
    await underServiceWorker(page);

    await context.setOffline(true);
    const scanned = Date.now();
    await page.goto(`/check-in/${s.id}?code=${encodeURIComponent(s.checkinCode)}`);
    await page.getByRole('heading', { name: 'Your check-in is saved on this phone' }).waitFor();
    expect(await mainText(page)).toContain('You are offline. Your check-in is kept on this phone');
    await expectAccessible(e, page, 'check-in, offline');
    const before = await e.t.db
      .selectFrom('registration')
      .select('checked_in_at')
      .where('id', '=', reg)
      .executeTakeFirstOrThrow();
    expect(before.checked_in_at).toBeNull();

    e.t.clock.now = new Date(Date.now() + 5 * 60_000); // it reaches the server five minutes later
    await context.setOffline(false);
    await page.getByText('It has been sent, dated when you scanned the code.').waitFor();
    const after = await e.t.db
      .selectFrom('registration')
      .select('checked_in_at')
      .where('id', '=', reg)
      .executeTakeFirstOrThrow();
    const at = new Date(after.checked_in_at!).getTime();
    expect(at).toBeGreaterThanOrEqual(scanned - 1000);
    expect(at).toBeLessThan(scanned + 60_000);
  });
});
