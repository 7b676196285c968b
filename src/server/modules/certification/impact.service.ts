/**
 * The impact of a rule change (issue 19, item 2; ADR 0029). For a program's draft and a day the
 * administrator chooses, every official with an active enrollment is evaluated by the rules
 * engine twice, as the sweep evaluates them: under the versions published now, and under the
 * versions as they would be once the draft is published (the published ones plus the draft, each
 * official judged by the one selectProgramVersion picks, as after publishing). Those whose status
 * or next due date differs are stored with the kind of change.
 *
 * The run goes in batches of the sweep's size, each its own transaction, in person id order from
 * where the last batch stopped (draft_impact.after_person), so memory stays bounded and progress
 * (done of total) shows as it goes. It starts in the background as soon as it is asked for, and
 * the scheduled certification job picks up a run left unfinished (a restart). Two workers on one
 * run take turns: each batch locks the run's row, and skips it when another holds it.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import { DomainError } from '../../../domain/errors.js';
import type { CertificationStatus, ProgramDefinition } from '../../../domain/requirements/index.js';
import {
  impactKinds,
  type Impact,
  type ImpactChange,
  type impactChangesQuery,
  type ImpactKind,
} from '../../../contract/impact.js';
import type { Ctx, Deps } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import { evaluatePeople, SWEEP_BATCH_SIZE, type Evaluated } from './evaluation.js';
import { draftImpactRow } from '../programs/impact-gate.js';
import { publishedDefinitions } from '../programs/programs.service.js';

const notYet: readonly CertificationStatus[] = ['not_started', 'in_progress'];
const holding: readonly CertificationStatus[] = ['certified', 'renewal_due'];

/** What kind of change one official would see, or null when neither status nor next due date moves. */
export function impactKind(
  before: { status: string; nextDue: string | null },
  after: { status: string; nextDue: string | null },
): ImpactKind | null {
  if (before.status === after.status) {
    if (before.nextDue === after.nextDue) return null;
    if (before.nextDue !== null && after.nextDue !== null)
      return after.nextDue < before.nextDue ? 'due-earlier' : 'due-later';
    return 'other';
  }
  const b = before.status as CertificationStatus;
  const a = after.status as CertificationStatus;
  if (b === 'eligible' && notYet.includes(a)) return 'no-longer-eligible';
  if (notYet.includes(b) && a === 'eligible') return 'became-eligible';
  if (holding.includes(b) && a === 'lapsed') return 'lapsed';
  return 'other';
}

const outcome = (ev: Evaluated) => ({
  status: ev.result.status as string,
  nextDue: ev.result.lifecycle?.nextDue ?? null,
});

// Runs started by this process, so tests (and a shutdown) can wait for them.
const inFlight = new Set<Promise<unknown>>();

