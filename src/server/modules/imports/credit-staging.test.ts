/**
 * The credit import's checks across rows and against the database, made set-based over the
 * staged file (credit-staging.ts): each error still names its row and column, and the statuses
 * of the people imported are recomputed after the commit, quietly.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemCtx, type Ctx } from '../../context.js';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { quickClient } from '../../testing/scheduling.js';
import { runImport } from './imports.service.js';
import { creditRows, header, KS, officialRows } from './testdata.js';
import { writeCsv, writeXlsx, type Cell } from './write.js';

let t: TestApp;
let ctx: Ctx;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2025-06-01T15:00:00Z');
  ctx = systemCtx(t.deps, 'test');
  const res = await runImport(ctx, {
    kind: 'officials',
    filename: 'officials.csv',
    input: Buffer.from(writeCsv(header('officials'), officialRows(10))),
    dryRun: false,
  });
  expect(res.status).toBe('succeeded');
}, 60_000);
afterAll(() => t.close());

/** A credit row: external id, official's external id, official's e-mail, then the rest as in creditRows. */
const row = (
  ext: string,
  official: string | null,
  email: string | null,
  o: Partial<Record<string, Cell>> = {},
) => {
  const r = creditRows(1, 1)[0]!;
  r[0] = ext;
  r[1] = official;
  r[2] = email;
  const cols = header('credits');
  for (const [k, v] of Object.entries(o)) r[cols.indexOf(k)] = v ?? null;
  return r;
};

const count = async (table: 'credit_record' | 'import_key') =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);

it('a duplicate in the file, unknown officials, a wrong e-mail and a course of another program are each an error on their row', async () => {
  const rows = [
    row('SB-1', 'OFF-00001', null), // row 2
    row('SB-1', 'OFF-00002', null), // row 3: the same external id as row 2
    row('SB-3', 'OFF-99999', null), // row 4
    row('SB-4', null, 'nobody@county.example.gov'), // row 5
    row('SB-5', 'OFF-00002', 'off3@county.example.gov'), // row 6
    row('SB-6', 'OFF-00004', null, { program: 'igo-cpo', course_code: 'KS-Y1-01' }), // row 7
    row('SB-7', null, 'OFF4@county.example.gov'), // row 8: by e-mail, in any case
  ];
  const before = [await count('credit_record'), await count('import_key')];
  for (const format of ['csv', 'xlsx'] as const) {
    const input =
      format === 'csv'
        ? Buffer.from(writeCsv(header('credits'), rows))
        : await writeXlsx('credits', header('credits'), rows);
    for (const dryRun of [true, false]) {
      const run = await runImport(ctx, { kind: 'credits', filename: `f.${format}`, input, dryRun });
      expect(run.status).toBe(dryRun ? 'invalid' : 'failed');
      expect(run.totalRows).toBe(7);
      expect(run.errors).toEqual([
        { row: 3, column: 'external_id', message: 'External id "SB-1" is also on row 2.' },
        {
          row: 4,
          column: 'official_external_id',
          message: 'There is no official with external id "OFF-99999". Import the officials first.',
        },
        {
          row: 5,
          column: 'official_email',
          message: 'There is no official with the e-mail address nobody@county.example.gov.',
        },
        {
          row: 6,
          column: 'official_email',
          message:
            'Official "OFF-00002" has the e-mail address off2@county.example.gov, not off3@county.example.gov.',
        },
        {
          row: 7,
          column: 'course_code',
          message: 'igo-cpo has no course KS-Y1-01; give its category instead.',
        },
      ]);
      expect(run.errorCount).toBe(5);
      expect([run.created, run.unchanged]).toEqual([0, 0]);
    }
  }
  expect([await count('credit_record'), await count('import_key')]).toEqual(before);

  // The good rows alone go in; the same external id with other values later is refused on its row.
  const good = [rows[0]!, rows[6]!];
  const ok = await runImport(ctx, {
    kind: 'credits',
    filename: 'good.csv',
    input: Buffer.from(writeCsv(header('credits'), good)),
    dryRun: false,
  });
  expect(ok).toMatchObject({ status: 'succeeded', created: 2, unchanged: 0 });
  expect([await count('credit_record'), await count('import_key')]).toEqual([before[0]! + 2, before[1]! + 2]);
  const changed = await runImport(ctx, {
    kind: 'credits',
    filename: 'changed.csv',
    input: Buffer.from(
      writeCsv(header('credits'), [good[0]!, row('SB-7', null, 'off4@county.example.gov', { minutes: 60 })]),
    ),
    dryRun: true,
  });
  expect(changed).toMatchObject({ status: 'invalid', errorCount: 1 });
  expect(changed.errors[0]).toMatchObject({ row: 3, column: 'external_id' });
  expect(changed.errors[0]!.message).toMatch(
    /^Credit record "SB-7" was imported before with different values/,
  );
}, 120_000);

