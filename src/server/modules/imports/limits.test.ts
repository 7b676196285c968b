/**
 * Import files that would cost the server more than they are worth: an XLSX
 * bomb (a small archive holding one huge cell), more rows than an import
 * holds, over-long cells, a malformed form; and a NUL byte in a CSV, which
 * is an error on its row. Each gets a clear 4xx problem naming the limit
 * (or a row error), never a 500, and the bomb is refused before memory grows.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { multipart } from '../../testing/claims.js';
import { clientWithRoles, createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { xlsxBomb, xlsxWithLongCell, xlsxWithRows } from '../../testing/xlsx.js';
import { header, officialRows } from './testdata.js';
import { writeCsv } from './write.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await clientWithRoles(t, ['administrator']);
});
afterAll(() => t.close());

function upload(filename: string, bytes: Buffer | string, kind = 'officials') {
  const form = multipart([
    { name: 'kind', data: kind },
    { name: 'dryRun', data: 'true' },
    { name: 'file', filename, data: bytes },
  ]);
  return admin.request('POST', '/api/imports', form.payload, form.headers);
}

const runCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('import_run' as never)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const mb = (n: number) => Math.round(n / 1024 / 1024);

it('refuses an XLSX bomb (1.4 MB holding one 300 MB cell) with a 413 before its memory grows', async () => {
  const bomb = await xlsxBomb(300);
  expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
  const runs = await runCount();
  const before = process.memoryUsage();
  const res = await upload('officials.xlsx', bomb);
  const after = process.memoryUsage();
  expect(res.status, res.body).toBe(413);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json.detail).toMatch(/expands to more than 200 MB when unpacked/);
  expect(res.json.errors).toEqual([{ field: 'file', message: res.json.detail }]);
  expect(mb(after.rss - before.rss), 'MB of resident memory grown').toBeLessThan(100);
  expect(mb(after.heapUsed - before.heapUsed), 'MB of heap grown').toBeLessThan(100);
  expect(await runCount()).toBe(runs); // nothing was started
});

it('refuses a bomb whose archive lies about its size, as soon as it inflates past what it declared', async () => {
  const before = process.memoryUsage();
  const res = await upload('officials.xlsx', await xlsxBomb(300, { lie: true }));
  expect(res.status, res.body).toBe(400);
  expect(res.json.detail).toMatch(/larger than the archive says/);
  expect(mb(process.memoryUsage().rss - before.rss)).toBeLessThan(100);
});

it('refuses a cell longer than a spreadsheet cell holds (32,767 characters), in XLSX and CSV', async () => {
  const xlsx = await upload('officials.xlsx', await xlsxWithLongCell(40_000));
  expect(xlsx.status, xlsx.body).toBe(413);
  expect(xlsx.json.detail).toMatch(/longer than 32,767 characters/);

  const csv = await upload('officials.csv', `external_id,first_name\r\nOFF-1,${'x'.repeat(40_000)}\r\n`);
  expect(csv.status, csv.body).toBe(413);
  expect(csv.json.detail).toMatch(/A cell on row 2 is longer than 32,767 characters/);
});

it('refuses more than 1,000,000 rows with a 413 naming the limit, in XLSX and CSV', async () => {
  const xlsx = await upload('officials.xlsx', await xlsxWithRows(1_000_001));
  expect(xlsx.status, xlsx.body).toBe(413);
  expect(xlsx.json.detail).toMatch(/more than 1,000,000 rows/);

  const csv = await upload('officials.csv', `external_id\n${'1\n'.repeat(1_000_001)}`);
  expect(csv.status, csv.body).toBe(413);
  expect(csv.json.detail).toMatch(/more than 1,000,000 rows/);

  // At the limit itself the rows are read (and checked as usual).
  const atLimit = await upload('officials.csv', `external_id,first_name\n${'"a,b",x\n'.repeat(3)}`);
  expect(atLimit.status, atLimit.body).toBe(201);
});

it('a NUL byte in a CSV cell is an error on its row and column, not a 500 or a silent import', async () => {
  const rows = officialRows(3);
  rows[1]![1] = 'Ben\u0000ny';
  const res = await upload('officials.csv', writeCsv(header('officials'), rows));
  expect(res.status, res.body).toBe(201);
  expect(res.json).toMatchObject({ status: 'invalid', errorCount: 1 });
  expect(res.json.errors).toEqual([
    {
      row: 3,
      column: 'first_name',
      message:
        'This cell holds a NUL character (byte 0), which is not allowed. Save the file again as plain text.',
    },
  ]);
});

it.each([
  ['without a boundary', () => 'multipart/form-data', (b: Buffer) => b],
  ['cut off in the middle of the file', undefined, (b: Buffer) => b.subarray(0, b.length - 40)],
])('refuses a form %s with a 400 problem naming the body', async (_, type, cut) => {
  const form = multipart([
    { name: 'kind', data: 'officials' },
    { name: 'dryRun', data: 'true' },
    { name: 'file', filename: 'o.csv', data: writeCsv(header('officials'), officialRows(2)) },
  ]);
  const res = await admin.request('POST', '/api/imports', cut(form.payload), {
    'content-type': type?.() ?? form.headers['content-type']!,
  });
  expect(res.status, res.body).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json.errors[0].field).toBe('(body)');
});

it('the command line refuses the XLSX bomb too, before it is read', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-limits-'));
  try {
    const file = path.join(dir, 'officials.xlsx');
    await writeFile(file, await xlsxBomb(300));
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'import', 'officials', file, '--dry-run'],
        { env: { ...process.env, DATABASE_URL: t.dbUrl, DEMO_DATA: 'false', LOG_LEVEL: 'silent' } },
      );
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('close', (c) => resolve({ code: c, out: text }));
      child.stdin.end();
    });
    expect(out).toContain('expands to more than 200 MB when unpacked');
    expect(code).toBe(1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
