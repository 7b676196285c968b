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
 *   stopped (the scheduled certification job calls `resumeReportRuns`). A process works on one
 *   run at a time, and lets requests through between batches.
 * - A program whose officials fit in `INLINE_UP_TO` is prepared within the request (it costs what
 *   one evaluation of them did before), so small programs rarely see "preparing".
 * - A run is a snapshot: it keeps the database snapshot it began with, and every change to an
 *   official's records, enrollment, awards or rules stamps its transaction on the cached status
 *   (`inputs_xid`), so the officials changed since are counted (`changedSince`) and shown with the
 *   report. A small program's run is then prepared again at once; a large one's when someone asks
 *   (`prepareReport` with `again`), and its readers keep the finished run until the new one is
 *   done (`next`: its progress).
 * - Runs are never deleted under a reader: a finished run supersedes the older runs of its day,
 *   and superseded runs are deleted `GRACE_MINUTES` later. A program keeps its last `KEEP_DAYS`
 *   days.
 * - A failed run is not started again by reading: the pages say it failed, and "Prepare again"
 *   starts a new one.
 */
import { sql, type Selectable } from 'kysely';
import type { Ctx, Deps } from '../../context.js';
import type { Db } from '../../db/database.js';
import type { ReportRunTable } from '../../db/schema.js';
import { DomainError } from '../../../domain/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { evaluatePeople } from '../certification/evaluation.js';
import { reportFactsOf } from '../certification/report-facts.js';

/** Officials evaluated per transaction of a run (about 0.2 s of the event loop each). */
export const RUN_BATCH = 200;
/** Programs with at most this many officials are prepared within the request. */
export const INLINE_UP_TO = 1000;
/** Days a program keeps prepared; asking for another retires the oldest. */
export const KEEP_DAYS = 10;
/** How long a superseded run stays for the readers that were already reading it. */
const GRACE_MINUTES = 10;

/** Where the report of a day stands. */
export type Prepared =
  | {
      state: 'ready';
      run: RunRow;
      /** Officials whose records, enrollment, awards or rules changed since the run began. */
      changedSince: number;
      /** A newer run of the day being prepared meanwhile. */
      next?: RunRow;
    }
  | { state: 'preparing'; run: RunRow }
  | { state: 'failed'; run: RunRow };

// Runs this process works on, one at a time (a queue), so tests and a shutdown can wait for them.
const inFlight = new Map<string, Promise<unknown>>();
let queueTail: Promise<unknown> = Promise.resolve();

/** Resolves once every report run this process started has stopped. */
export async function reportRunsSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
}

const RUN_COLUMNS = [
  'id',
  'program_id',
  'as_of',
  'started_at',
  'finished_at',
  'failed',
  'total',
  'done',
  'snapshot',
] as const;

/** What the service reads of a run. */
export type RunRow = Pick<Selectable<ReportRunTable>, (typeof RUN_COLUMNS)[number]>;

/** Deletes the runs superseded more than `GRACE_MINUTES` ago (their readers are done). */
async function deleteSuperseded(db: Db): Promise<void> {
  await sql`delete from report_run where superseded_at < now() - make_interval(mins => ${GRACE_MINUTES})`.execute(db);
}

/** The day's runs that are not superseded, newest first. */
async function runsOf(db: Db, programId: string, asOf: string): Promise<RunRow[]> {
  return db
    .selectFrom('report_run')
    .select([...RUN_COLUMNS])
    .where('program_id', '=', programId)
    .where('as_of', '=', asOf)
    .where('superseded_at', 'is', null)
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .execute();
}

async function runById(db: Db, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('report_run').select([...RUN_COLUMNS]).where('id', '=', id).executeTakeFirst();
}

