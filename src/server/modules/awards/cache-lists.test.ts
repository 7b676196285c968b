/**
 * Issue 14: the eligible list, the awards summary and renewals due read the status cache (kept
 * current by the change hook and the sweep) instead of evaluating everyone per request. Their
 * answers must equal a full evaluation's, on a random population in both shipped programs, with
 * awards of different ages (certified, renewal due, lapsed) and partial training.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../context.js';
import { buildPerson, createTestApp, type TestApp } from '../../testing/harness.js';
import { buildCredit, buildEnrollment, factsChanged, programId } from '../../testing/scheduling.js';
import {
  ceremonyFor,
  evaluatePeople,
  foldReportTally,
  runCertificationSweep,
} from '../certification/evaluation.js';
import {
  cachedCohortOfficials,
  cachedCohorts,
  cachedCoverage,
  cachedCoverageOfficials,
  cachedFunnel,
  cachedRenewal,
  cachedRenewalOfficials,
  runSource,
  type OfficialsSource,
  type Paging,
} from '../reports/reports.cached.js';
import { prepareReport, reportRunsSettled } from '../reports/reports.prepared.js';
import { computeReports, pageReport, reportOfficials } from '../reports/reports.service.js';
import { eligibleList } from './awards.service.js';
import { awardsSummaryFor, renewalsDue } from './dashboards.service.js';

let t: TestApp;
const programs: { code: string; id: string }[] = [];

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const KS_COURSES = [1, 2, 3].flatMap((y) => [1, 2, 3].map((n) => ({ y, code: `KS-Y${y}-0${n}` })));

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-05-20T15:00:00Z');
  for (const code of ['ks-county-election-official', 'igo-cpo'])
    programs.push({ code, id: await programId(t.db, code) });
  const random = rng(1405);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  for (let i = 0; i < 60; i++) {
    const person = await buildPerson(t.db, {
      lastName: `Random${String(i).padStart(2, '0')}`,
      password: null,
    });
    const ks = i % 2 === 0;
    const program = ks ? programs[0]! : programs[1]!;
    const enrollmentId = await buildEnrollment(
      t.db,
      person.personId,
      program.code,
      pick(['2023-01-15', '2024-06-01', '2025-02-10']),
    );
    // A quarter of the Kansas officials are in the pilot cohort, with its 2024 deadline.
    if (ks && i % 4 === 0)
      await t.db
        .updateTable('enrollment')
        .set({ cohorts: ['pilot-2024'] })
        .where('id', '=', enrollmentId)
        .execute();
    if (ks) {
      // Some or all of the nine courses, over three years.
      for (const c of KS_COURSES)
        if (random() < 0.8)
          await buildCredit(t.db, person.personId, {
            category: `year-${['one', 'two', 'three'][c.y - 1]}`,
            courseCode: c.code,
            earnedOn: `${2023 + c.y}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
          });
    } else {
      for (const [category, amount] of [
        ['management', pick([40, 56, 72])],
        ['elections', pick([12, 24])],
      ] as const)
        await t.db
          .insertInto('credit_record')
          .values({
            person_id: person.personId,
            program_id: program.id,
            amount,
            category,
            sponsored: random() < 0.6,
            source_type: 'state-association',
            course_code: null,
            title: null,
            session_id: null,
            registration_id: null,
            earned_on: pick(['2025-03-01', '2026-04-15', '2027-01-20']),
            status: 'approved',
            reverses_id: null,
            reason: null,
            recorded_at: t.clock.now.toISOString(),
            recorded_by: null,
          })
          .execute();
    }
    // A third hold an award of some age: certified, renewal due soon, or lapsed.
    if (i % 3 === 0)
      await t.db
        .insertInto('award')
        .values({
          program_id: program.id,
          person_id: person.personId,
          awarded_on: pick(['2021-03-05', '2023-11-02', '2024-06-10', '2026-02-01']),
          number: null,
        })
        .execute();
    await factsChanged(t, person.personId);
  }
  // Who counts as an official (docs/reports.md) at its edges, each with a cached row that the
  // report counts must leave out or take in as the evaluated path does: a withdrawn official who
  // holds an award (counted, as an award holder), one whose enrollment starts after today (not
  // counted as of today), and an award holder never enrolled (counted).
  const edge = async (
    lastName: string,
    code: string,
    enrolledOn: string | null,
    awardedOn: string | null,
  ) => {
    const person = await buildPerson(t.db, { lastName, password: null });
    const program = programs.find((p) => p.code === code)!;
    if (enrolledOn) {
      const id = await buildEnrollment(t.db, person.personId, code, enrolledOn);
      for (const c of KS_COURSES.slice(0, 4))
        await buildCredit(t.db, person.personId, {
          category: 'year-one',
          courseCode: c.code,
          earnedOn: '2027-03-02',
        });
      if (lastName === 'EdgeWithdrawn')
        await t.db.updateTable('enrollment').set({ status: 'withdrawn' }).where('id', '=', id).execute();
    }
    if (awardedOn)
      await t.db
        .insertInto('award')
        .values({ program_id: program.id, person_id: person.personId, awarded_on: awardedOn, number: null })
        .execute();
    await factsChanged(t, person.personId);
  };
  await edge('EdgeWithdrawn', 'ks-county-election-official', '2024-01-10', '2025-01-15');
  await edge('EdgeFuture', 'ks-county-election-official', '2027-09-01', null);
  await edge('EdgeNeverEnrolled', 'igo-cpo', null, '2026-02-01');
});
afterAll(() => t.close());

/** Everyone in each program, evaluated now: what the lists computed on every request before. */
async function fullEvaluation() {
  const out = [];
  for (const p of programs) out.push(...(await evaluatePeople(t.db, p.id, null, t.clock.now)));
  return out;
}

