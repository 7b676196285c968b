/**
 * API tokens and providers' rosters (issue 17, items 5 and 7): created by an administrator and
 * shown once, stored as a hash, refused without the scope (403) or once revoked or expired (401),
 * never a web session, every use audited; a roster posted twice writes credits once, and a bad
 * row is reported by row and field with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../auth/tokens.js';
import { buildProvider, withToken } from '../../testing/api-tokens.js';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  type Client,
  type TestApp,
} from '../../testing/harness.js';
import { buildRegistration, buildSession, programId } from '../../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let riverside: string; // a provider
let ownSession: string; // a session of Riverside's course, started yesterday
let otherSession: string; // a session of a course Riverside does not give
let people: { personId: string; email: string; registrationId: string }[];
let ks: string;

async function createToken(body: Record<string, unknown>) {
  const res = await admin.request('POST', '/api/api-tokens', { expiresInDays: 30, ...body });
  expect(res.status, res.body).toBe(201);
  return res.json as { token: { id: string }; secret: string };
}

const liveCredits = async (sessionId: string) =>
  t.db
    .selectFrom('credit_record')
    .select(['person_id', 'amount', 'reverses_id'])
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .execute();

beforeAll(async () => {
  t = await createTestApp();
  admin = await clientWithRoles(t, ['administrator']);
  ks = await programId(t.db);
  const yesterday = new Date(t.clock.now.getTime() - 86_400_000);
  const own = await buildSession(t.db, { startsAt: yesterday, course: { sponsored: true } });
  ownSession = own.id;
  otherSession = (await buildSession(t.db, { startsAt: yesterday })).id;
  riverside = await buildProvider(t.db, 'Riverside Training Institute', [own.courseId]);
  people = [];
  for (let i = 0; i < 3; i++) {
    const p = await buildPerson(t.db);
    people.push({ ...p, registrationId: await buildRegistration(t.db, ownSession, p.personId) });
  }
  await t.db
    .updateTable('person')
    .set({ external_id: 'EMP-0002' })
    .where('id', '=', people[1]!.personId)
    .execute();
});
afterAll(() => t.close());

describe('API tokens', () => {
  it('shows the secret once, stores only its hash, and lists the token without it', async () => {
    const { token, secret } = await createToken({
      name: 'Riverside LMS',
      scopes: ['credits:write'],
      providerId: riverside,
    });
    expect(secret).toMatch(/^cct_[A-Za-z0-9_-]{43}$/);
    const row = await t.db
      .selectFrom('api_token')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(4));
    const list = await admin.request('GET', '/api/api-tokens');
    expect(list.status).toBe(200);
    expect(list.body).not.toContain(secret.slice(8));
    const listed = list.json.items.find((x: { id: string }) => x.id === token.id);
    expect(listed).toMatchObject({
      name: 'Riverside LMS',
      scopes: ['credits:write'],
      provider: { name: 'Riverside Training Institute' },
      status: 'active',
      lastUsedAt: null,
    });
    expect(listed.hint).toBe(`${secret.slice(0, 8)}…`);
    expect(listed.createdBy).toMatch(/^Test Person/);
  });

  it('refuses a token without the scope (403, naming it) and allows one with it', async () => {
    const { secret } = await createToken({ name: 'Reporting', scopes: ['reports:read'] });
    const api = withToken(t, secret);
    const roster = await api('POST', `/api/sessions/${ownSession}/roster`, {
      rows: [{ email: people[0]!.email, minutes: 180 }],
    });
    expect(roster.status, roster.body).toBe(403);
    expect(roster.json.detail).toContain('credits:write');
    expect(await liveCredits(ownSession)).toEqual([]);
    const report = await api('GET', `/api/reports/coverage?programId=${ks}`);
    expect(report.status, report.body).toBe(200);
  });

  it('opens no session, session-only route or web page', async () => {
    const { secret } = await createToken({ name: 'Everything', scopes: ['credits:write', 'reports:read'] });
    const api = withToken(t, secret);
    const signIn = await api('POST', '/api/session', { email: 'x@example.gov', password: 'whatever-it-is' });
    expect(signIn.status).toBe(403);
    expect(signIn.headers['set-cookie']).toBeUndefined();
    for (const url of ['/api/profile', '/api/people', '/api/api-tokens', '/api/session']) {
      const res = await api('GET', url);
      expect(res.status, url).toBe(403);
      expect(res.json.type).toMatch(/forbidden$/);
    }
    // A session cookie sent beside the token does not make it a person's request.
    const withCookie = await api('GET', '/api/api-tokens', undefined, { cookie: admin.cookie });
    expect(withCookie.status).toBe(403);
    expect((await api('GET', '/')).status).toBe(403);
    expect((await api('GET', '/admin/api-tokens')).status).toBe(403);
  });

  it('answers 401 to a revoked, an expired or an unknown token', async () => {
    const { token, secret } = await createToken({
      name: 'Short-lived',
      scopes: ['reports:read'],
      expiresInDays: 1,
    });
    const api = withToken(t, secret);
    const url = `/api/reports/coverage?programId=${ks}`;
    expect((await api('GET', url)).status).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 2 * 86_400_000);
    try {
      const expired = await api('GET', url);
      expect(expired.status).toBe(401);
      expect(expired.json.detail).toContain('expired');
      expect(expired.headers['www-authenticate']).toContain('Bearer');
    } finally {
      t.clock.now = new Date(t.clock.now.getTime() - 2 * 86_400_000);
    }
    const revoked = await admin.request('POST', `/api/api-tokens/${token.id}/revoke`, {});
    expect(revoked.status, revoked.body).toBe(200);
    expect(revoked.json).toMatchObject({
      status: 'revoked',
      revokedBy: expect.stringMatching(/^Test Person/),
    });
    const after = await api('GET', url);
    expect(after.status).toBe(401);
    expect(after.json.detail).toContain('revoked');
    expect((await admin.request('POST', `/api/api-tokens/${token.id}/revoke`, {})).status).toBe(409);
    const unknown = withToken(t, `cct_${'A'.repeat(43)}`);
    expect((await unknown('GET', url)).status).toBe(401);
    expect((await withToken(t, 'not-a-token')('GET', url)).status).toBe(401);
  });

  it('audits every use, allowed or refused, and shows the last use', async () => {
    const { token, secret } = await createToken({ name: 'Audited', scopes: ['reports:read'] });
    const api = withToken(t, secret);
    await api('GET', `/api/reports/coverage?programId=${ks}`);
    await api('GET', '/api/people');
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label', 'after'])
      .where('entity_id', '=', token.id)
      .where('action', 'like', 'api-token.%')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['api-token.create', 'api-token.use', 'api-token.refused']);
    expect(rows[1]!.after).toMatchObject({ method: 'GET', route: '/api/reports/coverage', status: 200 });
    expect(rows[2]!.after).toMatchObject({ route: '/api/people', status: 403 });
    expect(rows[1]!.actor_label).toMatch(/^API token "Audited" \(cct_/);
    const listed = (await admin.request('GET', '/api/api-tokens')).json.items.find(
      (x: { id: string }) => x.id === token.id,
    );
    expect(listed.lastUsedAt).not.toBeNull();
    expect(listed.lastUsedIp).toBeTruthy();
  });

  it('checks what an administrator types', async () => {
    const res = await admin.request('POST', '/api/api-tokens', {
      name: 'x',
      scopes: ['everything'],
      expiresInDays: 1000,
    });
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'expiresInDays',
      'scopes.0',
    ]);
    const noProvider = await admin.request('POST', '/api/api-tokens', {
      name: 'x',
      scopes: ['credits:write'],
      expiresInDays: 10,
      providerId: '00000000-0000-4000-8000-000000000000',
    });
    expect(noProvider.status).toBe(400);
    expect(noProvider.json.errors[0].field).toBe('providerId');
  });
});

describe('provider rosters', () => {
  let api: ReturnType<typeof withToken>;
  beforeAll(async () => {
    api = withToken(
      t,
      (await createToken({ name: 'Riverside roster', scopes: ['credits:write'], providerId: riverside }))
        .secret,
    );
  });

  it('reports each bad row by row and field and records nothing', async () => {
    const res = await api('POST', `/api/sessions/${ownSession}/roster`, {
      rows: [
        { email: people[0]!.email, minutes: 180 },
        { email: 'nobody@example.gov', minutes: 180 },
        { minutes: 60 },
        { externalId: 'EMP-0002', minutes: -5 },
      ],
    });
    expect(res.status, res.body).toBe(400);
    expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual(['rows.3.minutes']);
    const lookup = await api('POST', `/api/sessions/${ownSession}/roster`, {
      rows: [
        { email: people[0]!.email, minutes: 180 },
        { email: 'nobody@example.gov', minutes: 180 },
        { minutes: 60 },
        { externalId: 'EMP-0002', minutes: 170 },
        { email: people[0]!.email, minutes: 150 },
      ],
    });
    expect(lookup.status, lookup.body).toBe(400);
    expect(lookup.json.errors).toEqual([
      { field: 'rows.1.email', message: 'Row 2: no one has this e-mail address.' },
      { field: 'rows.2.email', message: 'Row 3: give the person’s email or externalId.' },
      { field: 'rows.4.email', message: 'Row 5: this person is already on row 1.' },
    ]);
    expect(await liveCredits(ownSession)).toEqual([]);
    const minutes = await t.db
      .selectFrom('registration')
      .select('minutes_attended')
      .where('session_id', '=', ownSession)
      .execute();
    expect(minutes.every((m) => m.minutes_attended === null)).toBe(true);
  });

  it('writes credits once when the same roster is posted twice', async () => {
    const roster = {
      rows: [
        { email: people[0]!.email, minutes: 180 },
        { externalId: 'EMP-0002', minutes: 175 },
        { email: people[2]!.email, minutes: 30 },
      ],
    };
    const first = await api('POST', `/api/sessions/${ownSession}/roster`, roster);
    expect(first.status, first.body).toBe(200);
    expect(first.json).toMatchObject({ changed: 3, unchanged: 0 });
    expect(first.json.rows.map((r: { credits: number }) => r.credits)).toEqual([3, 3, 0]);
    const afterFirst = await liveCredits(ownSession);
    expect(afterFirst.map((c) => c.person_id).sort()).toEqual(
      [people[0]!.personId, people[1]!.personId].sort(),
    );
    const again = await api('POST', `/api/sessions/${ownSession}/roster`, roster);
    expect(again.status, again.body).toBe(200);
    expect(again.json).toMatchObject({ changed: 0, unchanged: 3 });
    expect(await liveCredits(ownSession)).toEqual(afterFirst);
    // The same path as the attendance page: the roster shows the minutes and credit.
    const coordinator = await clientWithRoles(t, ['coordinator']);
    const shown = await coordinator.request('GET', `/api/sessions/${ownSession}/roster`);
    const dana = shown.json.confirmed.find((r: { personId: string }) => r.personId === people[0]!.personId);
    expect(dana).toMatchObject({ minutesAttended: 180, credits: 3 });
  });

  it('replaces changed minutes: the credit is reversed when they fall short', async () => {
    const res = await api('POST', `/api/sessions/${ownSession}/roster`, {
      rows: [{ email: people[1]!.email, minutes: 60 }],
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json.rows[0]).toMatchObject({ previousMinutes: 175, minutes: 60, changed: true, credits: 0 });
    const mine = (await liveCredits(ownSession)).filter((c) => c.person_id === people[1]!.personId);
    // The ledger is append-only: the credit stays and a reversal of it is added.
    expect(mine.map((c) => Number(c.amount)).sort()).toEqual([-3, 3]);
    expect(mine.filter((c) => c.reverses_id)).toHaveLength(1);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_label'])
      .where('action', '=', 'attendance.provider-roster')
      .where('entity_id', '=', ownSession)
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.actor_label).toContain('Riverside roster');
  });

  it('posts only for its own provider’s sessions', async () => {
    const p = await buildPerson(t.db);
    await buildRegistration(t.db, otherSession, p.personId);
    const res = await api('POST', `/api/sessions/${otherSession}/roster`, {
      rows: [{ email: p.email, minutes: 180 }],
    });
    expect(res.status, res.body).toBe(403);
    expect(await liveCredits(otherSession)).toEqual([]);
  });

  it('is refused to people signed in, whatever their role', async () => {
    const res = await admin.request('POST', `/api/sessions/${ownSession}/roster`, {
      rows: [{ email: people[0]!.email, minutes: 180 }],
    });
    expect(res.status).toBe(403);
  });
});
