/** Dashboards: the official's progress per requirement (their plan of sessions is planning.service); counts and renewals for staff. */
import { sql } from 'kysely';
import type { NodeResult } from '../../../domain/requirements/index.js';
import { addDays, todayIn } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import { displayName } from '../auth/auth.service.js';
import { evaluatePeople } from '../certification/evaluation.js';
import { anyId } from '../certification/queries.js';

/** Statuses in which a certification has a renewal to complete (in force, due, or lapsed). */
const RENEWING = ['certified', 'renewal_due', 'lapsed'] as const;

/** People evaluated per query when only some of a program are needed. */
const EVALUATE_BATCH = 500;
import { countyOf, listAwards } from './awards.service.js';

function leaves(n: NodeResult, out: NodeResult[] = []): NodeResult[] {
  if (!n.applicable) return out;
  if (n.children.length === 0) out.push(n);
  else for (const c of n.children) leaves(c, out);
  return out;
}

export async function myCertificationFor(ctx: Ctx, personId: string) {
  const programs = await ctx.db
    .selectFrom('enrollment as e')
    .innerJoin('program as p', 'p.id', 'e.program_id')
    .select(['p.id', 'p.code', 'p.name'])
    .where('e.person_id', '=', personId)
    .where('e.status', '=', 'active')
    .union(
      ctx.db
        .selectFrom('award as a')
        .innerJoin('program as p', 'p.id', 'a.program_id')
        .select(['p.id', 'p.code', 'p.name'])
        .where('a.person_id', '=', personId),
    )
    .execute();
  const awards = await listAwards(ctx, { personId });
  const out = [];
  for (const p of programs) {
    const [ev] = await evaluatePeople(ctx.db, p.id, [personId], ctx.now());
    if (!ev) continue;
    const r = ev.result;
    const tree =
      r.lifecycle?.current?.requirement && (RENEWING as readonly string[]).includes(r.status)
        ? r.lifecycle.current.requirement
        : r.initial;
    const reqs = leaves(tree);
    out.push({
      program: { id: p.id, code: p.code, name: p.name, designation: ev.def.designation },
      status: r.status,
      headline: r.headline,
      missing: r.missing,
      requirements: reqs.map((n) => ({
        id: n.id,
        title: n.title,
        have: n.have,
        need: n.need,
        unit: n.unit,
        met: n.met,
      })),
      nextDue: r.lifecycle?.nextDue ?? null,
      awards: awards.filter((a) => a.program.id === p.id),
    });
  }
  return { programs: out };
}

/** The cycle still to be completed, as renewals due lists it (`ReportFacts.openCycle`). */
interface OpenCycle {
  awardId: string;
  due: string;
  graceEnds: string;
  missing: string | null;
}

/**
 * Awards whose renewal is due within `withinDays` (or in grace, or lapsed), soonest first, one page
 * at a time when `page` is given (everyone otherwise, for the export). The candidates, their order,
 * the total and what each row shows come from the status cache (its next due date and the open
 * cycle's figures), with the person, county and certificate number joined in: no evaluation. Only
 * rows whose cached figures predate the open cycle's (stored since migration 0037; the sweep
 * refreshes them) are evaluated, and only those on the page.
 */
