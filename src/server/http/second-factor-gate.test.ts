/**
 * With STAFF_TOTP=required, a staff account that has not set up two-step
 * sign-in may only sign in and out, read its session and profile, and set up
 * the authenticator. Every other route it could otherwise use (lists,
 * changes, exports, reports, other people's records) answers 403
 * second-factor-setup-required. The allowed set is written out here, not
 * read from the code, so widening it fails this test.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublic, isTokenOnly, policy, type Action } from '../../domain/authz/index.js';
import { buildPerson, createTestApp, signInAs, type Client, type TestApp } from '../testing/harness.js';

let t: TestApp;
let staff: Client;
let staffPerson: { personId: string; userId: string; email: string };
beforeAll(async () => {
  t = await createTestApp({ env: { STAFF_TOTP: 'required' } });
  // Every role, so no route is refused for the roles alone: only the set-up gate can refuse.
  staffPerson = await buildPerson(t.db, {
    roles: ['administrator', 'coordinator', 'reviewer', 'instructor', 'official'],
  });
  staff = await signInAs(t, staffPerson);
});
afterAll(() => t.close());

/** The only signed-in routes open before set-up (GET /api/session is public, so always open). */
const allowedBeforeSetUp = new Set([
  'DELETE /api/session',
  'GET /api/profile',
  // The profile page shows the notification preferences beside the set-up link; reading one's own
  // is harmless (changing them is refused until the second factor is on).
  'GET /api/profile/notifications',
  'GET /api/profile/second-factor',
  'POST /api/profile/second-factor/setup',
  'POST /api/profile/second-factor/confirm',
]);

const GATE = /second-factor-setup-required$/;

function routeAction(method: string, url: string): Action {
  const route = t.app.registeredRoutes.find((r) => r.method === method && r.url === url);
  if (!route) throw new Error(`no route ${method} ${url}`);
  return route.action;
}

function fill(url: string, id: string): string {
  return url
    .replace(':id', id)
    .replace(':fips', '20177')
    .replace(':number', 'KS-2027-000001')
    .replace(':code', 'not-a-code')
    .replace(':stateFips', '20')
    .replace('*', 'index.css');
}

describe('STAFF_TOTP=required, second factor not set up', () => {
  it('the session says set-up is required', async () => {
    const res = await staff.request('GET', '/api/session');
    expect(res.status).toBe(200);
    expect(res.json.user.secondFactor).toEqual({ enabled: false, setupRequired: true });
  });

  it('refuses representative lists, changes, exports and reports with 403 second-factor-setup-required', async () => {
    const other = await buildPerson(t.db);
    const cases: [string, string, unknown?][] = [
      ['GET', '/api/people'],
      ['GET', `/api/people/${other.personId}`],
      ['GET', '/api/dashboard'],
      ['GET', '/api/review/claims'],
      ['GET', '/api/me/claims'],
      ['GET', '/api/me/credits'],
      [
        'POST',
        '/api/people',
        { firstName: 'New', lastName: 'Person', email: 'new.person@example.gov', sendInvite: false },
      ],
      ['PATCH', `/api/people/${other.personId}`, { title: 'County Treasurer' }],
      ['PUT', `/api/people/${other.personId}/roles`, { roles: ['administrator'] }],
      ['PATCH', '/api/profile', { phone: '785-555-0100' }],
      ['POST', '/api/profile/second-factor/disable', { code: '000000' }],
      ['GET', '/api/people/export'],
      ['GET', '/api/audit/export'],
      ['GET', '/api/reports/coverage/export'],
      ['GET', `/api/people/${other.personId}/export`],
      ['GET', '/api/profile/export'],
    ];
    for (const [method, url, body] of cases) {
      const res = await staff.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.json?.type, `${method} ${url}`).toMatch(GATE);
    }
    // Nothing was changed by the refused requests.
    expect(
      await t.db.selectFrom('person').select('id').where('email', '=', 'new.person@example.gov').execute(),
    ).toEqual([]);
    const roles = await t.db
      .selectFrom('user_account')
      .select('roles')
      .where('person_id', '=', other.personId)
      .executeTakeFirstOrThrow();
    expect(roles.roles).toEqual(['official']);
  });

  it('allows exactly sign-out, the session, the profile and the set-up routes; every other signed-in route is refused', async () => {
    const id = randomUUID();
    const open: string[] = [];
    const wrong: string[] = [];
    for (const { method, url, action } of t.app.registeredRoutes) {
      if (isPublic(action)) continue; // public routes need no account at all
      if (isTokenOnly(action)) continue; // no person's role reaches these (an API token's, issue 17)
      const key = `${method} ${url}`;
      // Signing out ends the session, so it gets a client of its own.
      const client = key === 'DELETE /api/session' ? await signInAs(t, staffPerson) : staff;
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const res = await client.request(method, fill(url, id), body);
      if (res.status >= 500) wrong.push(`${key}: ${res.status}`);
      const gated = res.status === 403 && GATE.test(String(res.json?.type));
      if (!gated) open.push(key);
    }
    expect(wrong).toEqual([]);
    expect(open.sort()).toEqual([...allowedBeforeSetUp].sort());
    // The allowed routes are for any signed-in account (none of them needs a staff role).
    for (const key of allowedBeforeSetUp) {
      const [method, url] = key.split(' ') as [string, string];
      expect(policy[routeAction(method, url)], key).toBe('signed-in');
    }
  });

  it('the allowed routes work: profile read, set-up started, sign-out', async () => {
    const c = await signInAs(t, staffPerson);
    const profile = await c.request('GET', '/api/profile');
    expect(profile.status).toBe(200);
    expect(profile.json.id).toBe(staffPerson.personId);
    expect((await c.request('GET', '/api/profile/second-factor')).json.required).toBe(true);
    const setup = await c.request('POST', '/api/profile/second-factor/setup');
    expect(setup.status, setup.body).toBe(200);
    expect(setup.json.secret).toEqual(expect.any(String));
    expect((await c.request('DELETE', '/api/session')).status).toBeLessThan(300);
    expect((await c.request('GET', '/api/profile')).status).toBe(401);
  });
});
