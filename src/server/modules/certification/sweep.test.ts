/**
 * The certification sweep and the edges of an award: every person is swept
 * whatever the batch size (k*batch, k*batch +- 1 people), an award cannot be
 * dated before the requirements were met, records dated on the award day stay
 * in the initial requirement on the progress page, and a credit reversal
 * recomputes the status at once and is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import {
  buildCredit,
  buildEnrollment,
  buildRegistration,
  buildSession,
  programId,
  quickClient,
} from '../../testing/scheduling.js';
import { checkImpact } from '../../testing/impact.js';
import { runCertificationSweep } from './evaluation.js';

let t: TestApp;
let admin: Client;
let coordinator: Client;
let ks: string;

/** The nine Kansas courses, Year One to Three, the last three on `dates[2]`. */
async function completeKs(personId: string, dates = ['2026-04-10', '2026-09-10', '2027-03-10']) {
  const ids: string[] = [];
  for (const [i, y] of [1, 2, 3].entries())
    for (const n of [1, 2, 3])
      ids.push(
        await buildCredit(t.db, personId, {
          category: `year-${['one', 'two', 'three'][i]}`,
          courseCode: `KS-Y${y}-0${n}`,
          earnedOn: dates[i]!,
        }),
      );
  return ids;
}

const cacheOf = (personId: string) =>
  t.db
    .selectFrom('certification_status')
    .selectAll()
    .where('person_id', '=', personId)
    .where('program_id', '=', ks)
    .executeTakeFirst();

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  coordinator = await quickClient(t, ['coordinator']);
  ks = await programId(t.db);
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

describe('the sweep', () => {
  it('recomputes every person whatever the batch size (N = k*batch, k*batch + 1, k*batch - 1)', async () => {
    for (let i = 0; i < 7; i++) {
      const p = await quickClient(t, ['official']);
      await buildEnrollment(t.db, p.personId);
    }
    const everyone = async () =>
      (
        await t.db
          .selectFrom('enrollment')
          .select(['person_id', 'program_id'])
          .where('status', '=', 'active')
          .union(t.db.selectFrom('award').select(['person_id', 'program_id']))
          .execute()
      ).map((r) => `${r.person_id}|${r.program_id}`);
    const all = await everyone();
    const n = all.length;
    expect(n).toBe(7);
    // Batch sizes 1..n+1 give every shape: 7 = 7*1, 3*2+1, 2*3+1, 2*4-1, 1*6+1, 1*7, 1*8-1.
    for (let size = 1; size <= n + 1; size++) {
      t.clock.now = new Date(Date.UTC(2027, 2, 11, 15, size));
      const { evaluated } = await runCertificationSweep(t.deps, { batchSize: size, everyone: true });
      const rows = await t.db
        .selectFrom('certification_status')
        .select(['person_id', 'program_id', 'computed_at'])
        .execute();
      const fresh = rows
        .filter((r) => new Date(r.computed_at).getTime() === t.clock.now.getTime())
        .map((r) => `${r.person_id}|${r.program_id}`);
      expect(fresh.sort(), `batch size ${size}`).toEqual([...all].sort());
      expect(evaluated, `batch size ${size}`).toBe(n);
    }
    t.clock.now = new Date('2027-03-11T15:00:00Z');
  });
});

