import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { systemCtx, type Ctx } from '../../context.js';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { idb } from './imports.db.js';
import { runImport } from './imports.service.js';
import { creditRows, header, officialRows } from './testdata.js';
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
    input: Buffer.from(writeCsv(header('officials'), officialRows(40))),
    dryRun: false,
  });
  expect(res.status).toBe('succeeded');
}, 60_000);
afterAll(() => t.close());

const ledgerCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('credit_record')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** 1,000 attendance rows with exactly five bad ones, and the five errors expected (row = data index + 2). */
function fileWithFiveBadRows(): {
  rows: Cell[][];
  expected: { row: number; column: string; message: RegExp }[];
} {
  const rows = creditRows(1000, 40, { prefix: 'BAD' });
  rows[10]![6] = '2024-02-30'; // row 12
  rows[200]![1] = 'OFF-99999'; // row 202
  rows[450]![4] = null; // no course: row 452 needs a category
  rows[450]![5] = 'gardening';
  rows[700]![7] = 'ninety'; // row 702
  rows[999]![0] = 'BAD-000001'; // row 1001: the same external id as row 2
  return {
    rows,
    expected: [
      { row: 12, column: 'earned_on', message: /"2024-02-30" is not a date/ },
      { row: 202, column: 'official_external_id', message: /no official with external id "OFF-99999"/ },
      { row: 452, column: 'category', message: /has no category "gardening"/ },
      { row: 702, column: 'minutes', message: /"ninety" is not a number/ },
      { row: 1001, column: 'external_id', message: /also on row 2/ },
    ],
  };
}

