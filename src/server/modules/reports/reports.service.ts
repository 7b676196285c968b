/**
 * Administrators' reports (issue 7). Each report is computed for one program
 * as of one local date in the program's time zone:
 *
 * - people-based reports (coverage by county, pilot cohort, funnel, renewal
 *   compliance) load the program's enrolled officials in one query; as of
 *   today, where each stands is read from the status cache (its status and
 *   `ReportFacts`, kept current by the change hook and the sweep); as of another
 *   day, from a prepared run of that day (`runId`: every official evaluated once,
 *   in the background, reports.prepared.ts, ADR 0039); without one (tests'
 *   reference path, `reportSnapshot`) the rules engine evaluates them
 *   (`evaluatePeople`, in batches);
 * - session fill and review turnaround are single aggregate SQL queries.
 *
 * `reportSnapshot` returns every report's numbers as plain JSON; the import
 * round-trip and backup/restore tests compare it before and after.
 * Definitions are in docs/reports.md.
 */
import { sql } from 'kysely';
import type {
  CohortOfficial,
  CohortReport,
  CohortReportWithPeople,
  CoverageReport,
  CoverageReportWithPeople,
  CountyStatus,
  FunnelReport,
  RenewalOfficial,
  RenewalReport,
  RenewalReportWithPeople,
  RenewalState,
  ReportOfficial,
  ReportSnapshot,
  SessionFillReport,
  TurnaroundReport,
} from '../../../contract/reports.js';
import { DomainError } from '../../../domain/errors.js';
import type { CertificationStatus } from '../../../domain/requirements/index.js';
import { compareText } from '../../../domain/text.js';
import { todayIn } from '../../../domain/time/index.js';
import type { Db } from '../../db/database.js';
import { evaluatePeople } from '../certification/evaluation.js';
import { reportFactsOf, type ReportFacts } from '../certification/report-facts.js';
import {
  cachedCohortOfficials,
  cachedCohorts,
  cachedCoverage,
  cachedCoverageOfficials,
  cachedFunnel,
  cachedRenewal,
  cachedRenewalOfficials,
  official,
  runSource,
  type Paging,
} from './reports.cached.js';

export interface ReportParams {
  programId: string;
  /** Local date (YYYY-MM-DD) in the program's time zone. */
  asOf: string;
  /**
   * Today in the program's zone, when known: a status-only report as of today then reads the
   * status cache (kept current by every change and by the sweep) instead of evaluating everyone.
   */
  today?: string;
  /**
   * A prepared run of the day (reports.prepared.ts, ADR 0039): as of a day other than today the
   * officials and their figures are read from it instead of being evaluated.
   */
  runId?: string;
}

interface ProgramInfo {
  id: string;
  code: string;
  name: string;
  timeZone: string;
}

export async function programInfo(db: Db, programId: string): Promise<ProgramInfo> {
  const p = await db
    .selectFrom('program')
    .select(['id', 'code', 'name', 'time_zone'])
    .where('id', '=', programId)
    .executeTakeFirst();
  if (!p) throw new DomainError('not_found', 'There is no program with this id.');
  return { id: p.id, code: p.code, name: p.name, timeZone: p.time_zone };
}

/** Today in the program's time zone. */
export async function defaultAsOf(db: Db, programId: string, now: Date): Promise<string> {
  const p = await programInfo(db, programId);
  return todayIn(p.timeZone, now);
}

// ------------------------------------------------------------ evaluated people

interface Official extends ReportOfficial {
  cohorts: string[];
  stateFips: string | null;
  /** What the reports show, from an evaluation as of the date or from the status cache. */
  facts: ReportFacts | null;
}

const EVALUATE_BATCH = 2000;

/** Active awards: the certification is in force (renewal may be due). */
const ACTIVE: ReadonlySet<CertificationStatus> = new Set(['certified', 'renewal_due']);
const ENDED: ReadonlySet<CertificationStatus> = new Set(['lapsed', 'expired', 'revoked']);