describe('status is maintained, not recomputed every minute', () => {
  const enrolledOrAwarded = async () =>
    (
      await t.db
        .selectFrom('enrollment')
        .select('person_id')
        .where('status', '=', 'active')
        .union(t.db.selectFrom('award').select('person_id'))
        .execute()
    ).length;

  it('evaluates no one when nothing is due; at the first sweep of a new day in the program zone, only those whose transition day it is', async () => {
    const n = await enrolledOrAwarded();
    expect(n).toBeGreaterThan(0);
    // 23:00 in Kansas (CST) on March 11 is already March 12 in UTC: still the same day there.
    t.clock.now = new Date('2027-03-12T04:00:00Z');
    await runCertificationSweep(t.deps); // whatever earlier tests left due today
    for (const at of ['2027-03-12T04:30:00Z', '2027-03-12T05:59:00Z']) {
      t.clock.now = new Date(at);
      expect((await runCertificationSweep(t.deps)).evaluated, at).toBe(0);
    }
    // Midnight in Kansas: a new day, so the people whose next transition (a lapse, a reminder, a
    // deadline …) falls on it are evaluated, and no one else (transition-sweep.test.ts has more).
    await t.db.updateTable('certification_status').set({ next_transition_on: '2027-03-20' }).execute();
    const [first, second] = await t.db
      .selectFrom('certification_status')
      .select('person_id')
      .limit(2)
      .execute();
    await t.db
      .updateTable('certification_status')
      .set({ next_transition_on: '2027-03-12' })
      .where('person_id', 'in', [first!.person_id, second!.person_id])
      .execute();
    t.clock.now = new Date('2027-03-12T06:00:00Z');
    expect((await runCertificationSweep(t.deps)).evaluated).toBe(2);
    expect((await runCertificationSweep(t.deps)).evaluated).toBe(0);
    t.clock.now = new Date('2027-03-11T15:00:00Z');
  });

  it('an enrollment through the API queues that person; the next sweep evaluates only them', async () => {
    t.clock.now = new Date('2027-03-11T15:10:00Z');
    await runCertificationSweep(t.deps);
    const p = await quickClient(t, ['official']);
    const res = await coordinator.request('POST', `/api/programs/${ks}/enrollments`, {
      personId: p.personId,
      enrolledOn: '2027-03-01',
      feeStatus: 'waived',
    });
    expect(res.status, res.body).toBe(201);
    expect(await cacheOf(p.personId)).toBeUndefined();
    expect((await runCertificationSweep(t.deps)).evaluated).toBe(1);
    expect((await cacheOf(p.personId))?.status).toBe('not_started');
    t.clock.now = new Date('2027-03-11T15:00:00Z');
  });

  it('someone enrolled behind the writers (no cached status) is picked up by the first sweep of the next day, not by every sweep', async () => {
    t.clock.now = new Date('2027-03-12T16:00:00Z');
    await runCertificationSweep(t.deps); // the day's first sweep has run
    const p = await quickClient(t, ['official']);
    await buildEnrollment(t.db, p.personId); // straight into the table: no writer queued them
    t.clock.now = new Date('2027-03-12T17:00:00Z');
    await runCertificationSweep(t.deps);
    expect(await cacheOf(p.personId)).toBeUndefined();
    // 00:30 on March 13 in Kansas (CST): the day's first sweep looks for people with no status.
    t.clock.now = new Date('2027-03-13T06:30:00Z');
    expect((await runCertificationSweep(t.deps)).evaluated).toBeGreaterThanOrEqual(1);
    expect((await cacheOf(p.personId))?.status).toBe('not_started');
    t.clock.now = new Date('2027-03-11T15:00:00Z');
  });

  it('a confirmed seat in a session that has started since the last sweep queues that official', async () => {
    t.clock.now = new Date('2027-03-13T15:00:00Z');
    const p = await quickClient(t, ['official']);
    await buildEnrollment(t.db, p.personId);
    await runCertificationSweep(t.deps, { everyone: true });
    const before = await cacheOf(p.personId);
    expect(before).toBeDefined();
    const session = await buildSession(t.db, { startsAt: new Date('2027-03-13T15:30:00Z') });
    await buildRegistration(t.db, session.id, p.personId);
    t.clock.now = new Date('2027-03-13T15:20:00Z');
    await runCertificationSweep(t.deps); // not started yet: not queued
    expect((await cacheOf(p.personId))?.computed_at).toEqual(before!.computed_at);
    t.clock.now = new Date('2027-03-13T15:31:00Z');
    expect((await runCertificationSweep(t.deps)).evaluated).toBe(1);
    expect(new Date((await cacheOf(p.personId))!.computed_at).getTime()).toBe(t.clock.now.getTime());
    t.clock.now = new Date('2027-03-11T15:00:00Z');
  });

  it('new rules: everyone in the program is queued, with progress on the program page, and evaluated in the background', async () => {
    t.clock.now = new Date('2027-03-11T15:20:00Z');
    await runCertificationSweep(t.deps);
    const inKs = (
      await t.db
        .selectFrom('enrollment')
        .select('person_id')
        .where('status', '=', 'active')
        .where('program_id', '=', ks)
        .union(t.db.selectFrom('award').select('person_id').where('program_id', '=', ks))
        .execute()
    ).length;
    const def = (await admin.request('GET', `/api/programs/${ks}`)).json.definition;
    const draft = await admin.request('PUT', `/api/programs/${ks}/draft`, {
      definition: { ...def, version: '2027.9', effectiveFrom: '2027-01-01' },
    });
    expect(draft.status, draft.body).toBe(200);
    await checkImpact(admin, ks);
    const pub = await admin.request('POST', `/api/programs/${ks}/publish`);
    expect(pub.status, pub.body).toBe(200);
    expect(pub.json.statusRun).toMatchObject({ waiting: inKs, total: inKs, reason: 'rules changed' });
    // Coordinators and officials do not see it.
    expect((await coordinator.request('GET', `/api/programs/${ks}`)).json.statusRun).toBeNull();
    expect((await runCertificationSweep(t.deps, { batchSize: 3 })).evaluated).toBe(inKs);
    expect((await admin.request('GET', `/api/programs/${ks}`)).json.statusRun).toMatchObject({
      waiting: 0,
      total: inKs,
    });
    t.clock.now = new Date('2027-03-11T15:00:00Z');
  });
});

