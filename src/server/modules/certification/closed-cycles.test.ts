/**
 * Closed cycles stay closed (issue 13, section 3). Kansas: one advance renewal
 * course each calendar year, 90 days' grace, a year to reinstate. An official
 * awarded on 2023-06-01 renewed the cycle ending 2024-12-31 with a course in
 * June 2024 and the 2025 cycle with a course in May 2025. On 2025-11-01 the
 * 2024 cycle is closed (its grace ended 2025-03-31). Reversing the 2024
 * course then must not flip that cycle (recomputed, it would take the 2025
 * course and leave 2025 unrenewed): the stored outcome stands, the correction
 * is flagged for staff, and staff may reopen the cycle with a reason.
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
import { runCertificationSweep } from './evaluation.js';

let t: TestApp;
let admin: Client;
let coordinator: Client;
let official: Client;
let ks: string;
let course2024: string;
let course2025: string;

interface CycleView {
  id: string;
  start: string;
  due: string;
  state: string;
  completedOn: string | null;
  closed: boolean;
  stored: boolean;
  flag: { detail: string; ledgerState: string; flaggedAt: string | null } | null;
}

async function progressOf(client: Client, personId: string) {
  const r = await client.request('GET', `/api/people/${personId}/progress`);
  expect(r.status, r.body).toBe(200);
  return r.json.programs.find((p: { program: { id: string } }) => p.program.id === ks) as {
    status: string;
    nextDue: string | null;
    cycles: CycleView[];
  };
}

const cacheOf = async (personId: string) =>
  (
    await t.db
      .selectFrom('certification_status')
      .select('status')
      .where('person_id', '=', personId)
      .where('program_id', '=', ks)
      .executeTakeFirstOrThrow()
  ).status;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2023-06-01T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  coordinator = await quickClient(t, ['coordinator']);
  official = await quickClient(t, ['official']);
  ks = await programId(t.db);
  await buildEnrollment(t.db, official.personId, undefined, '2022-01-15');
  for (const [i, y] of ['one', 'two', 'three'].entries())
    for (const n of [1, 2, 3])
      await buildCredit(t.db, official.personId, {
        category: `year-${y}`,
        courseCode: `KS-Y${i + 1}-0${n}`,
        earnedOn: ['2022-04-10', '2022-09-10', '2023-03-10'][i]!,
      });
  const award = await admin.request('POST', '/api/awards', {
    personId: official.personId,
    programId: ks,
    awardedOn: '2023-06-01',
  });
  expect(award.status, award.body).toBe(201);
  course2024 = await buildCredit(t.db, official.personId, {
    category: 'advance-renewal',
    courseCode: 'KS-ARC-2026',
    earnedOn: '2024-06-01',
  });
  course2025 = await buildCredit(t.db, official.personId, {
    category: 'advance-renewal',
    courseCode: 'KS-ARC-2027',
    earnedOn: '2025-05-01',
  });
  t.clock.now = new Date('2025-11-01T15:00:00Z');
  await runCertificationSweep(t.deps);
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

describe('closed cycles stay closed', () => {
  it('stores the outcome of the 2024 cycle once it closes, and the database refuses to change it', async () => {
    const p = await progressOf(coordinator, official.personId);
    expect(p.status).toBe('certified');
    expect(p.nextDue).toBe('2026-12-31');
    expect(p.cycles[0]).toMatchObject({
      start: '2023-06-01',
      due: '2024-12-31',
      state: 'renewed',
      completedOn: '2024-06-01',
      closed: true,
      flag: null,
    });
    expect(p.cycles[1]).toMatchObject({ state: 'renewed', closed: false });
    const stored = await t.db
      .selectFrom('renewal_cycle_outcome as o')
      .innerJoin('renewal_cycle as c', 'c.id', 'o.cycle_id')
      .select(['o.id', 'o.state', 'o.completed_on', 'o.record_ids', 'c.starts_on'])
      .where('c.person_id', '=', official.personId)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      starts_on: '2023-06-01',
      state: 'renewed',
      completed_on: '2024-06-01',
      record_ids: [course2024],
    });
    await expect(
      t.db
        .updateTable('renewal_cycle_outcome')
        .set({ state: 'expired' })
        .where('id', '=', stored[0]!.id)
        .execute(),
    ).rejects.toThrow(/closed cycle outcomes are never changed/);
    await expect(
      t.db.deleteFrom('renewal_cycle_outcome').where('id', '=', stored[0]!.id).execute(),
    ).rejects.toThrow(/closed cycle outcomes are never changed/);
  });

  it('a late reversal of the 2024 course does not flip the closed cycle; it is flagged for staff', async () => {
    t.clock.now = new Date('2025-11-02T15:00:00Z');
    const res = await coordinator.request('POST', `/api/credits/${course2024}/reverse`, {
      reason: 'Attendance sheet was for another official',
    });
    expect(res.status, res.body).toBe(201);
    // Recomputed from the ledger this would be "renewal due": the 2024 cycle would take the 2025 course.
    expect(await cacheOf(official.personId)).toBe('certified');
    const p = await progressOf(coordinator, official.personId);
    expect(p.status).toBe('certified');
    expect(p.nextDue).toBe('2026-12-31');
    expect(p.cycles[0]).toMatchObject({ state: 'renewed', completedOn: '2024-06-01', stored: true });
    expect(p.cycles[0]?.flag?.ledgerState).toBe('reinstated');
    expect(p.cycles[0]?.flag?.detail).toMatch(/reversed/);
    expect(p.cycles[1]).toMatchObject({ state: 'renewed', completedOn: '2025-05-01' });
    // Officials see their cycles, not staff flags.
    const own = await official.request('GET', '/api/me/progress');
    const mine = own.json.programs.find((x: { program: { id: string } }) => x.program.id === ks);
    expect(mine.status).toBe('certified');
    expect(mine.cycles[0].flag).toBeNull();
    // The sweep keeps it so.
    await runCertificationSweep(t.deps);
    expect(await cacheOf(official.personId)).toBe('certified');
  });

  it('reopening needs a reason (400 naming the field) and staff rights (403 for an official)', async () => {
    const p = await progressOf(coordinator, official.personId);
    const cycleId = p.cycles[0]!.id;
    const noReason = await coordinator.request('POST', `/api/renewal-cycles/${cycleId}/reopen`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(noReason.json.errors[0].field).toBe('reason');
    const blank = await coordinator.request('POST', `/api/renewal-cycles/${cycleId}/reopen`, {
      reason: '  ',
    });
    expect(blank.status).toBe(400);
    expect(blank.json.errors[0]).toMatchObject({ field: 'reason', message: 'Reason is required.' });
    const byOfficial = await official.request('POST', `/api/renewal-cycles/${cycleId}/reopen`, {
      reason: 'I would like it reopened',
    });
    expect(byOfficial.status).toBe(403);
    expect((await progressOf(coordinator, official.personId)).status).toBe('certified');
  });

  it('reopening with a reason is audited, and the cycle is recomputed from the ledger and closed again', async () => {
    t.clock.now = new Date('2025-11-03T15:00:00Z');
    const before = await progressOf(coordinator, official.personId);
    const cycleId = before.cycles[0]!.id;
    const res = await coordinator.request('POST', `/api/renewal-cycles/${cycleId}/reopen`, {
      reason: 'The 2024 course was recorded in error; recompute from the ledger',
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ cycleId, status: 'renewal_due' });
    // The ledger now: the 2024 cycle was reinstated late with the 2025 course, and 2025 is due.
    expect(await cacheOf(official.personId)).toBe('renewal_due');
    const after = await progressOf(coordinator, official.personId);
    expect(after.status).toBe('renewal_due');
    expect(after.nextDue).toBe('2025-12-31');
    // Reinstated late, its outcome is final once the reinstatement window is over (2026-03-31).
    expect(after.cycles[0]).toMatchObject({
      state: 'reinstated',
      completedOn: '2025-05-01',
      closed: false,
      stored: false,
      flag: null,
    });
    t.clock.now = new Date('2026-04-02T15:00:00Z');
    await runCertificationSweep(t.deps);
    const closedAgain = await progressOf(coordinator, official.personId);
    expect(closedAgain.status).toBe('lapsed'); // nothing was done for 2025
    expect(closedAgain.cycles[0]).toMatchObject({
      state: 'reinstated',
      closed: true,
      stored: true,
      flag: null,
    });
    const outcomes = await t.db
      .selectFrom('renewal_cycle_outcome as o')
      .innerJoin('renewal_cycle as c', 'c.id', 'o.cycle_id')
      .leftJoin('renewal_cycle_reopening as r', 'r.outcome_id', 'o.id')
      .select(['o.state', 'o.record_ids', 'r.reason'])
      .where('c.person_id', '=', official.personId)
      .orderBy('o.created_at')
      .execute();
    expect(outcomes).toEqual([
      {
        state: 'renewed',
        record_ids: [course2024],
        reason: 'The 2024 course was recorded in error; recompute from the ledger',
      },
      { state: 'reinstated', record_ids: [course2025], reason: null },
    ]);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'certification.cycle.reopen')
      .execute();
    expect(audit).toHaveLength(1);
    const coordinatorUser = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', coordinator.personId)
      .executeTakeFirstOrThrow();
    expect(audit[0]).toMatchObject({
      entity_type: 'person',
      entity_id: official.personId,
      actor_user_id: coordinatorUser.id,
      before: { cycleStart: '2023-06-01', state: 'renewed', completedOn: '2024-06-01' },
      after: { reopened: true, reason: 'The 2024 course was recorded in error; recompute from the ledger' },
    });
    // The person's data export carries the outcomes and the reopening.
    const exported = await admin.request('GET', `/api/people/${official.personId}/export`);
    expect(exported.status).toBe(200);
    const first = exported.json.awards[0].renewalCycles.find(
      (c: { startsOn: string }) => c.startsOn === '2023-06-01',
    );
    expect(
      first.outcomes.map((o: { state: string; reopenReason: string | null }) => [o.state, o.reopenReason]),
    ).toEqual([
      ['renewed', 'The 2024 course was recorded in error; recompute from the ledger'],
      ['reinstated', null],
    ]);
    // A cycle that has not closed cannot be reopened.
    const open = await coordinator.request(
      'POST',
      `/api/renewal-cycles/${closedAgain.cycles[1]!.id}/reopen`,
      {
        reason: 'Not closed yet',
      },
    );
    expect(open.status).toBe(409);
  });
});

describe('a record entered after a cycle closed', () => {
  it('does not change the expired cycle; it is flagged, and once reopened the cycle renews', async () => {
    // Awarded 2023-06-01, nothing recorded for 2024: the first cycle expired after 2026-03-31.
    t.clock.now = new Date('2023-06-01T15:00:00Z');
    const late = await quickClient(t, ['official']);
    await buildEnrollment(t.db, late.personId, undefined, '2022-01-15');
    for (const [i, y] of ['one', 'two', 'three'].entries())
      for (const n of [1, 2, 3])
        await buildCredit(t.db, late.personId, {
          category: `year-${y}`,
          courseCode: `KS-Y${i + 1}-0${n}`,
          earnedOn: ['2022-04-10', '2022-09-10', '2023-03-10'][i]!,
          recordedAt: '2023-03-11T15:00:00Z',
        });
    const award = await admin.request('POST', '/api/awards', {
      personId: late.personId,
      programId: ks,
      awardedOn: '2023-06-01',
    });
    expect(award.status, award.body).toBe(201);
    t.clock.now = new Date('2026-04-05T15:00:00Z');
    await runCertificationSweep(t.deps);
    expect(await cacheOf(late.personId)).toBe('expired');

    // The 2024 course turns up on paper and is entered in May 2026.
    t.clock.now = new Date('2026-05-04T15:00:00Z');
    const paper = await buildCredit(t.db, late.personId, {
      category: 'advance-renewal',
      courseCode: 'KS-ARC-2026',
      earnedOn: '2024-06-01',
      recordedAt: '2026-05-04T15:00:00Z',
    });
    // Written straight to the ledger, so the change hook is told, as the ledger's writers do.
    await factsChanged(t, late.personId, ks);
    await runCertificationSweep(t.deps);
    expect(await cacheOf(late.personId)).toBe('expired');
    const p = await progressOf(coordinator, late.personId);
    expect(p.cycles[0]).toMatchObject({ state: 'expired', stored: true });
    expect(p.cycles[0]?.flag).toMatchObject({ ledgerState: 'renewed', ledgerCompletedOn: '2024-06-01' });
    const flags = await t.db
      .selectFrom('renewal_cycle_flag as f')
      .innerJoin('renewal_cycle_outcome as o', 'o.id', 'f.outcome_id')
      .innerJoin('renewal_cycle as c', 'c.id', 'o.cycle_id')
      .select(['f.ledger_state', 'f.flagged_at'])
      .where('c.person_id', '=', late.personId)
      .execute();
    expect(flags.map((f) => f.ledger_state)).toEqual(['renewed']);
    expect(p.cycles[0]?.flag?.flaggedAt).toBeTruthy();
    expect(
      await t.db
        .selectFrom('audit_log')
        .select('after')
        .where('action', '=', 'certification.cycle.flag')
        .where('entity_id', '=', late.personId)
        .execute(),
    ).toHaveLength(1);

    const res = await admin.request('POST', `/api/renewal-cycles/${p.cycles[0]!.id}/reopen`, {
      reason: 'Paper sign-in sheet for the June 2024 course found',
    });
    expect(res.status, res.body).toBe(200);
    // 2024 renewed with the course entered late; 2025 had nothing and is now lapsed (not expired).
    expect(res.json.status).toBe('lapsed');
    const after = await progressOf(coordinator, late.personId);
    expect(after.cycles[0]).toMatchObject({
      state: 'renewed',
      completedOn: '2024-06-01',
      closed: true,
      stored: true,
      flag: null,
    });
    const outcome = await t.db
      .selectFrom('renewal_cycle_outcome as o')
      .innerJoin('renewal_cycle as c', 'c.id', 'o.cycle_id')
      .select(['o.state', 'o.record_ids'])
      .where('c.person_id', '=', late.personId)
      .orderBy('o.created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(outcome).toEqual({ state: 'renewed', record_ids: [paper] });
  });
});
