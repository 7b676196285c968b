/**
 * Demo person facts (issue 13, section 4), loaded once (app_meta key) after
 * the other demo data: Dana Kessler's taking-office date as Douglas County
 * Clerk, and for a Kansas deputy clerk who moved from Missouri a waiver of
 * Year One (she completed Missouri's equivalent course) recorded by the demo
 * coordinator. Statuses are recomputed quietly, like an import of history.
 */
import type { Deps } from '../../context.js';
import { systemCtx } from '../../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { evaluatePeople, recompute } from './evaluation.js';

export async function loadDemoFacts(deps: Deps): Promise<{ loaded: boolean; facts: number }> {
  const ctx = systemCtx(deps, 'demo loader');
  return deps.db.transaction().execute(async (tx) => {
    const ks = await tx
      .selectFrom('program')
      .select('id')
      .where('code', '=', 'ks-county-election-official')
      .executeTakeFirst();
    const coordinator = await tx
      .selectFrom('person as p')
      .innerJoin('user_account as u', 'u.person_id', 'p.id')
      .select('u.id')
      .where('p.external_id', '=', 'demo-staff-coordinator')
      .executeTakeFirst();
    const enrolled = (externalId: string) =>
      ks
        ? tx
            .selectFrom('person as p')
            .innerJoin('enrollment as e', 'e.person_id', 'p.id')
            .select('p.id')
            .where('e.program_id', '=', ks.id)
            .where('p.external_id', '=', externalId)
            .executeTakeFirst()
        : undefined;
    const dana = await enrolled('demo-official');
    // A deputy clerk enrolled in the Kansas program (the first by external id, stable across runs).
    const deputy = ks
      ? await tx
          .selectFrom('person as p')
          .innerJoin('enrollment as e', 'e.person_id', 'p.id')
          .select('p.id')
          .where('e.program_id', '=', ks.id)
          .where('e.status', '=', 'active')
          .where('p.title', '=', 'Deputy County Clerk')
          .orderBy('p.external_id')
          .limit(1)
          .executeTakeFirst()
      : undefined;
    if (!ks || !coordinator || !dana) return { loaded: false, facts: 0 };
    const first = await tx
      .insertInto('app_meta')
      .values({ key: 'demo.facts.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!first) return { loaded: false, facts: 0 };
    const at = new Date(deps.now().getTime() - 30 * 86_400_000).toISOString();
    const facts = [
      {
        person_id: dana.id,
        kind: 'date' as const,
        key: 'appointment',
        date: '2021-01-11',
        reason: 'Took office as Douglas County Clerk; oath of office filed January 11, 2021.',
      },
      ...(deputy
        ? [
            {
              person_id: deputy.id,
              kind: 'waiver' as const,
              key: 'year-one',
              date: '2026-10-05',
              reason:
                'Completed Missouri’s equivalent Year One curriculum in 2022 before moving to Kansas; transcript on file.',
            },
          ]
        : []),
    ];
    for (const f of facts) {
      const row = await tx
        .insertInto('person_fact')
        .values({ ...f, program_id: ks.id, recorded_by: coordinator.id, recorded_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(tx, ctx, {
        action: 'person.fact.record',
        entityType: 'person',
        entityId: f.person_id,
        after: { factId: row.id, programId: ks.id, kind: f.kind, key: f.key, date: f.date, reason: f.reason },
      });
    }
    for (const ev of await evaluatePeople(
      tx,
      ks.id,
      facts.map((f) => f.person_id),
      deps.now(),
    ))
      await recompute(tx, ctx, ev, { notify: false });
    return { loaded: true, facts: facts.length };
  });
}
