/**
 * County supervisors (issue 17, item 3): a county clerk sees the officials of their counties,
 * their progress, ledger and transcripts, and registers them for sessions; an official of another
 * county is refused (403) on every route that takes a person or a registration, and is left out
 * of lists. Only an administrator grants the role, with at least one county.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  signInAs,
  type Client,
  type TestApp,
} from '../../testing/harness.js';
import { buildRegistration, buildSession } from '../../testing/scheduling.js';

const SHAWNEE = '20177';
const DOUGLAS = '20045';
const SEDGWICK = '20173';

let t: TestApp;
let admin: Client;
let clerk: Client;
let mine: { personId: string };
let theirs: { personId: string };
let sessionId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await clientWithRoles(t, ['administrator']);
  const clerkPerson = await buildPerson(t.db, {
    firstName: 'Sam',
    lastName: 'Supervisor',
    roles: ['official'],
    jurisdictionFips: SHAWNEE,
  });
  const set = await admin.request('PUT', `/api/people/${clerkPerson.personId}/roles`, {
    roles: ['supervisor', 'official'],
    counties: [SHAWNEE, SEDGWICK],
  });
  expect(set.status, set.body).toBe(200);
  expect(set.json.counties).toEqual([SEDGWICK, SHAWNEE]); // by FIPS code
  clerk = await signInAs(t, clerkPerson);
  mine = await buildPerson(t.db, { firstName: 'Maya', lastName: 'Mine', jurisdictionFips: SHAWNEE });
  theirs = await buildPerson(t.db, { firstName: 'Theo', lastName: 'Theirs', jurisdictionFips: DOUGLAS });
  sessionId = (await buildSession(t.db, { capacity: 10, minimum: 0 })).id;
});
afterAll(() => t?.close());

describe('a county supervisor', () => {
  it('lists only the people of their counties', async () => {
    const list = await clerk.request('GET', '/api/people?pageSize=100');
    expect(list.status).toBe(200);
    const counties = new Set(
      list.json.items.map((p: { jurisdiction: { fips: string } | null }) => p.jurisdiction?.fips),
    );
    expect([...counties].sort()).toEqual([SHAWNEE]);
    const ids = list.json.items.map((p: { id: string }) => p.id);
    expect(ids).toContain(mine.personId);
    expect(ids).not.toContain(theirs.personId);
    const csv = await clerk.request('GET', '/api/people/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('Mine');
    expect(csv.body).not.toContain('Theirs');
  });

  it('sees the dashboard figures of their counties only', async () => {
    const d = await clerk.request('GET', '/api/dashboard');
    expect(d.status).toBe(200);
    const shawneeAndSedgwick = await t.db
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('jurisdiction_fips', 'in', [SHAWNEE, SEDGWICK])
      .executeTakeFirstOrThrow();
    expect(d.json.counts.people).toBe(Number(shawneeAndSedgwick.n));
    expect(d.json.recentAudit).toEqual([]);
  });

  it('reads an official of their county, and is refused (403) one of another county, on every person route', async () => {
    for (const path of ['', '/progress', '/credits', '/transcript']) {
      const ok = await clerk.request('GET', `/api/people/${mine.personId}${path}`);
      expect(ok.status, `${path} of their county: ${ok.body}`).toBe(200);
      const no = await clerk.request('GET', `/api/people/${theirs.personId}${path}`);
      expect(no.status, `${path} of another county`).toBe(403);
      expect(no.json.detail).toMatch(/not in the counties you supervise/);
    }
  });

  it('is refused what the role does not give: changes, facts, claims review, reports', async () => {
    for (const [method, url, body] of [
      ['PATCH', `/api/people/${mine.personId}`, { phone: '785-555-0100' }],
      ['GET', `/api/people/${mine.personId}/facts`, undefined],
      ['POST', `/api/people/${mine.personId}/credits`, {}],
      ['GET', '/api/review', undefined],
      ['GET', '/api/reports/coverage', undefined],
    ] as const) {
      const res = await clerk.request(method, url, body);
      expect([403, 404], `${method} ${url}`).toContain(res.status);
    }
  });

  it('registers and cancels for an official of their county, and not for another county', async () => {
    const reg = await clerk.request('POST', `/api/sessions/${sessionId}/registrations`, {
      personId: mine.personId,
    });
    expect(reg.status, reg.body).toBe(201);
    const cancel = await clerk.request('POST', `/api/registrations/${reg.json.id}/cancel`, {});
    expect(cancel.status, cancel.body).toBe(200);
    const other = await clerk.request('POST', `/api/sessions/${sessionId}/registrations`, {
      personId: theirs.personId,
    });
    expect(other.status).toBe(403);
    const theirReg = await buildRegistration(t.db, sessionId, theirs.personId);
    const cancelOther = await clerk.request('POST', `/api/registrations/${theirReg}/cancel`, {});
    expect(cancelOther.status).toBe(403);
    const still = await t.db
      .selectFrom('registration')
      .select('status')
      .where('id', '=', theirReg)
      .executeTakeFirstOrThrow();
    expect(still.status).not.toBe('cancelled');
  });

  it('loses a county at once when the administrator takes it away', async () => {
    const before = await clerk.request('GET', `/api/people/${mine.personId}`);
    expect(before.status).toBe(200);
    const clerkId = (await clerk.request('GET', '/api/profile')).json.id;
    const set = await admin.request('PUT', `/api/people/${clerkId}/roles`, {
      roles: ['supervisor', 'official'],
      counties: [SEDGWICK],
    });
    expect(set.status).toBe(200);
    expect((await clerk.request('GET', `/api/people/${mine.personId}`)).status).toBe(403);
    await admin.request('PUT', `/api/people/${clerkId}/roles`, {
      roles: ['supervisor', 'official'],
      counties: [SHAWNEE, SEDGWICK],
    });
  });
});

describe('granting the role', () => {
  it('needs at least one real county, and only an administrator grants it', async () => {
    const p = await buildPerson(t.db);
    const none = await admin.request('PUT', `/api/people/${p.personId}/roles`, { roles: ['supervisor'] });
    expect(none.status).toBe(400);
    expect(none.json.errors[0].field).toBe('counties');
    const state = await admin.request('PUT', `/api/people/${p.personId}/roles`, {
      roles: ['supervisor'],
      counties: ['20000'],
    });
    expect(state.status).toBe(400);
    expect(state.json.errors[0].field).toBe('counties');
    const coordinator = await clientWithRoles(t, ['coordinator']);
    const byCoordinator = await coordinator.request('PUT', `/api/people/${p.personId}/roles`, {
      roles: ['supervisor'],
      counties: [SHAWNEE],
    });
    expect(byCoordinator.status).toBe(403);
    const off = await admin.request('PUT', `/api/people/${p.personId}/roles`, { roles: ['official'] });
    expect(off.json.counties).toEqual([]);
  });
});
