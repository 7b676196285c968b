/**
 * Asking for an account from the public pages, and the coordinators' queue (issue 17, item 2):
 * the answer never says whether an address has an account, one request waits per address, the
 * coordinator's approval creates an official and sends the set-password e-mail, a decline is
 * e-mailed with its reason, and a decided request stays decided.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  type Client,
  type TestApp,
} from '../../testing/harness.js';

let t: TestApp;
let coordinator: Client;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp({ smtp: true, env: { PUBLIC_URL: 'https://cert.example.gov' } });
  coordinator = await clientWithRoles(t, ['coordinator']);
});
afterAll(() => t?.close());

const ask = async (body: Record<string, unknown>, ip = `203.0.113.${++seq}`) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/account-requests',
    payload: body,
    remoteAddress: ip,
  });
  return { status: res.statusCode, json: res.json() };
};
const request = (email: string) => ({
  firstName: 'Dana',
  lastName: 'Deputy',
  email,
  jurisdictionFips: '20177',
  position: 'Deputy County Clerk',
  note: 'I started in the Shawnee County office in November.',
});
/** The plain-text part, its lines unwrapped. */
const plain = (m: { parts: { contentType: string; body: string }[] }) =>
  (m.parts.find((p) => /^text\/plain/i.test(p.contentType))?.body ?? '').replace(/\s+/g, ' ');
const pending = (email: string) =>
  t.db.selectFrom('account_request').selectAll().where('email', '=', email).execute();

describe('asking for an account', () => {
  it('records the request, e-mails the person, and shows it to coordinators oldest first', async () => {
    const res = await ask(request('dana.deputy@example.gov'));
    expect(res.status).toBe(202);
    expect(res.json.message).toMatch(/A coordinator will look at your request/);
    await t.deps.mailer.flush();
    const ack = await t.smtp!.waitFor((m) => m.to.includes('dana.deputy@example.gov'));
    expect(ack.subject).toBe('We received your request for a CivicCert account');
    expect(plain(ack)).toContain('as Deputy County Clerk in Shawnee County, KS');
    const coordinatorEmail = (
      await t.db
        .selectFrom('person')
        .select('email')
        .where('id', '=', coordinator.personId)
        .executeTakeFirstOrThrow()
    ).email;
    const staff = await t.smtp!.waitFor(
      (m) => m.to.includes(coordinatorEmail) && m.subject.includes('Dana Deputy'),
    );
    expect(staff.subject).toBe('Account request: Dana Deputy, Shawnee County');
    expect(plain(staff)).toContain('https://cert.example.gov/account-requests');

    const list = await coordinator.request('GET', '/api/account-requests');
    expect(list.status).toBe(200);
    const mine = list.json.items.find((r: { email: string }) => r.email === 'dana.deputy@example.gov');
    expect(mine).toMatchObject({
      firstName: 'Dana',
      status: 'pending',
      position: 'Deputy County Clerk',
      jurisdiction: { fips: '20177', name: 'Shawnee' },
      decidedBy: null,
    });
  });

  it('answers the same for an address that already has an account, and e-mails it how to sign in', async () => {
    const known = await buildPerson(t.db, { email: 'known.clerk@example.gov' });
    const res = await ask(request('known.clerk@example.gov'));
    expect(res.status).toBe(202);
    expect(res.json.message).toBe((await ask(request('someone.new@example.gov'))).json.message);
    expect(await pending('known.clerk@example.gov')).toEqual([]);
    await t.deps.mailer.flush();
    const mail = await t.smtp!.waitFor((m) => m.to.includes('known.clerk@example.gov'));
    expect(mail.subject).toBe('You already have a CivicCert account');
    expect(plain(mail)).toContain('https://cert.example.gov/password/forgot');
    expect(known.personId).toBeTruthy();
  });

  it('keeps one waiting request per address when asked twice at once', async () => {
    const both = await Promise.all([ask(request('twice@example.gov')), ask(request('twice@example.gov'))]);
    expect(both.map((r) => r.status)).toEqual([202, 202]);
    expect(await pending('twice@example.gov')).toHaveLength(1);
  });

  it('refuses a county that does not exist, naming the field, and writes nothing', async () => {
    const res = await ask({ ...request('nowhere@example.gov'), jurisdictionFips: '99999' });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].field).toBe('jurisdictionFips');
    const state = await ask({ ...request('nowhere@example.gov'), jurisdictionFips: '20' });
    expect(state.status).toBe(400);
    expect(await pending('nowhere@example.gov')).toEqual([]);
  });

  it('limits requests for one address (429), whichever caller address they come from', async () => {
    for (let i = 0; i < 3; i++) expect((await ask(request('flood@example.gov'))).status).toBe(202);
    const fourth = await ask(request('flood@example.gov'));
    expect(fourth.status).toBe(429);
  });
});