/** Officials of the run's program whose inputs changed in transactions its snapshot does not see. */
async function changedSince(db: Db, run: RunRow): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from certification_status
     where program_id = ${run.program_id}
       and inputs_xid >= pg_snapshot_xmin(${run.snapshot}::pg_snapshot)
       and not pg_visible_in_snapshot(inputs_xid, ${run.snapshot}::pg_snapshot)`.execute(db);
  return r.rows[0]!.n;
}

/**
 * The report of a day other than today, for a program: the day's finished run when there is one,
 * else a run is started (done within the call for a small program). `again` starts a new run of
 * the day (unless one is being prepared already); readers keep the finished one until it is done.
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
  const inlineUpTo = opts.inlineUpTo ?? INLINE_UP_TO;
  const batch = opts.batchSize ?? RUN_BATCH;
  const runs = await runsOf(ctx.db, programId, asOf);
  const finished = runs.find((r) => r.finished_at);
  const newest = runs[0];
  const pending = newest && !newest.finished_at && !newest.failed ? newest : undefined;
  if (pending && !inFlight.has(pending.id)) inBackground(ctx, pending.id, batch); // after a restart
  const ready = async (run: RunRow, next?: RunRow): Promise<Prepared> => ({
    state: 'ready',
    run,
    changedSince: await changedSince(ctx.db, run),
    ...(next ? { next } : {}),
  });
  if (pending) return finished ? ready(finished, pending) : { state: 'preparing', run: pending };
  if (!opts.again) {
    if (newest?.failed && newest !== finished) {
      if (!finished) return { state: 'failed', run: newest };
      return ready(finished); // The newer attempt failed; the finished run is still there.
    }
    if (finished) {
      const r = await ready(finished);
      // A large program's run is kept until asked again; a small one's is prepared again at once.
      if ((r.state === 'ready' && r.changedSince === 0) || finished.total > inlineUpTo) return r;
    }
  }
  const { id, created } = await startRun(ctx, programId, asOf, newest?.id ?? null);
  if (opts.again)
    await recordAudit(ctx.db, ctx, {
      action: 'report.prepare',
      entityType: 'program',
      entityId: programId,
      after: { asOf },
    });
  const started = (await runById(ctx.db, id))!;
  if (started.finished_at) return ready(started);
  // Another request started it (it prepares it), or it is large: the background worker has it.
  if (!created || started.total > inlineUpTo) {
    if (!inFlight.has(id)) inBackground(ctx, id, batch);
    return finished ? ready(finished, started) : { state: 'preparing', run: started };
  }
  try {
    await runReport(ctx, id, batch);
  } catch (e) {
    await markFailed(ctx, id, e);
    throw new DomainError('conflict', `Preparing the report as of ${asOf} failed: ${messageOf(e)}`);
  }
  const done = (await runById(ctx.db, id))!;
  // Another request may hold the run's batch (two asked at once): the page asks again shortly.
  if (done.finished_at) return ready(done);
  return finished ? ready(finished, done) : { state: 'preparing', run: done };
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message.slice(0, 500) : 'The preparation stopped.');

async function markFailed(deps: Deps, runId: string, e: unknown): Promise<void> {
  await deps.db
    .updateTable('report_run')
    .set({ failed: messageOf(e) })
    .where('id', '=', runId)
    .execute()
    .catch(() => undefined);
}

/**
 * Commits a new run of the day and returns its id. `seen` is the newest run the caller saw (or
 * null): when the day has a newer one by now, another request has just started it, and that one
 * is returned instead, so requests at once make one run. Retires the program's oldest days past
 * `KEEP_DAYS` and deletes runs superseded more than `GRACE_MINUTES` ago.
 */
async function startRun(
  ctx: Ctx,
  programId: string,
  asOf: string,
  seen: string | null,
): Promise<{ id: string; created: boolean }> {
  const out = await ctx.db.transaction().execute(async (tx) => {
    // One start at a time per program (an advisory lock: the program's row stays free for writers).
    await sql`select pg_advisory_xact_lock(hashtextextended(${`report_run:${programId}`}, 0))`.execute(tx);
    const p = await tx.selectFrom('program').select('id').where('id', '=', programId).executeTakeFirst();
    if (!p) throw new DomainError('not_found', 'There is no program with this id.');
    const newest = (await runsOf(tx, programId, asOf))[0];
    if (newest && newest.id !== seen && !newest.failed && !newest.finished_at) return { id: newest.id, created: false };
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
        snapshot: sql<string>`pg_current_snapshot()`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The program's days beyond the last KEEP_DAYS asked for are retired (their readers finish first).
    await sql`
      update report_run set superseded_at = now()
       where program_id = ${programId} and superseded_at is null
         and as_of not in (select as_of from report_run where program_id = ${programId} and superseded_at is null
                            group by as_of order by max(started_at) desc limit ${KEEP_DAYS})`.execute(tx);
    return { id: row.id, created: true };
  });
  await deleteSuperseded(ctx.db);
  return out;
}

/** Queues the run on this process's one worker; a failure is stored on the run. */
function inBackground(deps: Deps, runId: string, batchSize: number): void {
  if (inFlight.has(runId)) return;
  const run = queueTail.then(() => runReport(deps, runId, batchSize)).catch((e: unknown) => markFailed(deps, runId, e));
  queueTail = run;
  inFlight.set(runId, run);
  void run.finally(() => inFlight.delete(runId));
}

/** Runs a report run to its end, batch by batch, letting other work through between batches. */
export async function runReport(deps: Deps, runId: string, batchSize: number = RUN_BATCH): Promise<number> {
  let evaluated = 0;
  for (;;) {
    const n = await runBatch(deps, runId, batchSize);
    if (n === 0) return evaluated;
    evaluated += n;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The scheduled job's part: queues every run left unfinished (by a restart) on this process's
 * worker, without waiting for them (the sweep goes on). Returns how many were queued.
 */
export async function resumeReportRuns(deps: Deps): Promise<number> {
  const open = await deps.db
    .selectFrom('report_run')
    .select('id')
    .where('finished_at', 'is', null)
    .where('failed', 'is', null)
    .where('superseded_at', 'is', null)
    .execute();
  let queued = 0;
  for (const r of open)
    if (!inFlight.has(r.id)) {
      inBackground(deps, r.id, RUN_BATCH);
      queued++;
    }
  await deleteSuperseded(deps.db);
  return queued;
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
      .where('r.superseded_at', 'is', null)
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
      const mine = await tx
        .updateTable('report_run')
        .set({ finished_at: deps.now().toISOString() })
        .where('id', '=', runId)
        .returning(['started_at'])
        .executeTakeFirstOrThrow();
      // The day's older runs give way to this one; their readers have GRACE_MINUTES to finish.
      await tx
        .updateTable('report_run')
        .set({ superseded_at: sql`now()` })
        .where('program_id', '=', run.program_id)
        .where('as_of', '=', run.as_of)
        .where('id', '<>', runId)
        .where('started_at', '<=', mine.started_at)
        .where('superseded_at', 'is', null)
        .execute();
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
