/**
 * Enrollment requests (issue 17, item 2): an official asks to enroll, the official and every
 * coordinator are e-mailed, the request waits in the coordinators' queue, and a coordinator
 * approves (enrolled from today in the program's zone) or declines with a reason; the official is
 * e-mailed either way, a decided request stays decided, and a declined official may ask again.
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
import { programId } from '../../testing/scheduling.js';

let t: TestApp;
let coordinator: Client;
let coordinatorEmail: string;
let ks: string;

beforeAll(async () => {
  t = await createTestApp({ smtp: true, env: { PUBLIC_URL: 'https://cert.example.gov' } });
  const p = await buildPerson(t.db, { roles: ['coordinator'], firstName: 'Cora', lastName: 'Coordinator' });
  coordinatorEmail = p.email;
  coordinator = await signInAs(t, p);
  ks = await programId(t.db);
});
afterAll(() => t?.close());

/** The plain-text part, its lines unwrapped. */
const plain = (m: { parts: { contentType: string; body: string }[] }) =>
  (m.parts.find((p) => /^text\/plain/i.test(p.contentType))?.body ?? '').replace(/\s+/g, ' ');

async function official(firstName: string) {
  const p = await buildPerson(t.db, { firstName, lastName: 'Asker', title: 'Deputy County Clerk' });
  return { ...p, client: await signInAs(t, p), name: `${firstName} Asker` };
}
async function ask(o: { client: Client }) {
  return o.client.request('POST', `/api/programs/${ks}/enrollment-request`);
}
const mails = (to: string) =>
  t.db.selectFrom('email_message').select(['subject', 'kind']).where('to_address', '=', to).execute();

describe('asking to enroll', () => {
  it('e-mails the official and every coordinator, and waits in the queue oldest first', async () => {
    const first = await official('Avery');
    const second = await official('Blair');
    expect((await ask(first)).status).toBe(201);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const res = await ask(second);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'requested', decidedAt: null, declineReason: null });

    await t.deps.mailer.flush();
    const receipt = await t.smtp!.waitFor((m) => m.to.includes(second.email));
    expect(receipt.subject).toMatch(/^We received your request to enroll in /);
    const staff = await t.smtp!.waitFor(
      (m) => m.to.includes(coordinatorEmail) && m.subject.includes('Blair Asker'),
    );
    expect(staff.subject).toMatch(/^Enrollment request: Blair Asker, /);
    expect(plain(staff)).toContain('Blair Asker (Deputy County Clerk');
    expect(plain(staff)).toContain('https://cert.example.gov/enrollment-requests');

    const queue = await coordinator.request('GET', '/api/enrollment-requests');
    expect(queue.status).toBe(200);
    const names = queue.json.items.map((e: { person: { displayName: string } }) => e.person.displayName);
    expect(names.indexOf('Avery Asker')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('Avery Asker')).toBeLessThan(names.indexOf('Blair Asker'));
  });

  it('refuses a second request while one waits, and tells nobody again', async () => {
    const o = await official('Casey');
    expect((await ask(o)).status).toBe(201);
    const before = (await mails(coordinatorEmail)).length;
    const again = await ask(o);
    expect(again.status).toBe(409);
    expect((await mails(coordinatorEmail)).length).toBe(before);
  });
});

