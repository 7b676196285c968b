/**
 * Staff reopen a closed renewal cycle, with a reason: the stored outcome stays
 * as history (with the reopening beside it), the reopening is audited, and the
 * person is re-evaluated at once, so the cycle is recomputed from the ledger
 * and, being past its windows, closed again with the new outcome.
 */
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { readPersonToRun } from '../people/people.service.js';
import { onCertificationFactsChanged } from './evaluation.js';

export async function reopenCycle(
  ctx: Ctx,
  cycleId: string,
  reason: string,
): Promise<{ cycleId: string; reopenedAt: string; status: string }> {
  const of = await ctx.db
    .selectFrom('renewal_cycle')
    .select('person_id')
    .where('id', '=', cycleId)
    .executeTakeFirst();
  if (!of) throw new DomainError('not_found', 'There is no renewal cycle with this id.');
  // Staff reopen only the cycles of the people they coordinate (a coordinator limited to counties or programs).
  await readPersonToRun(ctx, of.person_id);
  return ctx.db.transaction().execute(async (tx) => {
    const cycle = await tx
      .selectFrom('renewal_cycle')
      .select(['id', 'person_id', 'program_id', 'starts_on'])
      .where('id', '=', cycleId)
      .forUpdate()
      .executeTakeFirst();
    if (!cycle) throw new DomainError('not_found', 'There is no renewal cycle with this id.');
    const outcome = await tx
      .selectFrom('renewal_cycle_outcome as o')
      .innerJoin('renewal_cycle as c', 'c.id', 'o.cycle_id')
      .leftJoin('renewal_cycle_reopening as r', 'r.outcome_id', 'o.id')
      .select(['o.id', 'o.state', 'o.completed_on', 'o.record_ids'])
      .where('c.person_id', '=', cycle.person_id)
      .where('c.program_id', '=', cycle.program_id)
      .where('c.starts_on', '=', cycle.starts_on)
      .where('r.id', 'is', null)
      .orderBy('o.created_at', 'desc')
      .executeTakeFirst();
    if (!outcome)
      throw new DomainError('conflict', 'This renewal cycle has not closed, so there is nothing to reopen.');
    const reopenedAt = ctx.now().toISOString();
    await tx
      .insertInto('renewal_cycle_reopening')
      .values({
        outcome_id: outcome.id,
        reason,
        reopened_by: ctx.actor?.userId ?? null,
        reopened_at: reopenedAt,
      })
      .execute();
    await recordAudit(tx, ctx, {
      action: 'certification.cycle.reopen',
      entityType: 'person',
      entityId: cycle.person_id,
      before: {
        programId: cycle.program_id,
        cycleStart: cycle.starts_on,
        state: outcome.state,
        completedOn: outcome.completed_on,
        recordIds: outcome.record_ids,
      },
      after: { reopened: true, reason },
    });
    await onCertificationFactsChanged(tx, ctx, cycle.person_id, cycle.program_id);
    const status = await tx
      .selectFrom('certification_status')
      .select('status')
      .where('person_id', '=', cycle.person_id)
      .where('program_id', '=', cycle.program_id)
      .executeTakeFirstOrThrow();
    return { cycleId, reopenedAt, status: status.status };
  });
}
