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

type Who = Role | 'anonymous';
const everyone: Who[] = ['anonymous', ...roles];
const signedIn: Who[] = [...roles];
const staff: Who[] = ['administrator', 'coordinator', 'reviewer', 'instructor'];
const admins: Who[] = ['administrator'];
const registrars: Who[] = ['administrator', 'coordinator'];

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
  'GET /api/jurisdictions': everyone,
  'GET /api/jurisdictions/:fips': everyone,
  'GET /api/profile': signedIn,
  'PATCH /api/profile': signedIn,
  'GET /api/people': staff,
  'POST /api/people': registrars,
  'GET /api/people/:id': staff,
  'PATCH /api/people/:id': registrars,
  'PUT /api/people/:id/roles': admins,
  'POST /api/people/:id/invite': registrars,
  'GET /api/audit': admins,
  'GET /api/outbox': admins,
  'GET /api/dashboard': staff,
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
  return url.replace(':id', targetId).replace(':fips', '20177').replace('*', 'index.css');
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
