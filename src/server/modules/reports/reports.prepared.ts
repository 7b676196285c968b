/**
 * Reports as of a day other than today (issue 14; ADR 0039). Today's reports read the status
 * cache; another day needs every official evaluated as of that day, which at 100,000 officials is
 * minutes of work. So that work is done once per program and day, in the background with progress,
 * and stored (`report_run`, `report_run_official`, migration 0039); the report pages, their lists
 * of officials and the downloads then read the stored run with the same queries as today's cache
 * (reports.cached.ts, `runSource`). A request never evaluates everyone.
 *
 * - A run goes through the program's officials as of the day (`report_official` rows counting by
 *   then) in person id order, a batch per transaction, each batch locking the run's row
 *   (`for update skip locked`), so two workers take turns and a restart carries on where it
 *   stopped (the scheduled certification job calls `resumeReportRuns`).
 * - A program whose officials fit in one batch is prepared within the request (it costs what one
 *   evaluation of them did before), so small programs never see "preparing".
 * - A run is a snapshot. Whether anything changed since is known from the status cache: the change
 *   hook and the sweep stamp `computed_at` whenever they re-evaluate an official, so officials
 *   re-evaluated after the run began are counted (`changedSince`) and shown with the report. A
 *   small program's run is then prepared again at once; a large one's when someone asks
 *   (`prepareReport` with `again`).
 * - Each program keeps its last `KEEP_RUNS` runs; starting another removes the oldest.
 */
import { sql } from 'kysely';
import type { Ctx, Deps } from '../../context.js';
import type { Db } from '../../db/database.js';
import { DomainError } from '../../../domain/errors.js';
import { evaluatePeople } from '../certification/evaluation.js';
import { reportFactsOf } from '../certification/report-facts.js';

/** Officials evaluated per transaction of a run, and the size under which a run is done inline. */
export const RUN_BATCH = 1000;
/** Runs a program keeps (one per day asked for); the oldest goes when another starts. */
export const KEEP_RUNS = 20;

export interface RunRow {
  id: string;
  program_id: string;
  as_of: string;
  started_at: string;
  finished_at: string | null;
  failed: string | null;
  total: number;
  done: number;
  after_person: string | null;
}

/** Where the report of a day stands: read from a finished run, or still being prepared. */
export type Prepared =
  | {
      state: 'ready';
      run: RunRow;
      /** Officials re-evaluated (a record or status changed) since the run began. */
      changedSince: number;
    }
  | { state: 'preparing'; run: RunRow };

// Runs started by this process, so tests (and a shutdown) can wait for them.
const inFlight = new Map<string, Promise<unknown>>();

/** Resolves once every report run this process started has stopped. */
export async function reportRunsSettled(): Promise<void> {
  await Promise.allSettled([...inFlight.values()]);
}

async function runOf(db: Db, programId: string, asOf: string): Promise<RunRow | undefined> {
  return db
    .selectFrom('report_run')
    .select(['id', 'program_id', 'as_of', 'started_at', 'finished_at', 'failed', 'total', 'done', 'after_person'])
    .where('program_id', '=', programId)
    .where('as_of', '=', asOf)
    .executeTakeFirst();
}

