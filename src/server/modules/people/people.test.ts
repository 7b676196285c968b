import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPerson,
  clientWithRoles,
  signInAs,
  type Client,
  type TestApp,
  createTestApp,
} from '../../testing/harness.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp({ smtp: true });
  admin = await clientWithRoles(t, ['administrator'], { firstName: 'Ada', lastName: 'Admin' });
});
afterAll(() => t.close());

const count = async (table: 'person' | 'user_account' | 'audit_log' | 'email_message') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const auditFor = (entityId: string) =>
  t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();

describe('creating an official', () => {
  it('creates the person with an account in a county, audits it, and e-mails a working password link', async () => {
    const res = await admin.request('POST', '/api/people', {
      firstName: 'Marisol',
      lastName: 'Quintero',
      email: 'MQuintero@SnCo.example.gov',
      title: 'County Clerk',
      phone: '(785) 251-4155',
      jurisdictionFips: '20177',
      roles: ['official'],
    });
    expect(res.status, res.body).toBe(201);
    const person = res.json;
    expect(person).toMatchObject({
      firstName: 'Marisol',
      lastName: 'Quintero',
      displayName: 'Marisol Quintero',
      email: 'mquintero@snco.example.gov',
      title: 'County Clerk',
      roles: ['official'],
      hasPassword: false,
      jurisdiction: { fips: '20177', kind: 'county', name: 'Shawnee', stateCode: 'KS' },
    });

    // Stored: person and account.
    const account = await t.db
      .selectFrom('user_account')
      .selectAll()
      .where('person_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(account.roles).toEqual(['official']);
    expect(account.password_hash).toBeNull();

    // Audited, by the administrator, with the created record as "after".
    const audit = await auditFor(person.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'person.create',
      entity_type: 'person',
      before: null,
      actor_user_id: expect.any(String),
    });
    expect(audit[0]!.actor_label).toContain('Ada Admin');
    expect(audit[0]!.after).toMatchObject({ id: person.id, email: 'mquintero@snco.example.gov' });
    expect(audit[0]!.request_id).toBeTruthy();

    // The password-set e-mail goes out over SMTP.
    const mail = await t.smtp!.waitFor((m) => m.to.includes('mquintero@snco.example.gov'));
    expect(mail.subject).toBe('Set your CivicCert password');
    expect(mail.text).toContain('Hello Marisol Quintero');
    const token = /password\/set\?token=([\w-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();

    // The link works: the official sets a password and signs in to their own profile.
    const set = await t.app.inject({
      method: 'POST',
      url: '/api/password/set',
      payload: { token, password: 'shawnee county clerk 2026' },
    });
    expect(set.statusCode, set.body).toBe(200);
    const official = await signInAs(t, { email: 'mquintero@snco.example.gov' }, 'shawnee county clerk 2026');
    const profile = await official.request('GET', '/api/profile');
    expect(profile.status).toBe(200);
    expect(profile.json).toMatchObject({ id: person.id, hasPassword: true, roles: ['official'] });
  });

  it('writes the person and the audit entry in one transaction: a failing audit write leaves nothing', async () => {
    // Make the audit insert fail for one marked person only.
    await sql`
      create function fail_marked_audit() returns trigger language plpgsql as $$
      begin
        if new.after->>'lastName' = 'Rollbackson' then raise exception 'audit write failed'; end if;
        return new;
      end $$`.execute(t.db);
    await sql`create trigger fail_marked_audit before insert on audit_log
      for each row execute function fail_marked_audit()`.execute(t.db);
    try {
      const before = await Promise.all([
        count('person'),
        count('user_account'),
        count('audit_log'),
        count('email_message'),
      ]);
      const res = await admin.request('POST', '/api/people', {
        firstName: 'Rolf',
        lastName: 'Rollbackson',
        email: 'rolf@example.gov',
        jurisdictionFips: '20045',
      });
      // An injected database fault: the server's generic 500, without internals.
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).not.toContain('audit write failed');
      const after = await Promise.all([
        count('person'),
        count('user_account'),
        count('audit_log'),
        count('email_message'),
      ]);
      expect(after).toEqual(before);
    } finally {
      await sql`drop trigger fail_marked_audit on audit_log`.execute(t.db);
      await sql`drop function fail_marked_audit()`.execute(t.db);
    }
  });

  it('refuses a second person with the same e-mail (any case) and names the field', async () => {
    await buildPerson(t.db, { email: 'taken@example.gov' });
    const before = await count('person');
    const res = await admin.request('POST', '/api/people', {
      firstName: 'Dup',
      lastName: 'Licate',
      email: ' Taken@Example.gov ',
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json.errors).toEqual([
      { field: 'email', message: 'Someone else already uses this e-mail address.' },
    ]);
    expect(await count('person')).toBe(before);
  });

  it('refuses an unknown county and names the field', async () => {
    const before = await count('person');
    const res = await admin.request('POST', '/api/people', {
      firstName: 'Nowhere',
      lastName: 'Clerk',
      email: 'nowhere@example.gov',
      jurisdictionFips: '20999',
    });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([
      { field: 'jurisdictionFips', message: 'There is no state or county with FIPS code 20999.' },
    ]);
    expect(await count('person')).toBe(before);
  });

  it('a coordinator can create officials but cannot give staff roles', async () => {
    const coordinator = await clientWithRoles(t, ['coordinator']);
    const before = await count('person');
    const staff = await coordinator.request('POST', '/api/people', {
      firstName: 'Wannabe',
      lastName: 'Admin',
      email: 'wannabe@example.gov',
      roles: ['official', 'reviewer'],
    });
    expect(staff.status).toBe(400);
    expect(staff.json.errors[0].field).toBe('roles');
    expect(await count('person')).toBe(before);

    const ok = await coordinator.request('POST', '/api/people', {
      firstName: 'Plain',
      lastName: 'Official',
      email: 'plain.official@example.gov',
      jurisdictionFips: '20045',
      sendInvite: false,
    });
    expect(ok.status).toBe(201);
    expect(ok.json.roles).toEqual(['official']);

    // Replacing roles is for administrators only.
    const grant = await coordinator.request('PUT', `/api/people/${ok.json.id}/roles`, {
      roles: ['administrator'],
    });
    expect(grant.status).toBe(403);
    const stored = await t.db
      .selectFrom('user_account')
      .select('roles')
      .where('person_id', '=', ok.json.id)
      .executeTakeFirstOrThrow();
    expect(stored.roles).toEqual(['official']);
  });
});

describe('changing a person', () => {
  it('PATCH changes only the given fields and audits before and after', async () => {
    const p = await buildPerson(t.db, { firstName: 'Pat', lastName: 'Old', jurisdictionFips: '20045' });
    const res = await admin.request('PATCH', `/api/people/${p.personId}`, {
      lastName: 'New',
      title: 'Deputy County Clerk',
      jurisdictionFips: '20177',
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({
      firstName: 'Pat',
      lastName: 'New',
      title: 'Deputy County Clerk',
      jurisdiction: { fips: '20177' },
      email: p.email,
    });
    const audit = await auditFor(p.personId);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.action).toBe('person.update');
    expect(audit[0]!.before).toMatchObject({
      lastName: 'Old',
      title: 'County Clerk',
      jurisdiction: { fips: '20045' },
    });
    expect(audit[0]!.after).toMatchObject({
      lastName: 'New',
      title: 'Deputy County Clerk',
      jurisdiction: { fips: '20177' },
    });

    // The audit log can be filtered to this person.
    const log = await admin.request('GET', `/api/audit?entityId=${p.personId}`);
    expect(log.status).toBe(200);
    expect(log.json.page.total).toBe(1);
    expect(log.json.items).toHaveLength(1);
    expect(log.json.items[0]).toMatchObject({
      action: 'person.update',
      entityType: 'person',
      entityId: p.personId,
      before: { lastName: 'Old' },
      after: { lastName: 'New' },
    });
  });

  it('PATCH to an e-mail someone else has is refused, naming the field, and changes nothing', async () => {
    const a = await buildPerson(t.db);
    const b = await buildPerson(t.db);
    const res = await admin.request('PATCH', `/api/people/${b.personId}`, { email: a.email, lastName: 'X' });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].field).toBe('email');
    const stored = await t.db
      .selectFrom('person')
      .select(['email', 'last_name'])
      .where('id', '=', b.personId)
      .executeTakeFirstOrThrow();
    expect(stored.email).toBe(b.email);
    expect(stored.last_name).not.toBe('X');
    expect(await auditFor(b.personId)).toHaveLength(0);
  });

  it('PATCH of an unknown person is 404 problem+json', async () => {
    const res = await admin.request('PATCH', '/api/people/00000000-0000-4000-8000-000000000000', {
      lastName: 'Ghost',
    });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('an administrator can change roles, audited, but cannot remove their own administrator role', async () => {
    const p = await buildPerson(t.db);
    const res = await admin.request('PUT', `/api/people/${p.personId}/roles`, {
      roles: ['official', 'instructor'],
    });
    expect(res.status).toBe(200);
    expect(res.json.roles).toEqual(['official', 'instructor']);
    const audit = await auditFor(p.personId);
    expect(audit.at(-1)).toMatchObject({
      action: 'person.roles.update',
      before: { roles: ['official'] },
      after: { roles: ['official', 'instructor'] },
    });

    const self = await admin.request('PUT', `/api/people/${admin.personId}/roles`, { roles: ['official'] });
    expect(self.status).toBe(400);
    expect(self.json.errors[0].field).toBe('roles');
    expect(self.json.detail).toMatch(/cannot remove your own administrator role/);
    const me = await admin.request('GET', '/api/profile');
    expect(me.json.roles).toEqual(['administrator']);
  });
});

describe('listing people', () => {
  const county = '20113'; // McPherson: nobody else in this file lives there
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const make = async (first: string, last: string, roles: ('official' | 'instructor')[]) => {
      const p = await buildPerson(t.db, {
        firstName: first,
        lastName: last,
        jurisdictionFips: county,
        roles,
      });
      ids[last] = p.personId;
    };
    await make('Zoe', 'Anders', ['official']);
    await make('Yuri', 'Brandt', ['official']);
    await make('Xena', 'Castillo', ['official', 'instructor']);
    await make('Will', "O'Connor", ['official']);
    await make('Vic', 'Dalton', ['instructor']);
  });

  const list = async (query: string) => {
    const res = await admin.request('GET', `/api/people?${query}`);
    expect(res.status, res.body).toBe(200);
    return res.json as {
      items: { id: string; lastName: string; roles: string[]; jurisdiction: { fips: string } | null }[];
      page: { page: number; pageSize: number; total: number };
    };
  };

  it('filters by county and sorts by name either way', async () => {
    const asc = await list(`county=${county}`);
    expect(asc.page.total).toBe(5);
    expect(asc.items.map((p) => p.lastName)).toEqual(['Anders', 'Brandt', 'Castillo', 'Dalton', "O'Connor"]);
    const desc = await list(`county=${county}&sort=-name`);
    expect(desc.items.map((p) => p.lastName)).toEqual(["O'Connor", 'Dalton', 'Castillo', 'Brandt', 'Anders']);
    const created = await list(`county=${county}&sort=-created`);
    expect(created.items[0]!.lastName).toBe('Dalton');
  });

  it('filters by role, combined with county', async () => {
    const instructors = await list(`county=${county}&role=instructor`);
    expect(instructors.items.map((p) => p.lastName)).toEqual(['Castillo', 'Dalton']);
    expect(instructors.page.total).toBe(2);
    const admins = await list('role=administrator');
    expect(admins.items.map((p) => p.id)).toContain(admin.personId);
    expect(admins.items.every((p) => p.roles.includes('administrator'))).toBe(true);
  });

  it('searches by name, full name, e-mail and quote-laden text', async () => {
    expect((await list('q=castillo')).items.map((p) => p.id)).toEqual([ids.Castillo]);
    expect((await list(`q=${encodeURIComponent('Xena Castillo')}`)).items.map((p) => p.id)).toEqual([
      ids.Castillo,
    ]);
    expect((await list(`q=${encodeURIComponent("o'connor")}`)).items.map((p) => p.id)).toEqual([
      ids["O'Connor"],
    ]);
    expect((await list(`q=${encodeURIComponent("'; drop table person; --")}`)).page.total).toBe(0);
    expect((await list('q=%25')).page.total).toBe(0); // "%" is literal text
    expect(await count('person')).toBeGreaterThan(5);
  });

  it('paginates with the total of all matches', async () => {
    const p1 = await list(`county=${county}&pageSize=2&page=1`);
    const p2 = await list(`county=${county}&pageSize=2&page=2`);
    const p3 = await list(`county=${county}&pageSize=2&page=3`);
    const p4 = await list(`county=${county}&pageSize=2&page=4`);
    expect([p1, p2, p3, p4].map((p) => p.page.total)).toEqual([5, 5, 5, 5]);
    expect([p1, p2, p3, p4].map((p) => p.items.map((i) => i.lastName))).toEqual([
      ['Anders', 'Brandt'],
      ['Castillo', 'Dalton'],
      ["O'Connor"],
      [],
    ]);
    expect(p2.page).toEqual({ page: 2, pageSize: 2, total: 5 });
  });

  it('refuses bad filters, naming the query parameter', async () => {
    const res = await admin.request('GET', '/api/people?county=Shawnee&role=wizard&sort=age&pageSize=0');
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['query.county', 'query.pageSize', 'query.role', 'query.sort'].sort(),
    );
  });
});