describe('the coordinator decides', () => {
  it('approving creates an official in the county with the position, and sends the set-password link', async () => {
    await ask(request('approve.me@example.gov'));
    const [row] = await pending('approve.me@example.gov');
    const res = await coordinator.request('POST', `/api/account-requests/${row!.id}/approve`, {});
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ status: 'approved', decidedBy: expect.any(String) });
    const person = await t.db
      .selectFrom('person as p')
      .innerJoin('user_account as u', 'u.person_id', 'p.id')
      .select(['p.id', 'p.title', 'p.jurisdiction_fips', 'u.roles'])
      .where('p.email', '=', 'approve.me@example.gov')
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      title: 'Deputy County Clerk',
      jurisdiction_fips: '20177',
      roles: ['official'],
    });
    expect(res.json.personId).toBe(person.id);
    await t.deps.mailer.flush();
    const mail = await t.smtp!.waitFor(
      (m) => m.to.includes('approve.me@example.gov') && m.subject === 'Set your CivicCert password',
    );
    expect(plain(mail)).toMatch(/https:\/\/cert\.example\.gov\/password\/set\?token=/);

    const again = await coordinator.request('POST', `/api/account-requests/${row!.id}/approve`, {});
    expect(again.status).toBe(409);
    const decline = await coordinator.request('POST', `/api/account-requests/${row!.id}/decline`, {
      reason: 'No',
    });
    expect(decline.status).toBe(409);
  });

  it('declining e-mails the reason; the request leaves the queue', async () => {
    await ask(request('decline.me@example.gov'));
    const [row] = await pending('decline.me@example.gov');
    const res = await coordinator.request('POST', `/api/account-requests/${row!.id}/decline`, {
      reason: 'We train county election offices only; ask your city clerk.',
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json.status).toBe('declined');
    await t.deps.mailer.flush();
    const mail = await t.smtp!.waitFor(
      (m) => m.to.includes('decline.me@example.gov') && m.subject === 'Your request for a CivicCert account',
    );
    expect(plain(mail)).toContain('We train county election offices only; ask your city clerk.');
    const queue = await coordinator.request('GET', '/api/account-requests?status=pending&pageSize=200');
    expect(queue.status, queue.body).toBe(200);
    expect(queue.json.items.map((r: { id: string }) => r.id)).not.toContain(row!.id);
    const declined = await coordinator.request('GET', '/api/account-requests?status=declined');
    expect(declined.json.items[0]).toMatchObject({
      id: row!.id,
      declineReason: expect.stringMatching(/^We train/),
    });
    expect(
      await t.db.selectFrom('person').select('id').where('email', '=', 'decline.me@example.gov').execute(),
    ).toEqual([]);
  });

  it('approving when the address got an account meanwhile is refused (409) and creates no one', async () => {
    await ask(request('late@example.gov'));
    const [row] = await pending('late@example.gov');
    await buildPerson(t.db, { email: 'late@example.gov' });
    const res = await coordinator.request('POST', `/api/account-requests/${row!.id}/approve`, {});
    expect(res.status).toBe(409);
    expect((await pending('late@example.gov'))[0]!.status).toBe('pending');
  });

  it('is not open to officials, reviewers or instructors', async () => {
    for (const role of ['official', 'reviewer', 'instructor'] as const) {
      const c = await clientWithRoles(t, [role]);
      expect((await c.request('GET', '/api/account-requests')).status).toBe(403);
    }
  });
});