describe('award date and the progress page', () => {
  let official: Client & { email: string };

  it('refuses an award dated before the requirements were met, naming the field; the day they were met is fine', async () => {
    official = await quickClient(t, ['official']);
    await buildEnrollment(t.db, official.personId);
    await completeKs(official.personId); // met on 2027-03-10
    const early = await admin.request('POST', '/api/awards', {
      personId: official.personId,
      programId: ks,
      awardedOn: '2027-03-09',
    });
    expect(early.status, early.body).toBe(409);
    expect(early.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(early.json.errors[0].field).toBe('awardedOn');
    expect(early.json.detail).toContain('2027-03-10');
    const bulk = await admin.request('POST', '/api/awards/bulk', {
      programId: ks,
      eventId: (await admin.request('POST', '/api/events', { title: 'Ceremony' })).json.id,
      personIds: [official.personId],
      awardedOn: '2027-03-09',
    });
    expect(bulk.status, bulk.body).toBe(200);
    expect(bulk.json.awarded).toEqual([]);
    expect(bulk.json.refused[0].reason).toMatch(/cannot be before the requirements were met/);
    expect(
      await t.db.selectFrom('award').select('id').where('person_id', '=', official.personId).execute(),
    ).toEqual([]);
    const onTheDay = await admin.request('POST', '/api/awards', {
      personId: official.personId,
      programId: ks,
      awardedOn: '2027-03-10',
    });
    expect(onTheDay.status, onTheDay.body).toBe(201);
    expect(onTheDay.json.awardedOn).toBe('2027-03-10');
  });

  it('after the award, the Year Three courses dated on the award day still count on the progress page', async () => {
    t.clock.now = new Date('2027-06-01T15:00:00Z');
    const r = await official.request('GET', '/api/me/progress');
    expect(r.status, r.body).toBe(200);
    const ksProgress = r.json.programs.find((p: { program: { id: string } }) => p.program.id === ks);
    expect(ksProgress.status).toBe('certified');
    const root = ksProgress.nodes[0];
    expect(root).toMatchObject({ depth: 0, met: true });
    const onAwardDay = ksProgress.nodes.flatMap((n: { counted: { date: string; courseCode: string }[] }) =>
      n.counted.filter((c) => c.date === '2027-03-10').map((c) => c.courseCode),
    );
    expect(new Set(onAwardDay)).toEqual(new Set(['KS-Y3-01', 'KS-Y3-02', 'KS-Y3-03']));
    expect(
      ksProgress.nodes.flatMap((n: { notCounted: { date: string }[] }) =>
        n.notCounted.filter((c) => c.date === '2027-03-10'),
      ),
    ).toEqual([]);
  });
});

describe('a credit reversal', () => {
  it('recomputes the status at once (no sweep) and is audited with who, what and why', async () => {
    t.clock.now = new Date('2027-03-11T15:00:00Z');
    const p = await quickClient(t, ['official']);
    await buildEnrollment(t.db, p.personId);
    const ids = await completeKs(p.personId);
    // The credits were written straight to the database, past the change hook: queue everyone.
    await runCertificationSweep(t.deps, { everyone: true });
    expect((await cacheOf(p.personId))?.status).toBe('eligible');

    t.clock.now = new Date('2027-03-12T16:00:00Z');
    const target = ids[8]!; // KS-Y3-03
    const res = await coordinator.request('POST', `/api/credits/${target}/reverse`, {
      reason: 'Left after the first hour',
    });
    expect(res.status, res.body).toBe(201);
    // The cache and what the official sees changed in the same request.
    expect((await cacheOf(p.personId))?.status).toBe('in_progress');
    const mine = await p.request('GET', '/api/me/certification');
    expect(mine.json.programs.find((x: { program: { id: string } }) => x.program.id === ks).status).toBe(
      'in_progress',
    );
    const eligible = await admin.request('GET', `/api/awards/eligible?programId=${ks}`);
    expect(eligible.json.items.map((i: { person: { id: string } }) => i.person.id)).not.toContain(p.personId);

    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('at', '=', t.clock.now.toISOString())
      .orderBy('id')
      .execute();
    const reversal = audit.find((a) => a.action === 'credit.reverse');
    expect(reversal).toMatchObject({
      entity_type: 'credit_record',
      entity_id: res.json.id,
      after: { reverses: target, reason: 'Left after the first hour' },
    });
    const coordinatorUser = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', coordinator.personId)
      .executeTakeFirstOrThrow();
    expect(reversal?.actor_user_id).toBe(coordinatorUser.id);
    expect(
      audit.find((a) => a.action === 'certification.status' && a.entity_id === p.personId),
    ).toMatchObject({
      before: { status: 'eligible' },
      after: { status: 'in_progress' },
    });
  });
});