/**
 * The program's officials as of the date: active enrollments that began on or
 * before it, plus anyone holding one of its awards issued by then without an
 * enrollment (e.g. past awards imported for people never enrolled), each with
 * their status and report figures. As of today (`cached`) those come from the
 * status cache, which every change and the sweep keep current; people the cache
 * lacks (not yet swept) are evaluated. As of another day everyone is evaluated.
 */
async function officials(
  db: Db,
  p: ProgramInfo,
  asOf: string,
  cached: boolean,
  want: ReadonlySet<ReportKey>,
  runId?: string,
): Promise<Official[]> {
  if (!cached && runId) return runOfficials(db, asOf, runId);
  // As of today, each official's cached status and only the figures the wanted reports show, in
  // the same query: deadlines and initial progress for cohort members when the cohort report is
  // wanted, the renewal state for the renewal report, whether ever awarded for the funnel.
  const facts = sql<ReportFacts | null>`case when s.report_facts is null then null else jsonb_build_object(
      'awarded', ${want.has('funnel')} and coalesce((s.report_facts->>'awarded')::boolean, false),
      'renewal', case when ${want.has('renewal')} then s.report_facts->'renewal' end,
      'deadlines', case when ${want.has('cohorts')} and cardinality(e.cohorts) > 0
                        then s.report_facts->'deadlines' else '[]'::jsonb end,
      'initial', case when ${want.has('cohorts')} and cardinality(e.cohorts) > 0
                      then s.report_facts->'initial' else '{"have":0,"need":0,"metOn":null}'::jsonb end,
      'openCycleDue', null) end`;
  const enrolled = await db
    .selectFrom('enrollment as e')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .leftJoin('jurisdiction as j', 'j.fips', 'p.jurisdiction_fips')
    .leftJoin('certification_status as s', (join) =>
      join
        .onRef('s.person_id', '=', 'e.person_id')
        .onRef('s.program_id', '=', 'e.program_id')
        .on(sql<boolean>`${cached}`),
    )
    .select([
      'p.id',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      'p.title',
      'p.jurisdiction_fips',
      'j.kind as j_kind',
      'j.name as j_name',
      'j.state_fips',
      'e.cohorts',
      's.status',
      facts.as('facts'),
    ])
    .where('e.program_id', '=', p.id)
    .where('e.status', '=', 'active')
    .where((eb) => eb.or([eb('e.enrolled_on', 'is', null), eb('e.enrolled_on', '<=', asOf)]))
    .execute();
  const awardedOnly = await db
    .selectFrom('award as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .leftJoin('jurisdiction as j', 'j.fips', 'p.jurisdiction_fips')
    .select([
      'p.id',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      'p.title',
      'p.jurisdiction_fips',
      'j.kind as j_kind',
      'j.name as j_name',
      'j.state_fips',
    ])
    .distinct()
    .where('a.program_id', '=', p.id)
    .where('a.awarded_on', '<=', asOf)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('enrollment as e2')
            .select('e2.id')
            .whereRef('e2.person_id', '=', 'a.person_id')
            .where('e2.program_id', '=', p.id)
            .where('e2.status', '=', 'active'),
        ),
      ),
    )
    .execute();
  const rows = [
    ...enrolled,
    ...awardedOnly.map((r) => ({ ...r, cohorts: [] as string[], status: null, facts: null })),
  ].sort(
    (x, y) =>
      compareText(x.last_name, y.last_name) ||
      compareText(x.first_name, y.first_name) ||
      compareText(x.id, y.id),
  );
  const known = new Map<string, { status: CertificationStatus; facts: ReportFacts }>();
  for (const r of rows)
    if (r.status !== null && r.facts !== null)
      known.set(r.id, { status: r.status as CertificationStatus, facts: r.facts });
  // Everyone as of another day, and anyone the cache lacks (not yet swept) today.
  // `now` only picks the default as-of day, and asOf is always given here.
  // In batches, so the id lists stay far below PostgreSQL's 65,535 bind parameters.
  const ids = rows.map((r) => r.id).filter((id) => !known.has(id));
  for (let i = 0; i < ids.length; i += EVALUATE_BATCH)
    for (const e of await evaluatePeople(db, p.id, ids.slice(i, i + EVALUATE_BATCH), new Date(0), asOf))
      known.set(e.personId, { status: e.result.status, facts: reportFactsOf(e.result) });
  return rows.map((r) => {
    const k = known.get(r.id);
    return officialOf(r, r.cohorts ?? [], k?.status ?? 'not_started', k?.facts ?? null);
  });
}