/** Officials of the program re-evaluated since the run began (the status cache's `computed_at`). */
async function changedSince(db: Db, run: RunRow): Promise<number> {
  const r = await db
    .selectFrom('certification_status')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('program_id', '=', run.program_id)
    .where('computed_at', '>', run.started_at)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The report of a day other than today, for a program: the finished run when there is one, else a
 * run is started (done within the request for a small program). `again` replaces the day's run
 * with a new one. A failed run is started again.
 */
export async function prepareReport(
  ctx: Ctx,
  programId: string,
  asOf: string,
  opts: {
    again?: boolean;
    /** Runs of at most this many officials are done within the call (tests: 0, always in the background). */
    inlineUpTo?: number;
    batchSize?: number;
  } = {},
): Promise<Prepared> {
  const inlineUpTo = opts.inlineUpTo ?? RUN_BATCH;
  const batch = opts.batchSize ?? RUN_BATCH;
  const run = await runOf(ctx.db, programId, asOf);
  if (run && !opts.again) {
    if (run.finished_at) {
      const changed = await changedSince(ctx.db, run);
      // A large program's run is kept until asked again; a small one's is prepared again at once.
      if (changed === 0 || run.total > inlineUpTo) return { state: 'ready', run, changedSince: changed };
    } else if (!run.failed) {
      // Unfinished: carried on here if no worker of this process has it (after a restart).
      if (!inFlight.has(run.id)) inBackground(ctx, run.id, batch);
      return { state: 'preparing', run };
    }
  }
  const id = await startRun(ctx, programId, asOf, run?.id ?? null);
  const started = await runOf(ctx.db, programId, asOf);
  if (!started || started.id !== id) throw new DomainError('conflict', 'The report was prepared again meanwhile; ask again.');
  if (started.finished_at) return { state: 'ready', run: started, changedSince: 0 };
  if (started.total > inlineUpTo) {
    if (!inFlight.has(id)) inBackground(ctx, id, batch);
    return { state: 'preparing', run: started };
  }
  await runReport(ctx, id, batch);
  const done = await runOf(ctx.db, programId, asOf);
  if (!done) throw new DomainError('conflict', 'The report was prepared again meanwhile; ask again.');
  // Another request may hold the run's batch (two asked at once): the page asks again shortly.
  return done.finished_at ? { state: 'ready', run: done, changedSince: 0 } : { state: 'preparing', run: done };
}

/**
 * Commits a new run of the day and returns its id. `replace` is the run the caller saw (or null):
 * when the day's run is no longer that one, another request has just started one, and that one
 * is returned instead of being replaced, so requests at once make one run.
 */
async function startRun(ctx: Ctx, programId: string, asOf: string, replace: string | null): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    // One start at a time per program.
    const p = await tx.selectFrom('program').select('id').where('id', '=', programId).forUpdate().executeTakeFirst();
    if (!p) throw new DomainError('not_found', 'There is no program with this id.');
    const current = await runOf(tx, programId, asOf);
    if (current && current.id !== replace) return current.id;
    if (current) await tx.deleteFrom('report_run').where('id', '=', current.id).execute();
    const old = await tx
      .selectFrom('report_run')
      .select('id')
      .where('program_id', '=', programId)
      .orderBy('started_at', 'desc')
      .offset(KEEP_RUNS - 1)
      .limit(1000)
      .execute();
    if (old.length > 0)
      await tx
        .deleteFrom('report_run')
        .where('id', '=', sql<string>`any(${old.map((r) => r.id)}::uuid[])`)
        .execute();
    const { n } = (
      await sql<{ n: number }>`
        select count(*)::int as n from report_official where program_id = ${programId} and official_from <= ${asOf}::date`.execute(
        tx,
      )
    ).rows[0]!;
    const row = await tx
      .insertInto('report_run')
      .values({
        program_id: programId,
        as_of: asOf,
        requested_by: ctx.actor?.userId ?? null,
        started_at: ctx.now().toISOString(),
        total: n,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

function inBackground(deps: Deps, runId: string, batchSize: number): void {
  const run = runReport(deps, runId, batchSize).catch(async (e: unknown) => {
    await deps.db
      .updateTable('report_run')
      .set({ failed: e instanceof Error ? e.message.slice(0, 500) : 'The preparation stopped.' })
      .where('id', '=', runId)
      .execute()
      .catch(() => undefined);
  });
  inFlight.set(runId, run);
  void run.finally(() => inFlight.delete(runId));
}

/** Runs a report run to its end, batch by batch. Returns the officials evaluated. */
export async function runReport(deps: Deps, runId: string, batchSize: number = RUN_BATCH): Promise<number> {
  let evaluated = 0;
  for (;;) {
    const n = await runBatch(deps, runId, batchSize);
    if (n === 0) return evaluated;
    evaluated += n;
  }
}

/** The scheduled job's part: carries on every run left unfinished (by a restart). */
export async function resumeReportRuns(deps: Deps): Promise<number> {
  const open = await deps.db
    .selectFrom('report_run')
    .select('id')
    .where('finished_at', 'is', null)
    .where('failed', 'is', null)
    .execute();
  let evaluated = 0;
  for (const r of open) if (!inFlight.has(r.id)) evaluated += await runReport(deps, r.id);
  return evaluated;
}

/** One batch in one transaction; 0 when the run is over, gone, or another worker holds it. */
async function runBatch(deps: Deps, runId: string, size: number): Promise<number> {
  return deps.db.transaction().execute(async (tx) => {
    const run = await tx
      .selectFrom('report_run as r')
      .innerJoin('program as p', 'p.id', 'r.program_id')
      .select(['r.program_id', 'r.as_of', 'r.after_person', 'p.time_zone'])
      .where('r.id', '=', runId)
      .where('r.finished_at', 'is', null)
      .where('r.failed', 'is', null)
      .forUpdate('r')
      .skipLocked()
      .executeTakeFirst();
    if (!run) return 0;
    // The next officials by person id, as report_official has them (who, since when, where).
    const officials = (
      await sql<{
        person_id: string;
        official_from: string;
        cohorts: string[];
        last_name: string;
        first_name: string;
        jurisdiction_fips: string | null;
      }>`
        select person_id, official_from::text as official_from, cohorts, last_name, first_name, jurisdiction_fips
          from report_official
         where program_id = ${run.program_id} and official_from <= ${run.as_of}::date
           and (${run.after_person}::uuid is null or person_id > ${run.after_person}::uuid)
         order by person_id
         limit ${size}`.execute(tx)
    ).rows;
    if (officials.length === 0) {
      await tx.updateTable('report_run').set({ finished_at: deps.now().toISOString() }).where('id', '=', runId).execute();
      return 0;
    }
    const ids = officials.map((o) => o.person_id);
    // As the evaluated path of the reports does: as of the day, nothing upcoming counted.
    const evaluated = await evaluatePeople(tx, run.program_id, ids, new Date(0), run.as_of, { zone: run.time_zone });
    const result = new Map(evaluated.map((e) => [e.personId, e.result]));
    const rows = officials.map((o) => {
      const r = result.get(o.person_id);
      return {
        run_id: runId,
        ...o,
        status: r?.status ?? 'not_started',
        report_facts: JSON.stringify(
          r
            ? reportFactsOf(r)
            : { awarded: false, initial: { have: 0, need: 0, metOn: null }, deadlines: [], renewal: null, openCycleDue: null },
        ),
      };
    });
    await tx.insertInto('report_run_official').values(rows).onConflict((oc) => oc.doNothing()).execute();
    await tx
      .updateTable('report_run')
      .set({ done: sql`done + ${ids.length}`, after_person: ids[ids.length - 1]! })
      .where('id', '=', runId)
      .execute();
    return ids.length;
  });
}
