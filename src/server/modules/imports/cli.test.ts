/** The real `civiccert` import, export, backup, restore and status commands, run as a user would. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestApp, createTestDatabase, type TestApp } from '../../testing/harness.js';
import { creditRows, header, KS, officialRows } from './testdata.js';
import { writeCsv, type Cell } from './write.js';

let t: TestApp;
let dir: string;
const extraDbs: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-cli-'));
}, 60_000);
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await c.connect();
  for (const name of extraDbs) await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
});

function cli(args: string[], dbUrl = t.dbUrl): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, DATABASE_URL: dbUrl, DEMO_DATA: 'false', LOG_LEVEL: 'silent' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end();
  });
}

const count = async (table: 'person' | 'credit_record' | 'award') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

it('`civiccert import` checks, reports every bad row, imports with progress, and is idempotent', async () => {
  const officials = path.join(dir, 'officials.csv');
  await writeFile(officials, writeCsv(header('officials'), officialRows(25)));
  const dry = await cli(['import', 'officials', officials, '--dry-run']);
  expect(dry.out).toContain(
    'Dry run: all 25 rows are valid: 25 new, 0 changed, 0 unchanged. Nothing was written.',
  );
  expect(dry.code).toBe(0);
  expect(await count('person')).toBe(0);

  const real = await cli(['import', 'officials', officials]);
  expect(real.out).toContain('Imported 25 rows: 25 new, 0 changed, 0 unchanged.');
  // Not a terminal: plain progress lines, ending at 100 %.
  expect(real.out).toMatch(/^100% Importing 25 of 25 rows$/m);
  expect(real.code).toBe(0);

  const rows = creditRows(200, 25);
  rows[3]![6] = 'yesterday';
  rows[150]![1] = 'NOBODY';
  const credits = path.join(dir, 'credits.csv');
  await writeFile(credits, writeCsv(header('credits'), rows));
  const bad = await cli(['import', 'credits', credits]);
  expect(bad.code).toBe(1);
  expect(bad.out).toContain('2 errors in credits.csv:');
  expect(bad.out).toMatch(/^\s+5\s+earned_on\s+"yesterday" is not a date; write it as YYYY-MM-DD\.$/m);
  expect(bad.out).toMatch(/^\s+152\s+official_external_id\s+There is no official with external id "NOBODY"/m);
  expect(bad.out).toContain('2 errors: nothing was imported.');
  expect(await count('credit_record')).toBe(0);

  const good = creditRows(200, 25);
  await writeFile(credits, writeCsv(header('credits'), good));
  const ok = await cli(['import', 'credits', credits]);
  expect(ok.out).toContain('Imported 200 rows: 200 new, 0 changed, 0 unchanged.');
  const again = await cli(['import', 'credits', credits]);
  expect(again.out).toContain('Imported 200 rows: 0 new, 0 changed, 200 unchanged.');
  expect(await count('credit_record')).toBe(200);

  // Person facts: the same checks as the person page, each error on its row and column.
  const factRows: Cell[][] = [
    ['CF-1', 'OFF-00001', null, null, 'date', 'appointment', '2024-01-15', null, null, 'County letter'],
    ['CF-2', 'OFF-00002', null, null, 'exam', 'final', '2024-02-01', 90, null, 'Exam'],
  ];
  const facts = path.join(dir, 'facts.csv');
  await writeFile(facts, writeCsv(header('facts'), factRows));
  const badFacts = await cli(['import', 'facts', facts, '--program', KS, '--dry-run']);
  expect(badFacts.code).toBe(1);
  expect(badFacts.out).toMatch(/^\s+3\s+key\s+.+ has no exam that an exam fact could be about\.$/m);
  await writeFile(facts, writeCsv(header('facts'), factRows.slice(0, 1)));
  const okFacts = await cli(['import', 'facts', facts, '--program', KS]);
  expect(okFacts.out).toContain('Imported 1 rows: 1 new, 0 changed, 0 unchanged.');
  expect(okFacts.code).toBe(0);

  const unknown = await cli(['import', 'badges', credits]);
  expect(unknown.code).toBe(1);
  expect(unknown.out).toContain('Unknown kind "badges": use one of officials, credits, awards, facts.');
}, 180_000);

it('`civiccert export` writes the import format, and the file imports into an empty database unchanged', async () => {
  const file = path.join(dir, 'export-credits.xlsx');
  const officials = path.join(dir, 'export-officials.csv');
  expect((await cli(['export', 'officials', officials])).out).toContain('Exported 25 officials rows');
  const res = await cli(['export', 'credits', file, '--program', 'ks-county-election-official']);
  expect(res.out).toContain(`Exported 200 credits rows to ${file}.`);
  expect((await readFile(officials, 'utf8')).split('\r\n')[0]).toBe(header('officials').join(','));

  const fresh = await createTestDatabase();
  try {
    expect((await cli(['import', 'officials', officials], fresh.url)).out).toContain('25 new');
    expect((await cli(['import', 'credits', file], fresh.url)).out).toContain('Imported 200 rows: 200 new');
    // Person facts after the officials (whose appointment_date the officials file already carries).
    const facts = path.join(dir, 'export-facts.csv');
    expect((await cli(['export', 'facts', facts])).out).toContain(`Exported 1 facts row to ${facts}.`);
    expect((await cli(['import', 'facts', facts], fresh.url)).out).toContain('Imported 1 rows: 1 new');
    const factsBack = path.join(dir, 'facts-back.csv');
    await cli(['export', 'facts', factsBack], fresh.url);
    expect(await readFile(factsBack, 'utf8')).toBe(await readFile(facts, 'utf8'));
    const officialsBack = path.join(dir, 'officials-back.csv');
    await cli(['export', 'officials', officialsBack], fresh.url);
    expect(await readFile(officialsBack, 'utf8')).toContain(',2024-01-15\r\n');
    // Exporting again from the copy gives the same file.
    const back = path.join(dir, 'back.csv');
    const first = path.join(dir, 'first.csv');
    await cli(['export', 'credits', back], fresh.url);
    await cli(['export', 'credits', first]);
    expect(await readFile(back, 'utf8')).toBe(await readFile(first, 'utf8'));
  } finally {
    await fresh.drop();
  }
}, 180_000);

it('`civiccert backup` and `civiccert restore`: into an empty database, refused into one with data', async () => {
  const file = path.join(dir, 'db.backup.gz');
  const b = await cli(['backup', file]);
  expect(b.code).toBe(0);
  expect(b.out).toMatch(/^Backed up \d+ tables \([\d,]+ rows, migrations up to \d{4}_\w+\) to /m);

  const name = `r_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  await admin.query(`create database ${name} template template0`);
  await admin.end();
  extraDbs.push(name);
  const url = inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`);
  const r = await cli(['restore', file], url);
  expect(r.out).toMatch(
    /^Restored \d+ tables \([\d,]+ rows\) from .*every table's row count matches the backup\.$/m,
  );
  expect(r.code).toBe(0);

  const refused = await cli(['restore', file], url);
  expect(refused.code).toBe(1);
  expect(refused.out).toContain('Error: The database is not empty');

  const notThere = await cli(['restore', path.join(dir, 'missing.gz')], url);
  expect(notThere.code).toBe(1);
  expect(notThere.out).toContain('There is no file');
}, 180_000);

it('`civiccert status recompute` runs the certification sweep now', async () => {
  await t.db.deleteFrom('certification_status').execute();
  const res = await cli(['status', 'recompute']);
  expect(res.code).toBe(0);
  expect(res.out).toContain('Recomputed the certification status of 25 enrolled or awarded officials.');
  expect(res.out).toMatch(/^\s+in_progress\s+25$/m);
  const cached = await t.db.selectFrom('certification_status').select('status').execute();
  expect(cached).toHaveLength(25);
}, 120_000);
