/**
 * Dashboards by role (issue 15, item 7) on the demo data: each staff role's
 * section with what it has waiting, each section for a person with several
 * roles; and the audit log naming people and recording sign-ins, failed
 * sign-ins and lockouts.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, createTestApp, signInAs, type TestApp } from '../../testing/harness.js';
import { runCertificationSweep } from '../certification/evaluation.js';
import { DEMO_PASSWORD, loadDemoData } from '../demo/demo.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { SIGN_IN_MAX_FAILURES: '3' } });
  await loadDemoData(t.deps);
  // What the app's certification job does within a minute of the first start: the queued statuses.
  await runCertificationSweep(t.deps);
}, 240_000);
afterAll(() => t.close());

const demo = (role: string) => signInAs(t, { email: `${role}@demo.civiccert.local` }, DEMO_PASSWORD);
const dashboardOf = async (role: string) => {
  const res = await (await demo(role)).request('GET', '/api/dashboard');
  expect(res.status).toBe(200);
  return res.json;
};

describe('dashboards by role on the demo data', () => {
  it("shows a reviewer the claims waiting in their programs, the oldest first, and no one else's section", async () => {
    const d = await dashboardOf('reviewer');
    expect(d.sections.reviewer.waiting).toBeGreaterThan(0);
    const days = d.sections.reviewer.oldest.map((c: { waitingDays: number }) => c.waitingDays);
    expect(days.length).toBeGreaterThan(0);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(d.sections.reviewer.oldest[0].person.displayName).toMatch(/\w+ \w+/);
    expect(d.sections.instructor).toBeNull();
    expect(d.sections.coordinator).toBeNull();
    expect(d.sections.administrator).toBeNull();
    // The audit log is the administrators': other staff get none of it.
    expect(d.recentAudit).toEqual([]);
  });

  it('shows an instructor the next sessions they teach, with their rosters', async () => {
    const d = await dashboardOf('instructor');
    const sessions = d.sections.instructor.sessions;
    expect(sessions.length).toBeGreaterThan(0);
    const starts = sessions.map((s: { session: { startsAt: string } }) => s.session.startsAt);
    expect(starts).toEqual([...starts].sort());
    expect(sessions[0].session.instructors.map((i: { displayName: string }) => i.displayName)).toContain(
      'Samuel Whitehorse',
    );
    expect(sessions.some((s: { roster: unknown[] }) => s.roster.length > 0)).toBe(true);
    expect(d.sections.reviewer).toBeNull();
  });

  it('shows a coordinator sessions below minimum, enrollment requests and waitlists', async () => {
    const d = await dashboardOf('coordinator');
    const c = d.sections.coordinator;
    expect(c.belowMinimum.length).toBeGreaterThan(0);
    expect(c.belowMinimum[0].shortBy).toBeGreaterThan(0);
    expect(c.enrollmentRequestsTotal).toBeGreaterThanOrEqual(3);
    expect(c.enrollmentRequests[0].program.code).toBe('igo-cpo');
    expect(c.waitlists.length).toBeGreaterThan(0);
    expect(c.waitlists[0].waitlistCount).toBeGreaterThan(0);
    expect(d.sections.administrator).toBeNull();
  });

  it('gives the coordinator a queue of enrollment requests, with one already declined and why', async () => {
    const coordinator = await demo('coordinator');
    const waiting = await coordinator.request('GET', '/api/enrollment-requests');
    expect(waiting.json.page.total).toBeGreaterThanOrEqual(3);
    const declined = await coordinator.request('GET', '/api/enrollment-requests?status=declined');
    expect(declined.json.items[0]).toMatchObject({ status: 'declined', program: { code: 'igo-cpo' } });
    expect(declined.json.items[0].declineReason).toMatch(/iGO membership/);
    expect(declined.json.items[0].decidedBy).not.toBeNull();
  });

  it('shows an administrator the awards due and the e-mails that failed', async () => {
    const d = await dashboardOf('admin');
    const a = d.sections.administrator;
    expect(a.awardsDueTotal).toBeGreaterThan(0);
    expect(a.awardsDue[0].person.displayName).toMatch(/\w+ \w+/);
    expect(a.failedEmailsTotal).toBe(2);
    expect(a.failedEmails[0].error).toMatch(/does not exist/);
    expect(d.sections.reviewer).toBeNull();
  });

  it("counts the administrator's figures as every person joined to their account would", async () => {
    const d = await dashboardOf('admin');
    const dayAgo = new Date(t.clock.now.getTime() - 86_400_000).toISOString();
    // The oracle: one row per person with their account, as the dashboard once counted them.
    const [c] = (
      await sql<{ people: number; officials: number; counties: number; emails: number }>`
        select count(*)::int as people,
               count(p.id) filter (where 'official' = any(u.roles))::int as officials,
               count(distinct p.jurisdiction_fips) filter (where 'official' = any(u.roles))::int as counties,
               (select count(*)::int from email_message where created_at > ${dayAgo}) as emails
          from person p left join user_account u on u.person_id = p.id`.execute(t.db)
    ).rows;
    expect(c!.officials).toBeGreaterThan(1);
    expect(c!.counties).toBeGreaterThan(1);
    expect(c!.emails).toBeGreaterThan(0);
    expect(d.counts).toEqual({
      people: c!.people,
      officials: c!.officials,
      countiesWithOfficials: c!.counties,
      emailsToday: c!.emails,
    });
  });

  it("gives a person with several roles each role's section", async () => {
    const both = await buildPerson(t.db, { roles: ['coordinator', 'reviewer', 'instructor'] });
    const d = (await (await signInAs(t, both)).request('GET', '/api/dashboard')).json;
    expect(d.sections.reviewer).not.toBeNull();
    expect(d.sections.instructor).toEqual({ sessions: [] });
    expect(d.sections.coordinator.belowMinimum.length).toBeGreaterThan(0);
    expect(d.sections.administrator).toBeNull();
  });
});

describe('the audit log', () => {
  const auditOf = async (action: string) => {
    const admin = await demo('admin');
    const res = await admin.request('GET', `/api/audit?action=${encodeURIComponent(action)}&pageSize=50`);
    expect(res.status).toBe(200);
    return res.json.items as {
      action: string;
      entityType: string;
      entityId: string | null;
      entityLabel: string | null;
      actorLabel: string;
      after: Record<string, unknown> | null;
    }[];
  };

  it('records a sign-in, a failed sign-in and a lockout, naming the account holder', async () => {
    const p = await buildPerson(t.db, { firstName: 'Lena', lastName: 'Lockwood', email: 'lena@example.gov' });
    await signInAs(t, p);
    const signIns = (await auditOf('auth.sign-in')).filter((e) => e.entityId === p.userId);
    expect(signIns.map((e) => e.action)).toContain('auth.sign-in');
    const ok = signIns.find((e) => e.action === 'auth.sign-in')!;
    expect(ok.entityLabel).toBe('Lena Lockwood');
    expect(ok.actorLabel).toBe('Lena Lockwood <lena@example.gov>');

    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email: 'lena@example.gov', password },
        remoteAddress: '10.9.9.9',
      });
    for (let i = 0; i < 3; i++) expect((await attempt(`guess ${i}`)).statusCode).toBe(401);
    expect((await attempt('guess 4')).statusCode).toBe(429);

    const failed = (await auditOf('auth.sign-in.failed')).filter((e) => e.entityId === p.userId);
    expect(failed).toHaveLength(3);
    expect(failed[0]!.entityLabel).toBe('Lena Lockwood');
    expect(failed[0]!.after).toMatchObject({ email: 'lena@example.gov', reason: 'wrong password' });
    const locked = (await auditOf('auth.sign-in.locked')).filter((e) => e.entityId === p.userId);
    expect(locked).toHaveLength(1);
    expect(locked[0]!.entityLabel).toBe('Lena Lockwood');

    // An address without an account is recorded too, naming nobody.
    await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'nobody@example.gov', password: 'x' },
      remoteAddress: '10.9.9.8',
    });
    const unknown = (await auditOf('auth.sign-in.failed')).find(
      (e) => e.after?.email === 'nobody@example.gov',
    );
    expect(unknown).toMatchObject({ entityId: null, entityLabel: null });
    expect(unknown!.after).toMatchObject({ reason: 'unknown e-mail address' });
  });

  it('names the person a change was about, not "person 1d53874a"', async () => {
    const admin = await demo('admin');
    const p = await buildPerson(t.db, { firstName: 'Nadia', lastName: 'Named' });
    const res = await admin.request('PATCH', `/api/people/${p.personId}`, { phone: '(785) 555-0199' });
    expect(res.status).toBe(200);
    const entries = (await auditOf('person.update')).filter((e) => e.entityId === p.personId);
    expect(entries[0]).toMatchObject({ entityType: 'person', entityLabel: 'Nadia Named' });
    // The dashboard's recent changes name them as well.
    const d = (await admin.request('GET', '/api/dashboard')).json;
    expect(d.recentAudit.find((e: { entityId: string }) => e.entityId === p.personId)?.entityLabel).toBe(
      'Nadia Named',
    );
  });
});
