/**
 * The people-based reports as of today, counted by PostgreSQL from the status cache (issue 14).
 *
 * As of today every official's status and report figures (`certification_status.status` and
 * `report_facts`, kept current by the change hook and the sweep) are in the cache, so the counts
 * the report pages show are a GROUP BY over the program's officials matched to their cached rows
 * (`officials`: the cache and the active enrollments in person order, with the figures the counts
 * read as columns derived from `report_facts`, migration 0037), and the officials behind them are
 * read one page at a time. Nothing here grows with the program in Node: no per-official objects,
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

interface ProgramRef {
  id: string;
}

/**
 * The program's officials as of the date (docs/reports.md, "Who counts"), each matched to their
 * cached row: active enrollments that began on or before it, plus holders of one of its awards
 * issued by then without an active enrollment. One row per official: `person_id`, the cached
 * `status` ('not_started' without a row), `facts_known` (false without a row or without figures)
 * and the two figures every count reads, `ever_awarded` and `renewal_state` (columns PostgreSQL
 * derives from `report_facts`, migration 0037).
 *
 * A full join of the program's cached rows and its active enrollments, both read in person order
 * from an index (the enrollment's dates and the cache's columns are in them), so it costs about
 * what a grouped count over the cache does: the person, the county and the JSON figures are not
 * read for the counts. Award holders without an enrollment are the cached rows with no enrollment
 * (their award is looked up for those few only); one without a cached row at all is found by
 * `uncachedAwardHolder`.
 */
function officials(p: ProgramRef, asOf: string): RawBuilder<unknown> {
  return sql`
    select coalesce(s.person_id, e.person_id) as person_id, coalesce(s.status, 'not_started') as status,
           coalesce(s.facts_known, false) as facts_known, coalesce(s.ever_awarded, false) as ever_awarded,
           s.renewal_state
      from (select person_id, status, facts_known, ever_awarded, renewal_state
              from certification_status where program_id = ${p.id}) s
      full join (select person_id, enrolled_on from enrollment
                  where program_id = ${p.id} and status = 'active') e on e.person_id = s.person_id
     where case when e.person_id is not null then e.enrolled_on is null or e.enrolled_on <= ${asOf}::date
                else exists (select 1 from award a where a.person_id = s.person_id and a.program_id = ${p.id}
                                                     and a.awarded_on <= ${asOf}::date) end`;
}

/**
 * Whether a holder of one of the program's awards issued by the date has no cached row (so may be
 * an official the counts above cannot see: the caller then evaluates). Never wrong, at worst slower.
 */
