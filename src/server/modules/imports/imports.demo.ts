/**
 * Demo imports, loaded once (app_meta key) at the end of the demo: the
 * elections division re-checked its roster of county officials against
 * CivicCert (a dry run: every row unchanged) and checked a spreadsheet of
 * historic sign-in sheets that still has mistakes (a dry run with errors by
 * row and column). Dry runs write only their import_run rows, so no other
 * demo number moves.
 */
import { systemCtx, type Deps } from '../../context.js';
import { exportFile } from './export.service.js';
import { runImport } from './imports.service.js';
import { header } from './testdata.js';
import { writeCsv, type Cell } from './write.js';

export async function loadDemoImports(deps: Deps): Promise<{ loaded: boolean }> {
  const first = await deps.db
    .insertInto('app_meta')
    .values({ key: 'demo.imports.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!first) return { loaded: false };
  const ctx = systemCtx(deps, 'demo loader');
  const roster = await exportFile(deps.db, 'officials', 'kansas-county-officials.xlsx');
  await runImport(ctx, {
    kind: 'officials',
    filename: 'kansas-county-officials.xlsx',
    input: roster.bytes,
    dryRun: true,
  });

  const officials = await deps.db
    .selectFrom('person as p')
    .innerJoin('enrollment as e', 'e.person_id', 'p.id')
    .innerJoin('program as pr', 'pr.id', 'e.program_id')
    .select(['p.external_id', 'p.email'])
    .where('pr.code', '=', 'ks-county-election-official')
    .where('p.external_id', 'is not', null)
    .orderBy('p.external_id')
    .limit(6)
    .execute();
  if (officials.length === 0) return { loaded: true };
  const courses = ['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03'];
  const rows: Cell[][] = [];
  officials.forEach((o, i) =>
    courses.forEach((c, j) =>
      rows.push([
        `SOS-2021-${String(i * 3 + j + 1).padStart(3, '0')}`,
        o.external_id,
        null,
        'ks-county-election-official',
        c,
        null,
        `2021-0${3 + j}-1${i}`,
        180,
        null,
        'no',
        null,
        null,
        'From the 2021 paper sign-in sheets',
      ]),
    ),
  );
  rows[4]![6] = '2021-04-31'; // not a date
  rows[9]![4] = 'KS-Y1-9'; // a course that does not exist
  rows[13]![7] = 'three hours';
  await runImport(ctx, {
    kind: 'credits',
    filename: 'sign-in-sheets-2021.csv',
    input: Buffer.from(writeCsv(header('credits'), rows)),
    dryRun: true,
  });
  return { loaded: true };
}
