/**
 * The people-based reports as of today, counted by PostgreSQL from the status cache (issue 14).
 *
 * As of today every official's status and report figures (`certification_status.status` and
 * `report_facts`, kept current by the change hook and the sweep) are in the cache, so the counts
 * the report pages show are a few GROUP BYs over the program's officials joined to their cached
 * rows, and the officials behind them are read one page at a time. Nothing here grows with the
 * program in Node: no per-official objects, no lists in the answers.
 *
 * The rules are those of the evaluated path in reports.service.ts (docs/reports.md); both must
 * agree, and `cache-lists.test.ts` compares them on a random population. When an official the
 * report covers has no cached figures yet (not yet swept), these functions answer `null` and the
 * caller falls back to the evaluated path, so a report is never wrong, only slower.
 */
import { sql, type RawBuilder } from 'kysely';
import type {
  CohortOfficial,
  CohortReport,
  CountyStatus,
  CoverageReport,
  FunnelReport,
  RenewalOfficial,
  RenewalReport,
  RenewalState,
  ReportOfficial,
} from '../../../contract/reports.js';
import type { CertificationStatus } from '../../../domain/requirements/index.js';
import type { Db } from '../../db/database.js';

interface ProgramRef {
  id: string;
}

/**
 * The program's officials as of the date (docs/reports.md, "Who counts"): active enrollments that
 * began on or before it, plus holders of one of its awards issued by then without an active
 * enrollment; each with their person, county and cached status and figures (null when not cached).
 */
function officials(p: ProgramRef, asOf: string): RawBuilder<unknown> {
  return sql`
    select p.id as person_id, p.first_name, p.last_name, p.preferred_name, p.title, p.jurisdiction_fips,
           j.kind as j_kind, j.name as j_name, j.state_fips, e.cohorts,
           coalesce(s.status, 'not_started') as status,
           case when s.status is null then null else s.report_facts end as facts
      from enrollment e
      join person p on p.id = e.person_id
      left join jurisdiction j on j.fips = p.jurisdiction_fips
      left join certification_status s on s.person_id = e.person_id and s.program_id = e.program_id
     where e.program_id = ${p.id} and e.status = 'active'
       and (e.enrolled_on is null or e.enrolled_on <= ${asOf}::date)
    union all
    select p.id, p.first_name, p.last_name, p.preferred_name, p.title, p.jurisdiction_fips,
           j.kind, j.name, j.state_fips, '{}'::text[],
           coalesce(s.status, 'not_started'),
           case when s.status is null then null else s.report_facts end
      from person p
      left join jurisdiction j on j.fips = p.jurisdiction_fips
      left join certification_status s on s.person_id = p.id and s.program_id = ${p.id}
     where p.id in (select a.person_id from award a where a.program_id = ${p.id} and a.awarded_on <= ${asOf}::date)
       and not exists (select 1 from enrollment e2
                        where e2.person_id = p.id and e2.program_id = ${p.id} and e2.status = 'active')`;
}

const ACTIVE_SQL = sql`('certified', 'renewal_due')`;
const ENDED_SQL = sql`('lapsed', 'expired', 'revoked')`;

// ------------------------------------------------------------ coverage by county

export async function cachedCoverage(db: Db, p: ProgramRef, asOf: string): Promise<CoverageReport | null> {
  const groups = (
    await sql<{
      fips: string | null;
      kind: string | null;
      state_fips: string | null;
      n: number;
      certified: number;
      missing: number;
    }>`
      with o as (${officials(p, asOf)})
      select jurisdiction_fips as fips, j_kind as kind, state_fips, count(*)::int as n,
             count(*) filter (where status in ${ACTIVE_SQL})::int as certified,
             count(*) filter (where facts is null)::int as missing
        from o group by 1, 2, 3`.execute(db)
  ).rows;
  if (groups.some((g) => g.missing > 0)) return null;
  // The program's state: where most of its officials are (ties: the lower code, so it is stable).
  const byState = new Map<string, number>();
  for (const g of groups) if (g.state_fips) byState.set(g.state_fips, (byState.get(g.state_fips) ?? 0) + g.n);
  const stateFips =
    [...byState].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
  if (!stateFips)
    return { stateFips: null, stateName: null, totals: { certified: 0, in_progress: 0, none: 0 }, counties: [] };
  const counties = await db
    .selectFrom('jurisdiction')
    .select(['fips', 'name', 'state_name'])
    .where('kind', '=', 'county')
    .where('state_fips', '=', stateFips)
    .orderBy('name')
    .execute();
  const inCounty = new Map(groups.filter((g) => g.kind === 'county' && g.fips).map((g) => [g.fips!, g]));
  const totals = { certified: 0, in_progress: 0, none: 0 };
  const rows = counties.map((c) => {
    const g = inCounty.get(c.fips);
    const officials = g?.n ?? 0;
    const certified = g?.certified ?? 0;
    const status: CountyStatus = certified > 0 ? 'certified' : officials > 0 ? 'in_progress' : 'none';
    totals[status]++;
    return { fips: c.fips, name: c.name, status, officials, certified, inProgress: officials - certified };
  });
  return { stateFips, stateName: counties[0]?.state_name ?? null, totals, counties: rows };
}