/** The summary's count of renewals due in 90 days (from the cache) equals the list's length. */
async function expectDueCountsAsListed() {
  const ctx = systemCtx(t.deps, 'test');
  const summary = await awardsSummaryFor(ctx);
  const listed = (await renewalsDue(ctx, { withinDays: 90 })).items;
  let total = 0;
  for (const s of summary.programs) {
    expect(s.renewalsDueWithin90Days, s.program.code).toBe(
      listed.filter((d) => d.program.id === s.program.id).length,
    );
    total += s.renewalsDueWithin90Days;
  }
  return total;
}

/** Every page of a paged list, read `pageSize` at a time, with the totals each page reported. */
async function allPages<T>(
  read: (paging: Paging) => Promise<{ items: T[]; page: { total: number } } | null>,
  pageSize = 7,
): Promise<{ items: T[]; totals: Set<number> }> {
  const items: T[] = [];
  const totals = new Set<number>();
  for (let page = 1; ; page++) {
    const r = await read({ page, pageSize });
    expect(r, 'answered from the cache').not.toBeNull();
    items.push(...r!.items);
    totals.add(r!.page.total);
    if (r!.items.length < pageSize) return { items, totals };
  }
}

const byId = <T extends { personId: string }>(xs: T[]) =>
  [...xs].sort((a, b) => a.personId.localeCompare(b.personId));

/**
 * The report pages as of `today`: the counts PostgreSQL takes from the cache (reports.cached.ts,
 * asserted to answer, not to fall back) and every page of their officials equal evaluating
 * everyone as of that day (`computeReports` without `today`).
 */
