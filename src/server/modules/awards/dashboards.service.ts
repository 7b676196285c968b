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

/**
 * Awards whose renewal is due within `withinDays` (or in grace, or lapsed), soonest first, one page
 * at a time when `page` is given (everyone otherwise, for the export). The candidates, their order
 * and the total come from the status cache (its next due date is the open cycle's); only the
 * page's candidates are evaluated, for the grace end and what is still missing: never everyone.
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
      .select(['s.person_id', 's.program_id'])
      .orderBy(sql`coalesce(s.report_facts->>'openCycleDue', s.next_due::text)`)
      .orderBy(sql`coalesce(nullif(pe.preferred_name, ''), pe.first_name)`)
      .orderBy('pe.last_name')
      .orderBy('s.program_id')
      .orderBy('s.person_id')
      .$if(q.page !== undefined, (b) => b.limit(q.pageSize ?? 25).offset((q.page! - 1) * (q.pageSize ?? 25)))
      .execute(),
  ]);
  const items = [];
  for (const p of programs) {
    const mine = candidates.filter((c) => c.program_id === p.id).map((c) => c.person_id);
    if (!mine.length) continue;
    const evs = [];
    for (let i = 0; i < mine.length; i += EVALUATE_BATCH)
      evs.push(...(await evaluatePeople(ctx.db, p.id, mine.slice(i, i + EVALUATE_BATCH), ctx.now())));
    const withAwards = evs.filter((e) => e.result.lifecycle?.current);
    if (!withAwards.length) continue;
    const people = await ctx.db
      .selectFrom('person as pe')
      .leftJoin('jurisdiction as j', 'j.fips', 'pe.jurisdiction_fips')
      .select([
        'pe.id',
        'pe.first_name',
        'pe.last_name',
        'pe.preferred_name',
        'j.name as county_name',
        'j.kind as county_kind',
      ])
      .where('pe.id', '=', anyId(withAwards.map((e) => e.personId)))
      .execute();
    const certs = await ctx.db
      .selectFrom('award')
      .select(['id', 'certificate_number', 'number'])
      .where('id', '=', anyId(withAwards.map((e) => e.result.lifecycle!.award.id)))
      .execute();
    const peopleById = new Map(people.map((x) => [x.id, x]));
    const certsById = new Map(certs.map((x) => [x.id, x]));
    for (const ev of withAwards) {
      const lc = ev.result.lifecycle!;
      const c = lc.current!;
      const open = ['open', 'grace', 'lapsed'].includes(c.state);
      if (!open || !(RENEWING as readonly string[]).includes(ev.result.status) || c.due > until.get(p.id)!)
        continue;
      const pe = peopleById.get(ev.personId)!;
      const cert = certsById.get(lc.award.id);
      items.push({
        awardId: lc.award.id,
        certificateNumber: cert?.certificate_number ?? cert?.number ?? lc.award.id,
        person: { id: pe.id, displayName: displayName(pe), county: countyOf(pe) },
        program: { id: p.id, code: p.code, name: p.name },
        status: ev.result.status,
        dueOn: c.due,
        graceEndsOn: c.graceEnds,
        missing: c.requirement?.missing ? [c.requirement.missing] : [],
      });
    }
  }
  // The page in the cache's order (due date, then name).
  const rank = new Map(candidates.map((c, i) => [`${c.program_id}|${c.person_id}`, i]));
  items.sort(
    (a, b) => rank.get(`${a.program.id}|${a.person.id}`)! - rank.get(`${b.program.id}|${b.person.id}`)!,
  );
  return { items, total: Number(count.n) };
}

export async function awardsSummaryFor(ctx: Ctx) {
  const programs = await ctx.db
    .selectFrom('program')
    .select(['id', 'code', 'name', 'time_zone'])
    .orderBy('name')
    .execute();
  const out = [];
  for (const p of programs) {
    // Counts from the status cache (one grouped query), as the reports do.
    const rows = await ctx.db
      .selectFrom('certification_status as s')
      .select(['s.status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('s.program_id', '=', p.id)
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('enrollment as e')
              .select('e.id')
              .whereRef('e.person_id', '=', 's.person_id')
              .whereRef('e.program_id', '=', 's.program_id')
              .where('e.status', '=', 'active'),
          ),
          eb.exists(
            eb
              .selectFrom('award as a')
              .select('a.id')
              .whereRef('a.person_id', '=', 's.person_id')
              .whereRef('a.program_id', '=', 's.program_id'),
          ),
        ]),
      )
      .groupBy('s.status')
      .execute();
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.status] = Number(r.n);
    out.push({
      program: { id: p.id, code: p.code, name: p.name },
      counts,
      renewalsDueWithin90Days: await dueWithin(ctx, p, 90),
    });
  }
  return { programs: out };
}

/**
 * How many renewals `renewalsDue` would list for the program, counted in the status cache: the
 * cycle still to be completed is due by then. Anyone whose cached figures predate them (not yet
 * swept since migration 0016) is counted by evaluating the candidates, as the list does.
 */
async function dueWithin(ctx: Ctx, p: { id: string; time_zone: string }, withinDays: number) {
  const until = addDays(todayIn(p.time_zone, ctx.now()), withinDays);
  const row = await ctx.db
    .selectFrom('certification_status')
    .select([
      (eb) =>
        eb.fn
          .countAll<string>()
          .filterWhere(sql<boolean>`report_facts->>'openCycleDue' <= ${until}`)
          .as('due'),
      (eb) => eb.fn.countAll<string>().filterWhere('report_facts', 'is', null).as('unknown'),
    ])
    .where('program_id', '=', p.id)
    .where('status', 'in', [...RENEWING])
    .where('next_due', '<=', until)
    .executeTakeFirstOrThrow();
  if (Number(row.unknown) > 0)
    return (await renewalsDue(ctx, { withinDays })).items.filter((d) => d.program.id === p.id).length;
  return Number(row.due);
}
