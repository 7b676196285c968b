/**
 * The stored impact of a program's draft as the publish step and the draft editor see it (ADR
 * 0029): its state, the gate publishing goes through, and marking it stale when the draft is
 * saved again. Apart from certification/impact.service.ts (which runs the check through the
 * evaluation code, which imports programs.service.ts), so programs.service.ts uses it without an
 * import cycle.
 */
import { DomainError } from '../../../domain/errors.js';
import type { Db } from '../../db/database.js';

export type ImpactState = 'running' | 'finished' | 'failed' | 'stale';

/** The program's stored impact run, if it is of the current draft, with its state. */
export async function draftImpactRow(db: Db, programId: string) {
  const row = await db
    .selectFrom('draft_impact as i')
    .innerJoin('program_version as v', (j) =>
      j.onRef('v.id', '=', 'i.version_id').on('v.published', '=', false),
    )
    .selectAll('i')
    .select(['v.updated_at as draft_now_updated_at'])
    .where('i.program_id', '=', programId)
    .executeTakeFirst();
  if (!row) return null;
  const edited = new Date(row.draft_now_updated_at).getTime() > new Date(row.draft_updated_at).getTime();
  const state: ImpactState = row.failed
    ? 'failed'
    : row.stale_at || edited
      ? 'stale'
      : row.finished_at
        ? 'finished'
        : 'running';
  return { ...row, state };
}

/**
 * Publishing's gate: a program with rules in force publishes a draft only once the draft's impact
 * has been checked to the end since its last edit (409 naming why not). A program's first version
 * has nobody enrolled to affect, so it needs no check.
 */
export async function requireCurrentImpact(tx: Db, programId: string, draftVersion: string): Promise<void> {
  const inForce = await tx
    .selectFrom('program_version')
    .select('id')
    .where('program_id', '=', programId)
    .where('published', '=', true)
    .executeTakeFirst();
  if (!inForce) return;
  const impact = await draftImpactRow(tx, programId);
  if (!impact)
    throw new DomainError(
      'conflict',
      `The impact of draft ${draftVersion} has not been checked. Check the impact before publishing.`,
    );
  if (impact.state === 'running')
    throw new DomainError(
      'conflict',
      'The impact check of this draft is still running. Publish once it has finished.',
    );
  if (impact.state === 'failed')
    throw new DomainError('conflict', 'The impact check of this draft failed. Check the impact again.');
  if (impact.state === 'stale')
    throw new DomainError(
      'conflict',
      'The draft was changed after its impact was checked, so the impact is out of date. Check the impact again before publishing.',
    );
}

/** Saving the draft again makes its stored impact stale (and stops a run still going). */
export async function markImpactStale(tx: Db, programId: string, now: Date): Promise<void> {
  await tx
    .updateTable('draft_impact')
    .set({ stale_at: now.toISOString() })
    .where('program_id', '=', programId)
    .where('stale_at', 'is', null)
    .execute();
}
