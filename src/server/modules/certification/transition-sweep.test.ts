/**
 * The sweep evaluates only the officials whose next date-driven transition has come (issue 14,
 * section 2; migration 0022): a certified official's renewal reminder is evaluated on its day and
 * no one else is, the result is what evaluating everyone would store and send, no one is evaluated
 * on the days between, and no one is skipped across batches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildCredit, buildEnrollment, programId, quickClient } from '../../testing/scheduling.js';
import { runCertificationSweep } from './evaluation.js';

let t: TestApp;
let admin: Client;
let ks: string;
let certified: Client & { email: string };
const others: string[] = [];

const rows = async () =>
  t.db
    .selectFrom('certification_status')
    .select([
      'person_id',
      'status',
      'next_due',
      'lapsed_on',
      'report_facts',
      'next_transition_on',
      'computed_at',
    ])
    .where('program_id', '=', ks)
    .orderBy('person_id')
    .execute();
const rowOf = async (personId: string) => (await rows()).find((r) => r.person_id === personId);
const reminders = async () =>
  (
    await t.db
      .selectFrom('email_message')
      .select('subject')
      .where('kind', '=', 'award.renewal-reminder')
      .where('to_address', '=', certified.email)
      .execute()
  ).map((m) => m.subject);
const notices = async () =>
  (
    await t.db
      .selectFrom('award_notice')
      .select(['person_id', 'kind', 'key'])
      .where('program_id', '=', ks)
      .orderBy('person_id')
      .orderBy('key')
      .execute()
  ).map((n) => `${n.person_id} ${n.kind} ${n.key}`);
/** 00:30 in Kansas (CST, UTC-6) on the given day: the first sweep of that day there. */
const earlyOn = (day: string) => new Date(`${day}T06:30:00Z`);

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  ks = await programId(t.db);
  // One official certified on March 10, 2027 (the nine Kansas courses, then the award) ...
  certified = await quickClient(t, ['official']);
  await buildEnrollment(t.db, certified.personId);
  for (const [i, y] of ['one', 'two', 'three'].entries())
    for (const n of [1, 2, 3])
      await buildCredit(t.db, certified.personId, {
        category: `year-${y}`,
        courseCode: `KS-Y${i + 1}-0${n}`,
        earnedOn: ['2026-04-10', '2026-09-10', '2027-03-10'][i]!,
      });
  const award = await admin.request('POST', '/api/awards', {
    personId: certified.personId,
    programId: ks,
    awardedOn: '2027-03-10',
  });
  expect(award.status, award.body).toBe(201);
  expect(award.json.expiresOn).toBe('2028-12-31');
  // ... and five enrolled who have not started.
  for (let i = 0; i < 5; i++) {
    const p = await quickClient(t, ['official']);
    await buildEnrollment(t.db, p.personId);
    others.push(p.personId);
  }
  // November 20, 2028: past the 90-day reminder (October 2), before the 30-day one (December 1).
  t.clock.now = new Date('2028-11-20T15:00:00Z');
  await runCertificationSweep(t.deps, { everyone: true });
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

