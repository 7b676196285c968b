/**
 * The role matrix: every registered route, called by every role and by an
 * anonymous visitor, must allow or deny exactly as this table says. A route
 * that is not in the table fails the test, so no route ships unreviewed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../domain/authz/index.js';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  signInAs,
  type Client,
  type TestApp,
} from '../testing/harness.js';
import { buildClaim, buildClaimDocument } from '../testing/claims.js';

type Who = Role | 'anonymous';
const everyone: Who[] = ['anonymous', ...roles];
const signedIn: Who[] = [...roles];
const staff: Who[] = ['administrator', 'coordinator', 'reviewer', 'instructor'];
const admins: Who[] = ['administrator'];
const registrars: Who[] = ['administrator', 'coordinator'];
const selfRegistrars: Who[] = ['official', 'administrator', 'coordinator'];
const teachers: Who[] = ['administrator', 'coordinator', 'instructor'];
const ledgerReaders: Who[] = ['administrator', 'coordinator', 'reviewer'];
const claimReviewers: Who[] = ['administrator', 'reviewer'];

const matrix: Record<string, Who[]> = {
  'GET /healthz': everyone,
  'GET /readyz': everyone,
  'GET /api/openapi.json': everyone,
  'GET /api/docs': everyone,
  'GET /api/docs/static/*': everyone,
  'GET /api/docs/json': everyone,
  'GET /api/docs/yaml': everyone,
  'GET /api/docs/static/index.html': everyone,
  'GET /api/docs/static/swagger-initializer.js': everyone,
  'GET /api/session': everyone,
  'POST /api/session': everyone,
  'DELETE /api/session': signedIn,
  'POST /api/password/request': everyone,
  'POST /api/password/set': everyone,
  'POST /api/email/confirm': everyone,
  'GET /api/jurisdictions': everyone,
  'GET /api/jurisdictions/:fips': everyone,
  'GET /api/profile': signedIn,
  'PATCH /api/profile': signedIn,
  'GET /api/profile/second-factor': signedIn,
  'POST /api/profile/second-factor/setup': signedIn,
  'POST /api/profile/second-factor/confirm': signedIn,
  'POST /api/profile/second-factor/disable': signedIn,
  'GET /api/people/:id/second-factor': admins,
  'POST /api/people/:id/second-factor/reset': admins,
  'GET /api/people': staff,
  'POST /api/people': registrars,
  'GET /api/people/:id': staff,
  'PATCH /api/people/:id': registrars,
  'PUT /api/people/:id/roles': admins,
  'POST /api/people/:id/invite': registrars,
  'GET /api/audit': admins,
  'GET /api/outbox': admins,
  // Exports and reports (issue 7)
  'GET /api/people/export': staff,
  'GET /api/audit/export': admins,
  'GET /api/outbox/export': admins,
  'GET /api/jurisdictions/export': everyone,
  'GET /api/awards/export': registrars,
  'GET /api/awards/eligible/export': admins,
  'GET /api/renewals/due/export': registrars,
  'GET /api/reports/coverage': registrars,
  'GET /api/reports/coverage/export': registrars,
  'GET /api/reports/cohorts': registrars,
  'GET /api/reports/cohorts/export': registrars,
  'GET /api/reports/funnel': registrars,
  'GET /api/reports/funnel/export': registrars,
  'GET /api/reports/session-fill': registrars,
  'GET /api/reports/session-fill/export': registrars,
  'GET /api/reports/renewal': registrars,
  'GET /api/reports/renewal/export': registrars,
  'GET /api/reports/turnaround': registrars,
  'GET /api/reports/turnaround/export': registrars,
  'GET /api/reports/county-shapes/:stateFips': registrars,
  'GET /api/profile/export': signedIn,
  'GET /api/people/:id/export': admins,
  'GET /api/imports': admins,
  'GET /api/imports/:id': admins,
  'POST /api/imports': admins,
  'GET /api/dashboard': staff,
  // Outside-credit claims, review, staff entries, transcripts (issue 5)
  'GET /api/me/claims': signedIn,
  'POST /api/claims': signedIn,
  'GET /api/claims/:id': signedIn,
  'PATCH /api/claims/:id': signedIn,
  'POST /api/claims/:id/submit': signedIn,
  'POST /api/claims/:id/documents': signedIn,
  'POST /api/claims/:id/decision': claimReviewers,
  'PATCH /api/claims/:id/fee': registrars,
  'GET /api/claim-fees': registrars,
  'GET /api/claim-fees/export': registrars,
  'GET /api/review/claims': claimReviewers,
  'GET /api/review/claims/export': claimReviewers,
  'GET /api/claim-documents/:id': signedIn,
  'DELETE /api/claim-documents/:id': signedIn,
  'GET /api/programs/:id/reviewers': admins,
  'PUT /api/programs/:id/reviewers': admins,
  'POST /api/people/:id/credits': registrars,
  'GET /api/me/transcript': signedIn,
  'GET /api/people/:id/transcript': ledgerReaders,
  'GET /api/me/transcripts': signedIn,
  'POST /api/me/transcripts': signedIn,
  'GET /api/transcripts/:id/pdf': signedIn,
  'GET /api/verify/transcript/:code': everyone,
  // Programs, enrollment, catalog, sessions, attendance, credits (issue 4)
  'GET /api/programs': signedIn,
  'POST /api/programs': admins,
  'GET /api/programs/:id': signedIn,
  'PATCH /api/programs/:id': admins,
  'PUT /api/programs/:id/draft': admins,
  'POST /api/programs/:id/publish': admins,
  'GET /api/programs/:id/enrollments': registrars,
  'GET /api/programs/:id/enrollments/export': registrars,
  'POST /api/programs/:id/enrollments': registrars,
  'POST /api/programs/:id/enrollment-request': signedIn,
  'PATCH /api/enrollments/:id': registrars,
  'GET /api/me/enrollments': signedIn,
  'GET /api/courses': signedIn,
  'GET /api/courses/export': signedIn,
  'POST /api/courses': registrars,
  'GET /api/courses/:id': signedIn,
  'PATCH /api/courses/:id': registrars,
  'GET /api/events': signedIn,
  'POST /api/events': registrars,
  'GET /api/events/:id': signedIn,
  'PATCH /api/events/:id': registrars,
  'GET /api/sessions': signedIn,
  'GET /api/sessions/export': signedIn,
  'POST /api/sessions': registrars,
  'GET /api/sessions/below-minimum': registrars,
  'GET /api/sessions/:id': signedIn,
  'GET /api/sessions/:id/calendar.ics': signedIn,
  'PATCH /api/sessions/:id': registrars,
  'POST /api/sessions/:id/cancel': registrars,
  'POST /api/sessions/:id/registrations': selfRegistrars,
  'POST /api/registrations/:id/cancel': selfRegistrars,
  'GET /api/me/registrations': signedIn,
  'GET /api/sessions/:id/roster': teachers,
  'GET /api/sessions/:id/roster/export': teachers,
  'GET /api/sessions/:id/sign-in-sheet': teachers,
  'POST /api/sessions/:id/attendance/all-present': teachers,
  'PUT /api/sessions/:id/attendance': teachers,
  'GET /api/sessions/:id/check-in-code': teachers,
  'POST /api/sessions/:id/check-in': signedIn,
  'POST /api/me/calendar-feed': signedIn,
  'GET /api/calendar-feed': everyone,
  'GET /api/me/credits': signedIn,
  'GET /api/people/:id/credits': ledgerReaders,
  'POST /api/credits/:id/reverse': registrars,
  'GET /api/me/progress': signedIn,
  'GET /api/people/:id/progress': ledgerReaders,
  // Awards, certificates, verification, renewals (issue 6)
  'GET /api/awards/eligible': admins,
  'GET /api/awards': registrars,
  'POST /api/awards': admins,
  'POST /api/awards/bulk': admins,
  'GET /api/awards/summary': registrars,
  'GET /api/renewals/due': registrars,
  'GET /api/me/awards': signedIn,
  'GET /api/me/certification': signedIn,
  'GET /api/awards/:id': signedIn,
  'GET /api/awards/:id/certificate': signedIn,
  'POST /api/awards/:id/reissue': admins,
  'POST /api/awards/:id/revoke': admins,
  'GET /api/events/:id/ceremony-list': registrars,
  'GET /api/events/:id/plaque-orders': registrars,
  'GET /api/verify': everyone,
  'GET /api/verify/:number': everyone,
};

let t: TestApp;
const clients = new Map<Role, Client>();
let targetId: string;

beforeAll(async () => {
  t = await createTestApp();
  for (const r of roles) clients.set(r, await clientWithRoles(t, [r]));
  targetId = (await buildPerson(t.db)).personId;
});
afterAll(() => t.close());

function fill(url: string): string {
  return url
    .replace(':id', targetId)
    .replace(':fips', '20177')
    .replace(':number', 'KS-2027-000001')
    .replace('*', 'index.css');
}

async function call(who: Who, method: string, url: string): Promise<number> {
  const payload = method === 'GET' || method === 'DELETE' ? undefined : {};
  if (who === 'anonymous') {
    const res = await t.app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
    return res.statusCode;
  }
  // Signing out ends the session, so it gets a client of its own.
  const client =
    method === 'DELETE' && url === '/api/session' ? await clientWithRoles(t, [who]) : clients.get(who)!;
  return (await client.request(method, url, payload)).status;
}

describe('role matrix', () => {
  it('lists every registered route', () => {
    const registered = t.app.registeredRoutes.map((r) => `${r.method} ${r.url}`);
    const missing = registered.filter((k) => !(k in matrix));
    expect(missing, 'routes missing from the role matrix').toEqual([]);
    const stale = Object.keys(matrix).filter((k) => !registered.includes(k));
    expect(stale, 'matrix entries with no route').toEqual([]);
  });

  it('allows and denies every route for every role as the table says', async () => {
    const wrong: string[] = [];
    for (const { method, url } of t.app.registeredRoutes) {
      const allowed = matrix[`${method} ${url}`] ?? [];
      for (const who of everyone) {
        const status = await call(who, method, fill(url));
        const denied = status === 401 || status === 403;
        const expectDenied = !allowed.includes(who);
        if (status >= 500) wrong.push(`${who} ${method} ${url}: ${status}`);
        else if (denied !== expectDenied)
          wrong.push(`${who} ${method} ${url}: got ${status}, expected ${expectDenied ? 'deny' : 'allow'}`);
        else if (expectDenied)
          expect(status, `${who} ${method} ${url}`).toBe(who === 'anonymous' ? 401 : 403);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('denies a signed-in official another person even with a guessed id', async () => {
    const official = clients.get('official')!;
    expect((await official.request('GET', `/api/people/${targetId}`)).status).toBe(403);
    expect((await official.request('GET', `/api/people/${randomUUID()}`)).status).toBe(403);
    expect((await official.request('GET', `/api/people/${official.personId}`)).status).toBe(403);
    expect((await official.request('GET', '/api/profile')).json.id).toBe(official.personId);
  });

  it('never shows an official another official’s claim or document, nor a reviewer another program’s', async () => {
    const owner = await buildPerson(t.db);
    const claim = await buildClaim(t.db, owner.personId);
    const doc = await buildClaimDocument(t.db, claim);
    const official = clients.get('official')!;
    const reviewer = clients.get('reviewer')!; // reviews no program
    for (const who of [official, reviewer])
      for (const url of [
        `/api/claims/${claim}`,
        `/api/claim-documents/${doc}`,
        `/api/claims/${randomUUID()}`,
      ])
        expect((await who.request('GET', url)).status, url).toBe(404);
    const decide = await reviewer.request('POST', `/api/claims/${claim}/decision`, { decision: 'approve' });
    expect(decide.status).toBe(404);
    expect((await clients.get('administrator')!.request('GET', `/api/claims/${claim}`)).status).toBe(200);
  });

  it('re-checks roles on every request: a removed role stops working at once', async () => {
    const p = await buildPerson(t.db, { roles: ['coordinator'] });
    const c = await signInAs(t, p);
    expect((await c.request('GET', '/api/people')).status).toBe(200);
    await t.db
      .updateTable('user_account')
      .set({ roles: ['official'] })
      .where('id', '=', p.userId)
      .execute();
    expect((await c.request('GET', '/api/people')).status).toBe(403);
  });
});