describe('a file with 5 bad rows among 1,000', () => {
  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format}: the dry run and the import report exactly those rows, and nothing is written`, async () => {
      const { rows, expected } = fileWithFiveBadRows();
      const bytes =
        format === 'csv'
          ? Buffer.from(writeCsv(header('credits'), rows))
          : await writeXlsx('credits', header('credits'), rows);
      const before = await ledgerCount();
      for (const dryRun of [true, false]) {
        const run = await runImport(ctx, {
          kind: 'credits',
          filename: `history.${format}`,
          input: bytes,
          dryRun,
        });
        expect(run.status).toBe(dryRun ? 'invalid' : 'failed');
        expect(run.totalRows).toBe(1000);
        expect(run.errorCount).toBe(5);
        expect(run.errors.map((e) => [e.row, e.column])).toEqual(expected.map((e) => [e.row, e.column]));
        run.errors.forEach((e, i) => expect(e.message).toMatch(expected[i]!.message));
        expect(run.message).toBe('5 errors: nothing was imported.');
        expect([run.created, run.updated, run.unchanged]).toEqual([0, 0, 0]);
      }
      expect(await ledgerCount()).toBe(before);
    }, 120_000);
  }
});

it('importing the same file twice changes nothing the second time', async () => {
  const bytes = Buffer.from(writeCsv(header('credits'), creditRows(300, 40, { prefix: 'TWICE' })));
  const before = await ledgerCount();
  const first = await runImport(ctx, { kind: 'credits', filename: 'twice.csv', input: bytes, dryRun: false });
  expect(first).toMatchObject({ status: 'succeeded', created: 300, unchanged: 0, percent: 100 });
  expect(await ledgerCount()).toBe(before + 300);
  const dry = await runImport(ctx, { kind: 'credits', filename: 'twice.csv', input: bytes, dryRun: true });
  expect(dry).toMatchObject({ status: 'validated', created: 0, unchanged: 300 });
  const second = await runImport(ctx, {
    kind: 'credits',
    filename: 'twice.csv',
    input: bytes,
    dryRun: false,
  });
  expect(second).toMatchObject({ status: 'succeeded', created: 0, updated: 0, unchanged: 300 });
  expect(second.message).toContain('300 unchanged');
  expect(await ledgerCount()).toBe(before + 300);

  const officials = Buffer.from(writeCsv(header('officials'), officialRows(40)));
  const again = await runImport(ctx, {
    kind: 'officials',
    filename: 'o.csv',
    input: officials,
    dryRun: false,
  });
  expect(again).toMatchObject({ status: 'succeeded', created: 0, updated: 0, unchanged: 40 });
}, 120_000);

it('a changed row updates an official, and is refused for a ledger record already imported', async () => {
  const rows = officialRows(40);
  rows[3]![6] = 'Election Commissioner';
  const run = await runImport(ctx, {
    kind: 'officials',
    filename: 'o.xlsx',
    input: await writeXlsx('officials', header('officials'), rows),
    dryRun: false,
  });
  expect(run).toMatchObject({ status: 'succeeded', created: 0, updated: 1, unchanged: 39 });
  const p = await t.db
    .selectFrom('person')
    .select('title')
    .where('external_id', '=', 'OFF-00004')
    .executeTakeFirst();
  expect(p?.title).toBe('Election Commissioner');

  const credits = creditRows(300, 40, { prefix: 'TWICE' });
  credits[5]![7] = 60;
  const changed = await runImport(ctx, {
    kind: 'credits',
    filename: 'changed.csv',
    input: Buffer.from(writeCsv(header('credits'), credits)),
    dryRun: true,
  });
  expect(changed.status).toBe('invalid');
  expect(changed.errors).toEqual([
    {
      row: 7,
      column: 'external_id',
      message: expect.stringMatching(/imported before with different values/),
    },
  ]);
}, 120_000);

it('unknown and missing columns are reported on row 1 before any row is read', async () => {
  const run = await runImport(ctx, {
    kind: 'credits',
    filename: 'cols.csv',
    input: Buffer.from('external_id,official_email,hours,date\nX1,a@b.gov,3,2024-01-01\n'),
    dryRun: true,
  });
  expect(run.status).toBe('invalid');
  expect(run.errors).toEqual([
    { row: 1, column: 'date', message: expect.stringMatching(/^Unknown column "date"/) },
    { row: 1, column: 'earned_on', message: 'The required column "earned_on" is missing.' },
    { row: 1, column: 'hours', message: expect.stringMatching(/^Unknown column "hours"/) },
  ]);
});

it('an unknown column is reported together with every row error, so one check shows everything to fix', async () => {
  const rows = officialRows(4, { prefix: 'UNK' }).map((r) => [...r, 'a note']);
  rows[1]![4] = 'not-an-email'; // row 3
  rows[3]![7] = '99999'; // row 5
  const run = await runImport(ctx, {
    kind: 'officials',
    filename: 'unknown.csv',
    input: Buffer.from(writeCsv([...header('officials'), 'Notes'], rows)),
    dryRun: true,
  });
  expect(run).toMatchObject({ status: 'invalid', errorCount: 3 });
  expect(run.errors).toEqual([
    {
      row: 1,
      column: 'Notes',
      message: expect.stringMatching(/^Unknown column "Notes"\. The columns are: external_id, /),
    },
    { row: 3, column: 'email', message: 'Enter an e-mail address like name@example.gov.' },
    { row: 5, column: 'county_fips', message: 'There is no state or county with FIPS code 99999.' },
  ]);
  // The import refuses it too, and writes nothing.
  const before = await personCount();
  const imported = await runImport(ctx, {
    kind: 'officials',
    filename: 'unknown.csv',
    input: Buffer.from(writeCsv([...header('officials'), 'Notes'], rows)),
    dryRun: false,
  });
  expect(imported).toMatchObject({ status: 'failed', errorCount: 3 });
  expect(await personCount()).toBe(before);
});

describe('CSV quoting', () => {
  const head = header('officials').join(',');
  const line = (id: string, first: string, email: string) => `${id},${first},Lee,,${email},,,,,,,`;

  it('a quote that is never closed is an error on its row and column; the rows above are still checked', async () => {
    const csv = [
      head,
      line('Q-1', 'Ann', 'not-an-email'),
      line('Q-2', '"Bo', 'bo@example.gov'),
      line('Q-3', 'Cy', 'cy@example.gov'),
    ].join('\n');
    const run = await runImport(ctx, {
      kind: 'officials',
      filename: 'q.csv',
      input: Buffer.from(csv),
      dryRun: true,
    });
    expect(run.status).toBe('invalid');
    expect(run.errors).toEqual([
      { row: 2, column: 'email', message: 'Enter an e-mail address like name@example.gov.' },
      {
        row: 3,
        column: 'first_name',
        message: expect.stringMatching(/^This cell opens a quote \("\) that is never closed/),
      },
    ]);
  });

  it('a quote inside a cell is an error on its row and column, and the rows below are still checked', async () => {
    const csv = [
      head,
      line('Q-4', 'Ann "Jo"', 'annjo@example.gov'),
      `Q-4b,Al,O"Neil "Jr",,al@example.gov,,,,,,,`, // two quotes in two cells: one error for the row
      line('Q-5', 'Bo', 'bo@example.gov'),
      line('Q-6', 'Cy', 'not-an-email'),
    ].join('\n');
    const run = await runImport(ctx, {
      kind: 'officials',
      filename: 'q.csv',
      input: Buffer.from(csv),
      dryRun: false,
    });
    expect(run.status).toBe('failed');
    expect(run.errors).toEqual([
      {
        row: 2,
        column: 'first_name',
        message:
          'This cell has a quote (") in it but does not start with one. Put the whole cell in quotes and double each quote inside it, e.g. "Ann ""Jo"" Lee".',
      },
      { row: 3, column: 'last_name', message: expect.stringMatching(/^This cell has a quote/) },
      { row: 5, column: 'email', message: 'Enter an e-mail address like name@example.gov.' },
    ]);
    expect(
      await t.db.selectFrom('person').select('id').where('email', '=', 'bo@example.gov').execute(),
    ).toEqual([]);
  });

  it('a quote in the header row is an error on row 1, and no row is checked against a header it cannot read', async () => {
    const csv = ['external_id,"first_name"x,last_name', line('Q-10', 'Ann', 'not-an-email')].join('\n');
    const run = await runImport(ctx, {
      kind: 'officials',
      filename: 'q.csv',
      input: Buffer.from(csv),
      dryRun: true,
    });
    expect(run.errors).toEqual([
      { row: 1, column: 'column 2', message: expect.stringMatching(/^A quote \("\) ends this cell/) },
    ]);
  });

  it('text after a closing quote is an error on its row and column; the rows below it are not read', async () => {
    const csv = [
      head,
      '',
      line('Q-7', 'Ann', 'not-an-email'),
      line('Q-8', '"Bo"b', 'bob@example.gov'),
      line('Q-9', 'Cy', 'also-not-an-email'),
    ].join('\n');
    const run = await runImport(ctx, {
      kind: 'officials',
      filename: 'q.csv',
      input: Buffer.from(csv),
      dryRun: true,
    });
    expect(run.errors).toEqual([
      { row: 3, column: 'email', message: 'Enter an e-mail address like name@example.gov.' },
      {
        row: 4,
        column: 'first_name',
        message: expect.stringMatching(
          /^A quote \("\) ends this cell, but more text follows it before the next comma, and the rows below were not read\./,
        ),
      },
    ]);
  });
});

it('a streamed UTF-8 CSV whose parts split a character in two is read whole', async () => {
  const bytes = Buffer.from(
    `${header('officials').join(',')}\nOFF-U8,Ren\u00e9e,Lee,,renee8@example.gov\n`,
    'utf8',
  );
  const at = bytes.indexOf(0xc3) + 1; // between the two bytes of é
  const run = await runImport(ctx, {
    kind: 'officials',
    filename: 'utf8.csv',
    input: Readable.from([bytes.subarray(0, at), bytes.subarray(at)]),
    dryRun: false,
  });
  expect(run).toMatchObject({ status: 'succeeded', created: 1 });
  const p = await t.db
    .selectFrom('person')
    .select('first_name')
    .where('email', '=', 'renee8@example.gov')
    .executeTakeFirstOrThrow();
  expect(p.first_name).toBe('Ren\u00e9e');
});

it('a streamed CSV (the command line) that is not UTF-8 ends with a message naming the encoding and its line', async () => {
  const bytes = Buffer.from(
    `${header('officials').join(',')}\nOFF-L1,Ren\u00e9e,Lee,,renee@example.gov\n`,
    'latin1',
  );
  const run = await runImport(ctx, {
    kind: 'officials',
    filename: 'latin1.csv',
    input: Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]),
    dryRun: false,
  });
  expect(run.status).toBe('failed');
  expect(run.message).toMatch(/^The file is not UTF-8 text: line 2 has a byte \(0xE9\) that is not UTF-8\./);
  expect(run.errors).toEqual([{ row: 1, column: 'file', message: run.message }]);
});