/** An official as the reports hold them: the person and their county, with status and figures. */
function officialOf(
  r: {
    id: string;
    first_name: string;
    last_name: string;
    preferred_name: string | null;
    title: string | null;
    jurisdiction_fips: string | null;
    j_kind: string | null;
    j_name: string | null;
    state_fips: string | null;
  },
  cohorts: string[],
  status: CertificationStatus,
  facts: ReportFacts | null,
): Official {
  return { ...official({ ...r, person_id: r.id, status }), cohorts, stateFips: r.state_fips ?? null, facts };
}

/** The officials of a prepared run (migration 0039) as of its day, by name, with its figures. */
async function runOfficials(db: Db, asOf: string, runId: string): Promise<Official[]> {
  const rows = await db
    .selectFrom('report_run_official as o')
    .innerJoin('person as p', 'p.id', 'o.person_id')
    .leftJoin('jurisdiction as j', 'j.fips', 'o.jurisdiction_fips')
    .select([
      'o.person_id as id',
      'o.first_name',
      'o.last_name',
      'p.preferred_name',
      'p.title',
      'o.jurisdiction_fips',
      'j.kind as j_kind',
      'j.name as j_name',
      'j.state_fips',
      'o.cohorts',
      'o.status',
      'o.report_facts',
    ])
    .where('o.run_id', '=', runId)
    .where('o.official_from', '<=', asOf)
    .execute();
  rows.sort(
    (x, y) =>
      compareText(x.last_name, y.last_name) || compareText(x.first_name, y.first_name) || compareText(x.id, y.id),
  );
  return rows.map((r) =>
    officialOf(r, r.cohorts, r.status as CertificationStatus, r.report_facts as unknown as ReportFacts),
  );
}

const pub = (o: Official): ReportOfficial => ({
  personId: o.personId,
  name: o.name,
  title: o.title,
  countyFips: o.countyFips,
  county: o.county,
  status: o.status,
});

// ------------------------------------------------------------ coverage by county

export function countyStatusOf(statuses: CertificationStatus[]): CountyStatus {
  if (statuses.some((s) => ACTIVE.has(s))) return 'certified';
  if (statuses.length) return 'in_progress';
  return 'none';
}

/** The program's state: where most of its officials' counties are. */
function stateOf(list: Official[]): string | null {
  const n = new Map<string, number>();
  for (const o of list) if (o.stateFips) n.set(o.stateFips, (n.get(o.stateFips) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, v] of n) if (best === null || v > (n.get(best) ?? 0)) best = k;
  return best;
}

async function coverage(db: Db, list: Official[]): Promise<CoverageReportWithPeople> {
  const stateFips = stateOf(list);
  if (!stateFips)
    return {
      stateFips: null,
      stateName: null,
      totals: { certified: 0, in_progress: 0, none: 0 },
      counties: [],
    };
  const counties = await db
    .selectFrom('jurisdiction')
    .select(['fips', 'name', 'state_name'])
    .where('kind', '=', 'county')
    .where('state_fips', '=', stateFips)
    .orderBy('name')
    .execute();
  const byCounty = new Map<string, Official[]>();
  for (const o of list)
    if (o.countyFips) byCounty.set(o.countyFips, [...(byCounty.get(o.countyFips) ?? []), o]);
  const totals = { certified: 0, in_progress: 0, none: 0 };
  const rows = counties.map((c) => {
    const mine = byCounty.get(c.fips) ?? [];
    const status = countyStatusOf(mine.map((o) => o.status));
    totals[status]++;
    return {
      fips: c.fips,
      name: c.name,
      status,
      officials: mine.length,
      certified: mine.filter((o) => ACTIVE.has(o.status)).length,
      inProgress: mine.filter((o) => !ACTIVE.has(o.status)).length,
      people: mine.map(pub),
    };
  });
  return { stateFips, stateName: counties[0]?.state_name ?? null, totals, counties: rows };
}

