/**
 * The progress view: every active enrollment of a person evaluated by the
 * rules engine through the same loader as status (evaluation.ts), with
 * submitted claims shown as waiting for review.
 */
import type { Progress } from '../../../contract/credits.js';
import { progressAbilities } from '../../../domain/authz/policies.js';
import { DomainError } from '../../../domain/errors.js';
import type { NodeResult, RecordedFact, ProgramDefinition } from '../../../domain/requirements/index.js';
import { factLabel, factTargets } from '../../../domain/requirements/index.js';
import { toLocalDate } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import { prepared } from '../../db/prepared.js';
import { evaluatePeople, type Evaluated } from './evaluation.js';
import { localToday } from './queries.js';

function flatten(
  node: NodeResult,
  parentId: string | null,
  depth: number,
  out: Progress['programs'][number]['nodes'],
) {
  out.push({
    id: node.id,
    parentId,
    depth,
    type: node.type,
    title: node.title,
    applicable: node.applicable,
    met: node.met,
    have: node.have,
    need: node.need,
    unit: node.unit,
    metOn: node.metOn ?? null,
    missing: node.missing ?? null,
    parts: node.parts,
    counted: node.counted.map((c) => ({
      recordId: c.recordId,
      date: c.date,
      amount: c.amount,
      courseCode: c.courseCode ?? null,
    })),
    notCounted: node.notCounted.map((n) => ({
      recordId: n.recordId,
      date: n.date,
      amount: n.amount,
      reason: n.reason,
      detail: n.detail,
    })),
    ...(node.deadline ? { deadline: node.deadline } : {}),
    ...(node.note !== undefined ? { note: node.note } : {}),
  });
  for (const child of node.children) flatten(child, node.id, depth + 1, out);
}

const personEnrollments = prepared((db, personId: string) =>
  db
    .selectFrom('person as pe')
    .leftJoin('enrollment as e', (j) => j.onRef('e.person_id', '=', 'pe.id').on('e.status', '=', 'active'))
    .leftJoin('program as p', 'p.id', 'e.program_id')
    .select(['e.id', 'e.program_id', 'e.enrolled_on', 'p.code', 'p.time_zone'])
    .where('pe.id', '=', personId)
    .orderBy('p.name'),
);

/** Evaluates every active enrollment of a person with the rules engine, from the ledger as it is now. */
export async function progressFor(ctx: Ctx, personId: string, asOf?: string): Promise<Progress> {
  // The person and their active enrollments in one statement (a person in no program gives one
  // row without an enrollment; no row means no such person).
  const rows = await personEnrollments(ctx.db, personId);
  if (rows.length === 0) throw new DomainError('not_found', 'There is no person with this id.');
  const enrollments = rows.flatMap((r) =>
    r.id !== null && r.program_id !== null && r.code !== null && r.time_zone !== null
      ? [{ ...r, id: r.id, program_id: r.program_id, code: r.code, time_zone: r.time_zone }]
      : [],
  );
  const programs: Progress['programs'] = [];
  for (const e of enrollments) {
    // Submitted claims show as waiting for review; they count only once approved.
    const [ev] = await evaluatePeople(ctx.db, e.program_id, [personId], ctx.now(), asOf, {
      pendingClaims: true,
      zone: e.time_zone,
    });
    if (!ev) continue;
    const { def, result, records } = ev;
    const nodes: Progress['programs'][number]['nodes'] = [];
    flatten(result.initial, null, 0, nodes);
    const counted = records.filter((r) => r.status === 'approved');
    programs.push({
      program: { id: e.program_id, code: e.code, name: def.name, designation: def.designation },
      enrollment: { id: e.id, enrolledOn: e.enrolled_on, version: def.version },
      status: result.status,
      headline: result.headline,
      missing: result.missing,
      nodes,
      deadlines: result.deadlines.map((d) => ({
        id: d.id,
        label: d.label,
        date: d.date ?? null,
        state: d.state,
        detail: d.detail,
        ...(d.extension ? { extension: d.extension } : {}),
        ...(d.programDate !== undefined ? { programDate: d.programDate } : {}),
      })),
      ...(result.pendingSeats ? { pendingSeats: result.pendingSeats } : {}),
      ...(result.provisional ? { provisional: true } : {}),
      nextDue: result.lifecycle?.nextDue ?? null,
      totals: { approved: counted.reduce((a, r) => a + (r.amount ?? 0), 0), records: records.length },
      cycles: await cyclesView(ctx, ev),
      facts: factsView(def, ev.facts ?? []),
    });
  }
  const zone = enrollments[0]?.time_zone;
  // An instant is shown as the date it is in the (first) program's zone, the day that was evaluated.
  const shown =
    asOf === undefined
      ? await localToday(ctx.db, ctx.now(), zone)
      : zone === undefined
        ? asOf
        : (toLocalDate(asOf, zone) ?? asOf);
  return { personId, asOf: shown, programs };
}

/**
 * The renewal cycles of the evaluation, with their stored ids; the flag of a
 * closed cycle that a later correction would change is shown to coordinators
 * and administrators only.
 */
/** The person's current facts in this program, named as the program names them. */
function factsView(def: ProgramDefinition, facts: RecordedFact[]): Progress['programs'][number]['facts'] {
  const targets = factTargets(def);
  return facts.map((f) => ({
    kind: f.kind,
    label: factLabel(targets, f),
    date: f.date,
    score: f.score ?? null,
    until: f.until ?? null,
    reason: f.reason,
  }));
}

async function cyclesView(ctx: Ctx, ev: Evaluated): Promise<Progress['programs'][number]['cycles']> {
  const lc = ev.result.lifecycle;
  if (!lc || lc.cycles.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('renewal_cycle')
    .select(['id', 'starts_on', 'created_at'])
    .where('person_id', '=', ev.personId)
    .where('program_id', '=', ev.programId)
    .where('award_id', '=', lc.award.id)
    .execute();
  const staff = progressAbilities(ctx.actor).readCorrections;
  const outcomeIds = [...(ev.stored?.outcomeIds.values() ?? [])];
  const flags =
    staff && outcomeIds.length > 0
      ? await ctx.db
          .selectFrom('renewal_cycle_flag')
          .select(['outcome_id', 'flagged_at'])
          .where('outcome_id', 'in', outcomeIds)
          .orderBy('flagged_at')
          .execute()
      : [];
  return lc.cycles.map((c) => {
    const outcomeId = ev.stored?.outcomeIds.get(c.start);
    const late = staff ? c.lateCorrection : undefined;
    return {
      id: rows.find((r) => r.starts_on === c.start)?.id ?? null,
      index: c.index,
      start: c.start,
      due: c.due,
      graceEnds: c.graceEnds,
      reinstateBy: c.reinstateBy ?? null,
      state: c.state,
      completedOn: c.completedOn ?? null,
      closed: c.closed,
      stored: c.stored,
      flag: late
        ? {
            detail: late.detail,
            ledgerState: late.ledgerState,
            ledgerCompletedOn: late.ledgerCompletedOn ?? null,
            withdrawnRecordIds: late.withdrawnRecordIds,
            flaggedAt: flags.find((f) => f.outcome_id === outcomeId)?.flagged_at ?? null,
          }
        : null,
    };
  });
}

/**
 * The date a progress page is "as of": today in the zone of the person's first
 * program; a person in no program sees today in the zone of the oldest program.
 */
