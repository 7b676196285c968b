/**
 * Who must have their certification status evaluated again (issue 14, section 2).
 *
 * Status depends on a person's facts and on the day in the program's zone. Writers of facts
 * recompute at once (certification/evaluation.ts, `onCertificationFactsChanged`); what changes
 * many people at once, or is not worth an evaluation inside its own request (new rules, a bulk
 * import, a seat booked or given up), queues them here instead, and the sweep
 * (`runCertificationSweep`) takes the queue in batches every minute. The sweep also queues the
 * people whose next date-driven transition (certification_status.next_transition_on) has come;
 * otherwise, with nothing queued, it does no evaluation at all.
 *
 * A module of its own, below programs, sessions and certification, so each can queue without
 * importing the others.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.js';

export type DueReason =
  | 'new day'
  | 'rules changed'
  | 'requested'
  | 'enrollment'
  | 'import'
  | 'restore'
  | 'seat'
  | 'session started'
  | 'transition';

/**
 * Queues people of one program: the given ids, or everyone enrolled (active) or awarded in it.
 * Queuing everyone also starts a whole-program run, whose progress `statusRunOf` reports.
 * Returns how many were newly queued (people queued already keep their place).
 */
export async function queueStatus(
  db: Db,
  programId: string,
  who: readonly string[] | 'everyone',
  reason: DueReason,
  now: Date,
): Promise<number> {
  if (who === 'everyone') {
    const r = await sql`
      insert into status_due (program_id, person_id, reason)
      select ${programId}::uuid, person_id, ${reason} from enrollment where program_id = ${programId} and status = 'active'
      union
      select ${programId}::uuid, person_id, ${reason} from award where program_id = ${programId}
      on conflict do nothing
    `.execute(db);
    const waiting = await countDue(db, programId);
    await db
      .insertInto('status_day')
      .values({
        program_id: programId,
        run_reason: reason,
        run_total: waiting,
        run_started_at: now.toISOString(),
      })
      .onConflict((oc) =>
        oc.column('program_id').doUpdateSet({
          run_reason: reason,
          run_total: waiting,
          run_started_at: now.toISOString(),
        }),
      )
      .execute();
    return Number(r.numAffectedRows ?? 0);
  }
  if (who.length === 0) return 0;
  const r = await sql`
    insert into status_due (program_id, person_id, reason)
    select ${programId}::uuid, id, ${reason} from unnest(${[...who]}::uuid[]) as t(id)
    on conflict do nothing
  `.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Reasons whose recompute is quiet: a spreadsheet import brings in history, so the notices it
 * would trigger (eligible, reminders, lapsed) are recorded as given, not e-mailed. The sweep
 * recomputes people queued for such a reason with `notify: false`.
 */
export const QUIET_REASONS: readonly DueReason[] = ['import'];

/**
 * Queues, set-based, the pairs a query selects (columns `program_id` and `person_id`, duplicates
 * allowed): for a bulk write such as an import, whose people are in a table rather than in memory.
 * A quiet reason takes the place of the reason of people queued already.
 */
export async function queueStatusFrom(
  db: Db,
  pairs: RawBuilder<unknown>,
  reason: DueReason,
): Promise<number> {
  const r = await sql`
    insert into status_due (program_id, person_id, reason)
    select distinct p.program_id, p.person_id, ${reason} from (${pairs}) as p
    on conflict (program_id, person_id) do ${
      QUIET_REASONS.includes(reason) ? sql`update set reason = excluded.reason` : sql`nothing`
    }
  `.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

async function countDue(db: Db, programId: string): Promise<number> {
  const row = await db
    .selectFrom('status_due')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('program_id', '=', programId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface StatusRun {
  /** People still waiting to be evaluated in this program. */
  waiting: number;
  /** The latest whole-program run: why, how many it queued, when. Null before the first. */
  reason: DueReason | null;
  total: number;
  startedAt: string | null;
}

/** Progress of re-evaluation in one program (e.g. after new rules are published). */
export async function statusRunOf(db: Db, programId: string): Promise<StatusRun> {
  const [day, waiting] = await Promise.all([
    db
      .selectFrom('status_day')
      .select(['run_reason', 'run_total', 'run_started_at'])
      .where('program_id', '=', programId)
      .executeTakeFirst(),
    countDue(db, programId),
  ]);
  return {
    waiting,
    reason: (day?.run_reason as DueReason | null | undefined) ?? null,
    total: day?.run_total ?? 0,
    startedAt: day?.run_started_at ?? null,
  };
}
