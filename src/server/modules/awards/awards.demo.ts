/**
 * Demo awards: a few CPO designations whose dates follow the clock, so the demo
 * always shows one active, one with its renewal coming due and one lapsed, plus
 * a Kansas certificate awarded at a recognition ceremony. Idempotent (app_meta
 * "demo.awards.loaded").
 */
import { sql } from 'kysely';
import { cycleDates, firstCycle } from '../../../domain/lifecycle/index.js';
import { addDays, addYears, yearOf, todayIn } from '../../../domain/time/index.js';
import type { Ctx, Deps } from '../../context.js';
import { displayName } from '../auth/auth.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { onCertificationFactsChanged } from '../certification/evaluation.js';

export async function loadDemoAwards(deps: Deps): Promise<{ loaded: boolean; awards: number }> {
  const ctx: Ctx = { ...deps, actor: null, actorLabel: 'demo loader', requestId: null, ip: '127.0.0.1' };
  return deps.db.transaction().execute(async (tx) => {
    const claimed = await tx
      .insertInto('app_meta')
      .values({ key: 'demo.awards.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return { loaded: false, awards: 0 };
    const programs = await tx.selectFrom('program').select(['id', 'code']).execute();
    const cpo = programs.find((p) => p.code === 'igo-cpo');
    const ks = programs.find((p) => p.code === 'ks-county-election-official');
    if (!cpo || !ks) return { loaded: true, awards: 0 };
    const people = await tx
      .selectFrom('person as p')
      .leftJoin('award as a', 'a.person_id', 'p.id')
      .select(['p.id', 'p.first_name', 'p.last_name', 'p.preferred_name'])
      .where('a.id', 'is', null)
      .where('p.jurisdiction_fips', 'is not', null)
      .orderBy('p.last_name')
      .orderBy('p.id')
      .offset(150)
      .limit(4)
      .execute();
    const cpoDef = (await definitionFor(tx, cpo.id))!;
    const ksDef = (await definitionFor(tx, ks.id))!;
    const today = todayIn(cpoDef.timeZone, deps.now());
    const plan = [
      // Active: awarded about seven months ago.
      { program: cpo, def: cpoDef, on: addDays(today, -200) },
      // Renewal due in about a month (three-year cycles).
      { program: cpo, def: cpoDef, on: addDays(addYears(today, -3), 30) },
      // Lapsed: due four months ago, past the 90 days of grace.
      { program: cpo, def: cpoDef, on: addDays(addYears(today, -3), -120) },
      // A Kansas certificate from this spring's recognition ceremony.
      {
        program: ks,
        def: ksDef,
        on: `${yearOf(today)}-03-12` <= today ? `${yearOf(today)}-03-12` : `${yearOf(today) - 1}-03-12`,
      },
    ];
    let n = 0;
    for (const [i, p] of people.entries()) {
      const item = plan[i];
      if (!item) break;
      const seq = await sql<{ n: string }>`select nextval('award_certificate_seq') as n`.execute(tx);
      const prefix = item.program.code === 'igo-cpo' ? 'IGO' : 'KS';
      const number = `${prefix}-${yearOf(item.on)}-${String(seq.rows[0]!.n).padStart(6, '0')}`;
      await tx
        .insertInto('award')
        .values({
          program_id: item.program.id,
          person_id: p.id,
          awarded_on: item.on,
          number,
          certificate_number: number,
          revoked_on: null,
          revoked_reason: null,
          program_version: item.def.version,
          designation: item.def.designation,
          event_id: null,
          name_on_certificate: displayName(p),
          issued_on: item.on,
          expires_on: item.def.renewal
            ? cycleDates(item.def.renewal, firstCycle(item.def.renewal, item.on)).due
            : null,
          supersedes_id: null,
          reason: null,
          issued_by: null,
        })
        .execute();
      await onCertificationFactsChanged(tx, ctx, p.id, item.program.id);
      n++;
    }
    return { loaded: true, awards: n };
  });
}