it('XLSX formula cells are read as their saved values, never calculated', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('credits');
  ws.addRow(header('credits'));
  ws.addRow(['F-1', 'OFF-00001', null, 'ks-county-election-official', 'KS-Y1-01', null, '2024-03-01', null]);
  // A formula with a saved result of 2 (its text would evaluate to 99): the import uses 2.
  ws.getCell('I2').value = { formula: '99+0', result: 2 };
  ws.getCell('J2').value = { formula: 'HYPERLINK("http://evil.example","no")', result: 'no' };
  const run = await runImport(ctx, {
    kind: 'credits',
    filename: 'formula.xlsx',
    input: Buffer.from(await wb.xlsx.writeBuffer()),
    dryRun: false,
  });
  expect(run).toMatchObject({ status: 'succeeded', created: 1 });
  const rec = await idb(t.db)
    .selectFrom('credit_record as c')
    .innerJoin('import_key as k', 'k.entity_id', 'c.id')
    .select(['c.amount', 'c.sponsored'])
    .where('k.external_id', '=', 'F-1')
    .executeTakeFirstOrThrow();
  expect(rec).toEqual({ amount: 2, sponsored: false });
});

it('a file that is not a spreadsheet gives a clear message, not a crash', async () => {
  const run = await runImport(ctx, {
    kind: 'awards',
    filename: 'awards.xlsx',
    input: Buffer.from('PK\u0003\u0004 this is not really a zip file'),
    dryRun: true,
  });
  expect(run.status).toBe('invalid');
  expect(run.message).toMatch(/not a readable XLSX workbook/);
});