export async function renewalsDue(ctx: Ctx, q: { withinDays: number; page?: number; pageSize?: number }) {
  const programs = await ctx.db.selectFrom('program').select(['id', 'code', 'name', 'time_zone']).execute();
  if (!programs.length) return { items: [], total: 0 };
  // Each program's last day counted, in its own zone.
  const until = new Map(programs.map((p) => [p.id, addDays(todayIn(p.time_zone, ctx.now()), q.withinDays)]));
  const base = ctx.db
    .selectFrom('certification_status as s')
    .where('s.status', 'in', [...RENEWING])
    .where((eb) =>
      eb.or(
        programs.map((p) =>
          eb.and([
            eb('s.program_id', '=', p.id),
            eb('s.next_due', '<=', until.get(p.id)!),
            // The cycle still to be completed is due by then (as the summary counts it); rows
            // without the figures yet stay candidates and are settled by evaluating them.
            sql<boolean>`(s.report_facts is null or s.report_facts->>'openCycleDue' <= ${until.get(p.id)!})`,
          ]),
        ),
      ),
    );
  const [count, candidates] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .innerJoin('person as pe', 'pe.id', 's.person_id')
      .leftJoin('jurisdiction as j', 'j.fips', 'pe.jurisdiction_fips')
      .leftJoin('award as aw', (join) =>
        join.on(sql<boolean>`aw.id = (s.report_facts->'openCycle'->>'awardId')::uuid`),
      )
      .select([
        's.person_id',
        's.program_id',
        's.status',
        'pe.first_name',
        'pe.last_name',
        'pe.preferred_name',
        'j.name as county_name',
        'j.kind as county_kind',
        'aw.certificate_number',
        'aw.number',
        sql<boolean>`coalesce(s.report_facts ? 'openCycle', false)`.as('known'),
        sql<OpenCycle | null>`s.report_facts->'openCycle'`.as('open_cycle'),
      ])
      .orderBy(sql`coalesce(s.report_facts->>'openCycleDue', s.next_due::text)`)
      .orderBy(sql`coalesce(nullif(pe.preferred_name, ''), pe.first_name)`)
      .orderBy('pe.last_name')
      .orderBy('s.program_id')
      .orderBy('s.person_id')
      .$if(q.page !== undefined, (b) => b.limit(q.pageSize ?? 25).offset((q.page! - 1) * (q.pageSize ?? 25)))
      .execute(),
  ]);
  // The open cycle of each candidate: cached, or for rows cached before its figures, evaluated.
  const open = new Map<string, OpenCycle & { status: string }>();
  const key = (programId: string, personId: string) => `${programId}|${personId}`;
  for (const c of candidates)
    if (c.known && c.open_cycle)
      open.set(key(c.program_id, c.person_id), { ...c.open_cycle, status: c.status });
  for (const p of programs) {
    const mine = candidates.filter((c) => c.program_id === p.id && !c.known).map((c) => c.person_id);
    for (let i = 0; i < mine.length; i += EVALUATE_BATCH)
      for (const ev of await evaluatePeople(ctx.db, p.id, mine.slice(i, i + EVALUATE_BATCH), ctx.now())) {
        const lc = ev.result.lifecycle;
        const c = lc?.current;
        if (!lc || !c || !['open', 'grace', 'lapsed'].includes(c.state)) continue;
        if (!(RENEWING as readonly string[]).includes(ev.result.status) || c.due > until.get(p.id)!) continue;
        open.set(key(p.id, ev.personId), {
          awardId: lc.award.id,
          due: c.due,
          graceEnds: c.graceEnds,
          missing: c.requirement?.missing ?? null,
          status: ev.result.status,
        });
      }
  }
  const evaluatedAwards = candidates
    .filter((c) => !c.known && open.has(key(c.program_id, c.person_id)))
    .map((c) => open.get(key(c.program_id, c.person_id))!.awardId);
  const certs = new Map(
    (evaluatedAwards.length
      ? await ctx.db
          .selectFrom('award')
          .select(['id', 'certificate_number', 'number'])
          .where('id', '=', anyId(evaluatedAwards))
          .execute()
      : []
    ).map((x) => [x.id, x]),
  );
  const byId = new Map(programs.map((p) => [p.id, p]));
  const items = [];
  // The page in the cache's order (due date, then name).
  for (const c of candidates) {
    const o = open.get(key(c.program_id, c.person_id));
    if (!o) continue;
    const p = byId.get(c.program_id)!;
    const cert = c.known ? c : certs.get(o.awardId);
    items.push({
      awardId: o.awardId,
      certificateNumber: cert?.certificate_number ?? cert?.number ?? o.awardId,
      person: { id: c.person_id, displayName: displayName(c), county: countyOf(c) },
      program: { id: p.id, code: p.code, name: p.name },
      status: o.status as (typeof RENEWING)[number],
      dueOn: o.due,
      graceEndsOn: o.graceEnds,
      missing: o.missing ? [o.missing] : [],
    });
  }
  return { items, total: Number(count.n) };
}

/**
 * Each program's counts by status (its enrolled officials and award holders) and its renewals due
 * within 90 days, from the status cache: two grouped queries for all programs. Who is an official
 * of a program (an active enrollment, or an award without one) and their cached status are one row
 * each in `report_official` (migration 0038); those without a cached status are not counted.
 */
export async function awardsSummaryFor(ctx: Ctx) {
  const programs = await ctx.db
    .selectFrom('program')
    .select(['id', 'code', 'name', 'time_zone'])
    .orderBy('name')
    .execute();
  if (!programs.length) return { programs: [] };
  const [rows, due] = await Promise.all([
    sql<{ program_id: string; status: string; n: number }>`
      select program_id, status, count(*)::int as n
        from report_official
       where status is not null
       group by 1, 2`.execute(ctx.db),
    dueWithin(ctx, programs, 90),
  ]);
  return {
    programs: programs.map((p) => {
      const counts: Record<string, number> = {};
      for (const r of rows.rows) if (r.program_id === p.id) counts[r.status] = r.n;
      return {
        program: { id: p.id, code: p.code, name: p.name },
        counts,
        renewalsDueWithin90Days: due.get(p.id) ?? 0,
      };
    }),
  };
}

/**
 * How many renewals `renewalsDue` would list for each program, counted in the status cache: the
 * cycle still to be completed is due by then (the last day in each program's zone). A program with
 * anyone whose cached figures predate them (not yet swept since migration 0016) is counted by
 * evaluating its candidates, as the list does.
 */
async function dueWithin(
  ctx: Ctx,
  programs: { id: string; time_zone: string }[],
  withinDays: number,
): Promise<Map<string, number>> {
  const until = programs.map((p) => addDays(todayIn(p.time_zone, ctx.now()), withinDays));
  const rows = (
    await sql<{ program_id: string; due: number; unknown: number }>`
      select s.program_id,
             count(*) filter (where s.report_facts->>'openCycleDue' <= u.until)::int as due,
             count(*) filter (where s.report_facts is null)::int as unknown
        from unnest(${programs.map((p) => p.id)}::uuid[], ${until}::text[]) as u(program_id, until)
        join certification_status s on s.program_id = u.program_id
       where s.status in (${sql.join([...RENEWING])}) and s.next_due <= u.until::date
       group by 1`.execute(ctx.db)
  ).rows;
  const out = new Map(rows.map((r) => [r.program_id, r.due]));
  if (rows.some((r) => r.unknown > 0)) {
    const listed = (await renewalsDue(ctx, { withinDays })).items;
    for (const r of rows)
      if (r.unknown > 0) out.set(r.program_id, listed.filter((d) => d.program.id === r.program_id).length);
  }
  return out;
}
