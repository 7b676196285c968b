/**
 * The people-based reports as of today, counted by PostgreSQL from the status cache (issue 14).
 *
 * As of today every official's status and report figures (`certification_status.status` and
 * `report_facts`, kept current by the change hook and the sweep) are in the cache, so the counts
 * the report pages show are a GROUP BY over the program's officials matched to their cached rows
 * (`officials`: the cache and the active enrollments in person order, with the figures the counts
 * read as columns derived from `report_facts`, migration 0037), and the officials behind them are
 * read one page at a time from `report_official` (migration 0038, ADR 0038: one row per official,
 * kept by triggers, indexed in name order for each list). Nothing here grows with the program in Node: no per-official objects,
 * no lists in the answers.
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
import type { ReportFacts } from '../certification/report-facts.js';

interface ProgramRef {
  id: string;
}

/**
 * Where a report reads its officials and their figures: as of today, `report_official` and the
 * status cache (`todaySource`); as of another day, a prepared run's rows (`runSource`, migration
 * 0039, ADR 0039), shaped like `report_official` with the figures the engine gave as of that day.
 * Every query below is written once against `o` (the officials' rows, restricted by `key`) and `s`
 * (an official's status and `report_facts`, joined by `figures`).
 */
export interface OfficialsSource {
  table: RawBuilder<unknown>;
  /** Restricts `o` to the source's officials. */
  key: RawBuilder<unknown>;
  /** `s`: the status and figures of the official whose id is `person`. */
  figures: (person: RawBuilder<unknown>) => RawBuilder<unknown>;
  /** Every official's figures are known (a prepared run stores them for all), so none is missing. */
  allKnown?: true;
}

export function todaySource(p: ProgramRef): OfficialsSource {
  return {
    table: sql`report_official`,
    key: sql`o.program_id = ${p.id}`,
    figures: (person) => sql`certification_status s on s.person_id = ${person} and s.program_id = ${p.id}`,
  };
}

export function runSource(runId: string): OfficialsSource {
  return {
    table: sql`report_run_official`,
    key: sql`o.run_id = ${runId}`,
    figures: (person) => sql`report_run_official s on s.run_id = ${runId} and s.person_id = ${person}`,
    allKnown: true,
  };
}

const sourceOf = (p: ProgramRef | OfficialsSource): OfficialsSource => ('table' in p ? p : todaySource(p));

/**
 * The program's officials as of the date (docs/reports.md, "Who counts"), each with their cached
 * figures: `report_official` (migration 0038, kept by triggers) has one row per official (an active
 * enrollment, or an award without one) with the day they count from, their jurisdiction, and the
 * cached `status` (null without a cached row: 'not_started' here), `facts_known` (false without a
 * row or without figures) and the two figures every count reads, `ever_awarded` and
 * `renewal_state`. A count groups one of its indexes without reading the table; an official the
 * cache lacks (not yet swept, or a holder of an award with no cached row) has `facts_known` false,
 * so the count declines and the caller evaluates.
 */
function officials(src: OfficialsSource, asOf: string): RawBuilder<unknown> {
  return sql`
    select o.person_id, o.jurisdiction_fips, coalesce(o.status, 'not_started') as status, o.facts_known,
           o.ever_awarded, o.renewal_state
      from ${src.table} o where ${src.key} and o.official_from <= ${asOf}::date`;
}

const ACTIVE_SQL = sql`('certified', 'renewal_due')`;
const ENDED_SQL = sql`('lapsed', 'expired', 'revoked')`;

/** The rows of a grouped count. */
async function groupsOf<G extends { n: number }>(db: Db, grouped: RawBuilder<unknown>): Promise<G[]> {
  return (await sql<G>`${grouped}`.execute(db)).rows;
}

// ------------------------------------------------------------ coverage by county