describe('deciding', () => {
  it('approves: enrolled from today in the program’s zone, decided by the coordinator, e-mailed', async () => {
    const o = await official('Devon');
    const req = (await ask(o)).json;
    // 03:30 UTC on 5 December is still 4 December in Kansas (America/Chicago).
    t.clock.now = new Date('2026-12-05T03:30:00Z');
    const res = await coordinator.request('POST', `/api/enrollments/${req.id}/approve`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: 'active',
      enrolledOn: '2026-12-04',
      decidedBy: 'Cora Coordinator',
      decidedAt: '2026-12-05T03:30:00.000Z',
    });
    await t.deps.mailer.flush();
    const mail = await t.smtp!.waitFor((m) => m.to.includes(o.email) && /You are enrolled/.test(m.subject));
    expect(plain(mail)).toContain('from December 4, 2026');

    const twice = await coordinator.request('POST', `/api/enrollments/${req.id}/approve`);
    expect(twice.status).toBe(409);
    const decline = await coordinator.request('POST', `/api/enrollments/${req.id}/decline`, { reason: 'No' });
    expect(decline.status).toBe(409);

    const approved = await coordinator.request('GET', '/api/enrollment-requests?status=approved');
    expect(approved.json.items.map((e: { id: string }) => e.id)).toContain(req.id);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', req.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['enrollment.request', 'enrollment.approve']),
    );
  });

  it('declines with the reason e-mailed; the official can then ask again', async () => {
    const o = await official('Emery');
    const req = (await ask(o)).json;
    const empty = await coordinator.request('POST', `/api/enrollments/${req.id}/decline`, { reason: '' });
    expect(empty.status).toBe(400);
    expect(empty.json.errors[0].field).toBe('reason');
    const res = await coordinator.request('POST', `/api/enrollments/${req.id}/decline`, {
      reason: 'This program is for Kansas county officials; enroll in your own state’s program.',
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'declined', enrolledOn: null, decidedBy: 'Cora Coordinator' });
    await t.deps.mailer.flush();
    const mail = await t.smtp!.waitFor(
      (m) => m.to.includes(o.email) && /Your request to enroll/.test(m.subject),
    );
    expect(plain(mail)).toContain('was not approved');
    expect(plain(mail)).toContain('enroll in your own state’s program');

    // A declined request is no enrollment: no claims in the program, and a new request is allowed.
    const claim = await o.client.request('POST', '/api/claims', {
      programId: ks,
      type: 'webinar',
      title: 'County clerks conference',
      provider: 'Kansas County Clerks Association',
      startDate: '2026-10-01',
      hours: 2,
      category: 'year-one',
    });
    expect(claim.status).toBe(400);
    expect(claim.json.errors[0].field).toBe('programId');
    const again = await ask(o);
    expect(again.status).toBe(201);
    const declined = await coordinator.request('GET', '/api/enrollment-requests?status=declined');
    const row = declined.json.items.find((e: { id: string }) => e.id === req.id);
    expect(row.declineReason).toMatch(/^This program is for Kansas/);
  });

  it('records the decision when a request is approved from the program page’s form or by PATCH', async () => {
    const a = await official('Finley');
    const b = await official('Gray');
    const ra = (await ask(a)).json;
    const rb = (await ask(b)).json;
    const form = await coordinator.request('POST', `/api/programs/${ks}/enrollments`, {
      personId: a.personId,
      feeStatus: 'paid',
      feeMethod: 'check',
      receiptNumber: 'R-2041',
    });
    expect(form.status).toBe(201);
    expect(form.json).toMatchObject({ id: ra.id, status: 'active', decidedBy: 'Cora Coordinator' });
    const patch = await coordinator.request('PATCH', `/api/enrollments/${rb.id}`, { status: 'active' });
    expect(patch.status).toBe(200);
    expect(patch.json.decidedBy).toBe('Cora Coordinator');
    await t.deps.mailer.flush();
    for (const o of [a, b])
      await t.smtp!.waitFor((m) => m.to.includes(o.email) && /You are enrolled/.test(m.subject));
  });

  it('lets exactly one of two simultaneous decisions win', async () => {
    const o = await official('Harper');
    const req = (await ask(o)).json;
    const other = await clientWithRoles(t, ['coordinator']);
    const [x, y] = await Promise.all([
      coordinator.request('POST', `/api/enrollments/${req.id}/approve`),
      other.request('POST', `/api/enrollments/${req.id}/decline`, { reason: 'Duplicate request' }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const decided = await t.db
      .selectFrom('email_message')
      .select('kind')
      .where('to_address', '=', o.email)
      .where('kind', 'in', ['enrollment-request-approved', 'enrollment-request-declined'])
      .execute();
    expect(decided).toHaveLength(1);
  });
});