describe('what an official may see', () => {
  it('cannot list people or open a person record, even their own, but can read their profile', async () => {
    const p = await buildPerson(t.db, { firstName: 'Olive', lastName: 'Official' });
    const official = await signInAs(t, p);
    const list = await official.request('GET', '/api/people');
    expect(list.status).toBe(403);
    expect(list.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(list.json.detail).toMatch(/roles do not allow/);
    expect((await official.request('GET', `/api/people/${p.personId}`)).status).toBe(403);
    expect((await official.request('GET', '/api/audit')).status).toBe(403);
    expect((await official.request('GET', '/api/outbox')).status).toBe(403);

    const profile = await official.request('GET', '/api/profile');
    expect(profile.status).toBe(200);
    expect(profile.json).toMatchObject({ id: p.personId, firstName: 'Olive', email: p.email });

    const changed = await official.request('PATCH', '/api/profile', { preferredName: 'Liv' });
    expect(changed.status).toBe(200);
    expect(changed.json.displayName).toBe('Liv Official');
    // An official cannot change their own roles or county through the profile.
    const sneaky = await official.request('PATCH', '/api/profile', { jurisdictionFips: '20177' });
    expect(sneaky.status).toBe(400);
    expect(sneaky.json.errors[0].field).toBe('jurisdictionFips');
  });
});

describe('the e-mail outbox', () => {
  it('lists messages sent to a person, newest first, filtered by address', async () => {
    const res = await admin.request('POST', '/api/people', {
      firstName: 'Ollie',
      lastName: 'Outbox',
      email: 'ollie.outbox@example.gov',
    });
    expect(res.status).toBe(201);
    await t.smtp!.waitFor((m) => m.to.includes('ollie.outbox@example.gov'));
    await t.deps.mailer.flush();
    const outbox = await admin.request('GET', '/api/outbox?to=ollie.outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.json.page.total).toBe(1);
    expect(outbox.json.items[0]).toMatchObject({
      to: 'ollie.outbox@example.gov',
      subject: 'Set your CivicCert password',
      status: 'sent',
    });
    expect(outbox.json.items[0].text).toMatch(/password\/set\?token=/);
    const everything = await admin.request('GET', '/api/outbox?pageSize=200');
    expect(everything.json.page.total).toBe(await count('email_message'));
  });
});