async function expectPagesAsEvaluated(
  today: string,
  sourceOf: (p: { id: string }) => Promise<{ id: string } | OfficialsSource> = async (p) => ({ id: p.id }),
) {
  let officialsSeen = 0;
  for (const p of programs) {
    const full = await computeReports(t.db, { programId: p.id, asOf: today }, [
      'coverage',
      'cohorts',
      'funnel',
      'renewal',
    ]);
    const ref = await sourceOf(p);
    expect(await cachedCoverage(t.db, ref, today), p.code).toEqual({
      ...full.coverage,
      counties: full.coverage.counties.map(({ people: _p, ...c }) => c),
    });
    expect(await cachedFunnel(t.db, ref, today), p.code).toEqual(full.funnel);
    const { people: renewalPeople, ...renewalCounts } = full.renewal;
    expect(await cachedRenewal(t.db, ref, today), p.code).toEqual(renewalCounts);
    const defCohorts = full.cohorts.cohorts.map((c) => ({ id: c.id, name: c.name }));
    expect(await cachedCohorts(t.db, ref, today, defCohorts), p.code).toEqual({
      cohorts: full.cohorts.cohorts.map(({ people: _p, ...c }) => c),
    });
    // The officials behind them, page by page: the same people with the same figures.
    for (const county of full.coverage.counties.filter((c) => c.officials > 0)) {
      const read = await allPages((paging) => cachedCoverageOfficials(t.db, ref, today, county.fips, paging));
      expect(byId(read.items), `${p.code} ${county.name}`).toEqual(byId(county.people));
      expect([...read.totals]).toEqual([county.officials]);
      officialsSeen += read.items.length;
    }
    for (const cohort of full.cohorts.cohorts) {
      const read = await allPages((paging) => cachedCohortOfficials(t.db, ref, today, cohort.id, paging));
      expect(byId(read.items), `${p.code} ${cohort.id}`).toEqual(byId(cohort.people));
    }
    const renewal = await allPages((paging) => cachedRenewalOfficials(t.db, ref, today, undefined, paging));
    expect(byId(renewal.items), p.code).toEqual(byId(renewalPeople));
    // The total every page shows (from the tally, migration 0041) is the number listed.
    expect([...renewal.totals], p.code).toEqual([renewalPeople.length]);
    for (const state of ['current', 'renewal_due', 'in_grace', 'lapsed', 'reinstated'] as const) {
      const one = await allPages((paging) => cachedRenewalOfficials(t.db, ref, today, state, paging));
      const expected = renewalPeople.filter((x) => x.renewalState === state);
      expect(byId(one.items), `${p.code} ${state}`).toEqual(byId(expected));
      expect([...one.totals], `${p.code} ${state}`).toEqual([expected.length]);
    }
  }
  return officialsSeen;
}