function uncachedAwardHolder(p: ProgramRef, asOf: string): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from award a
     where a.program_id = ${p.id} and a.awarded_on <= ${asOf}::date
       and not exists (select 1 from certification_status s where s.person_id = a.person_id and s.program_id = ${p.id}))`;
}

const ACTIVE_SQL = sql`('certified', 'renewal_due')`;
const ENDED_SQL = sql`('lapsed', 'expired', 'revoked')`;

/**
 * The rows of a grouped count, each with `uncached` (an award holder without a cached row: see
 * `uncachedAwardHolder`); one row with only `uncached` when nothing was counted.
 */
async function groupsOf<G extends { n: number | null }>(
  db: Db,
  p: ProgramRef,
  asOf: string,
  grouped: RawBuilder<unknown>,
): Promise<{ groups: G[]; uncached: boolean }> {
  const rows = (
    await sql<G & { uncached: boolean }>`
      select g.*, u.uncached from (select ${uncachedAwardHolder(p, asOf)} as uncached) u
        left join lateral (${grouped}) g on true`.execute(db)
  ).rows;
  return { groups: rows.filter((r) => r.n !== null), uncached: rows[0]?.uncached ?? false };
}

// ------------------------------------------------------------ coverage by county

export async function cachedCoverage(db: Db, p: ProgramRef, asOf: string): Promise<CoverageReport | null> {
  const { groups, uncached } = await groupsOf<{
    fips: string | null;
    kind: string | null;
    state_fips: string | null;
    n: number;
    certified: number;
    missing: number;
  }>(
    db,
    p,
    asOf,
    sql`
      select pe.jurisdiction_fips as fips, j.kind, j.state_fips, count(*)::int as n,
             count(*) filter (where o.status in ${ACTIVE_SQL})::int as certified,
             count(*) filter (where not o.facts_known)::int as missing
        from (${officials(p, asOf)}) o
        join person pe on pe.id = o.person_id
        left join jurisdiction j on j.fips = pe.jurisdiction_fips
       group by 1, 2, 3`,
  );
  if (uncached) return null;
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
  const { groups, uncached } = await groupsOf<{
    status: CertificationStatus;
    n: number;
    awarded: number;
    missing: number;
  }>(
    db,
    p,
    asOf,
    sql`
      select status, count(*)::int as n,
             count(*) filter (where ever_awarded or status in ${ACTIVE_SQL} or status in ${ENDED_SQL})::int as awarded,
             count(*) filter (where not facts_known)::int as missing
        from (${officials(p, asOf)}) o group by status`,
  );
  if (uncached) return null;
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
  const { groups, uncached } = await groupsOf<{ state: RenewalState | null; n: number; missing: number }>(
    db,
    p,
    asOf,
    sql`
      select renewal_state as state, count(*)::int as n, count(*) filter (where not facts_known)::int as missing
        from (${officials(p, asOf)}) o group by 1`,
  );
  if (uncached) return null;
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
 * A cohort's members as of the date: the active enrollments naming it that began by then (read
 * through the enrollment's cohorts index; award holders without an enrollment are in no cohort),
 * with their cached status and figures (`facts`, null without them).
 */
function cohortMembers(p: ProgramRef, asOf: string, cohort: string): RawBuilder<unknown> {
  return sql`
    select e.person_id, coalesce(s.status, 'not_started') as status, coalesce(s.facts_known, false) as facts_known,
           s.report_facts as facts
      from enrollment e
      left join certification_status s on s.person_id = e.person_id and s.program_id = e.program_id
     where e.program_id = ${p.id} and e.status = 'active' and e.cohorts @> array[${cohort}]::text[]
       and (e.enrolled_on is null or e.enrolled_on <= ${asOf}::date)`;
}

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
    select d->>'id' as id, d->>'label' as label, d->>'date' as date
      from (${cohortMembers(p, asOf, cohort)}) o
      join person pe on pe.id = o.person_id
      cross join lateral jsonb_array_elements(coalesce(o.facts->'deadlines', '[]'::jsonb)) with ordinality as x(d, i)
     where d->>'state' not in ('not_applicable', 'unknown')
     order by pe.last_name, pe.first_name, o.person_id, x.i
     limit 1`.execute(db);
  return r.rows[0] ?? null;
}

