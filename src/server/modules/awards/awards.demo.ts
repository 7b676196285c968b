/**
 * Demo awards: a few CPO designations whose dates follow the clock, so the demo
 * always shows one active, one with its renewal coming due and one lapsed, plus
 * three Kansas certificates awarded at this spring's recognition ceremony (an
 * event of kind "ceremony", dated), whose plaques are delivered, ordered and
 * still to order. Idempotent (app_meta "demo.awards.loaded").
 */
import { sql } from 'kysely';
import { cycleDates, firstCycle } from '../../../domain/lifecycle/index.js';
import { addDays, addYears, yearOf, todayIn } from '../../../domain/time/index.js';
import type { Ctx, Deps } from '../../context.js';
import { displayName } from '../auth/auth.service.js';
import { currentDesignId } from '../designs/designs.service.js';
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
    // From the 151st official on, or fewer when the directory is smaller, so all six are made.
    const candidates = await tx
      .selectFrom('person as p')
      .leftJoin('award as a', 'a.person_id', 'p.id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('a.id', 'is', null)
      .where('p.jurisdiction_fips', 'is not', null)
      .executeTakeFirstOrThrow();
    const people = await tx
      .selectFrom('person as p')
      .leftJoin('award as a', 'a.person_id', 'p.id')
      .select(['p.id', 'p.first_name', 'p.last_name', 'p.preferred_name'])
      .where('a.id', 'is', null)
      .where('p.jurisdiction_fips', 'is not', null)
      .orderBy('p.last_name')
      .orderBy('p.id')
      .offset(Math.max(0, Math.min(150, Number(candidates.n) - 6)))
      .limit(6)
      .execute();
    const cpoDef = (await definitionFor(tx, cpo.id))!;
    const ksDef = (await definitionFor(tx, ks.id))!;
    const today = todayIn(cpoDef.timeZone, deps.now());
    const springDay =
      `${yearOf(today)}-03-12` <= today ? `${yearOf(today)}-03-12` : `${yearOf(today) - 1}-03-12`;
    const ceremony = await tx
      .insertInto('event')
      .values({
        program_id: ks.id,
        title: `Year Three recognition ceremony, Spring ${yearOf(springDay)}, Topeka`,
        description: 'Certificates and plaques for the county election officials who completed Year Three.',
        kind: 'ceremony',
        held_on: springDay,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const plaques = ['delivered', 'ordered', null] as const;
    const plan = [
      // Active: awarded about seven months ago.
      { program: cpo, def: cpoDef, on: addDays(today, -200) },
      // Renewal due in about a month (three-year cycles).
      { program: cpo, def: cpoDef, on: addDays(addYears(today, -3), 30) },
      // Lapsed: due four months ago, past the 90 days of grace.
      { program: cpo, def: cpoDef, on: addDays(addYears(today, -3), -120) },
      // Kansas certificates from this spring's recognition ceremony.
      ...plaques.map((plaque) => ({ program: ks, def: ksDef, on: springDay, plaque })),
    ];
    let n = 0;
    for (const [i, p] of people.entries()) {
      const item = plan[i];
      if (!item) break;
      const seq = await sql<{ n: string }>`select nextval('award_certificate_seq') as n`.execute(tx);
      const prefix = item.program.code === 'igo-cpo' ? 'IGO' : 'KS';
      const number = `${prefix}-${yearOf(item.on)}-${String(seq.rows[0]!.n).padStart(6, '0')}`;
      const atCeremony = 'plaque' in item;
      const award = await tx
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
          event_id: atCeremony ? ceremony.id : null,
          name_on_certificate: displayName(p),
          issued_on: item.on,
          expires_on: item.def.renewal
            ? cycleDates(item.def.renewal, firstCycle(item.def.renewal, item.on)).due
            : null,
          supersedes_id: null,
          reason: null,
          issued_by: null,
          certificate_design_id: await currentDesignId(tx, item.program.id),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const plaque = 'plaque' in item ? item.plaque : null;
      if (plaque)
        await tx
          .insertInto('plaque_order')
          .values({
            award_id: award.id,
            state: plaque,
            ordered_on: addDays(item.on, 2),
            delivered_on:
              plaque === 'delivered' ? (addDays(item.on, 30) <= today ? addDays(item.on, 30) : today) : null,
            updated_by: null,
          })
          .execute();
      await onCertificationFactsChanged(tx, ctx, p.id, item.program.id);
      n++;
    }
    return { loaded: true, awards: n };
  });
}
