/**
 * Bulk notices from the certification sweep: a renewal reminder carries List-Unsubscribe and
 * List-Unsubscribe-Post, its one-click POST (no sign-in) turns renewal reminders off, idempotently,
 * the next reminder is not sent to that person while other kinds still are, and a forged or
 * malformed token is refused with a problem naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import {
  buildKansasCourses,
  buildEnrollment,
  factsChanged,
  programId,
  quickClient,
} from '../../testing/scheduling.js';
import { runCertificationSweep } from '../certification/evaluation.js';

let t: TestApp;
let official: Awaited<ReturnType<typeof quickClient>>;
let unsubscribeUrl: string;

beforeAll(async () => {
  t = await createTestApp({ smtp: true, env: { PUBLIC_URL: 'https://cert.example.gov' } });
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  const admin = await quickClient(t, ['administrator']);
  official = await quickClient(t, ['official'], { firstName: 'Rita', lastName: 'Renner' });
  const ks = await programId(t.db);
  await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
  await buildKansasCourses(t.db, official.personId);
  await factsChanged(t, official.personId);
  const r = await admin.request('POST', '/api/awards', { personId: official.personId, programId: ks });
  expect(r.status, r.body).toBe(201);
  expect(r.json.expiresOn).toBe('2028-12-31');
});
afterAll(() => t.close());

const onePost = (url: string) => {
  const u = new URL(url);
  return t.app.inject({
    method: 'POST',
    url: `${u.pathname}${u.search}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
};
const reminders = async () =>
  (
    await t.db
      .selectFrom('email_message')
      .select('id')
      .where('kind', '=', 'award.renewal-reminder')
      .where('to_address', '=', official.email)
      .execute()
  ).length;

describe('renewal reminders from the sweep', () => {
  it('carry List-Unsubscribe (https, one-click) and a footer saying where to turn them off', async () => {
    t.clock.now = new Date('2028-10-05T15:00:00Z'); // past the 90-day reminder, before the 30-day one
    await runCertificationSweep(t.deps);
    await t.deps.mailer.flush();
    const mail = await t.smtp!.waitFor((m) => m.to.includes(official.email) && /renewal due/.test(m.subject));
    expect(mail.headers).toMatch(/^Auto-Submitted: auto-generated$/im);
    expect(mail.headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
    unsubscribeUrl = /^List-Unsubscribe: <(https:\/\/[^>]+)>/im.exec(mail.headers)?.[1] ?? '';
    expect(unsubscribeUrl).toMatch(/^https:\/\/cert\.example\.gov\/api\/unsubscribe\?token=/);
    const text = mail.parts.find((p) => p.contentType.startsWith('text/plain'))!.body;
    const html = mail.parts.find((p) => p.contentType.startsWith('text/html'))!.body;
    expect(text).toContain(
      'Turn off renewal reminders on your profile: https://cert.example.gov/profile#notifications',
    );
    expect(html).toContain(
      '<a href="https://cert.example.gov/profile#notifications">Turn off renewal reminders on your profile</a>',
    );
    expect(text).toContain('See what your renewal still needs: https://cert.example.gov/progress');
  });

  it('the one-click POST turns them off without signing in, and again changes nothing', async () => {
    for (const _ of [1, 2]) {
      const r = await onePost(unsubscribeUrl);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ category: 'renewal-reminders' });
    }
    const prefs = await official.request('GET', '/api/profile/notifications');
    expect(prefs.json).toEqual({
      'renewal-reminders': false,
      'status-notices': true,
      'session-reminders': true,
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('actor_label')
      .where('action', '=', 'person.notifications.update')
      .where('entity_id', '=', official.personId)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('the next sweep sends that person no reminder, but still the lapse notice', async () => {
    expect(await reminders()).toBe(1);
    t.clock.now = new Date('2028-12-05T15:00:00Z'); // past the 30-day reminder
    await runCertificationSweep(t.deps);
    expect(await reminders()).toBe(1);
    t.clock.now = new Date('2029-04-02T15:00:00Z'); // lapsed
    await runCertificationSweep(t.deps);
    await t.deps.mailer.flush();
    await t.smtp!.waitFor((m) => m.to.includes(official.email) && /has lapsed/.test(m.subject));
    expect(
      t.smtp!.messages.filter((m) => m.to.includes(official.email) && /renewal due/.test(m.subject)),
    ).toHaveLength(1);
  });

  it('turning them on again from the profile brings them back', async () => {
    const r = await official.request('PUT', '/api/profile/notifications', { 'renewal-reminders': true });
    expect(r.status, r.body).toBe(200);
    expect(r.json['renewal-reminders']).toBe(true);
  });

  it('refuses a forged or malformed token with a problem naming the token', async () => {
    const u = new URL(unsubscribeUrl);
    const token = u.searchParams.get('token')!;
    const [personId, , sig] = token.split('.');
    const forged = [
      `${personId}.status-notices.${sig}`, // another kind with this signature
      `${official.personId.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}.renewal-reminders.${sig}`,
      `${personId}.renewal-reminders.${'A'.repeat(43)}`,
      'not-a-token',
    ];
    for (const f of forged) {
      const r = await onePost(`https://cert.example.gov/api/unsubscribe?token=${encodeURIComponent(f)}`);
      expect(r.statusCode, f).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json().errors?.[0]?.field ?? r.json().detail).toMatch(/token/);
    }
    const missing = await t.app.inject({ method: 'POST', url: '/api/unsubscribe' });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json())).toMatch(/token/);
    const prefs = await official.request('GET', '/api/profile/notifications');
    expect(prefs.json['status-notices']).toBe(true);
  });
});