describe('lists read from the status cache equal a full evaluation', () => {
  it('the eligible list: the same people, eligible on the same day, for the same ceremony year', async () => {
    const ctx = systemCtx(t.deps, 'test');
    const fromCache = (await eligibleList(ctx)).items.map((i) => [
      i.person.id,
      i.eligibleOn,
      i.awardYear,
      i.applyBy,
    ]);
    const full = (await fullEvaluation())
      .filter((e) => e.result.status === 'eligible')
      .map((e) => {
        const c = ceremonyFor(e);
        return [e.personId, c.eligibleOn, c.year, c.applyBy];
      });
    expect(full.length).toBeGreaterThan(3);
    expect(fromCache.sort()).toEqual(full.sort());
    // Page by page (as the page and the dashboard read it): the same list, in the same order.
    const whole = await eligibleList(ctx);
    const paged = [];
    for (let page = 1; paged.length < whole.total; page++) {
      const one = await eligibleList(ctx, { page, pageSize: 4 });
      expect(one.total).toBe(whole.total);
      expect(one.items.length).toBeGreaterThan(0);
      paged.push(...one.items);
    }
    expect(paged).toEqual(whole.items);
  });

  it('the awards summary: the same counts by status, per program', async () => {
    const summary = await awardsSummaryFor(systemCtx(t.deps, 'test'));
    const full = await fullEvaluation();
    const statuses = new Set<string>();
    for (const p of programs) {
      const counts: Record<string, number> = {};
      for (const e of full.filter((x) => x.programId === p.id)) {
        counts[e.result.status] = (counts[e.result.status] ?? 0) + 1;
        statuses.add(e.result.status);
      }
      expect(summary.programs.find((s) => s.program.id === p.id)?.counts, p.code).toEqual(counts);
    }
    // The population has variety, or this proves little.
    expect(statuses.size).toBeGreaterThanOrEqual(4);
    expect(await expectDueCountsAsListed()).toBeGreaterThan(0);
  });

  it('renewals due: the same awards as filtering a full evaluation', async () => {
    const ctx = systemCtx(t.deps, 'test');
    for (const within of [30, 400, 2000]) {
      const whole = await renewalsDue(ctx, { withinDays: within });
      const fromCache = whole.items.map((i) => i.person.id);
      expect(whole.total).toBe(whole.items.length);
      // Page by page: the same list in the same order, each page evaluating only its own.
      const paged = [];
      for (let page = 1; paged.length < whole.total; page++) {
        const one = await renewalsDue(ctx, { withinDays: within, page, pageSize: 3 });
        expect(one.total).toBe(whole.total);
        expect(one.items.length).toBeGreaterThan(0);
        paged.push(...one.items);
      }
      expect(paged).toEqual(whole.items);
      const today = '2027-05-20';
      const until = new Date(Date.parse(today) + within * 86_400_000).toISOString().slice(0, 10);
      const full = (await fullEvaluation())
        .filter((e) => {
          const c = e.result.lifecycle?.current;
          return (
            c &&
            ['open', 'grace', 'lapsed'].includes(c.state) &&
            ['certified', 'renewal_due', 'lapsed'].includes(e.result.status) &&
            c.due <= until
          );
        })
        .map((e) => e.personId);
      expect(fromCache.sort(), `within ${within} days`).toEqual(full.sort());
    }
  });

  it('renewals due evaluates only rows cached before the open cycle was stored, and lists the same', async () => {
    const ctx = systemCtx(t.deps, 'test');
    const before = await renewalsDue(ctx, { withinDays: 400 });
    expect(before.items.length).toBeGreaterThan(2);
    // Half the listed rows as cached before migration 0037 (no openCycle in their figures).
    const older = before.items.filter((_, i) => i % 2 === 0);
    for (const d of older)
      await t.db
        .updateTable('certification_status')
        .set({ report_facts: sql`report_facts - 'openCycle'` })
        .where('person_id', '=', d.person.id)
        .where('program_id', '=', d.program.id)
        .execute();
    expect(await renewalsDue(ctx, { withinDays: 400 })).toEqual(before);
    const page = await renewalsDue(ctx, { withinDays: 400, page: 1, pageSize: 2 });
    expect(page).toEqual({ items: before.items.slice(0, 2), total: before.total });
    for (const d of older) await factsChanged(t, d.person.id, d.program.id);
  });

  it('the coverage report as of today: the same counties and counts from the cache as from evaluating everyone', async () => {
    for (const p of programs) {
      const today = '2027-05-20';
      const fromCache = await computeReports(t.db, { programId: p.id, asOf: today, today }, ['coverage']);
      const full = await computeReports(t.db, { programId: p.id, asOf: today }, ['coverage']);
      expect(fromCache.coverage.totals, p.code).toEqual(full.coverage.totals);
      expect(fromCache.coverage.counties, p.code).toEqual(full.coverage.counties);
    }
  });

  it('the cohort, funnel and renewal reports as of today: the same figures and people from the cache as from evaluating everyone', async () => {
    const today = '2027-05-20';
    const keys = ['cohorts', 'funnel', 'renewal'] as const;
    for (const p of programs) {
      const fromCache = await computeReports(t.db, { programId: p.id, asOf: today, today }, [...keys]);
      const full = await computeReports(t.db, { programId: p.id, asOf: today }, [...keys]);
      expect(fromCache.cohorts, p.code).toEqual(full.cohorts);
      expect(fromCache.funnel, p.code).toEqual(full.funnel);
      expect(fromCache.renewal, p.code).toEqual(full.renewal);
    }
    // The population has variety, or this proves little.
    const ks = await computeReports(t.db, { programId: programs[0]!.id, asOf: today, today }, [...keys]);
    expect(ks.cohorts.cohorts[0]?.members).toBeGreaterThan(3);
    expect(new Set(ks.cohorts.cohorts[0]?.people.map((x) => x.deadlineState)).size).toBeGreaterThan(1);
    const renewalStates = Object.values(ks.renewal.counts).filter((n) => n > 0).length;
    expect(renewalStates).toBeGreaterThan(1);
  });

  it('the report pages as of today: counts by SQL over the cache and every page of officials equal evaluating everyone', async () => {
    expect(await expectPagesAsEvaluated('2027-05-20')).toBeGreaterThan(20);
  });

  it('a page of officials as of a past day is evaluated: the same people as the report in full', async () => {
    const p = programs[0]!;
    const asOf = '2026-01-15';
    const full = await computeReports(t.db, { programId: p.id, asOf }, ['renewal', 'coverage']);
    const params = { programId: p.id, asOf, today: '2027-05-20' };
    const first = await reportOfficials(t.db, params, 'renewal', {}, { page: 1, pageSize: 5 });
    expect(first.page.total).toBe(full.renewal.people.length);
    expect(first.items).toEqual(full.renewal.people.slice(0, 5));
    const county = full.coverage.counties.find((c) => c.officials > 1)!;
    const page2 = await reportOfficials(
      t.db,
      params,
      'coverage',
      { county: county.fips },
      { page: 2, pageSize: 1 },
    );
    expect(page2.items).toEqual(county.people.slice(1, 2));
    // And the counts the page shows for that day are the evaluated report's.
    expect((await pageReport(t.db, params, 'renewal')).report).toEqual({
      counts: full.renewal.counts,
      certified: full.renewal.certified,
    });
  });

  it('reports of past days read from a prepared run (ADR 0039): counts, every page of officials and the downloads equal evaluating everyone', async () => {
    const ctx = systemCtx(t.deps, 'test');
    let seen = 0;
    for (const asOf of ['2024-06-30', '2025-12-31', '2026-11-01']) {
      const runs = new Map<string, string>();
      // In the background, in batches of 7, so the batches' boundaries are crossed many times.
      const prepare = async (p: { id: string }) => {
        const r = await prepareReport(ctx, p.id, asOf, { inlineUpTo: 0, batchSize: 7 });
        expect(r.state).toBe('preparing');
        await reportRunsSettled();
        const ready = await prepareReport(ctx, p.id, asOf, { inlineUpTo: 0 });
        expect(ready.state, `${asOf} ready`).toBe('ready');
        expect(ready.run.done).toBe(ready.run.total);
        runs.set(p.id, ready.run.id);
        return runSource(ready.run.id);
      };
      seen += await expectPagesAsEvaluated(asOf, prepare);
      // The downloads (every official listed) read the same run.
      for (const p of programs) {
        const keys = ['coverage', 'cohorts', 'funnel', 'renewal'] as const;
        const fromRun = await computeReports(t.db, { programId: p.id, asOf, runId: runs.get(p.id)! }, [
          ...keys,
        ]);
        const full = await computeReports(t.db, { programId: p.id, asOf }, [...keys]);
        for (const k of keys) expect(fromRun[k], `${p.code} ${asOf} ${k}`).toEqual(full[k]);
      }
    }
    expect(seen).toBeGreaterThan(20);
  });

  it('a report as of today evaluates the people the cache lacks, and reads the rest', async () => {
    const p = programs[0]!;
    const today = '2027-05-20';
    const before = await computeReports(t.db, { programId: p.id, asOf: today, today }, ['renewal', 'funnel']);
    // Half the cache's figures missing (as after the migration that added them, before a sweep).
    const rows = await t.db
      .selectFrom('certification_status')
      .select('person_id')
      .where('program_id', '=', p.id)
      .execute();
    await t.db
      .updateTable('certification_status')
      .set({ report_facts: null })
      .where('program_id', '=', p.id)
      .where(
        'person_id',
        'in',
        rows.filter((_, i) => i % 2 === 0).map((r) => r.person_id),
      )
      .execute();
    const after = await computeReports(t.db, { programId: p.id, asOf: today, today }, ['renewal', 'funnel']);
    expect(after.renewal).toEqual(before.renewal);
    expect(after.funnel).toEqual(before.funnel);
    // The SQL counts decline to answer, and the page falls back to evaluating: the same figures.
    expect(await cachedFunnel(t.db, { id: p.id }, today)).toBeNull();
    expect((await pageReport(t.db, { programId: p.id, asOf: today, today }, 'funnel')).report).toEqual(
      before.funnel,
    );
    const { people: _p, ...renewalCounts } = before.renewal;
    expect((await pageReport(t.db, { programId: p.id, asOf: today, today }, 'renewal')).report).toEqual(
      renewalCounts,
    );
    const paged = await reportOfficials(
      t.db,
      { programId: p.id, asOf: today, today },
      'renewal',
      {},
      { page: 1, pageSize: 200 },
    );
    expect(byId(paged.items)).toEqual(byId(before.renewal.people));
    for (const r of rows) await factsChanged(t, r.person_id, p.id);
  });

  it('after the day changes, the sweep brings the cache back in line (a lapse happens overnight)', async () => {
    t.clock.now = new Date('2029-04-01T15:00:00Z');

    await runCertificationSweep(t.deps);
    const summary = await awardsSummaryFor(systemCtx(t.deps, 'test'));
    const full = await fullEvaluation();
    for (const p of programs) {
      const counts: Record<string, number> = {};
      for (const e of full.filter((x) => x.programId === p.id))
        counts[e.result.status] = (counts[e.result.status] ?? 0) + 1;
      expect(summary.programs.find((s) => s.program.id === p.id)?.counts, p.code).toEqual(counts);
      // And the reports as of the new day read the same figures as evaluating everyone.
      const today = '2029-04-01';
      const keys = ['coverage', 'cohorts', 'funnel', 'renewal'] as const;
      const reportFromCache = await computeReports(t.db, { programId: p.id, asOf: today, today }, [...keys]);
      const reportInFull = await computeReports(t.db, { programId: p.id, asOf: today }, [...keys]);
      expect(reportFromCache, p.code).toEqual(reportInFull);
    }
    await expectDueCountsAsListed();
    await expectPagesAsEvaluated('2029-04-01');
  });

  it('the officials the lists page through follow every writer: a new name, a withdrawal, a cohort (migration 0038)', async () => {
    // What report_official must hold, from the tables it is made of (an oracle written apart from the triggers).
    const expected = () =>
      sql<Record<string, unknown>>`
        select w.program_id, w.person_id, w.official_from::text, w.cohorts, pe.last_name, pe.first_name,
               pe.jurisdiction_fips, s.status, coalesce(s.facts_known, false) as facts_known,
               coalesce(s.ever_awarded, false) as ever_awarded, s.renewal_state
          from (select program_id, person_id, coalesce(enrolled_on, '-infinity')::date as official_from, cohorts
                  from enrollment where status = 'active'
                union all
                select program_id, person_id, min(awarded_on), '{}' from award a
                 where not exists (select 1 from enrollment e where e.status = 'active'
                                     and e.program_id = a.program_id and e.person_id = a.person_id)
                 group by 1, 2) w
          join person pe on pe.id = w.person_id
          left join certification_status s on s.person_id = w.person_id and s.program_id = w.program_id
         order by 1, 2`
        .execute(t.db)
        .then((r) => r.rows);
    const held = () =>
      sql<Record<string, unknown>>`
        select program_id, person_id, official_from::text, cohorts, last_name, first_name, jurisdiction_fips,
               status, facts_known, ever_awarded, renewal_state
          from report_official order by 1, 2`
        .execute(t.db)
        .then((r) => r.rows);
    expect(await held()).toEqual(await expected());
    expect((await held()).length).toBeGreaterThan(50);

    const ks = programs[0]!;
    const ref = { id: ks.id };
    const today = '2029-04-01';
    const [first] = (
      await sql<{ person_id: string; jurisdiction_fips: string }>`
      select e.person_id, pe.jurisdiction_fips from enrollment e join person pe on pe.id = e.person_id
       where e.program_id = ${ks.id} and e.status = 'active' and pe.jurisdiction_fips is not null
       order by pe.last_name desc limit 1`.execute(t.db)
    ).rows;
    const county = first!.jurisdiction_fips;
    const before = (await cachedCoverageOfficials(t.db, ref, today, county, { page: 1, pageSize: 50 }))!;
    // Renamed to sort first: the county's first page now starts with them, under the new name.
    await t.db
      .updateTable('person')
      .set({ last_name: 'Aardvark', preferred_name: null })
      .where('id', '=', first!.person_id)
      .execute();
    const renamed = (await cachedCoverageOfficials(t.db, ref, today, county, { page: 1, pageSize: 1 }))!;
    expect(renamed.items[0]).toMatchObject({
      personId: first!.person_id,
      name: expect.stringMatching(/ Aardvark$/),
    });
    expect(renamed.page.total).toBe(before.page.total);
    // Joined to a new cohort: a member of it, alone.
    await t.db
      .updateTable('enrollment')
      .set({ cohorts: ['trigger-cohort'] })
      .where('person_id', '=', first!.person_id)
      .where('program_id', '=', ks.id)
      .execute();
    const cohort = (await cachedCohortOfficials(t.db, ref, today, 'trigger-cohort', {
      page: 1,
      pageSize: 50,
    }))!;
    expect(cohort.items.map((x) => x.personId)).toEqual([first!.person_id]);
    // Withdrawn: no longer one of the county's officials (nor the cohort's), unless they hold an award.
    await t.db
      .updateTable('enrollment')
      .set({ status: 'withdrawn' })
      .where('person_id', '=', first!.person_id)
      .where('program_id', '=', ks.id)
      .execute();
    const awarded = await t.db
      .selectFrom('award')
      .select('id')
      .where('person_id', '=', first!.person_id)
      .where('program_id', '=', ks.id)
      .execute();
    const after = (await cachedCoverageOfficials(t.db, ref, today, county, { page: 1, pageSize: 50 }))!;
    expect(after.page.total).toBe(before.page.total - (awarded.length > 0 ? 0 : 1));
    expect(
      (await cachedCohortOfficials(t.db, ref, today, 'trigger-cohort', { page: 1, pageSize: 50 }))!.page
        .total,
    ).toBe(0);
    expect(await held()).toEqual(await expected());

    // A status row rewritten with nothing the lists read changed (what the sweep does every time)
    // leaves report_official's row as it was; a new status refreshes it.
    const xmin = async (personId: string) =>
      (
        await sql<{ x: string }>`select xmin::text as x from report_official
                                  where program_id = ${ks.id} and person_id = ${personId}`.execute(t.db)
      ).rows[0]?.x;
    const [row] = (
      await sql<{
        person_id: string;
        status: string;
      }>`select s.person_id, s.status from certification_status s
         join report_official r using (program_id, person_id) where s.program_id = ${ks.id} limit 1`.execute(
        t.db,
      )
    ).rows;
    const x0 = await xmin(row!.person_id);
    await sql`update certification_status set computed_at = now(), next_transition_on = '2030-01-01'
               where program_id = ${ks.id} and person_id = ${row!.person_id}`.execute(t.db);
    expect(await xmin(row!.person_id)).toBe(x0);
    await sql`update certification_status set status = 'revoked'
               where program_id = ${ks.id} and person_id = ${row!.person_id}`.execute(t.db);
    expect(await xmin(row!.person_id)).not.toBe(x0);
    expect(await held()).toEqual(await expected());

    // A TRUNCATE, which row triggers do not see, rebuilds the table (rolled back after checking).
    await t.db
      .transaction()
      .execute(async (tx) => {
        await sql`truncate certification_status`.execute(tx);
        const rows = (
          await sql<{ n: string }>`select count(*) as n from report_official where facts_known`.execute(tx)
        ).rows;
        expect(Number(rows[0]!.n)).toBe(0);
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).toBe('roll back'));
    expect(await held()).toEqual(await expected());
  });
});