it('of 1,500 bad rows, the first 1,000 errors by row are kept and all 1,500 are counted', async () => {
  // Odd rows fail their own date check (while streaming), even rows the person check (in SQL).
  const rows = creditRows(1500, 10, { prefix: 'MANY' }).map((r, i) => {
    if (i % 2 === 0) r[1] = 'OFF-77777';
    else r[6] = 'soon';
    return r;
  });
  const run = await runImport(ctx, {
    kind: 'credits',
    filename: 'many.csv',
    input: Buffer.from(writeCsv(header('credits'), rows)),
    dryRun: true,
  });
  expect(run.errorCount).toBe(1500);
  expect(run.message).toBe('1500 errors: nothing was imported.');
  expect(run.errors).toHaveLength(1000);
  expect(run.errors.map((e) => e.row)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
  expect(run.errors.slice(0, 2).map((e) => e.column)).toEqual(['official_external_id', 'earned_on']);
}, 120_000);

it('the people of an import have their status recomputed once it is done, with no notice e-mailed', async () => {
  const rows = creditRows(60, 3, { prefix: 'ST', officialPrefix: 'OFF' }).map((r) => {
    r[6] = '2024-03-04';
    return r;
  });
  const run = await runImport(ctx, {
    kind: 'credits',
    filename: 'status.csv',
    input: Buffer.from(writeCsv(header('credits'), rows)),
    dryRun: false,
  });
  expect(run).toMatchObject({ status: 'succeeded', created: 60 });
  // recorded_on is given by the import for the whole set (0021), the date the trigger would give.
  const dated = await sql<{ n: string; right: string }>`
    select count(*) as n,
      count(*) filter (where c.recorded_on = (c.recorded_at at time zone p.time_zone)::date) as right
    from credit_record c join program p on p.id = c.program_id
    join import_key k on k.kind = 'credit' and k.entity_id = c.id
    where k.run_id = ${run.id}::uuid
  `.execute(t.db);
  expect(dated.rows[0]).toEqual({ n: 60, right: 60 });
  const people = await t.db
    .selectFrom('person')
    .select(['id', 'email'])
    .where('external_id', 'in', ['OFF-00001', 'OFF-00002', 'OFF-00003'])
    .execute();
  const ids = people.map((p) => p.id);
  const status = await t.db
    .selectFrom('certification_status as s')
    .innerJoin('program as p', 'p.id', 's.program_id')
    .select(['s.person_id', 's.computed_at'])
    .where('p.code', '=', KS)
    .where('s.person_id', 'in', ids)
    .execute();
  expect(status).toHaveLength(3);
  for (const s of status) expect(s.computed_at).toBe(t.clock.now.toISOString());
  const waiting = await t.db
    .selectFrom('status_due')
    .select('person_id')
    .where('person_id', 'in', ids)
    .execute();
  expect(waiting).toEqual([]);
  const mail = await t.db
    .selectFrom('email_message')
    .select('kind')
    .where(
      'to_address',
      'in',
      people.map((p) => p.email),
    )
    .where('kind', 'like', 'award.%')
    .execute();
  expect(mail).toEqual([]);
}, 120_000);

it('imported records are announced to a webhook that listens for credit.recorded, one event each', async () => {
  const admin = await quickClient(t, ['administrator']);
  const made = await admin.request('POST', '/api/webhooks/endpoints', {
    url: 'https://example.gov/hooks',
    events: ['credit.recorded'],
  });
  expect(made.status, made.body).toBe(201);
  const deliveries = async () => (await t.db.selectFrom('webhook_delivery').select('id').execute()).length;
  const before = await deliveries();
  const run = await runImport(ctx, {
    kind: 'credits',
    filename: 'hooked.csv',
    input: Buffer.from(writeCsv(header('credits'), creditRows(3, 3, { prefix: 'WH' }))),
    dryRun: false,
  });
  expect(run).toMatchObject({ status: 'succeeded', created: 3 });
  expect((await deliveries()) - before).toBe(3);
});