/** Resolves once every impact run this process started has stopped. */
export async function impactRunsSettled(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

/**
 * Starts checking the impact of the program's draft as of a day (in the program's zone): the
 * program's last run is replaced, and the new one goes on in the background. Returns it as it
 * starts; its progress is read with impactOf.
 */
export async function startImpact(ctx: Ctx, programId: string, asOf: string): Promise<Impact> {
  const id = await ctx.db.transaction().execute(async (tx) => {
    const p = await tx
      .selectFrom('program')
      .select('id')
      .where('id', '=', programId)
      .forUpdate()
      .executeTakeFirst();
    if (!p) throw new DomainError('not_found', 'There is no program with this id.');
    const draft = await tx
      .selectFrom('program_version')
      .select(['id', 'version', 'updated_at'])
      .where('program_id', '=', programId)
      .where('published', '=', false)
      .executeTakeFirst();
    if (!draft) throw new DomainError('conflict', 'This program has no draft to check. Save a draft first.');
    const { n } = await tx
      .selectFrom('enrollment')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('program_id', '=', programId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    await tx.deleteFrom('draft_impact').where('program_id', '=', programId).execute();
    const row = await tx
      .insertInto('draft_impact')
      .values({
        program_id: programId,
        version_id: draft.id,
        draft_version: draft.version,
        draft_updated_at: draft.updated_at,
        as_of: asOf,
        requested_by: ctx.actor?.userId ?? null,
        started_at: ctx.now().toISOString(),
        total: Number(n),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: 'program.impact.check',
      entityType: 'program',
      entityId: programId,
      after: { draftVersion: draft.version, asOf, officials: Number(n) },
    });
    return row.id;
  });
  inBackground(ctx, id);
  const impact = await impactOf(ctx.db, programId);
  if (!impact) throw new DomainError('conflict', 'The draft changed while its impact check started.');
  return impact;
}

function inBackground(deps: Deps, impactId: string): void {
  const run = runImpact(deps, impactId).catch(async (e: unknown) => {
    await deps.db
      .updateTable('draft_impact')
      .set({ failed: e instanceof Error ? e.message.slice(0, 500) : 'The check stopped.' })
      .where('id', '=', impactId)
      .execute()
      .catch(() => undefined);
  });
  inFlight.add(run);
  void run.finally(() => inFlight.delete(run));
}

/** Runs an impact check to its end (or until it is stale), batch by batch. Returns officials evaluated. */
export async function runImpact(
  deps: Deps,
  impactId: string,
  batchSize: number = SWEEP_BATCH_SIZE,
): Promise<number> {
  let evaluated = 0;
  for (;;) {
    const n = await impactBatch(deps, impactId, batchSize);
    if (n === 0) return evaluated;
    evaluated += n;
  }
}

/** The scheduled job's part: carries on every run left unfinished (by a restart). */
export async function resumeImpactRuns(deps: Deps): Promise<number> {
  const open = await deps.db
    .selectFrom('draft_impact')
    .select('id')
    .where('finished_at', 'is', null)
    .where('failed', 'is', null)
    .where('stale_at', 'is', null)
    .execute();
  let evaluated = 0;
  for (const r of open) evaluated += await runImpact(deps, r.id);
  return evaluated;
}

/** One batch in one transaction; 0 when the run is over, stale, or another worker holds it. */
async function impactBatch(deps: Deps, impactId: string, size: number): Promise<number> {
  return deps.db.transaction().execute(async (tx) => {
    const run = await tx
      .selectFrom('draft_impact')
      .selectAll()
      .where('id', '=', impactId)
      .where('finished_at', 'is', null)
      .where('failed', 'is', null)
      .where('stale_at', 'is', null)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!run) return 0;
    const now = deps.now().toISOString();
    const draft = await tx
      .selectFrom('program_version as v')
      .innerJoin('program as p', 'p.id', 'v.program_id')
      .select(['v.definition', 'v.updated_at', 'v.published', 'p.time_zone'])
      .where('v.id', '=', run.version_id)
      .executeTakeFirst();
    if (
      !draft ||
      draft.published ||
      new Date(draft.updated_at).getTime() > new Date(run.draft_updated_at).getTime()
    ) {
      await tx.updateTable('draft_impact').set({ stale_at: now }).where('id', '=', impactId).execute();
      return 0;
    }
    let next = tx
      .selectFrom('enrollment')
      .select('person_id')
      .where('program_id', '=', run.program_id)
      .where('status', '=', 'active')
      .orderBy('person_id')
      .limit(size);
    if (run.after_person) next = next.where('person_id', '>', run.after_person);
    const ids = (await next.execute()).map((r) => r.person_id);
    if (ids.length === 0) {
      await tx.updateTable('draft_impact').set({ finished_at: now }).where('id', '=', impactId).execute();
      return 0;
    }
    const draftDef = draft.definition as unknown as ProgramDefinition;
    const published = await publishedDefinitions(tx, run.program_id);
    const versions = [...published.filter((v) => v.version !== draftDef.version), draftDef];
    const opts = { zone: draft.time_zone };
    const before = await evaluatePeople(tx, run.program_id, ids, deps.now(), run.as_of, opts);
    const after = await evaluatePeople(tx, run.program_id, ids, deps.now(), run.as_of, { ...opts, versions });
    const beforeOf = new Map(before.map((ev) => [ev.personId, ev]));
    const changes = after.flatMap((a) => {
      const b = beforeOf.get(a.personId);
      if (!b || !ids.includes(a.personId)) return [];
      const was = outcome(b);
      const will = outcome(a);
      const kind = impactKind(was, will);
      return kind
        ? [
            {
              impact_id: impactId,
              person_id: a.personId,
              kind,
              before_status: was.status,
              after_status: will.status,
              before_due: was.nextDue,
              after_due: will.nextDue,
            },
          ]
        : [];
    });
    if (changes.length > 0) await tx.insertInto('draft_impact_change').values(changes).execute();
    const underDraft = after.filter((ev) => ev.def === draftDef).length;
    await tx
      .updateTable('draft_impact')
      .set({
        done: sql`done + ${ids.length}`,
        under_draft: sql`under_draft + ${underDraft}`,
        after_person: ids[ids.length - 1] ?? null,
      })
      .where('id', '=', impactId)
      .execute();
    return ids.length;
  });
}

/** The stored impact of the program's current draft, with counts by kind; null when none was checked. */
export async function impactOf(db: Db, programId: string): Promise<Impact | null> {
  const row = await draftImpactRow(db, programId);
  if (!row) return null;
  const byKind = await db
    .selectFrom('draft_impact_change')
    .select(['kind', (eb) => eb.fn.countAll<string>().as('n')])
    .where('impact_id', '=', row.id)
    .groupBy('kind')
    .execute();
  const counts = Object.fromEntries(impactKinds.map((k) => [k, 0])) as Record<ImpactKind, number>;
  for (const r of byKind) counts[r.kind] = Number(r.n);
  return {
    id: row.id,
    draftVersion: row.draft_version,
    draftUpdatedAt: new Date(row.draft_updated_at).toISOString(),
    asOf: row.as_of,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    state: row.state,
    failed: row.failed,
    staleAt: row.stale_at ? new Date(row.stale_at).toISOString() : null,
    total: row.total,
    done: row.done,
    underDraft: row.under_draft,
    changed: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
  };
}

/** The impact of the draft for the route: 404 for an unknown program. */
export async function getImpact(ctx: Ctx, programId: string): Promise<{ impact: Impact | null }> {
  const p = await ctx.db.selectFrom('program').select('id').where('id', '=', programId).executeTakeFirst();
  if (!p) throw new DomainError('not_found', 'There is no program with this id.');
  return { impact: await impactOf(ctx.db, programId) };
}

/** One page of the officials the draft would change, by last name, optionally of one kind. */
export async function listImpactChanges(
  ctx: Ctx,
  programId: string,
  q: z.infer<typeof impactChangesQuery>,
): Promise<{ items: ImpactChange[]; total: number }> {
  const { impact } = await getImpact(ctx, programId);
  if (!impact) throw new DomainError('not_found', 'The impact of this draft has not been checked yet.');
  let query = ctx.db
    .selectFrom('draft_impact_change as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .leftJoin('jurisdiction as j', 'j.fips', 'p.jurisdiction_fips')
    .where('c.impact_id', '=', impact.id);
  if (q.kind) query = query.where('c.kind', '=', q.kind);
  const [rows, count] = await Promise.all([
    query
      .select([
        'c.person_id',
        'c.kind',
        'c.before_status',
        'c.after_status',
        'c.before_due',
        'c.after_due',
        'p.first_name',
        'p.last_name',
        'p.preferred_name',
        'j.name as county',
      ])
      .orderBy('p.last_name')
      .orderBy('p.first_name')
      .orderBy('c.person_id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      personId: r.person_id,
      name: displayName(r),
      county: r.county,
      kind: r.kind,
      before: { status: r.before_status, nextDue: r.before_due },
      after: { status: r.after_status, nextDue: r.after_due },
    })),
  };
}
