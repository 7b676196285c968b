/**
 * Closed renewal cycles (issue 13, "closed cycles stay closed"): the stored
 * outcomes loaded for the engine (`closedCycles`, `reopenedCycles`), the
 * outcomes stored when the engine says a cycle closed, and the flags stored
 * when the ledger no longer agrees with a stored outcome. Outcome and
 * reopening rows are immutable (migration 0011); a reopening makes the next
 * evaluation recompute the cycle and store a new outcome.
 */
import type { ClosedCycle, CycleResult } from '../../../domain/requirements/index.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { anyId } from './queries.js';
import { prepared } from '../../db/prepared.js';
import { recordAudit } from '../audit/audit.service.js';

/** A person's stored outcomes in one program, by cycle start, as the engine reads them. */
export interface StoredCycles {
  closedCycles: ClosedCycle[];
  reopenedCycles: string[];
  /** The open (not reopened) outcome row of each closed cycle start, for flags and reopening. */
  outcomeIds: Map<string, string>;
}

const none = (): StoredCycles => ({ closedCycles: [], reopenedCycles: [], outcomeIds: new Map() });

/** Every stored outcome of these people's cycles in the program, oldest first, with its reopening. */
const storedOutcomesOf = prepared((db, programId: string, personIds: readonly string[]) =>
  db
    .selectFrom('renewal_cycle_outcome as o')
    .innerJoin('renewal_cycle as c', 'c.id', 'o.cycle_id')
    .leftJoin('renewal_cycle_reopening as r', 'r.outcome_id', 'o.id')
    .select([
      'o.id',
      'o.state',
      'o.completed_on',
      'o.record_ids',
      'c.person_id',
      'c.starts_on',
      'r.id as reopening_id',
    ])
    .where('c.program_id', '=', programId)
    .where('c.person_id', '=', anyId(personIds))
    .orderBy('o.created_at')
    .orderBy('o.id'),
);

/**
 * Stored outcomes of the given people in one program. Cycles are matched by
 * their start date (an award re-issued on the same date keeps its history);
 * the latest outcome of a start decides: not reopened, it is the cycle's
 * outcome; reopened, the cycle is recomputed until it closes again.
 */
export async function loadStoredCycles(
  db: Db,
  programId: string,
  personIds: readonly string[],
): Promise<Map<string, StoredCycles>> {
  const out = new Map<string, StoredCycles>();
  if (personIds.length === 0) return out;
  const rows = await storedOutcomesOf(db, programId, personIds);
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) latest.set(`${r.person_id}|${r.starts_on}`, r);
  for (const r of latest.values()) {
    const mine = out.get(r.person_id) ?? none();
    out.set(r.person_id, mine);
    if (r.reopening_id) {
      mine.reopenedCycles.push(r.starts_on);
      continue;
    }
    mine.closedCycles.push({
      cycleStart: r.starts_on,
      outcome: r.state,
      ...(r.completed_on ? { completedOn: r.completed_on } : {}),
      recordIds: r.record_ids,
    });
    mine.outcomeIds.set(r.starts_on, r.id);
  }
  return out;
}

export function storedCyclesOf(all: Map<string, StoredCycles>, personId: string): StoredCycles {
  return all.get(personId) ?? none();
}

const FINAL = new Set(['renewed', 'reinstated', 'expired']);

/**
 * After `cycleId` (the renewal_cycle row of `c`) is written and locked by the
 * caller: stores the outcome of a cycle that has just closed (once), or the
 * flag of a stored one whose ledger view differs (once per distinct finding,
 * audited).
 */
export async function storeCycleOutcome(
  tx: Db,
  ctx: Ctx,
  who: { personId: string; programId: string; programCode: string },
  cycleId: string,
  c: CycleResult,
  stored: StoredCycles,
): Promise<void> {
  if (c.closed && !c.stored && FINAL.has(c.state)) {
    // Another transaction may have closed it since this evaluation was loaded (the cycle row is locked now).
    const open = await tx
      .selectFrom('renewal_cycle_outcome as o')
      .innerJoin('renewal_cycle as rc', 'rc.id', 'o.cycle_id')
      .leftJoin('renewal_cycle_reopening as r', 'r.outcome_id', 'o.id')
      .select('o.id')
      .where('rc.person_id', '=', who.personId)
      .where('rc.program_id', '=', who.programId)
      .where('rc.starts_on', '=', c.start)
      .where('r.id', 'is', null)
      .executeTakeFirst();
    if (!open)
      await tx
        .insertInto('renewal_cycle_outcome')
        .values({
          cycle_id: cycleId,
          state: c.state as 'renewed' | 'reinstated' | 'expired',
          completed_on: c.completedOn ?? null,
          record_ids: c.recordIds ?? [],
          closed_at: ctx.now().toISOString(),
        })
        .execute();
    return;
  }
  const outcomeId = stored.outcomeIds.get(c.start);
  if (!c.stored || !c.lateCorrection || !outcomeId) return;
  const lc = c.lateCorrection;
  const flag = await tx
    .insertInto('renewal_cycle_flag')
    .values({
      outcome_id: outcomeId,
      ledger_state: lc.ledgerState,
      ledger_completed_on: lc.ledgerCompletedOn ?? null,
      withdrawn_record_ids: lc.withdrawnRecordIds,
      detail: lc.detail,
      flagged_at: ctx.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['outcome_id', 'detail']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (flag)
    await recordAudit(tx, ctx, {
      action: 'certification.cycle.flag',
      entityType: 'person',
      entityId: who.personId,
      before: { program: who.programCode, cycleStart: c.start, state: c.state },
      after: { ledgerState: lc.ledgerState, withdrawn: lc.withdrawnRecordIds, detail: lc.detail },
    });
}
