/**
 * Issue 11: a coordinator could take over an administrator by changing their
 * e-mail (PATCH /api/people/{id}) and then e-mailing a password link to it
 * (POST /api/people/{id}/invite). These tests reproduce that path and the
 * other person-changing routes; all failed before the rules in
 * src/domain/authz (personChangeRefusal) and the confirmed e-mail change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  signInAs,
  TEST_PASSWORD,
  type Client,
  type TestApp,
} from '../../testing/harness.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp({ smtp: true });
  admin = await clientWithRoles(t, ['administrator'], { firstName: 'Ada', lastName: 'Admin' });
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

const stored = (personId: string) =>
  t.db
    .selectFrom('person')
    .select(['email', 'last_name'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
const account = (personId: string) =>
  t.db
    .selectFrom('user_account')
    .select(['roles', 'password_hash', 'totp_secret'])
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
const mailsTo = (address: string) =>
  t.db.selectFrom('email_message').select(['subject', 'kind']).where('to_address', '=', address).execute();
const signIn = (email: string) =>
  t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password: TEST_PASSWORD } });

describe('a coordinator cannot take over an administrator', () => {
  it('coordinator PATCH of an administrator’s e-mail or role is refused (403) and invite of an admin is refused', async () => {
    const victim = await buildPerson(t.db, { roles: ['administrator'], email: 'victim.admin@example.gov' });
    const coordinator = await clientWithRoles(t, ['coordinator']);

    const patch = await coordinator.request('PATCH', `/api/people/${victim.personId}`, {
      email: 'attacker@evil.example',
    });
    expect(patch.status).toBe(403);
    expect(patch.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(patch.json.detail).toMatch(/role is above yours/);

    const rename = await coordinator.request('PATCH', `/api/people/${victim.personId}`, {
      lastName: 'Pwned',
    });
    expect(rename.status).toBe(403);

    const roles = await coordinator.request('PUT', `/api/people/${victim.personId}/roles`, {
      roles: ['official'],
    });
    expect(roles.status).toBe(403);

    const invite = await coordinator.request('POST', `/api/people/${victim.personId}/invite`);
    expect(invite.status).toBe(403);
    expect(invite.headers['content-type']).toMatch(/application\/problem\+json/);

    const reset = await coordinator.request('POST', `/api/people/${victim.personId}/second-factor/reset`);
    expect(reset.status).toBe(403);

    expect(await stored(victim.personId)).toMatchObject({ email: 'victim.admin@example.gov' });
    expect((await stored(victim.personId)).last_name).not.toBe('Pwned');
    expect((await account(victim.personId)).roles).toEqual(['administrator']);
    expect(await mailsTo('attacker@evil.example')).toEqual([]);
    expect(await mailsTo('victim.admin@example.gov')).toEqual([]);
    expect(
      (
        await t.db
          .selectFrom('password_token')
          .select('user_id')
          .where('user_id', '=', victim.userId)
          .execute()
      ).length,
    ).toBe(0);
  });

  it('a coordinator changes an official’s details but not their sign-in e-mail', async () => {
    const official = await buildPerson(t.db);
    const coordinator = await clientWithRoles(t, ['coordinator']);
    const ok = await coordinator.request('PATCH', `/api/people/${official.personId}`, {
      lastName: 'Renamed',
    });
    expect(ok.status, ok.body).toBe(200);
    const email = await coordinator.request('PATCH', `/api/people/${official.personId}`, {
      email: 'elsewhere@evil.example',
    });
    expect(email.status).toBe(403);
    expect(email.json.detail).toMatch(/Only an administrator/);
    expect((await stored(official.personId)).email).toBe(official.email);
    expect(await mailsTo('elsewhere@evil.example')).toEqual([]);
    // Invites of people at or below the coordinator still work (an official's own address).
    expect((await coordinator.request('POST', `/api/people/${official.personId}/invite`)).status).toBe(200);
  });

  it('an instructor or reviewer cannot change anyone (route table), a coordinator cannot change another coordinator’s e-mail', async () => {
    const official = await buildPerson(t.db);
    for (const role of ['instructor', 'reviewer'] as const) {
      const c = await clientWithRoles(t, [role]);
      expect((await c.request('PATCH', `/api/people/${official.personId}`, { lastName: 'X' })).status).toBe(
        403,
      );
      expect((await c.request('POST', `/api/people/${official.personId}/invite`)).status).toBe(403);
    }
    const peer = await buildPerson(t.db, { roles: ['coordinator'] });
    const coordinator = await clientWithRoles(t, ['coordinator']);
    expect(
      (await coordinator.request('PATCH', `/api/people/${peer.personId}`, { email: 'peer@evil.example' }))
        .status,
    ).toBe(403);
  });

  it('an administrator’s own e-mail and second factor are changed by another administrator', async () => {
    const self = await admin.request('PATCH', `/api/people/${admin.personId}`, {
      email: 'ada.new@example.gov',
    });
    expect(self.status).toBe(403);
    expect(self.json.detail).toMatch(/Another administrator/);
    const reset = await admin.request('POST', `/api/people/${admin.personId}/second-factor/reset`);
    expect(reset.status).toBe(403);

    const other = await buildPerson(t.db, { roles: ['administrator'] });
    const res = await admin.request('PATCH', `/api/people/${other.personId}`, {
      email: 'other.admin.new@example.gov',
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json.pendingEmail).toBe('other.admin.new@example.gov');
  });
});

describe('changing a sign-in e-mail', () => {
  it('waits for the link sent to the new address, tells the old address, and keeps the password', async () => {
    const p = await buildPerson(t.db, { firstName: 'Mo', email: 'mo.old@example.gov' });
    const before = await account(p.personId);

    const res = await admin.request('PATCH', `/api/people/${p.personId}`, { email: 'Mo.New@Example.gov' });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ email: 'mo.old@example.gov', pendingEmail: 'mo.new@example.gov' });
    expect((await stored(p.personId)).email).toBe('mo.old@example.gov');
    // Still signs in with the old address until confirmed.
    expect((await signIn('mo.old@example.gov')).statusCode).toBe(200);
    expect((await signIn('mo.new@example.gov')).statusCode).toBe(401);

    // Real SMTP: a confirmation link to the new address, a notice to the old one.
    const confirm = await t.smtp!.waitFor((m) => m.to.includes('mo.new@example.gov'));
    expect(confirm.subject).toBe('Confirm your new CivicCert sign-in address');
    const notice = await t.smtp!.waitFor((m) => m.to.includes('mo.old@example.gov'));
    expect(notice.subject).toBe('Your CivicCert sign-in address is being changed');
    expect(notice.text).toContain('mo.new@example.gov');
    expect(notice.text).not.toMatch(/token=/);
    const token = /email\/confirm\?token=([\w-]+)/.exec(confirm.text)?.[1];
    expect(token).toBeTruthy();

    // The person's own profile shows the pending change.
    const mo = await signInAs(t, { email: 'mo.old@example.gov' });
    expect((await mo.request('GET', '/api/profile')).json.pendingEmail).toBe('mo.new@example.gov');

    const done = await t.app.inject({ method: 'POST', url: '/api/email/confirm', payload: { token } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ email: 'mo.new@example.gov' });
    expect((await stored(p.personId)).email).toBe('mo.new@example.gov');
    const after = await account(p.personId);
    expect(after.password_hash).toBe(before.password_hash);
    expect(after.totp_secret).toBe(before.totp_secret);
    expect((await signIn('mo.new@example.gov')).statusCode).toBe(200);
    expect((await signIn('mo.old@example.gov')).statusCode).toBe(401);
    const changed = await t.smtp!.waitFor(
      (m) =>
        m.to.includes('mo.old@example.gov') && m.subject === 'Your CivicCert sign-in address has changed',
    );
    expect(changed.text).toContain('mo.new@example.gov');

    // The link works once.
    const again = await t.app.inject({ method: 'POST', url: '/api/email/confirm', payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors[0].field).toBe('token');
    expect((await admin.request('GET', `/api/people/${p.personId}`)).json.pendingEmail).toBeNull();
  });

  it('a newer request voids the older link; sending the current address changes nothing', async () => {
    const p = await buildPerson(t.db, { email: 'twice@example.gov' });
    await admin.request('PATCH', `/api/people/${p.personId}`, { email: 'first.try@example.gov' });
    const first = await t.smtp!.waitFor((m) => m.to.includes('first.try@example.gov'));
    await admin.request('PATCH', `/api/people/${p.personId}`, { email: 'second.try@example.gov' });
    const second = await t.smtp!.waitFor((m) => m.to.includes('second.try@example.gov'));
    const tokenOf = (text: string) => /email\/confirm\?token=([\w-]+)/.exec(text)?.[1];
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/email/confirm',
      payload: { token: tokenOf(first.text) },
    });
    expect(old.statusCode).toBe(400);
    // A form that sends the current address along with other fields leaves the pending change alone.
    const rename = await admin.request('PATCH', `/api/people/${p.personId}`, {
      email: 'twice@example.gov',
      lastName: 'Twice',
    });
    expect(rename.json.pendingEmail).toBe('second.try@example.gov');
    expect((await stored(p.personId)).email).toBe('twice@example.gov');
    const newest = await t.app.inject({
      method: 'POST',
      url: '/api/email/confirm',
      payload: { token: tokenOf(second.text) },
    });
    expect(newest.statusCode).toBe(200);
    expect((await stored(p.personId)).email).toBe('second.try@example.gov');
  });
});