it('every error of a row is reported, not just the first', async () => {
  const rows = officialRows(3, { prefix: 'MANY' });
  rows[1]![4] = 'not-an-email';
  rows[1]![7] = '99999';
  rows[1]![10] = 'no-such-program:2024-01-01';
  const run = await runImport(ctx, {
    kind: 'officials',
    filename: 'many.csv',
    input: Buffer.from(writeCsv(header('officials'), rows)),
    dryRun: true,
  });
  expect(run.errors).toEqual([
    { row: 3, column: 'county_fips', message: 'There is no state or county with FIPS code 99999.' },
    { row: 3, column: 'email', message: 'Enter an e-mail address like name@example.gov.' },
    { row: 3, column: 'enrollments', message: 'There is no program "no-such-program".' },
  ]);
});

const personCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('person')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

it('one e-mail on two rows of a file is a row error naming both rows, not a database error', async () => {
  const rows = officialRows(6, { prefix: 'DUP' });
  rows[4]![4] = '  DUP2@County.Example.GOV '; // row 6 repeats row 3's address in another case
  const before = await personCount();
  for (const dryRun of [true, false]) {
    const run = await runImport(ctx, {
      kind: 'officials',
      filename: 'dup.csv',
      input: Buffer.from(writeCsv(header('officials'), rows)),
      dryRun,
    });
    expect(run.status).toBe(dryRun ? 'invalid' : 'failed');
    expect(run.errors).toEqual([
      { row: 6, column: 'email', message: 'dup2@county.example.gov is also on row 3.' },
    ]);
  }
  expect(await personCount()).toBe(before);
});

it('a county name or state that disagrees with its FIPS code is refused on that row, and nothing is written', async () => {
  const rows = officialRows(3, { prefix: 'CTY' });
  rows[0]![7] = '20045'; // Douglas County, Kansas
  rows[0]![8] = 'Shawnee';
  rows[2]![7] = '20045';
  rows[2]![8] = 'Douglas'; // agrees: fine
  rows[2]![9] = 'MO'; // but Douglas County 20045 is in Kansas
  const before = await personCount();
  for (const dryRun of [true, false]) {
    const run = await runImport(ctx, {
      kind: 'officials',
      filename: 'county.csv',
      input: Buffer.from(writeCsv(header('officials'), rows)),
      dryRun,
    });
    expect(run.status).toBe(dryRun ? 'invalid' : 'failed');
    expect(run.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'county_name'],
      [4, 'state'],
    ]);
    expect(run.errors[0]!.message).toMatch(/20045 is Douglas.*not Shawnee/);
    expect(run.errors[1]!.message).toMatch(/20045 is in KS, not MO/);
  }
  expect(await personCount()).toBe(before);
});

it('a new e-mail for an existing official waits for confirmation from that address, and re-importing changes nothing', async () => {
  // Issue 11: before, an import moved the sign-in address at once, with no word to the old address.
  const rows = officialRows(40);
  rows[3]![6] = 'Election Commissioner'; // as the test above left it
  rows[4]![4] = 'moved.off5@county.example.gov';
  const importIt = () =>
    runImport(ctx, {
      kind: 'officials',
      filename: 'moved.csv',
      input: Buffer.from(writeCsv(header('officials'), rows)),
      dryRun: false,
    });
  expect(await importIt()).toMatchObject({ status: 'succeeded', updated: 1 });
  const p = await t.db
    .selectFrom('person')
    .select(['id', 'email'])
    .where('external_id', '=', 'OFF-00005')
    .executeTakeFirstOrThrow();
  expect(p.email).toBe('off5@county.example.gov');
  const mails = await t.db
    .selectFrom('email_message')
    .select(['to_address', 'kind'])
    .where('to_address', 'in', ['off5@county.example.gov', 'moved.off5@county.example.gov'])
    .execute();
  expect(mails).toEqual(
    expect.arrayContaining([
      { to_address: 'moved.off5@county.example.gov', kind: 'email-change-confirm' },
      { to_address: 'off5@county.example.gov', kind: 'email-change-notice' },
    ]),
  );
  expect(await importIt()).toMatchObject({ status: 'succeeded', updated: 0, unchanged: 40 });
  const pending = await t.db
    .selectFrom('email_change')
    .select('new_email')
    .where('person_id', '=', p.id)
    .execute();
  expect(pending).toEqual([{ new_email: 'moved.off5@county.example.gov' }]);
}, 120_000);
