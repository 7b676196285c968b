import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Jurisdiction, jurisdictionQuery } from '../../../contract/jurisdictions.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import type { JurisdictionTable } from '../../db/schema.js';
import { escapeLike } from '../audit/audit.service.js';

interface SourceFile {
  source: string;
  states: { fips: string; name: string; code: string }[];
  counties: { fips: string; name: string }[];
}

export function jurisdictionRows(): JurisdictionTable[] {
  const data = JSON.parse(
    readFileSync(new URL('./data/jurisdictions.json', import.meta.url), 'utf8'),
  ) as SourceFile;
  const byFips = new Map(data.states.map((s) => [s.fips, s]));
  const rows: JurisdictionTable[] = data.states.map((s) => ({
    fips: s.fips,
    kind: 'state',
    name: s.name,
    state_fips: s.fips,
    state_code: s.code,
    state_name: s.name,
  }));
  for (const c of data.counties) {
    const st = byFips.get(c.fips.slice(0, 2));
    if (!st) continue; // a county whose state is missing from the source is skipped, not guessed
    rows.push({
      fips: c.fips,
      kind: 'county',
      name: c.name,
      state_fips: st.fips,
      state_code: st.code,
      state_name: st.name,
    });
  }
  return rows;
}

/** Loads (or refreshes) the shipped list of states and counties. Idempotent. */
export async function loadJurisdictions(db: Db): Promise<number> {
  const rows = jurisdictionRows();
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('jurisdiction')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.column('fips').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          state_code: eb.ref('excluded.state_code'),
          state_name: eb.ref('excluded.state_name'),
        })),
      )
      .execute();
  }
  return rows.length;
}

export const toJurisdiction = (r: JurisdictionTable): Jurisdiction => ({
  fips: r.fips,
  kind: r.kind,
  name: r.name,
  stateFips: r.state_fips,
  stateCode: r.state_code,
  stateName: r.state_name,
});

export async function searchJurisdictions(
  ctx: Ctx,
  q: z.infer<typeof jurisdictionQuery>,
): Promise<{ items: Jurisdiction[]; total: number }> {
  let query = ctx.db.selectFrom('jurisdiction');
  if (q.state) {
    query = /^\d{2}$/.test(q.state)
      ? query.where('state_fips', '=', q.state)
      : query.where('state_code', '=', q.state.toUpperCase());
  }
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.q) {
    const term = q.q;
    query = query.where((eb) =>
      eb.or([
        eb('name', 'ilike', `%${escapeLike(term)}%`),
        eb('fips', '=', term),
        eb('state_code', '=', term.toUpperCase()),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('state_name')
      .orderBy('kind', 'desc')
      .orderBy('name')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toJurisdiction), total: Number(count.n) };
}

export async function getJurisdiction(ctx: Ctx, fips: string): Promise<Jurisdiction> {
  const row = await ctx.db.selectFrom('jurisdiction').selectAll().where('fips', '=', fips).executeTakeFirst();
  if (!row) throw new DomainError('not_found', `There is no state or county with FIPS code ${fips}.`);
  return toJurisdiction(row);
}
