/**
 * Session e-mails as mail clients see them: the invitation carries a text/calendar alternative
 * part (method=REQUEST, or CANCEL on a cancellation) besides the .ics attachment, so clients offer
 * accept and decline; a session reminder is a bulk notice with one-click unsubscribe, left out for
 * a person who turned session reminders off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { buildSession, quickClient } from '../../testing/scheduling.js';
import { sendDueReminders } from './messages.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ smtp: true, env: { PUBLIC_URL: 'https://cert.example.gov' } });
});
afterAll(() => t.close());

const partOf = (m: { parts: { contentType: string; disposition: string; body: string }[] }, re: RegExp) =>
  m.parts.filter((p) => re.test(p.contentType));

describe('session invitations', () => {
  it('carry a text/calendar method=REQUEST part and the .ics attachment; a cancellation, method=CANCEL', async () => {
    const session = await buildSession(t.db);
    const who = await quickClient(t, ['official'], { firstName: 'Ivy' });
    const r = await who.request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(r.status, r.body).toBe(201);
    await t.deps.mailer.flush();
    const invite = await t.smtp!.waitFor(
      (m) => m.to.includes(who.email) && /^You are registered/.test(m.subject),
    );
    expect(invite.headers).toMatch(/^Auto-Submitted: auto-generated$/im);
    expect(invite.headers).not.toMatch(/^List-Unsubscribe/im); // their own registration: transactional
    const calendars = partOf(invite, /^text\/calendar/i);
    const inline = calendars.filter((p) => !/attachment/i.test(p.disposition));
    const attached = calendars.filter((p) => /attachment/i.test(p.disposition));
    expect(inline, 'the alternative part').toHaveLength(1);
    expect(inline[0]!.contentType).toMatch(/method=REQUEST/i);
    expect(inline[0]!.body).toMatch(/\r?\nMETHOD:REQUEST\r?\n/);
    expect(attached.map((p) => p.disposition)).toEqual([expect.stringMatching(/filename="?invite\.ics/)]);
    expect(partOf(invite, /^text\/html/i)[0]!.body).toContain(
      `<a href="https://cert.example.gov/sessions/${session.id}">See the session and your registration</a>`,
    );

    const c = await who.request('POST', `/api/registrations/${r.json.id}/cancel`, {});
    expect(c.status, c.body).toBe(200);
    await t.deps.mailer.flush();
    const cancel = await t.smtp!.waitFor(
      (m) => m.to.includes(who.email) && /^Registration cancelled/.test(m.subject),
    );
    const cancelInline = partOf(cancel, /^text\/calendar/i).filter((p) => !/attachment/i.test(p.disposition));
    expect(cancelInline).toHaveLength(1);
    expect(cancelInline[0]!.contentType).toMatch(/method=CANCEL/i);
    expect(cancelInline[0]!.body).toMatch(/\r?\nMETHOD:CANCEL\r?\n/);
  });
});

describe('session reminders', () => {
  it('carry one-click unsubscribe, and are not sent to a person who turned them off', async () => {
    const session = await buildSession(t.db);
    const [keen, quiet] = [await quickClient(t), await quickClient(t)];
    for (const o of [keen, quiet])
      expect((await o.request('POST', `/api/sessions/${session.id}/registrations`, {})).status).toBe(201);
    const off = await quiet.request('PUT', '/api/profile/notifications', { 'session-reminders': false });
    expect(off.status, off.body).toBe(200);
    expect(off.json).toEqual({
      'renewal-reminders': true,
      'status-notices': true,
      'session-reminders': false,
    });
    expect(await sendDueReminders(t.deps, 31)).toBe(2);
    await t.deps.mailer.flush();
    const reminder = await t.smtp!.waitFor((m) => m.to.includes(keen.email) && /^Reminder/.test(m.subject));
    expect(reminder.headers).toMatch(
      /^List-Unsubscribe: <https:\/\/cert\.example\.gov\/api\/unsubscribe\?token=/im,
    );
    expect(reminder.headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
    const stored = await t.db
      .selectFrom('email_message')
      .select('to_address')
      .where('kind', '=', 'session.reminder')
      .execute();
    expect(stored.map((s) => s.to_address)).toEqual([keen.email]);
    expect(t.smtp!.messages.filter((m) => m.to.includes(quiet.email) && /^Reminder/.test(m.subject))).toEqual(
      [],
    );
  });
});