// ------------------------------------------------------------ funnel

const STATUS_ORDER: CertificationStatus[] = [
  'not_started',
  'in_progress',
  'eligible',
  'certified',
  'renewal_due',
  'lapsed',
  'expired',
  'revoked',
];

export async function cachedFunnel(db: Db, p: ProgramRef, asOf: string): Promise<FunnelReport | null> {
  const groups = (
    await sql<{ status: CertificationStatus; n: number; awarded: number; missing: number }>`
      with o as (${officials(p, asOf)})
      select status, count(*)::int as n,
             count(*) filter (where coalesce((facts->>'awarded')::boolean, false)
                                 or status in ${ACTIVE_SQL} or status in ${ENDED_SQL})::int as awarded,
             count(*) filter (where facts is null)::int as missing
        from o group by status`.execute(db)
  ).rows;
  if (groups.some((g) => g.missing > 0)) return null;
  const sum = (f: (g: (typeof groups)[number]) => number) => groups.reduce((a, g) => a + f(g), 0);
  const is = (s: string, set: string[]) => set.includes(s);
  groups.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  return {
    stages: [
      { id: 'enrolled', label: 'Enrolled', count: sum((g) => g.n) },
      { id: 'in_progress', label: 'In progress', count: sum((g) => (g.status !== 'not_started' ? g.n : 0)) },
      {
        id: 'eligible',
        label: 'Eligible (requirements met)',
        count: sum((g) => (g.status === 'eligible' ? g.n : g.awarded)),
      },
      { id: 'certified', label: 'Certified (ever awarded)', count: sum((g) => g.awarded) },
      { id: 'active', label: 'Active', count: sum((g) => (is(g.status, ['certified', 'renewal_due']) ? g.n : 0)) },
      {
        id: 'lapsed',
        label: 'Lapsed, expired or revoked',
        count: sum((g) => (is(g.status, ['lapsed', 'expired', 'revoked']) ? g.n : 0)),
      },
    ],
    statuses: Object.fromEntries(groups.map((g) => [g.status, g.n])),
  };
}

// ------------------------------------------------------------ renewal compliance

export async function cachedRenewal(db: Db, p: ProgramRef, asOf: string): Promise<RenewalReport | null> {
  const groups = (
    await sql<{ state: RenewalState | null; n: number; missing: number }>`
      with o as (${officials(p, asOf)})
      select facts->'renewal'->>'state' as state, count(*)::int as n,
             count(*) filter (where facts is null)::int as missing
        from o group by 1`.execute(db)
  ).rows;
  if (groups.some((g) => g.missing > 0)) return null;
  const counts: Record<RenewalState, number> = {
    current: 0,
    renewal_due: 0,
    in_grace: 0,
    lapsed: 0,
    reinstated: 0,
  };
  let certified = 0;
  for (const g of groups)
    if (g.state) {
      counts[g.state] += g.n;
      certified += g.n;
    }
  return { counts, certified };
}

// ------------------------------------------------------------ pilot cohorts

/**
 * The cohort's deadline: the first deadline the engine applies to its members (every member of a
 * cohort is held to the same one; the first member by name decides, as on the evaluated path).
 */
async function cohortDeadline(
  db: Db,
  p: ProgramRef,
  asOf: string,
  cohort: string,
): Promise<{ id: string; label: string; date: string | null } | null> {
  const r = await sql<{ id: string; label: string; date: string | null }>`
    with o as (${officials(p, asOf)})
    select d->>'id' as id, d->>'label' as label, d->>'date' as date
      from o cross join lateral jsonb_array_elements(coalesce(o.facts->'deadlines', '[]'::jsonb))
             with ordinality as x(d, i)
     where ${cohort} = any(o.cohorts) and d->>'state' not in ('not_applicable', 'unknown')
     order by o.last_name, o.first_name, o.person_id, x.i
     limit 1`.execute(db);
  return r.rows[0] ?? null;
}

/** Each member's state against the cohort's deadline (`dl`: that deadline in their figures). */
function membersOf(p: ProgramRef, asOf: string, cohort: string, deadlineId: string | null) {
  return sql`
    select o.*, coalesce(dl->>'state', 'not_applicable') as deadline_state,
           coalesce(dl->>'completedOn', o.facts->'initial'->>'metOn') as completed_on
      from (${officials(p, asOf)}) o
      left join lateral (select d as dl from jsonb_array_elements(coalesce(o.facts->'deadlines', '[]'::jsonb)) d
                          where d->>'id' = ${deadlineId} limit 1) x on true
     where ${cohort} = any(o.cohorts)`;
}