// ------------------------------------------------------------ pilot cohort

function cohorts(list: Official[], defCohorts: { id: string; name: string }[]): CohortReportWithPeople {
  return {
    cohorts: defCohorts.map((c) => {
      const members = list.filter((o) => o.cohorts.includes(c.id));
      // The cohort's deadlines, as the rules engine reports them for its members.
      const deadline =
        members
          .flatMap((m) => m.facts?.deadlines ?? [])
          .find((d) => d.state !== 'not_applicable' && d.state !== 'unknown') ?? null;
      const people = members.map((m) => {
        const d = m.facts?.deadlines.find((x) => x.id === deadline?.id);
        const have = m.facts?.initial.have ?? 0;
        const need = m.facts?.initial.need ?? 0;
        return {
          ...pub(m),
          deadlineState: d?.state ?? 'not_applicable',
          // The date the deadline state was judged on, so the two columns always agree.
          completedOn: d?.completedOn ?? m.facts?.initial.metOn ?? null,
          have,
          need,
        };
      });
      const count = (s: string) => people.filter((x) => x.deadlineState === s).length;
      return {
        id: c.id,
        name: c.name,
        deadline: deadline ? { id: deadline.id, label: deadline.label, date: deadline.date } : null,
        members: members.length,
        met: count('met'),
        upcoming: count('upcoming'),
        missed: count('missed'),
        completed: people.filter((x) => x.completedOn).length,
        people,
      };
    }),
  };
}

// ------------------------------------------------------------ funnel

function funnel(list: Official[]): FunnelReport {
  const n = (f: (o: Official) => boolean) => list.filter(f).length;
  const awarded = (o: Official) => !!o.facts?.awarded || ACTIVE.has(o.status) || ENDED.has(o.status);
  const statusCounts: Record<string, number> = {};
  for (const o of list) statusCounts[o.status] = (statusCounts[o.status] ?? 0) + 1;
  return {
    stages: [
      { id: 'enrolled', label: 'Enrolled', count: list.length },
      { id: 'in_progress', label: 'In progress', count: n((o) => o.status !== 'not_started') },
      {
        id: 'eligible',
        label: 'Eligible (requirements met)',
        count: n((o) => o.status === 'eligible' || awarded(o)),
      },
      { id: 'certified', label: 'Certified (ever awarded)', count: n(awarded) },
      { id: 'active', label: 'Active', count: n((o) => ACTIVE.has(o.status)) },
      { id: 'lapsed', label: 'Lapsed, expired or revoked', count: n((o) => ENDED.has(o.status)) },
    ],
    statuses: statusCounts,
  };
}

// ------------------------------------------------------------ renewal compliance

function renewal(list: Official[]): RenewalReportWithPeople {
  const counts: Record<RenewalState, number> = {
    current: 0,
    renewal_due: 0,
    in_grace: 0,
    lapsed: 0,
    reinstated: 0,
  };
  const people: RenewalReportWithPeople['people'] = [];
  for (const o of list) {
    const r = o.facts?.renewal;
    if (!r) continue;
    counts[r.state]++;
    people.push({
      ...pub(o),
      renewalState: r.state,
      cycleDue: r.cycleDue,
      graceEnds: r.graceEnds,
      lapsedOn: r.lapsedOn,
    });
  }
  return { counts, certified: people.length, people };
}

// ------------------------------------------------------------ session fill (SQL)

