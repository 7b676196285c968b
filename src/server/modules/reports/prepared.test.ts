/**
 * Reports as of another day are prepared once and then read (issue 14, ADR 0039): what an
 * administrator sees through the API while a day is prepared, once it is ready, after records
 * change, after a restart, and when several ask at once.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../context.js';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildCredit, buildEnrollment, factsChanged, programId, quickClient } from '../../testing/scheduling.js';
import { runCertificationSweep } from '../certification/evaluation.js';
import { KEEP_DAYS, prepareReport, reportRunsSettled, resumeReportRuns } from './reports.prepared.js';
import { computeReports, pageReport } from './reports.service.js';

let t: TestApp;
let admin: Client;
let ks: string;
let started: string;
const enrollments: string[] = [];

/** The day's runs a reader may be given (not superseded). */
const runsOf = (asOf: string) =>
  t.db
    .selectFrom('report_run')
    .selectAll()
    .where('program_id', '=', ks)
    .where('as_of', '=', asOf)
    .where('superseded_at', 'is', null)
    .execute();

/** An unfinished run of the day, as a restart leaves one (no worker of this process has it). */
async function leftUnfinished(asOf: string, total: number) {
  return (
    await t.db
      .insertInto('report_run')
      .values({ program_id: ks, as_of: asOf, requested_by: null, started_at: t.clock.now.toISOString(), total, snapshot: sql<string>`pg_current_snapshot()` })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  ks = await programId(t.db);
  for (const [i, county] of ['20045', '20177', '20045'].entries()) {
    const o = await quickClient(t, ['official'], { lastName: `Past${i}`, jurisdictionFips: county });
    enrollments.push(await buildEnrollment(t.db, o.personId, undefined, '2026-01-15'));
    await buildCredit(t.db, o.personId, { category: 'year-one', courseCode: 'KS-Y1-01', earnedOn: '2026-04-10' });
    await factsChanged(t, o.personId);
    if (i === 1) started = o.personId;
  }
});
afterAll(async () => {
  await t.close();
});