describe('the sweep evaluates only those whose next transition has come', () => {
  it('stores each official’s next transition: the next reminder for the certified one', async () => {
    const mine = await rowOf(certified.personId);
    expect(mine).toMatchObject({
      status: 'renewal_due', // since the 90-day reminder
      next_due: '2028-12-31',
      next_transition_on: '2028-12-01',
    });
    expect(await reminders()).toHaveLength(1); // the 90-day one, when everyone was evaluated
    // The others have no date ahead: the safety net's day, four to eight weeks out.
    for (const id of others) {
      const r = await rowOf(id);
      expect(r?.status).toBe('not_started');
      expect(r!.next_transition_on >= '2028-12-18' && r!.next_transition_on <= '2029-01-15').toBe(true);
    }
  });

  it('evaluates no one on the days with nothing due, the first sweep of each day included', async () => {
    const before = await rows();
    for (let d = 21; d <= 30; d++) {
      t.clock.now = earlyOn(`2028-11-${d}`);
      expect((await runCertificationSweep(t.deps)).evaluated, `November ${d}`).toBe(0);
    }
    expect(await rows()).toEqual(before);
  });

  it('on the reminder’s day evaluates exactly that official, and sends the reminder', async () => {
    const before = await rows();
    t.clock.now = earlyOn('2028-12-01');
    expect((await runCertificationSweep(t.deps)).evaluated).toBe(1);
    const after = await rows();
    const changed = after.filter((r, i) => r.computed_at !== before[i]?.computed_at).map((r) => r.person_id);
    expect(changed).toEqual([certified.personId]);
    expect(await reminders()).toHaveLength(2);
    expect((await reminders())[1]).toMatch(/renewal due December 31, 2028/);
    // The next one: the 7-day reminder.
    expect((await rowOf(certified.personId))?.next_transition_on).toBe('2028-12-24');
    expect((await runCertificationSweep(t.deps)).evaluated).toBe(0);
  });

  it('stores and sends what evaluating everyone would', async () => {
    const strip = (rs: Awaited<ReturnType<typeof rows>>) =>
      rs.map(({ computed_at: _, next_transition_on: __, ...r }) => r);
    const cached = await rows();
    const sent = await notices();
    const mails = await reminders();
    // Everyone evaluated on the same day finds the same statuses and figures, and nothing to send.
    expect((await runCertificationSweep(t.deps, { everyone: true })).evaluated).toBe(others.length + 1);
    const full = await rows();
    expect(strip(full)).toEqual(strip(cached));
    expect(full.find((r) => r.person_id === certified.personId)?.next_transition_on).toBe('2028-12-24');
    expect(await notices()).toEqual(sent);
    expect(await reminders()).toEqual(mails);
  });

  it('the 7-day reminder on its day, then grace the day after the due date', async () => {
    t.clock.now = earlyOn('2028-12-24');
    await runCertificationSweep(t.deps);
    expect(await reminders()).toHaveLength(3);
    // In grace from the day after the due date: the next transition.
    expect((await rowOf(certified.personId))?.next_transition_on).toBe('2029-01-01');
    t.clock.now = earlyOn('2028-12-31');
    const before = await rowOf(certified.personId);
    await runCertificationSweep(t.deps);
    expect(await rowOf(certified.personId)).toEqual(before);
    t.clock.now = earlyOn('2029-01-01');
    await runCertificationSweep(t.deps);
    const grace = await rowOf(certified.personId);
    expect(grace?.report_facts).toMatchObject({ renewal: { state: 'in_grace', graceEnds: '2029-03-31' } });
    // Lapsed after the last day of grace, unless the safety net's day (four to eight weeks) is sooner.
    expect(grace!.next_transition_on >= '2029-01-29' && grace!.next_transition_on <= '2029-04-01').toBe(true);
  });
});

describe('batches', () => {
  it('takes everyone whose day has come whatever the batch size (k*batch, k*batch ± 1)', async () => {
    const all = (await rows()).map((r) => r.person_id);
    const n = all.length;
    expect(n).toBe(6);
    for (let size = 1; size <= n + 1; size++) {
      t.clock.now = new Date(Date.UTC(2029, 0, 2, 15, size));
      // Everyone's day has come (as after a migration or a long outage).
      await t.db
        .updateTable('certification_status')
        .set({ next_transition_on: '2029-01-02' })
        .where('program_id', '=', ks)
        .execute();
      const { evaluated } = await runCertificationSweep(t.deps, { batchSize: size });
      expect(evaluated, `batch size ${size}`).toBe(n);
      const fresh = (await rows()).filter((r) => new Date(r.computed_at).getTime() === t.clock.now.getTime());
      expect(fresh.map((r) => r.person_id).sort(), `batch size ${size}`).toEqual([...all].sort());
      expect(fresh.every((r) => r.next_transition_on > '2029-01-02')).toBe(true);
    }
  });
});

describe('an official no longer enrolled nor awarded', () => {
  it('is not queued again every minute once their day has come', async () => {
    const gone = others[0]!;
    await t.db
      .updateTable('enrollment')
      .set({ status: 'withdrawn' })
      .where('person_id', '=', gone)
      .where('program_id', '=', ks)
      .execute();
    t.clock.now = earlyOn('2029-01-03');
    await runCertificationSweep(t.deps); // whatever else is due today
    await t.db
      .updateTable('certification_status')
      .set({ next_transition_on: '2029-01-03' })
      .where('person_id', '=', gone)
      .execute();
    expect((await runCertificationSweep(t.deps)).evaluated).toBe(0);
    // Their cached status stays as it was, next looked at by the safety net.
    expect((await rowOf(gone))?.next_transition_on).toBe('2029-02-28');
    expect(await t.db.selectFrom('status_due').select('person_id').execute()).toEqual([]);
    t.clock.now = new Date('2029-01-03T06:31:00Z');
    expect((await runCertificationSweep(t.deps)).evaluated).toBe(0);
  });
});