async function sessionFill(db: Db, p: ProgramInfo, asOf: string): Promise<SessionFillReport> {
  const rows = await sql<{
    course_id: string;
    code: string;
    title: string;
    sessions: number;
    upcoming: number;
    capacity: number;
    confirmed: number;
    waitlisted: number;
    below_minimum: number;
    upcoming_free: number;
  }>`
    with s as (
      select s.id, s.course_id, s.capacity, s.minimum, s.confirmed_count,
             (s.starts_at at time zone ${p.timeZone})::date > ${asOf}::date as upcoming,
             (select count(*) from registration r
               where r.session_id = s.id and r.status = 'waitlisted')::int as waitlisted
        from session s
        join course c on c.id = s.course_id
       where c.program_id = ${p.id} and s.status <> 'cancelled'
    )
    select c.id as course_id, c.code, c.title,
           count(s.id)::int as sessions,
           count(s.id) filter (where s.upcoming)::int as upcoming,
           coalesce(sum(s.capacity), 0)::int as capacity,
           coalesce(sum(s.confirmed_count), 0)::int as confirmed,
           coalesce(sum(s.waitlisted), 0)::int as waitlisted,
           count(s.id) filter (where s.upcoming and s.confirmed_count < s.minimum)::int as below_minimum,
           coalesce(sum(greatest(s.capacity - s.confirmed_count, 0)) filter (where s.upcoming), 0)::int
             as upcoming_free
      from course c
      join s on s.course_id = c.id
     where c.program_id = ${p.id}
     group by c.id, c.code, c.title
     order by sum(s.waitlisted) desc, c.code
  `.execute(db);
  const courses = rows.rows.map((r) => ({
    courseId: r.course_id,
    code: r.code,
    title: r.title,
    sessions: r.sessions,
    upcoming: r.upcoming,
    capacity: r.capacity,
    confirmed: r.confirmed,
    waitlisted: r.waitlisted,
    belowMinimum: r.below_minimum,
    fillPercent: r.capacity ? Math.round((1000 * r.confirmed) / r.capacity) / 10 : 0,
    upcomingFreeSeats: r.upcoming_free,
    // More people wait than there are free seats in the course's upcoming sessions.
    needsMoreSessions: r.waitlisted > r.upcoming_free,
  }));
  const sum = (k: 'sessions' | 'capacity' | 'confirmed' | 'waitlisted' | 'belowMinimum') =>
    courses.reduce((a, c) => a + c[k], 0);
  const capacity = sum('capacity');
  return {
    courses,
    totals: {
      sessions: sum('sessions'),
      capacity,
      confirmed: sum('confirmed'),
      waitlisted: sum('waitlisted'),
      belowMinimum: sum('belowMinimum'),
      fillPercent: capacity ? Math.round((1000 * sum('confirmed')) / capacity) / 10 : 0,
    },
  };
}

// ------------------------------------------------------------ review turnaround (SQL)

const AGE_BUCKETS = [
  { id: '0-7', label: '0–7 days', max: 7 },
  { id: '8-14', label: '8–14 days', max: 14 },
  { id: '15-30', label: '15–30 days', max: 30 },
  { id: '31+', label: 'More than 30 days', max: Infinity },
] as const;