describe('a report as of another day', () => {
  it('is prepared once (a small program within the request) and then read, with when it was prepared', async () => {
    const asOf = '2026-12-31';
    const first = await admin.request('GET', `/api/reports/funnel?programId=${ks}&asOf=${asOf}`);
    expect(first.status, first.body).toBe(200);
    const full = await computeReports(t.db, { programId: ks, asOf }, ['funnel']);
    expect(first.json.report).toEqual(full.funnel);
    expect(first.json.prepared).toMatchObject({ officials: 3, changedSince: 0 });
    expect(first.json.prepared.startedAt).toBe('2027-03-11T15:00:00.000Z');
    const [run] = await runsOf(asOf);
    // Asked again an hour later with nothing changed: the same run is read, not evaluated again.
    t.clock.now = new Date('2027-03-11T16:00:00Z');
    const again = await admin.request('GET', `/api/reports/coverage?programId=${ks}&asOf=${asOf}`);
    expect(again.status, again.body).toBe(200);
    expect(again.json.prepared.startedAt).toBe('2027-03-11T15:00:00.000Z');
    expect((await runsOf(asOf)).map((r) => r.id)).toEqual([run!.id]);
    const list = await admin.request('GET', `/api/reports/coverage/officials?programId=${ks}&asOf=${asOf}&county=20045`);
    expect(list.status, list.body).toBe(200);
    expect(list.json.items.map((o: { name: string }) => o.name.split(' ').pop())).toEqual(['Past0', 'Past2']);
  });

  it('after a record changes, a small program is prepared again at once; a large one says how many changed until asked', async () => {
    const asOf = '2026-12-31';
    const ctx = systemCtx(t.deps, 'test');
    const before = await admin.request('GET', `/api/reports/funnel?programId=${ks}&asOf=${asOf}`);
    t.clock.now = new Date('2027-03-11T17:00:00Z');
    // Late records: the rest of the nine courses, all taken in 2026, so one official was eligible by then.
    for (const [y, category] of ['one', 'two', 'three'].entries())
      for (const n of [1, 2, 3])
        if (y > 0 || n > 1)
          await buildCredit(t.db, started, { category: `year-${category}`, courseCode: `KS-Y${y + 1}-0${n}`, earnedOn: `2026-0${4 + y}-1${n}` });
    await factsChanged(t, started);
    // Large programs keep their run (preparing again is minutes of work) and say what changed.
    const kept = await prepareReport(ctx, ks, asOf, { inlineUpTo: 0 });
    expect(kept).toMatchObject({ state: 'ready', changedSince: 1 });
    // This one is small: the page's next read prepares it again, with the new record.
    const after = await admin.request('GET', `/api/reports/funnel?programId=${ks}&asOf=${asOf}`);
    expect(after.status, after.body).toBe(200);
    expect(after.json.prepared).toMatchObject({ changedSince: 0, startedAt: '2027-03-11T17:00:00.000Z' });
    expect(after.json.report).toEqual((await computeReports(t.db, { programId: ks, asOf }, ['funnel'])).funnel);
    const eligible = (r: { stages: { id: string; count: number }[] }) => r.stages.find((x) => x.id === 'eligible')!.count;
    expect(eligible(after.json.report)).toBe(eligible(before.json.report) + 1);
  });

  it('while it is prepared the pages get 202 with the progress, the download a 409 saying so; then the report', async () => {
    const asOf = '2026-06-30';
    await leftUnfinished(asOf, 3);
    const preparing = await admin.request('GET', `/api/reports/renewal?programId=${ks}&asOf=${asOf}`);
    expect(preparing.status, preparing.body).toBe(202);
    expect(preparing.json).toMatchObject({ asOf, preparing: { done: 0, total: 3 } });
    expect(preparing.json.program.id).toBe(ks);
    // That request carried the unfinished run on in the background; once it is done, the report.
    await reportRunsSettled();
    const ready = await admin.request('GET', `/api/reports/renewal?programId=${ks}&asOf=${asOf}`);
    expect(ready.status, ready.body).toBe(200);
    expect(ready.json.prepared.officials).toBe(3);
    await leftUnfinished('2026-05-31', 3).then(async (id) => {
      const download = await admin.request('GET', `/api/reports/coverage/export?programId=${ks}&asOf=2026-05-31`);
      expect(download.status, download.body).toBe(409);
      expect(download.json.detail).toMatch(/being prepared \(0 of 3 officials\)/);
      await reportRunsSettled();
      const file = await admin.request('GET', `/api/reports/coverage/export?programId=${ks}&asOf=2026-05-31`);
      expect(file.status).toBe(200);
      expect(file.body).toContain('Past1');
      expect((await t.db.selectFrom('report_run').select('finished_at').where('id', '=', id).executeTakeFirst())?.finished_at).not.toBeNull();
    });
  });

  it('a run left unfinished by a restart is carried on by the scheduled job, where it stopped', async () => {
    const asOf = '2026-03-31';
    const id = await leftUnfinished(asOf, 3);
    expect(await resumeReportRuns(t.deps)).toBe(1);
    await reportRunsSettled();
    const run = await t.db.selectFrom('report_run').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(run.finished_at).not.toBeNull();
    expect(run.done).toBe(3);
    const rows = await t.db.selectFrom('report_run_official').select('person_id').where('run_id', '=', id).execute();
    expect(rows).toHaveLength(3);
    expect(await resumeReportRuns(t.deps)).toBe(0);
  });

  it('asked for by several at once, one day makes one run', async () => {
    const asOf = '2026-09-30';
    const ctx = systemCtx(t.deps, 'test');
    const answers = await Promise.all([1, 2, 3, 4].map(() => prepareReport(ctx, ks, asOf)));
    await reportRunsSettled();
    const runs = await runsOf(asOf);
    expect(runs).toHaveLength(1);
    expect(new Set(answers.map((a) => a.run.id))).toEqual(new Set([runs[0]!.id]));
    const rows = await t.db.selectFrom('report_run_official').select('person_id').where('run_id', '=', runs[0]!.id).execute();
    expect(rows).toHaveLength(3);
  });

  it('the far past and the far future are days like any other: an answer, never a server error', async () => {
    for (const asOf of ['0001-01-01', '9999-12-31']) {
      const r = await admin.request('GET', `/api/reports/renewal?programId=${ks}&asOf=${asOf}`);
      expect(r.status, `${asOf}: ${r.body}`).toBe(200);
      expect(r.json.prepared.officials).toBe(asOf === '0001-01-01' ? 0 : 3);
      const list = await admin.request('GET', `/api/reports/cohorts/officials?programId=${ks}&asOf=${asOf}&cohort=pilot-2024`);
      expect(list.status, list.body).toBe(200);
    }
  });

  it('preparing again replaces the day; a program keeps its last runs only; today needs no preparing', async () => {
    const asOf = '2026-12-31';
    const old = (await runsOf(asOf))[0]!;
    t.clock.now = new Date('2027-03-11T18:00:00Z');
    const again = await admin.request('POST', '/api/reports/prepare', { programId: ks, asOf });
    expect(again.status, again.body).toBe(200);
    expect(again.json).toMatchObject({ asOf, prepared: { officials: 3, changedSince: 0, startedAt: '2027-03-11T18:00:00.000Z' } });
    const runs = await runsOf(asOf);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.id).not.toBe(old.id);
    // Someone who was given the old run a moment ago still reads its figures, not an empty report.
    const fromOld = await pageReport(t.db, { programId: ks, asOf, runId: old.id }, 'funnel');
    expect(fromOld.report.stages[0]).toMatchObject({ id: 'enrolled', count: 3 });
    const today = await admin.request('POST', '/api/reports/prepare', { programId: ks, asOf: '2027-03-11' });
    expect(today.status).toBe(400);
    expect(JSON.stringify(today.json)).toContain('asOf');
    const ctx = systemCtx(t.deps, 'test');
    for (let d = 1; d <= KEEP_DAYS + 2; d++) {
      t.clock.now = new Date(t.clock.now.getTime() + 1000);
      await prepareReport(ctx, ks, `2026-12-${String(d).padStart(2, '0')}`);
    }
    const kept = await t.db
      .selectFrom('report_run')
      .select('as_of')
      .where('program_id', '=', ks)
      .where('superseded_at', 'is', null)
      .execute();
    expect(kept).toHaveLength(KEEP_DAYS);
    expect(kept.map((r) => r.as_of)).toContain(`2026-12-${KEEP_DAYS + 2}`);
    expect(kept.map((r) => r.as_of)).not.toContain('2026-12-01');
    // A retired day's rows stay for the readers already reading it (deleted minutes later).
    const retired = await t.db
      .selectFrom('report_run')
      .select('id')
      .where('program_id', '=', ks)
      .where('as_of', '=', '2026-12-01')
      .executeTakeFirstOrThrow();
    expect(await t.db.selectFrom('report_run_official').select('person_id').where('run_id', '=', retired.id).execute()).toHaveLength(3);
  });

  it('a large program prepared again: its readers keep the finished run, with the progress of the new one, until it is done', async () => {
    const asOf = '2026-10-31';
    const ctx = systemCtx(t.deps, 'test');
    await prepareReport(ctx, ks, asOf, { inlineUpTo: 0 });
    await reportRunsSettled();
    const first = await prepareReport(ctx, ks, asOf, { inlineUpTo: 0 });
    expect(first.state).toBe('ready');
    const again = await prepareReport(ctx, ks, asOf, { again: true, inlineUpTo: 0 });
    expect(again).toMatchObject({ state: 'ready', run: { id: first.run.id }, next: { total: 3 } });
    await reportRunsSettled();
    const after = await prepareReport(ctx, ks, asOf, { inlineUpTo: 0 });
    expect(after.state).toBe('ready');
    expect(after.run.id).toBe(again.state === 'ready' ? again.next!.id : '');
    expect(after.state === 'ready' && after.next).toBeFalsy();
    // Asked for again while a preparation is under way (its batch held by another worker): the
    // same answer, no third run.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const pending = await leftUnfinished(asOf, 3);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const holder = t.db.transaction().execute(async (tx) => {
      await tx.selectFrom('report_run').select('id').where('id', '=', pending).forUpdate().execute();
      locked();
      await held;
    });
    await lockTaken;
    const meanwhile = await prepareReport(ctx, ks, asOf, { again: true, inlineUpTo: 0 });
    expect(meanwhile).toMatchObject({ state: 'ready', run: { id: after.run.id }, next: { id: pending } });
    expect(await runsOf(asOf)).toHaveLength(2);
    release();
    await holder;
    await reportRunsSettled();
    await prepareReport(ctx, ks, asOf, { inlineUpTo: 0 }); // carries the unfinished run on
    await reportRunsSettled();
    expect((await prepareReport(ctx, ks, asOf, { inlineUpTo: 0 })).run.id).toBe(pending);
  });

  it('a failed preparation is not started again by reading: 409 saying so, until someone prepares it again', async () => {
    const asOf = '2026-02-28';
    const id = await leftUnfinished(asOf, 3);
    await t.db.updateTable('report_run').set({ failed: 'the database went away' }).where('id', '=', id).execute();
    for (let i = 0; i < 2; i++) {
      const r = await admin.request('GET', `/api/reports/coverage?programId=${ks}&asOf=${asOf}`);
      expect(r.status, r.body).toBe(409);
      expect(r.json.detail).toMatch(/failed \(the database went away\)\. Prepare it again/);
    }
    expect(await t.db.selectFrom('report_run').select('id').where('as_of', '=', asOf).execute()).toHaveLength(1);
    const again = await admin.request('POST', '/api/reports/prepare', { programId: ks, asOf });
    expect(again.status, again.body).toBe(200);
    expect((await admin.request('GET', `/api/reports/coverage?programId=${ks}&asOf=${asOf}`)).status).toBe(200);
  });

  it('counts as changed what changes a past day (a withdrawal, a requested re-evaluation), not what only the day moves', async () => {
    const asOf = '2026-08-31';
    const ctx = systemCtx(t.deps, 'test');
    await prepareReport(ctx, ks, asOf, { inlineUpTo: 0 });
    await reportRunsSettled();
    const changed = async () => {
      const r = await prepareReport(ctx, ks, asOf, { inlineUpTo: 0 });
      return r.state === 'ready' ? r.changedSince : -1;
    };
    expect(await changed()).toBe(0);
    // The sweep re-evaluates someone whose transition day has come: a past day is as it was.
    await t.db.insertInto('status_due').values({ program_id: ks, person_id: started, reason: 'transition' }).execute();
    await runCertificationSweep(t.deps);
    expect(await changed()).toBe(0);
    // Someone asks for a re-evaluation (what rules or an import queue): that may change the day.
    await t.db.insertInto('status_due').values({ program_id: ks, person_id: started, reason: 'requested' }).execute();
    await runCertificationSweep(t.deps);
    expect(await changed()).toBe(1);
    // An official without an award withdraws: nothing left to evaluate, but the day's count changes.
    const withdrawn = await admin.request('PATCH', `/api/enrollments/${enrollments[2]}`, { status: 'withdrawn' });
    expect(withdrawn.status, withdrawn.body).toBe(200);
    await runCertificationSweep(t.deps);
    expect(await changed()).toBe(2);
    // An official moves county: the run counted them in the old one.
    const first = (await runsOf(asOf))[0]!;
    const mover = (
      await t.db
        .selectFrom('report_run_official')
        .select('person_id')
        .where('run_id', '=', first.id)
        .where('person_id', '<>', started)
        .orderBy('last_name')
        .executeTakeFirstOrThrow()
    ).person_id;
    const moved = await admin.request('PATCH', `/api/people/${mover}`, { jurisdictionFips: '20209' });
    expect(moved.status, moved.body).toBe(200);
    expect(await changed()).toBe(3);
  });
});