describe('the renewal officials’ total from the tally (migration 0041)', () => {
  it('follows a change of renewal state, an official dated later, a withdrawal and a rebuild, and folding keeps it', async () => {
    // The tally's sums against a count of report_official (the oracle), by program and state.
    const tallied = () =>
      sql<{ program_id: string; renewal_state: string; n: number }>`
        select program_id, renewal_state, sum(n)::int as n from report_official_tally
         group by 1, 2 having sum(n) <> 0 order by 1, 2`
        .execute(t.db)
        .then((r) => r.rows);
    const counted = () =>
      sql<{ program_id: string; renewal_state: string; n: number }>`
        select program_id, renewal_state, count(*)::int as n from report_official
         where renewal_state is not null group by 1, 2 order by 1, 2`
        .execute(t.db)
        .then((r) => r.rows);
    expect((await counted()).length).toBeGreaterThan(1);
    expect(await tallied()).toEqual(await counted());

    const ks = programs[0]!;
    const ref = { id: ks.id };
    const today = t.clock.now.toISOString().slice(0, 10);
    const total = async (state?: 'current' | 'lapsed') =>
      (await cachedRenewalOfficials(t.db, ref, today, state, { page: 1, pageSize: 5 }))!.page.total;
    const certified = (
      await sql<{ person_id: string; renewal_state: string }>`
        select o.person_id, o.renewal_state from report_official o
          join enrollment e on e.program_id = o.program_id and e.person_id = o.person_id and e.status = 'active'
         where o.program_id = ${ks.id} and o.renewal_state is not null order by o.person_id limit 2`.execute(
        t.db,
      )
    ).rows;
    expect(certified).toHaveLength(2);
    const [a, b] = certified as [(typeof certified)[number], (typeof certified)[number]];
    const all0 = await total();
    const lapsed0 = await total('lapsed');

    // One official's figures now say lapsed (as the sweep writes them after a missed renewal).
    await sql`update certification_status
                 set report_facts = jsonb_set(report_facts, '{renewal,state}', '"lapsed"')
               where program_id = ${ks.id} and person_id = ${a.person_id}`.execute(t.db);
    expect(await total()).toBe(all0);
    expect(await total('lapsed')).toBe(lapsed0 + (a.renewal_state === 'lapsed' ? 0 : 1));
    expect(await tallied()).toEqual(await counted());

    // Another's enrollment now starts after today: not an official of today's lists.
    await t.db
      .updateTable('enrollment')
      .set({ enrolled_on: '2099-01-01' })
      .where('program_id', '=', ks.id)
      .where('person_id', '=', b.person_id)
      .execute();
    expect(await total()).toBe(all0 - 1);
    expect(await tallied()).toEqual(await counted());

    // Withdrawn, an award holder stays an official, counted from the award; the whole table
    // rebuilt (as after a TRUNCATE of a source) is a delete and an insert of every row.
    await t.db
      .updateTable('enrollment')
      .set({ status: 'withdrawn' })
      .where('program_id', '=', ks.id)
      .where('person_id', '=', a.person_id)
      .execute();
    await sql`select report_official_rebuild()`.execute(t.db);
    expect(await total()).toBe(all0 - 1);
    expect(await tallied()).toEqual(await counted());

    // The sweep folds the deltas into one row per program and state, with the same sums.
    await sql`insert into report_official_tally (program_id, renewal_state, n)
              select ${ks.id}::uuid, 'current', d from generate_series(1, 40) g, (values (1), (-1)) v(d)`.execute(
      t.db,
    );
    await foldReportTally(t.db);
    const rows = await sql<{ n: number }>`select count(*)::int as n from report_official_tally`.execute(t.db);
    expect(rows.rows[0]!.n).toBe((await counted()).length);
    expect(await tallied()).toEqual(await counted());
    expect(await total()).toBe(all0 - 1);
  });
});