async function turnaround(db: Db, p: ProgramInfo, asOf: string): Promise<TurnaroundReport> {
  // First submission: the first 'submitted' message, else the claim's submitted_at.
  // Days are fractional (hours / 24), rounded to one decimal.
  const base = sql`
    with c as (
      select c.id, c.claim_type, c.status, c.decided_at,
             coalesce((select min(m.at) from claim_message m
                        where m.claim_id = c.id and m.kind = 'submitted'), c.submitted_at) as submitted_at
        from claim c
       where c.program_id = ${p.id} and c.status <> 'draft'
    ), d as (
      select c.*, extract(epoch from (c.decided_at - c.submitted_at)) / 86400.0 as days,
             to_char(c.decided_at at time zone ${p.timeZone}, 'YYYY-MM') as month
        from c
       where c.status in ('approved', 'rejected') and c.decided_at is not null
         and c.submitted_at is not null
         and (c.decided_at at time zone ${p.timeZone})::date <= ${asOf}::date
    )`;
  type Agg = { key: string; decided: number; median: number | null; p90: number | null };
  const agg = async (key: ReturnType<typeof sql>) =>
    (
      await sql<Agg>`${base}
        select ${key} as key, count(*)::int as decided,
               round((percentile_cont(0.5) within group (order by days))::numeric, 1)::float8 as median,
               round((percentile_cont(0.9) within group (order by days))::numeric, 1)::float8 as p90
          from d group by 1 order by 1`.execute(db)
    ).rows;
  const [overall, byMonth, byType, pending] = await Promise.all([
    agg(sql`'all'`),
    agg(sql`month`),
    agg(sql`claim_type`),
    sql<{ id: string; claim_type: string; status: string; age: number }>`
      select c.id, c.claim_type, c.status,
             (${asOf}::date - (coalesce(c.submitted_at, c.created_at) at time zone ${p.timeZone})::date)::int as age
        from claim c
       where c.program_id = ${p.id} and c.status in ('submitted', 'needs_information')
         and (coalesce(c.submitted_at, c.created_at) at time zone ${p.timeZone})::date <= ${asOf}::date
    `.execute(db),
  ]);
  const strip = (r: Agg) => ({ decided: r.decided, medianDays: r.median, p90Days: r.p90 });
  const all = overall[0];
  return {
    overall: all ? strip(all) : { decided: 0, medianDays: null, p90Days: null },
    byMonth: byMonth.map((r) => ({ month: r.key, ...strip(r) })),
    byType: byType.map((r) => ({ claimType: r.key, ...strip(r) })),
    pendingByAge: AGE_BUCKETS.map((b, i) => {
      const min = i === 0 ? -Infinity : AGE_BUCKETS[i - 1]!.max;
      const mine = pending.rows.filter((r) => r.age > min && r.age <= b.max);
      return {
        id: b.id,
        label: b.label,
        count: mine.length,
        waitingOnOfficial: mine.filter((r) => r.status === 'needs_information').length,
      };
    }),
    pendingTotal: pending.rows.length,
  };
}

// ------------------------------------------------------------ public API

export interface AllReports {
  program: { id: string; code: string; name: string; timeZone: string };
  asOf: string;
  coverage: CoverageReportWithPeople;
  cohorts: CohortReportWithPeople;
  funnel: FunnelReport;
  sessionFill: SessionFillReport;
  renewal: RenewalReportWithPeople;
  turnaround: TurnaroundReport;
}

export type ReportKey = Exclude<keyof AllReports, 'program' | 'asOf'>;

const PEOPLE_REPORTS: ReadonlySet<ReportKey> = new Set(['coverage', 'cohorts', 'funnel', 'renewal']);

/** Computes the named reports (all when `only` is omitted). */
export async function computeReports<K extends ReportKey>(
  db: Db,
  params: ReportParams,
  only?: K[],
): Promise<Pick<AllReports, 'program' | 'asOf' | K>> {
  const p = await programInfo(db, params.programId);
  const want = new Set<ReportKey>(only ?? [...PEOPLE_REPORTS, 'sessionFill', 'turnaround']);
  const needPeople = [...want].some((k) => PEOPLE_REPORTS.has(k));
  // As of today, each official's status and report figures are in the status cache.
  const cached = params.today !== undefined && params.asOf === params.today;
  const list = needPeople ? await officials(db, p, params.asOf, cached, want, params.runId) : [];
  const out: Partial<AllReports> = { program: p, asOf: params.asOf };
  if (want.has('coverage')) out.coverage = await coverage(db, list);
  if (want.has('cohorts')) {
    out.cohorts = cohorts(list, await cohortList(db, p.id));
  }
  if (want.has('funnel')) out.funnel = funnel(list);
  if (want.has('renewal')) out.renewal = renewal(list);
  if (want.has('sessionFill')) out.sessionFill = await sessionFill(db, p, params.asOf);
  if (want.has('turnaround')) out.turnaround = await turnaround(db, p, params.asOf);
  return out as Pick<AllReports, 'program' | 'asOf' | K>;
}