export async function cachedCohorts(
  db: Db,
  p: ProgramRef,
  asOf: string,
  defCohorts: { id: string; name: string }[],
): Promise<CohortReport | null> {
  const out: CohortReport['cohorts'] = [];
  for (const c of defCohorts) {
    const deadline = await cohortDeadline(db, p, asOf, c.id);
    const r = (
      await sql<{
        members: number;
        met: number;
        upcoming: number;
        missed: number;
        completed: number;
        missing: number;
      }>`
        select count(*)::int as members,
               count(*) filter (where deadline_state = 'met')::int as met,
               count(*) filter (where deadline_state = 'upcoming')::int as upcoming,
               count(*) filter (where deadline_state = 'missed')::int as missed,
               count(*) filter (where completed_on is not null)::int as completed,
               count(*) filter (where facts is null)::int as missing
          from (${membersOf(p, asOf, c.id, deadline?.id ?? null)}) m`.execute(db)
    ).rows[0]!;
    if (r.missing > 0) return null;
    const { missing: _m, ...counts } = r;
    out.push({ id: c.id, name: c.name, deadline, ...counts });
  }
  return { cohorts: out };
}

// ------------------------------------------------------------ officials, one page at a time

interface OfficialRow {
  person_id: string;
  first_name: string;
  last_name: string;
  preferred_name: string | null;
  title: string | null;
  jurisdiction_fips: string | null;
  j_kind: string | null;
  j_name: string | null;
  status: CertificationStatus;
  facts: {
    initial?: { have: number; need: number };
    renewal?: { state: RenewalState; cycleDue: string | null; graceEnds: string | null; lapsedOn: string | null };
  } | null;
  deadline_state?: CohortOfficial['deadlineState'];
  completed_on?: string | null;
  total: number;
}

const official = (r: OfficialRow): ReportOfficial => ({
  personId: r.person_id,
  name: `${r.preferred_name ?? r.first_name} ${r.last_name}`,
  title: r.title,
  countyFips: r.j_kind === 'county' ? r.jurisdiction_fips : null,
  county: r.j_kind === 'county' ? r.j_name : null,
  status: r.status,
});

export interface Paging {
  page: number;
  pageSize: number;
}

/**
 * One page of the rows `from` selects (ordered by name), with the total; null when one of them has
 * no cached figures (the caller then evaluates).
 */
async function pageOf(db: Db, from: RawBuilder<unknown>, where: RawBuilder<unknown>, paging: Paging) {
  const head = (
    await sql<{ total: number; missing: number }>`
      select count(*)::int as total, count(*) filter (where facts is null)::int as missing
        from (${from}) o where ${where}`.execute(db)
  ).rows[0]!;
  if (head.missing > 0) return null;
  const rows = (
    await sql<OfficialRow>`
      select o.* from (${from}) o where ${where}
       order by o.last_name, o.first_name, o.person_id
       limit ${paging.pageSize} offset ${(paging.page - 1) * paging.pageSize}`.execute(db)
  ).rows;
  return { rows, page: { ...paging, total: head.total } };
}

export async function cachedCoverageOfficials(
  db: Db,
  p: ProgramRef,
  asOf: string,
  county: string,
  paging: Paging,
): Promise<{ items: ReportOfficial[]; page: Paging & { total: number } } | null> {
  const r = await pageOf(
    db,
    officials(p, asOf),
    sql`o.j_kind = 'county' and o.jurisdiction_fips = ${county}`,
    paging,
  );
  return r && { items: r.rows.map(official), page: r.page };
}

export async function cachedCohortOfficials(
  db: Db,
  p: ProgramRef,
  asOf: string,
  cohort: string,
  paging: Paging,
): Promise<{ items: CohortOfficial[]; page: Paging & { total: number } } | null> {
  const deadline = await cohortDeadline(db, p, asOf, cohort);
  const r = await pageOf(db, membersOf(p, asOf, cohort, deadline?.id ?? null), sql`true`, paging);
  return (
    r && {
      items: r.rows.map((x) => ({
        ...official(x),
        deadlineState: x.deadline_state ?? 'not_applicable',
        completedOn: x.completed_on ?? null,
        have: x.facts?.initial?.have ?? 0,
        need: x.facts?.initial?.need ?? 0,
      })),
      page: r.page,
    }
  );
}

export async function cachedRenewalOfficials(
  db: Db,
  p: ProgramRef,
  asOf: string,
  renewalState: RenewalState | undefined,
  paging: Paging,
): Promise<{ items: RenewalOfficial[]; page: Paging & { total: number } } | null> {
  const r = await pageOf(
    db,
    officials(p, asOf),
    renewalState
      ? sql`(o.facts is null or o.facts->'renewal'->>'state' = ${renewalState})`
      : sql`(o.facts is null or o.facts->'renewal'->>'state' is not null)`,
    paging,
  );
  return (
    r && {
      items: r.rows.map((x) => ({
        ...official(x),
        renewalState: x.facts!.renewal!.state,
        cycleDue: x.facts!.renewal!.cycleDue,
        graceEnds: x.facts!.renewal!.graceEnds,
        lapsedOn: x.facts!.renewal!.lapsedOn,
      })),
      page: r.page,
    }
  );
}