export async function cachedCoverage(db: Db, p: ProgramRef | OfficialsSource, asOf: string): Promise<CoverageReport | null> {
  const groups = await groupsOf<{
    fips: string | null;
    kind: string | null;
    state_fips: string | null;
    n: number;
    certified: number;
    missing: number;
  }>(
    db,
    sql`
      select o.jurisdiction_fips as fips, j.kind, j.state_fips, count(*)::int as n,
             count(*) filter (where o.status in ${ACTIVE_SQL})::int as certified,
             count(*) filter (where not o.facts_known)::int as missing
        from (${officials(sourceOf(p), asOf)}) o
        left join jurisdiction j on j.fips = o.jurisdiction_fips
       group by 1, 2, 3`,
  );
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

export async function cachedFunnel(db: Db, p: ProgramRef | OfficialsSource, asOf: string): Promise<FunnelReport | null> {
  const groups = await groupsOf<{
    status: CertificationStatus;
    n: number;
    awarded: number;
    missing: number;
  }>(
    db,
    sql`
      select status, count(*)::int as n,
             count(*) filter (where ever_awarded or status in ${ACTIVE_SQL} or status in ${ENDED_SQL})::int as awarded,
             count(*) filter (where not facts_known)::int as missing
        from (${officials(sourceOf(p), asOf)}) o group by status`,
  );
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

export async function cachedRenewal(db: Db, p: ProgramRef | OfficialsSource, asOf: string): Promise<RenewalReport | null> {
  const groups = await groupsOf<{ state: RenewalState | null; n: number; missing: number }>(
    db,
    sql`
      select renewal_state as state, count(*)::int as n, count(*) filter (where not facts_known)::int as missing
        from (${officials(sourceOf(p), asOf)}) o group by 1`,
  );
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
 * A cohort's members as of the date: the officials whose active enrollment names it and began by
 * then (the rows' cohorts and day, read through the cohort index; award holders without an
 * enrollment are in no cohort), with their status and figures (`facts`, null without them),
 * looked up for the members only rather than hashing the program's whole cache to join them
 * (issue 14, "Last endpoints within 10x").
 */
function cohortMembers(src: OfficialsSource, asOf: string, cohort: string): RawBuilder<unknown> {
  return sql`
    select o.person_id, coalesce(o.status, 'not_started') as status, o.facts_known, s.report_facts as facts
      from ${src.table} o
      left join ${src.figures(sql.ref('o.person_id'))}
     where ${src.key} and o.cohorts <> '{}' and o.cohorts @> array[${cohort}]::text[]
       and o.official_from <= ${asOf}::date`;
}

/**
 * The cohort's deadline: the first deadline the engine applies to its members (every member of a
 * cohort is held to the same one; the first member by name decides, as on the evaluated path).
 * The members are read in name order from `report_official` (migration 0038), so this usually
 * stops at the first member.
 */
function cohortDeadlineSql(src: OfficialsSource, asOf: string, cohort: string): RawBuilder<unknown> {
  return sql`
    select d->>'id' as id, d->>'label' as label, d->>'date' as date
      from ${src.table} o
      join ${src.figures(sql.ref('o.person_id'))}
      cross join lateral jsonb_array_elements(coalesce(s.report_facts->'deadlines', '[]'::jsonb)) with ordinality as x(d, i)
     where ${src.key} and o.cohorts <> '{}' and o.cohorts @> array[${cohort}]::text[]
       and o.official_from <= ${asOf}::date and d->>'state' not in ('not_applicable', 'unknown')
     order by o.last_name, o.first_name, o.person_id, x.i
     limit 1`;
}

async function cohortDeadline(
  db: Db,
  src: OfficialsSource,
  asOf: string,
  cohort: string,
): Promise<{ id: string; label: string; date: string | null } | null> {
  const r = await sql<{ id: string; label: string; date: string | null }>`${cohortDeadlineSql(src, asOf, cohort)}`.execute(db);
  return r.rows[0] ?? null;
}

/** Each member's state against the cohort's deadline (`dl`: that deadline in their figures). */
function membersOf(src: OfficialsSource, asOf: string, cohort: string, deadlineId: string | null) {
  return sql`
    select o.*, coalesce(dl->>'state', 'not_applicable') as deadline_state,
           coalesce(dl->>'completedOn', o.facts->'initial'->>'metOn') as completed_on
      from (${cohortMembers(src, asOf, cohort)}) o
      left join lateral (select d as dl from jsonb_array_elements(coalesce(o.facts->'deadlines', '[]'::jsonb)) d
                          where d->>'id' = ${deadlineId} limit 1) x on true`;
}

export async function cachedCohorts(
  db: Db,
  p: ProgramRef | OfficialsSource,
  asOf: string,
  defCohorts: { id: string; name: string }[],
): Promise<CohortReport | null> {
  const src = sourceOf(p);
  const out: CohortReport['cohorts'] = [];
  for (const c of defCohorts) {
    const deadline = await cohortDeadline(db, src, asOf, c.id);
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
               count(*) filter (where not facts_known)::int as missing
          from (${membersOf(src, asOf, c.id, deadline?.id ?? null)}) m`.execute(db)
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
  facts: Pick<ReportFacts, 'initial' | 'renewal' | 'deadlines'> | null;
}

/** An official as every report list shows them: the name they go by, their title and county, and status. */
export const official = (
  r: Pick<
    OfficialRow,
    | 'person_id'
    | 'first_name'
    | 'last_name'
    | 'preferred_name'
    | 'title'
    | 'jurisdiction_fips'
    | 'j_kind'
    | 'j_name'
    | 'status'
  >,
): ReportOfficial => ({
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
 * One page of a report's officials, ordered by name, with the total, in one query over
 * `report_official` (migration 0038: one row per official of the program, with what the lists
 * filter and sort by, kept current by triggers): `listed` selects the listed officials, `scope` the
 * officials whose figures the list depends on (the same set, or for renewal every official, since
 * one without figures may be certified). The page is a range scan of an index in name order with
 * LIMIT/OFFSET, the total an index-only count; the person, the county and the cached figures are
 * read for the page's rows only. Null when an official in `scope` has no cached figures (not yet
 * swept, or a holder of an award with no cached row): the caller then evaluates. `also` is read
 * once with the page (the cohort's deadline).
 */
async function pageOf<A extends object = object>(
  db: Db,
  src: OfficialsSource,
  asOf: string,
  listed: RawBuilder<unknown>,
  scope: RawBuilder<unknown>,
  paging: Paging,
  also: RawBuilder<unknown> = sql`select`,
  counted?: RawBuilder<unknown>,
) {
  const of = sql`${src.key} and o.official_from <= ${asOf}::date`;
  const total = counted ?? sql`(select count(*)::int from ${src.table} o where ${of} and ${listed})`;
  // Whether an official in scope lacks figures: a count, not `exists`, so the plan is a probe of the
  // partial index of rows without figures (usually empty) whatever the statistics say; with
  // `exists` the planner, expecting some such rows, read the whole program's rows to find none
  // (8 ms at 100,000 officials; docs/performance.md, 5 December).
  const missing = src.allKnown
    ? sql`false`
    : sql`(select count(*) from ${src.table} o where ${of} and not o.facts_known and ${scope}) > 0`;
  const r = (
    await sql<(OfficialRow | { [K in keyof OfficialRow]: null }) & { total: number; missing: boolean } & A>`
      select o.person_id, pe.first_name, pe.last_name, pe.preferred_name, pe.title, pe.jurisdiction_fips,
             j.kind as j_kind, j.name as j_name, s.status, s.report_facts as facts, c.total, c.missing, a.*
        from (select ${total} as total,
                     ${missing} as missing) c
        cross join lateral (${also}) a
        left join lateral (
          select o.person_id, o.last_name, o.first_name from ${src.table} o where ${of} and ${listed}
           order by o.last_name, o.first_name, o.person_id
           limit ${paging.pageSize} offset ${(paging.page - 1) * paging.pageSize}) o on true
        left join person pe on pe.id = o.person_id
        left join jurisdiction j on j.fips = pe.jurisdiction_fips
        left join ${src.figures(sql.ref('o.person_id'))}
       order by o.last_name, o.first_name, o.person_id`.execute(db)
  ).rows;
  // A page past the end has one row, with the total and no official.
  const head = r[0]!;
  if (head.missing) return null;
  return {
    rows: r.filter((x): x is OfficialRow & { total: number; missing: boolean } & A => x.person_id !== null),
    head,
    page: { ...paging, total: head.total },
  };
}

export async function cachedCoverageOfficials(
  db: Db,
  p: ProgramRef | OfficialsSource,
  asOf: string,
  county: string,
  paging: Paging,
): Promise<{ items: ReportOfficial[]; page: Paging & { total: number } } | null> {
  const inCounty = sql`o.jurisdiction_fips = ${county}`;
  const r = await pageOf(db, sourceOf(p), asOf, inCounty, inCounty, paging);
  return r && { items: r.rows.map(official), page: r.page };
}

export async function cachedCohortOfficials(
  db: Db,
  p: ProgramRef | OfficialsSource,
  asOf: string,
  cohort: string,
  paging: Paging,
): Promise<{ items: CohortOfficial[]; page: Paging & { total: number } } | null> {
  // Members: an active enrollment naming the cohort (award holders without one are in no cohort).
  const members = sql`o.cohorts <> '{}' and o.cohorts @> array[${cohort}]::text[]`;
  const src = sourceOf(p);
  const r = await pageOf<{ deadline_id: string | null }>(
    db,
    src,
    asOf,
    members,
    members,
    paging,
    sql`select (select d.id from (${cohortDeadlineSql(src, asOf, cohort)}) d) as deadline_id`,
  );
  if (!r) return null;
  const deadlineId = r.head.deadline_id;
  return {
    items: r.rows.map((x) => {
      const dl = x.facts?.deadlines?.find((d) => d.id === deadlineId);
      return {
        ...official(x),
        deadlineState: dl?.state ?? 'not_applicable',
        completedOn: dl?.completedOn ?? x.facts?.initial?.metOn ?? null,
        have: x.facts?.initial?.have ?? 0,
        need: x.facts?.initial?.need ?? 0,
      };
    }),
    page: r.page,
  };
}

export async function cachedRenewalOfficials(
  db: Db,
  p: ProgramRef | OfficialsSource,
  asOf: string,
  renewalState: RenewalState | undefined,
  paging: Paging,
): Promise<{ items: RenewalOfficial[]; page: Paging & { total: number } } | null> {
  // The certified officials (a renewal state); every official's figures are needed to know them.
  const certified = renewalState ? sql`o.renewal_state = ${renewalState}` : sql`o.renewal_state is not null`;
  // As of today, their number from the program's tally by renewal state (migration 0041, ADR 0041:
  // a few rows kept by triggers), less those whose day as an official is still to come (usually
  // none), instead of counting every certified official; a prepared run's are counted.
  const tallied = renewalState ? sql`t.renewal_state = ${renewalState}` : sql`true`;
  const total =
    'table' in p
      ? undefined
      : sql`((select coalesce(sum(t.n), 0)::int from report_official_tally t
               where t.program_id = ${p.id} and ${tallied})
             - (select count(*)::int from report_official o
                 where o.program_id = ${p.id} and o.renewal_state is not null and ${certified}
                   and o.official_from > ${asOf}::date))`;
  const r = await pageOf(db, sourceOf(p), asOf, certified, sql`true`, paging, undefined, total);
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