/** The cohorts named by the program's published definitions (newest first wins a name). */
export async function cohortList(db: Db, programId: string): Promise<{ id: string; name: string }[]> {
  const versions = await db
    .selectFrom('program_version')
    .select(['definition'])
    .where('program_id', '=', programId)
    .where('published', '=', true)
    .orderBy('effective_from', 'desc')
    .execute();
  const seen = new Map<string, string>();
  for (const v of versions) {
    const def = (typeof v.definition === 'string' ? JSON.parse(v.definition) : v.definition) as {
      cohorts?: { id: string; name: string }[];
    };
    for (const c of def.cohorts ?? []) if (!seen.has(c.id)) seen.set(c.id, c.name);
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

/**
 * Every report's numbers for one program and date, as plain JSON (no people's
 * ids: a round trip through export and import gives people new ids). Stable
 * signature: other modules' tests compare snapshots before and after.
 */
export async function reportSnapshot(db: Db, params: ReportParams): Promise<ReportSnapshot> {
  const r = await computeReports(db, params);
  return {
    program: r.program.code,
    asOf: r.asOf,
    coverage: {
      stateFips: r.coverage.stateFips,
      totals: r.coverage.totals,
      counties: r.coverage.counties
        .filter((c) => c.officials > 0)
        .map((c) => ({
          fips: c.fips,
          status: c.status,
          officials: c.officials,
          certified: c.certified,
          inProgress: c.inProgress,
        })),
    },
    cohorts: r.cohorts.cohorts.map((c) => ({
      id: c.id,
      members: c.members,
      met: c.met,
      upcoming: c.upcoming,
      missed: c.missed,
      completed: c.completed,
    })),
    funnel: Object.fromEntries(r.funnel.stages.map((s) => [s.id, s.count])),
    statuses: r.funnel.statuses,
    sessionFill: {
      totals: r.sessionFill.totals,
      courses: r.sessionFill.courses.map(({ courseId: _id, ...rest }) => rest),
    },
    renewal: r.renewal.counts,
    turnaround: {
      overall: r.turnaround.overall,
      byMonth: r.turnaround.byMonth,
      byType: r.turnaround.byType,
      pendingByAge: r.turnaround.pendingByAge.map((b) => ({ id: b.id, count: b.count })),
    },
  };
}

// ------------------------------------------------------------ what the pages read

/** The reports as the pages show them: the counts, without the officials behind them. */
export interface PageReports {
  coverage: CoverageReport;
  cohorts: CohortReport;
  funnel: FunnelReport;
  sessionFill: SessionFillReport;
  renewal: RenewalReport;
  turnaround: TurnaroundReport;
}

const withoutPeople = {
  coverage: (r: CoverageReportWithPeople): CoverageReport => ({
    ...r,
    counties: r.counties.map(({ people: _p, ...c }) => c),
  }),
  cohorts: (r: CohortReportWithPeople): CohortReport => ({
    cohorts: r.cohorts.map(({ people: _p, ...c }) => c),
  }),
  renewal: ({ people: _p, ...r }: RenewalReportWithPeople): RenewalReport => r,
};

const isToday = (params: ReportParams) => params.today !== undefined && params.asOf === params.today;

/**
 * One report as its page shows it. As of today the people-based reports are counted in SQL from
 * the status cache (reports.cached.ts); as of another day from its prepared run (`runId`, the same
 * SQL over the run's rows); without a run, or while someone in the program has no
 * cached figures yet, the officials are evaluated (`computeReports`) and the lists dropped.
 */
export async function pageReport<K extends ReportKey>(
  db: Db,
  params: ReportParams,
  key: K,
): Promise<{ program: ProgramInfo; asOf: string; report: PageReports[K] }> {
  const p = await programInfo(db, params.programId);
  const asOf = params.asOf;
  let fast: PageReports[ReportKey] | null = null;
  if (isToday(params)) {
    if (key === 'coverage') fast = await cachedCoverage(db, p, asOf);
    else if (key === 'funnel') fast = await cachedFunnel(db, p, asOf);
    else if (key === 'renewal') fast = await cachedRenewal(db, p, asOf);
    else if (key === 'cohorts') fast = await cachedCohorts(db, p, asOf, await cohortList(db, p.id));
  } else if (params.runId) {
    const src = runSource(params.runId);
    if (key === 'coverage') fast = await cachedCoverage(db, src, asOf);
    else if (key === 'funnel') fast = await cachedFunnel(db, src, asOf);
    else if (key === 'renewal') fast = await cachedRenewal(db, src, asOf);
    else if (key === 'cohorts') fast = await cachedCohorts(db, src, asOf, await cohortList(db, p.id));
  }
  if (fast) return { program: p, asOf, report: fast as PageReports[K] };
  const full = await computeReports(db, params, [key]);
  const r = full[key] as AllReports[K];
  const report =
    key === 'coverage'
      ? withoutPeople.coverage(r as CoverageReportWithPeople)
      : key === 'cohorts'
        ? withoutPeople.cohorts(r as CohortReportWithPeople)
        : key === 'renewal'
          ? withoutPeople.renewal(r as RenewalReportWithPeople)
          : r;
  return { program: p, asOf, report: report as PageReports[K] };
}

interface OfficialsFilter {
  coverage: { county: string };
  cohorts: { cohort: string };
  renewal: { renewalState?: RenewalState | undefined };
}
interface OfficialsItem {
  coverage: ReportOfficial;
  cohorts: CohortOfficial;
  renewal: RenewalOfficial;
}

/**
 * One page of the officials behind a report (a county's officials, a cohort's members, the
 * certified officials by renewal state), ordered by name, with the total. As of today a page is
 * read from the status cache (or, as of another day, the day's prepared run) with LIMIT/OFFSET;
 * otherwise (tests' reference path) the report is evaluated and sliced.
 */
export async function reportOfficials<N extends keyof OfficialsFilter>(
  db: Db,
  params: ReportParams,
  name: N,
  filter: OfficialsFilter[N],
  paging: Paging,
): Promise<{ items: OfficialsItem[N][]; page: Paging & { total: number } }> {
  const p = await programInfo(db, params.programId);
  if (name === 'cohorts' && !(await cohortList(db, p.id)).some((c) => c.id === (filter as { cohort: string }).cohort))
    throw new DomainError('validation', 'This program has no such cohort.', {
      issues: [{ field: 'query.cohort', message: 'This program has no such cohort.' }],
    });
  if (isToday(params) || params.runId) {
    const f = filter as Partial<OfficialsFilter['coverage'] & OfficialsFilter['cohorts'] & OfficialsFilter['renewal']>;
    const src = isToday(params) ? p : runSource(params.runId!);
    const fast =
      name === 'coverage'
        ? await cachedCoverageOfficials(db, src, params.asOf, f.county!, paging)
        : name === 'cohorts'
          ? await cachedCohortOfficials(db, src, params.asOf, f.cohort!, paging)
          : await cachedRenewalOfficials(db, src, params.asOf, f.renewalState, paging);
    if (fast) return fast as { items: OfficialsItem[N][]; page: Paging & { total: number } };
  }
  let all: OfficialsItem[keyof OfficialsFilter][];
  if (name === 'coverage') {
    const r = await computeReports(db, params, ['coverage']);
    const county = (filter as OfficialsFilter['coverage']).county;
    all = r.coverage.counties.find((c) => c.fips === county)?.people ?? [];
  } else if (name === 'cohorts') {
    const r = await computeReports(db, params, ['cohorts']);
    const cohort = (filter as OfficialsFilter['cohorts']).cohort;
    all = r.cohorts.cohorts.find((c) => c.id === cohort)?.people ?? [];
  } else {
    const r = await computeReports(db, params, ['renewal']);
    const state = (filter as OfficialsFilter['renewal']).renewalState;
    all = state ? r.renewal.people.filter((x) => x.renewalState === state) : r.renewal.people;
  }
  const start = (paging.page - 1) * paging.pageSize;
  return {
    items: all.slice(start, start + paging.pageSize) as OfficialsItem[N][],
    page: { ...paging, total: all.length },
  };
}