/** Each member's state against the cohort's deadline (`dl`: that deadline in their figures). */
function membersOf(p: ProgramRef, asOf: string, cohort: string, deadlineId: string | null) {
  return sql`
    select o.*, coalesce(dl->>'state', 'not_applicable') as deadline_state,
           coalesce(dl->>'completedOn', o.facts->'initial'->>'metOn') as completed_on
      from (${cohortMembers(p, asOf, cohort)}) o
      left join lateral (select d as dl from jsonb_array_elements(coalesce(o.facts->'deadlines', '[]'::jsonb)) d
                          where d->>'id' = ${deadlineId} limit 1) x on true`;
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
               count(*) filter (where not facts_known)::int as missing
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
 * One page of the officials `from` selects (each with `person_id`, `status`, `facts_known` and the
 * person's `first_name`, `last_name`, `preferred_name`, `title` and `jurisdiction_fips`), ordered
 * by name, with the total, in one query: the cached figures (`facts`) and the county are read for
 * the page only. Null when one of them has no cached figures, or when `awardHolders` and a holder
 * of the program's awards has no cached row (the caller then evaluates).
 */
async function pageOf(
  db: Db,
  p: ProgramRef,
  asOf: string,
  from: RawBuilder<unknown>,
  paging: Paging,
  awardHolders: boolean,
) {
  const uncached = awardHolders ? uncachedAwardHolder(p, asOf) : sql<boolean>`false`;
  const rows = (
    await sql<OfficialRow & { missing: number; uncached: boolean }>`
      select o.*, j.kind as j_kind, j.name as j_name, s.report_facts as facts, ${uncached} as uncached
        from (select o.*, (count(*) over ())::int as total,
                     (count(*) filter (where not o.facts_known) over ())::int as missing
                from (${from}) o
               order by o.last_name, o.first_name, o.person_id
               limit ${paging.pageSize} offset ${(paging.page - 1) * paging.pageSize}) o
        left join jurisdiction j on j.fips = o.jurisdiction_fips
        left join certification_status s on s.person_id = o.person_id and s.program_id = ${p.id}
       order by o.last_name, o.first_name, o.person_id`.execute(db)
  ).rows;
  // A page past the end has no rows to carry the total.
  const head =
    rows[0] ??
    (
      await sql<{ total: number; missing: number; uncached: boolean }>`
        select count(*)::int as total, count(*) filter (where not o.facts_known)::int as missing,
               ${uncached} as uncached
          from (${from}) o`.execute(db)
    ).rows[0]!;
  if (head.missing > 0 || head.uncached) return null;
  return { rows, page: { ...paging, total: head.total } };
}

/** The person's columns a page of officials shows and sorts by (`pe`: the person). */
const PERSON_SQL = sql`pe.first_name, pe.last_name, pe.preferred_name, pe.title, pe.jurisdiction_fips`;

export async function cachedCoverageOfficials(
  db: Db,
  p: ProgramRef,
  asOf: string,
  county: string,
  paging: Paging,
): Promise<{ items: ReportOfficial[]; page: Paging & { total: number } } | null> {
  // The county's people (through its index) who are the program's officials, by the rule of
  // `officials`: an active enrollment begun by the date, else an award issued by then.
  const inCounty = sql`
    select pe.id as person_id, ${PERSON_SQL}, coalesce(s.status, 'not_started') as status,
           coalesce(s.facts_known, false) as facts_known
      from person pe
      join jurisdiction j on j.fips = pe.jurisdiction_fips and j.kind = 'county'
      left join enrollment e on e.program_id = ${p.id} and e.person_id = pe.id and e.status = 'active'
      left join certification_status s on s.person_id = pe.id and s.program_id = ${p.id}
     where pe.jurisdiction_fips = ${county}
       and case when e.person_id is not null then e.enrolled_on is null or e.enrolled_on <= ${asOf}::date
                else exists (select 1 from award a where a.person_id = pe.id and a.program_id = ${p.id}
                                                     and a.awarded_on <= ${asOf}::date) end`;
  const r = await pageOf(db, p, asOf, inCounty, paging, true);
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
  const members = sql`
    select m.person_id, ${PERSON_SQL}, m.status, m.facts_known, m.deadline_state, m.completed_on
      from (${membersOf(p, asOf, cohort, deadline?.id ?? null)}) m join person pe on pe.id = m.person_id`;
  const r = await pageOf(db, p, asOf, members, paging, false);
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
  // The certified officials (a renewal state), and any without figures yet (they may be).
  const certified = sql`
    select o.person_id, ${PERSON_SQL}, o.status, o.facts_known
      from (${officials(p, asOf)}) o join person pe on pe.id = o.person_id
     where not o.facts_known or ${renewalState ? sql`o.renewal_state = ${renewalState}` : sql`o.renewal_state is not null`}`;
  const r = await pageOf(db, p, asOf, certified, paging, true);
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
