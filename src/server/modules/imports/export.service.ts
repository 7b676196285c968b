/**
 * Exports in exactly the import formats (same columns, same order), so a file
 * exported here imports into another CivicCert unchanged: officials with
 * their enrollments, the live credit ledger (approved records that are not
 * reversed), current awards (the newest certificate of each chain,
 * not revoked), and current person facts (withdrawn ones are history).
 */
import { sql } from 'kysely';
import { importColumns, type ImportKind } from '../../../contract/imports.js';
import { APPOINTMENT_FACT } from '../../../domain/requirements/index.js';
import type { Db } from '../../db/database.js';
import { currentAwards } from '../certification/queries.js';
import { idb } from './imports.db.js';
import { writeCsv, writeXlsx, type Cell } from './write.js';

export async function exportRows(db: Db, kind: ImportKind, programId?: string): Promise<Cell[][]> {
  if (kind === 'officials') {
    const people = await db
      .selectFrom('person as p')
      .leftJoin('user_account as u', 'u.person_id', 'p.id')
      .leftJoin('jurisdiction as j', 'j.fips', 'p.jurisdiction_fips')
      .select([
        'p.id',
        'p.external_id',
        'p.first_name',
        'p.last_name',
        'p.preferred_name',
        'p.email',
        'p.phone',
        'p.title',
        'p.jurisdiction_fips',
        'j.name as county_name',
        'j.kind as j_kind',
        'j.state_code',
      ])
      .where((eb) =>
        eb.or([
          eb('u.id', 'is', null),
          eb(sql<boolean>`'official' = any(u.roles)`, '=', true),
          eb.exists(eb.selectFrom('enrollment as e').select('e.id').whereRef('e.person_id', '=', 'p.id')),
        ]),
      )
      .orderBy('p.last_name')
      .orderBy('p.first_name')
      .orderBy('p.id')
      .execute();
    const enrollments = await db
      .selectFrom('enrollment as e')
      .innerJoin('program as pr', 'pr.id', 'e.program_id')
      .select(['e.person_id', 'e.program_id', 'pr.code', 'e.enrolled_on', 'e.cohorts'])
      .where('e.status', '=', 'active')
      .orderBy('pr.code')
      .execute();
    // Current taking-office dates, per person and program.
    const appointed = new Map(
      (
        await db
          .selectFrom('person_fact')
          .select(['person_id', 'program_id', 'date'])
          .where('kind', '=', 'date')
          .where('key', '=', APPOINTMENT_FACT)
          .where('withdrawn_at', 'is', null)
          .execute()
      ).map((f) => [`${f.person_id}|${f.program_id}`, f.date]),
    );
    const byPerson = new Map<string, string[]>();
    const appointments = new Map<string, { code: string; date: string | undefined }[]>();
    for (const e of enrollments) {
      const cohorts = (e.cohorts ?? []).length ? `/${[...e.cohorts].sort().join(',')}` : '';
      byPerson.set(e.person_id, [
        ...(byPerson.get(e.person_id) ?? []),
        `${e.code}:${e.enrolled_on}${cohorts}`,
      ]);
      appointments.set(e.person_id, [
        ...(appointments.get(e.person_id) ?? []),
        { code: e.code, date: appointed.get(`${e.person_id}|${e.program_id}`) },
      ]);
    }
    // One date when every listed enrollment has the same one (the import applies it to all of
    // them), else "program:date" for those that have one: either way it re-imports unchanged.
    const appointmentCell = (personId: string): string | null => {
      const list = appointments.get(personId) ?? [];
      const dated = list.filter((a) => a.date);
      if (dated.length === 0) return null;
      if (dated.length === list.length && dated.every((a) => a.date === dated[0]!.date))
        return dated[0]!.date!;
      return dated.map((a) => `${a.code}:${a.date}`).join('; ');
    };
    return people.map((p) => [
      p.external_id ?? `cc-${p.id}`,
      p.first_name,
      p.last_name,
      p.preferred_name,
      p.email,
      p.phone,
      p.title,
      p.jurisdiction_fips,
      p.j_kind === 'county' ? p.county_name : null,
      p.j_kind === 'county' ? p.state_code : null,
      (byPerson.get(p.id) ?? []).join('; ') || null,
      appointmentCell(p.id),
    ]);
  }
  if (kind === 'facts') {
    let q = idb(db)
      .selectFrom('person_fact as f')
      .innerJoin('person as p', 'p.id', 'f.person_id')
      .innerJoin('program as pr', 'pr.id', 'f.program_id')
      .leftJoin('import_key as k', (j) => j.onRef('k.entity_id', '=', 'f.id').on('k.kind', '=', 'fact'))
      .select([
        'f.id',
        'k.external_id',
        'p.external_id as person_ext',
        'p.email',
        'pr.code',
        'f.kind',
        'f.key',
        'f.date',
        'f.score',
        'f.until',
        'f.reason',
      ])
      // Current facts; a withdrawn one is history kept in CivicCert.
      .where('f.withdrawn_at', 'is', null);
    if (programId) q = q.where('f.program_id', '=', programId);
    const rows = await q.orderBy('f.recorded_at').orderBy('f.created_at').orderBy('f.id').execute();
    return rows.map((f) => [
      f.external_id ?? `cc-${f.id}`,
      f.person_ext,
      f.email,
      f.code,
      f.kind,
      f.key,
      f.date,
      f.score === null ? null : Number(f.score),
      f.until,
      f.reason,
    ]);
  }
  if (kind === 'credits') {
    let q = idb(db)
      .selectFrom('credit_record as c')
      .innerJoin('person as p', 'p.id', 'c.person_id')
      .innerJoin('program as pr', 'pr.id', 'c.program_id')
      .leftJoin('import_key as k', (j) => j.onRef('k.entity_id', '=', 'c.id').on('k.kind', '=', 'credit'))
      .select([
        'c.id',
        'k.external_id',
        'k.note',
        'p.external_id as person_ext',
        'p.email',
        'pr.code',
        'c.course_code',
        'c.category',
        'c.earned_on',
        'c.amount',
        'c.sponsored',
        'c.source_type',
        'c.title',
      ])
      .where('c.status', '=', 'approved')
      .where('c.reverses_id', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('credit_record as r').select('r.id').whereRef('r.reverses_id', '=', 'c.id'))),
      );
    if (programId) q = q.where('c.program_id', '=', programId);
    const rows = await q.orderBy('c.earned_on').orderBy('c.id').execute();
    return rows.map((c) => [
      c.external_id ?? `cc-${c.id}`,
      c.person_ext,
      c.email,
      c.code,
      c.course_code,
      c.category,
      c.earned_on,
      null,
      Number(c.amount),
      c.sponsored ? 'yes' : 'no',
      c.source_type,
      c.title,
      c.note,
    ]);
  }
  let q = idb(db)
    .selectFrom('award as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .innerJoin('program as pr', 'pr.id', 'a.program_id')
    .leftJoin('import_key as k', (j) => j.onRef('k.entity_id', '=', 'a.id').on('k.kind', '=', 'award'))
    .select([
      'a.id',
      'k.external_id',
      'p.external_id as person_ext',
      'p.email',
      'pr.code',
      'a.awarded_on',
      'a.certificate_number',
      'a.number',
      'a.name_on_certificate',
    ])
    .where('a.revoked_on', 'is', null)
    // Current, unrevoked certificates only (a re-issue supersedes the old one).
    .where('a.id', 'in', currentAwards(db).select('a.id').where('r.id', 'is', null));
  if (programId) q = q.where('a.program_id', '=', programId);
  const rows = await q.orderBy('a.awarded_on').orderBy('a.id').execute();
  return rows.map((a) => [
    a.external_id ?? `cc-${a.id}`,
    a.person_ext,
    a.email,
    a.code,
    a.awarded_on,
    a.certificate_number ?? a.number,
    a.name_on_certificate,
  ]);
}

/** The export as a file: XLSX when the name ends in .xlsx, else CSV. */
export async function exportFile(
  db: Db,
  kind: ImportKind,
  filename: string,
  programId?: string,
): Promise<{ bytes: Buffer; rows: number }> {
  const rows = await exportRows(db, kind, programId);
  const header = importColumns[kind].map((c) => c.name);
  const bytes = filename.toLowerCase().endsWith('.xlsx')
    ? await writeXlsx(kind, header, rows)
    : Buffer.from(writeCsv(header, rows), 'utf8');
  return { bytes, rows: rows.length };
}
