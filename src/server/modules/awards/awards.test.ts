/**
 * Awards: eligibility at once with one e-mail, award at an event under the
 * application deadline, certificate PDF, immutable records (re-issue keeps the
 * old certificate, revocation needs a reason), public verification without
 * private data and rate-limited, and the lapse at the end of the grace day in
 * the program's zone (23:59 still in force, 00:00 lapsed), then reinstatement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import {
  buildCredit,
  buildEnrollment,
  factsChanged,
  programId,
  quickClient,
} from '../../testing/scheduling.js';
import { runCertificationSweep } from '../certification/evaluation.js';
import { csvLine } from '../../export/tabular.js';

let t: TestApp;
let admin: Client;
let official: Client & { email: string };
let ks: string;
let eventId: string;
let awardId: string;
let number: string;

const yearCourses = (y: number) => [1, 2, 3].map((i) => `KS-Y${y}-0${i}`);

async function completeKs(personId: string, dates = ['2026-04-10', '2026-09-10', '2027-03-10']) {
  for (const [i, y] of [1, 2, 3].entries())
    for (const code of yearCourses(y))
      await buildCredit(t.db, personId, {
        category: `year-${['one', 'two', 'three'][i]}`,
        courseCode: code,
        earnedOn: dates[i]!,
      });
  await factsChanged(t, personId);
}
const statusOf = async (who: Client) => {
  const r = await who.request('GET', '/api/me/certification');
  expect(r.status, r.body).toBe(200);
  return r.json.programs.find(
    (p: { program: { code: string } }) => p.program.code === 'ks-county-election-official',
  );
};

beforeAll(async () => {
  t = await createTestApp({ smtp: true });
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  official = await quickClient(t, ['official'], {
    firstName: 'Dana',
    lastName: 'Kessler',
    jurisdictionFips: '20045',
  });
  ks = await programId(t.db);
  await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
  const ev = await admin.request('POST', '/api/events', {
    title: 'Year Three recognition ceremony 2027',
    kind: 'ceremony',
    heldOn: '2027-03-11',
  });
  eventId = ev.json.id;
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

describe('eligibility and awards', () => {
  it('lists an official in the eligible list as soon as the Year Three credits are in, and e-mails once', async () => {
    let list = await admin.request('GET', `/api/awards/eligible?programId=${ks}`);
    expect(list.json.items).toHaveLength(0);
    await completeKs(official.personId);
    list = await admin.request('GET', `/api/awards/eligible?programId=${ks}`);
    expect(list.json.items.map((i: { person: { id: string } }) => i.person.id)).toEqual([official.personId]);
    expect(list.json.items[0].eligibleOn).toBe('2027-03-10');
    await runCertificationSweep(t.deps);
    await runCertificationSweep(t.deps);
    await t.smtp!.waitFor((m) => m.to.includes(official.email) && /met the requirements/.test(m.subject));
    const n = await t.db
      .selectFrom('email_message')
      .select('id')
      .where('kind', '=', 'award.eligible')
      .execute();
    expect(n).toHaveLength(1);
  });

  it('refuses to award someone who has not met the requirements', async () => {
    const other = await quickClient(t, ['official']);
    await buildEnrollment(t.db, other.personId);
    const r = await admin.request('POST', '/api/awards', { personId: other.personId, programId: ks });
    expect(r.status).toBe(409);
  });

  it('awards at the recognition ceremony (bulk), with the renewal due date from the program policy', async () => {
    t.clock.now = new Date('2027-03-12T18:00:00Z');
    const r = await admin.request('POST', '/api/awards/bulk', {
      programId: ks,
      eventId,
      personIds: [official.personId],
      awardedOn: '2027-03-12',
    });
    expect(r.status, r.body).toBe(200);
    expect(r.json.refused).toEqual([]);
    const a = r.json.awarded[0];
    awardId = a.id;
    number = a.certificateNumber;
    expect(a).toMatchObject({
      designation: 'Certified County Election Official',
      awardedOn: '2027-03-12',
      expiresOn: '2028-12-31',
      status: 'certified',
    });
    expect(a.event.id).toBe(eventId);
    expect(number).toMatch(/^KS-2027-\d{6}$/);
    // Gone from the eligible list; a second award is refused.
    expect((await admin.request('GET', `/api/awards/eligible?programId=${ks}`)).json.items).toHaveLength(0);
    expect(
      (await admin.request('POST', '/api/awards', { personId: official.personId, programId: ks })).status,
    ).toBe(409);
  });

  it('serves the certificate PDF to its holder and the ceremony lists as CSV and PDF', async () => {
    const pdf = await official.request('GET', `/api/awards/${awardId}/certificate`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // A certificate names its holder: kept by no shared cache and not stored by the browser.
    expect(pdf.headers['cache-control']).toBe('private, no-store');
    expect(pdf.body.startsWith('%PDF-')).toBe(true);
    expect(pdf.body.match(/\/Type \/Page\b/g), 'one page').toHaveLength(1);
    const stranger = await quickClient(t, ['official']);
    expect((await stranger.request('GET', `/api/awards/${awardId}/certificate`)).status).toBe(403);
    const csv = await admin.request('GET', `/api/events/${eventId}/ceremony-list?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['cache-control']).toBe('private, no-store');
    expect(csv.body).toContain('"Dana Kessler"');
    expect(csv.body).toContain(number);
    const xlsx = await admin.request('GET', `/api/events/${eventId}/plaque-orders?format=xlsx`);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(String(xlsx.headers['content-disposition'])).toMatch(/filename="plaque-orders-.*\.xlsx"/);
    const plaques = await admin.request('GET', `/api/events/${eventId}/plaque-orders?format=pdf`);
    expect(plaques.body.startsWith('%PDF-')).toBe(true);
  });

  it('neutralises spreadsheet formulas in CSV cells', () => {
    expect(csvLine(['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'plain'])).toBe(
      `"'=HYPERLINK(""x"")","'+1","'-2","'@SUM(A1)","plain"`,
    );
  });
});

describe('public verification', () => {
  it('finds the certificate by number and by name and county without signing in, showing nothing private', async () => {
    const byNumber = await t.app.inject({
      method: 'GET',
      url: `/api/verify/${number}`,
      remoteAddress: '10.0.0.1',
    });
    expect(byNumber.statusCode).toBe(200);
    expect(byNumber.json().items[0]).toMatchObject({
      name: 'Dana Kessler',
      status: 'active',
      certificateNumber: number,
      awardedOn: '2027-03-12',
      expiresOn: '2028-12-31',
    });
    expect(byNumber.body).not.toContain(official.email);
    expect(byNumber.body).not.toContain('@');
    const byName = await t.app.inject({
      method: 'GET',
      url: `/api/verify?name=dana%20kessler&county=${encodeURIComponent(byNumber.json().items[0].county)}`,
      remoteAddress: '10.0.0.1',
    });
    expect(byName.json().items).toHaveLength(1);
    const logged = await t.db
      .selectFrom('verification_lookup')
      .selectAll()
      .where('ip', '=', '10.0.0.1')
      .execute();
    expect(logged.map((l) => l.kind).sort()).toEqual(['name', 'number']);
  });

  it('reads the status from the cache while it is current, and evaluates the person once queued again', async () => {
    await runCertificationSweep(t.deps);
    const lookup = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/verify/${number}`, remoteAddress: '10.0.0.5' })).json()
        .items[0];
    expect(await lookup()).toMatchObject({ status: 'active', expiresOn: '2028-12-31' });
    // A cached figure nothing else gives on this day proves where the answer came from.
    const cached = () =>
      t.db
        .updateTable('certification_status')
        .set({ status: 'renewal_due', next_due: '2028-06-30' })
        .where('person_id', '=', official.personId)
        .where('program_id', '=', ks)
        .execute();
    await cached();
    expect(await lookup()).toMatchObject({ status: 'renewal_due', expiresOn: '2028-06-30' });
    // Queued for another evaluation: the cache is not trusted.
    await t.db
      .insertInto('status_due')
      .values({ program_id: ks, person_id: official.personId, reason: 'requested' })
      .execute();
    expect(await lookup()).toMatchObject({ status: 'active', expiresOn: '2028-12-31' });
    await runCertificationSweep(t.deps);
    // Its next date-driven transition has come (the renewal reminder's day): evaluated too.
    await cached();
    await t.db
      .updateTable('certification_status')
      .set({ next_transition_on: '2027-03-12' })
      .where('person_id', '=', official.personId)
      .execute();
    expect(await lookup()).toMatchObject({ status: 'active', expiresOn: '2028-12-31' });
    await t.db
      .insertInto('status_due')
      .values({ program_id: ks, person_id: official.personId, reason: 'requested' })
      .execute();
    await runCertificationSweep(t.deps);
    expect(await lookup()).toMatchObject({ status: 'active' });
  });

  it('a certificate number no certificate has is "not found", from the search form as from the link', async () => {
    for (const url of ['/api/verify?certificateNumber=KS-0000-999999', '/api/verify/KS-0000-999999']) {
      const r = await t.app.inject({ method: 'GET', url, remoteAddress: '10.0.0.4' });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({
        detail: 'No certificate has the number "KS-0000-999999". Check the number on the certificate.',
        errors: [{ field: 'query.certificateNumber' }],
      });
    }
    // A name and county that match nobody is an empty list, not an error; every lookup is logged.
    const byName = await t.app.inject({
      method: 'GET',
      url: '/api/verify?name=Nobody%20Here&county=Douglas',
      remoteAddress: '10.0.0.4',
    });
    expect(byName.statusCode).toBe(200);
    expect(byName.json().items).toEqual([]);
    const logged = await t.db
      .selectFrom('verification_lookup')
      .select(['kind', 'results'])
      .where('ip', '=', '10.0.0.4')
      .execute();
    expect(logged.map((l) => `${l.kind}: ${l.results}`).sort()).toEqual([
      'name: 0',
      'number: 0',
      'number: 0',
    ]);
  });

  it('rate-limits lookups per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push(
        (await t.app.inject({ method: 'GET', url: `/api/verify/${number}`, remoteAddress: '10.9.9.9' }))
          .statusCode,
      );
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.at(-1)).toBe(429);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/verify/${number}`, remoteAddress: '10.9.9.8' }))
        .statusCode,
    ).toBe(200);
  });
});

describe('lapse at the end of the day in the program time zone, and reinstatement', () => {
  it('sends each renewal reminder once', async () => {
    t.clock.now = new Date('2028-12-01T18:00:00Z'); // after the 90- and 30-day reminders
    await runCertificationSweep(t.deps);
    await runCertificationSweep(t.deps);
    const mails = await t.db
      .selectFrom('email_message')
      .select('id')
      .where('kind', '=', 'award.renewal-reminder')
      .execute();
    expect(mails).toHaveLength(1);
    expect((await statusOf(official)).status).toBe('renewal_due');
  });

  it('is still in force at 23:59 on the last day (Chicago), and lapsed at 00:00', async () => {
    // Due 2028-12-31, 90 days of grace: the last day is 2029-03-31 (CDT, UTC-5).
    t.clock.now = new Date('2028-12-31T23:59:00-06:00');
    expect((await statusOf(official)).status).toBe('renewal_due');
    t.clock.now = new Date('2029-03-31T23:59:00-05:00');
    expect((await statusOf(official)).status).toBe('renewal_due');
    let v = await t.app.inject({ method: 'GET', url: `/api/verify/${number}`, remoteAddress: '10.0.0.2' });
    expect(v.json().items[0].status).toBe('renewal_due');
    t.clock.now = new Date('2029-04-01T00:00:00-05:00');
    expect((await statusOf(official)).status).toBe('lapsed');
    v = await t.app.inject({ method: 'GET', url: `/api/verify/${number}`, remoteAddress: '10.0.0.2' });
    expect(v.json().items[0].status).toBe('lapsed');
    await runCertificationSweep(t.deps);
    const cache = await t.db
      .selectFrom('certification_status')
      .selectAll()
      .where('person_id', '=', official.personId)
      .executeTakeFirstOrThrow();
    expect(cache).toMatchObject({ status: 'lapsed', lapsed_on: '2029-04-01' });
  });

  it('e-mails the lapse notice once, however many sweeps run while lapsed', async () => {
    for (const at of [
      '2029-04-01T00:05:00-05:00',
      '2029-04-02T09:00:00-05:00',
      '2029-04-20T12:00:00-05:00',
    ]) {
      t.clock.now = new Date(at);
      await runCertificationSweep(t.deps);
      await runCertificationSweep(t.deps);
      expect((await statusOf(official)).status).toBe('lapsed');
    }
    await t.deps.mailer.flush();
    const stored = await t.db
      .selectFrom('email_message')
      .select(['to_address', 'subject'])
      .where('kind', '=', 'award.lapsed')
      .where('to_address', '=', official.email)
      .execute();
    expect(stored).toHaveLength(1);
    const delivered = t.smtp!.messages.filter(
      (m) => m.to.includes(official.email) && /has lapsed/.test(m.subject),
    );
    expect(delivered).toHaveLength(1);
  });

  it('reinstates when the renewal course is completed later, keeping the lapsed cycle in history', async () => {
    t.clock.now = new Date('2029-05-02T15:00:00Z');
    await buildCredit(t.db, official.personId, {
      category: 'advance-renewal',
      courseCode: 'KS-ARC-2027',
      earnedOn: '2029-05-01',
    });
    expect((await statusOf(official)).status).toBe('certified');
    // Written past the change hook (which every real writer calls): tell it, as they do.
    await factsChanged(t, official.personId, ks);
    await runCertificationSweep(t.deps);
    // The history of this official's first cycle (2027-03-12 to 2028-12-31), in the order observed.
    const events = await t.db
      .selectFrom('renewal_cycle_event as e')
      .innerJoin('renewal_cycle as c', 'c.id', 'e.cycle_id')
      .select(['e.state', 'e.completed_on'])
      .where('c.person_id', '=', official.personId)
      .where('c.program_id', '=', ks)
      .where('c.starts_on', '=', '2027-03-12')
      .orderBy('e.observed_at')
      .execute();
    expect(events.map((e) => e.state)).toEqual(['open', 'lapsed', 'reinstated']);
    expect(events.at(-1)?.completed_on).toBe('2029-05-01');
    const reinstatedMail = await t.db
      .selectFrom('email_message')
      .select('id')
      .where('kind', '=', 'award.reinstated')
      .where('to_address', '=', official.email)
      .execute();
    expect(reinstatedMail).toHaveLength(1);
  });
});

describe('re-issue and revocation', () => {
  it('re-issues after a name change as a new certificate and keeps the old one', async () => {
    const r = await admin.request('POST', `/api/awards/${awardId}/reissue`, {
      nameOnCertificate: 'Dana Kessler-Ortiz',
      reason: 'Legal name change',
    });
    expect(r.status, r.body).toBe(201);
    expect(r.json.supersedesId).toBe(awardId);
    expect(r.json.awardedOn).toBe('2027-03-12');
    expect(r.json.certificateNumber).not.toBe(number);
    const old = await admin.request('GET', `/api/awards/${awardId}`);
    expect(old.json).toMatchObject({ nameOnCertificate: 'Dana Kessler', supersededById: r.json.id });
    const v = await t.app.inject({ method: 'GET', url: `/api/verify/${number}`, remoteAddress: '10.0.0.3' });
    expect(v.json().items[0].supersededBy).toBe(r.json.certificateNumber);
    awardId = r.json.id;
    await expect(
      t.db.updateTable('award').set({ name_on_certificate: 'x' }).where('id', '=', awardId).execute(),
    ).rejects.toThrow(/immutable/);
  });

  it('refuses a revocation without a reason, then revokes with one', async () => {
    const no = await admin.request('POST', `/api/awards/${awardId}/revoke`, {});
    expect(no.status).toBe(400);
    expect(no.json.errors[0].field).toBe('reason');
    const blank = await admin.request('POST', `/api/awards/${awardId}/revoke`, { reason: '   ' });
    expect(blank.status).toBe(400);
    const ok = await admin.request('POST', `/api/awards/${awardId}/revoke`, {
      reason: 'Falsified attendance records',
    });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json.revocation.reason).toBe('Falsified attendance records');
    const v = await t.app.inject({
      method: 'GET',
      url: `/api/verify?name=Kessler-Ortiz&county=Douglas`,
      remoteAddress: '10.0.0.4',
    });
    expect(v.json().items[0]?.status ?? 'revoked').toBe('revoked');
  });
});

describe('CPO: application deadline and the conference', () => {
  it('awards Management 72/16 + job-specific 24/12 at the conference; a June 2 completion goes to next year', async () => {
    const cpo = await programId(t.db, 'igo-cpo');
    const mk = async (last: string, finalDate: string) => {
      const p = await quickClient(t, ['official'], { lastName: last });
      await buildEnrollment(t.db, p.personId, 'igo-cpo', '2026-01-10');
      const add = (category: string, amount: number, sponsored: boolean, earnedOn: string) =>
        t.db
          .insertInto('credit_record')
          .values({
            person_id: p.personId,
            program_id: cpo,
            amount,
            category,
            sponsored,
            source_type: sponsored ? 'igo-conference' : 'state-association',
            course_code: null,
            title: null,
            session_id: null,
            registration_id: null,
            earned_on: earnedOn,
            status: 'approved',
            reverses_id: null,
            reason: null,
            recorded_at: new Date('2030-01-01').toISOString(),
            recorded_by: null,
          })
          .execute();
      await add('management', 56, false, '2026-05-01');
      await add('management', 16, true, finalDate);
      await add('elections', 12, false, '2026-05-01');
      await add('elections', 12, true, '2026-06-01');
      await factsChanged(t, p.personId, cpo);
      return p;
    };
    t.clock.now = new Date('2030-07-01T15:00:00Z');
    const onTime = await mk('Ontime', '2029-06-01');
    const late = await mk('Late', '2029-06-02');
    const conf = await admin.request('POST', '/api/events', {
      title: 'iGO Annual Conference 2029',
      programId: cpo,
      kind: 'conference',
      heldOn: '2029-07-15',
    });
    const list = await admin.request('GET', `/api/awards/eligible?programId=${cpo}`);
    const years = Object.fromEntries(
      list.json.items.map((i: { person: { id: string }; awardYear: number }) => [i.person.id, i.awardYear]),
    );
    expect(years[onTime.personId]).toBe(2029);
    expect(years[late.personId]).toBe(2030);
    // The conference has no sessions; its year is its own date's.
    const r = await admin.request('POST', '/api/awards/bulk', {
      programId: cpo,
      eventId: conf.json.id,
      personIds: [onTime.personId, late.personId],
      awardedOn: '2029-07-15',
    });
    expect(r.status, r.body).toBe(200);
    expect(r.json.awarded.map((a: { person: { id: string } }) => a.person.id)).toEqual([onTime.personId]);
    expect(r.json.refused[0]).toMatchObject({ personId: late.personId });
    expect(r.json.refused[0].reason).toMatch(/2030 ceremony/);
    expect(r.json.awarded[0]).toMatchObject({ designation: 'CPO', expiresOn: '2032-07-14' });
    const pdf = await admin.request('GET', `/api/awards/${r.json.awarded[0].id}/certificate`);
    expect(pdf.body.startsWith('%PDF-')).toBe(true);
  });
});

describe('dashboards', () => {
  it('gives administrators counts by status and renewals coming due', async () => {
    const s = await admin.request('GET', '/api/awards/summary');
    expect(s.status, s.body).toBe(200);
    const cpo = s.json.programs.find((p: { program: { code: string } }) => p.program.code === 'igo-cpo');
    expect(cpo.counts.certified).toBe(1);
    const due = await admin.request('GET', '/api/renewals/due?withinDays=1200');
    expect(due.status).toBe(200);
    expect(due.json.items.some((i: { program: { code: string } }) => i.program.code === 'igo-cpo')).toBe(
      true,
    );
  });
});
