import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDatabase, type Database } from '../../db/database.js';
import { loadDemoData } from '../demo/demo.service.js';
import { reportSnapshot } from '../reports/reports.service.js';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { backupDatabase, restoreDatabase } from './backup.service.js';

let t: TestApp;
let dir: string;
let file: string;
const created: string[] = [];

/** A brand-new database with nothing in it (not even migrations). */
async function emptyDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `r_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database ${name} template template0`);
  await c.end();
  created.push(name);
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

async function rowCounts(url: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const tables = await c.query<{ t: string }>(
    `select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const out: Record<string, number> = {};
  for (const { t } of tables.rows) {
    // The tally is derived by triggers as report_official loads, and left out of backups (migration 0041).
    if (t.startsWith('kysely_') || t === 'report_official_tally') continue;
    out[t] = Number((await c.query(`select count(*) as n from "${t}"`)).rows[0].n);
  }
  await c.end();
  return out;
}

async function snapshots(db: Database) {
  const programs = await db.selectFrom('program').select(['id', 'code']).orderBy('code').execute();
  return Promise.all(programs.map((p) => reportSnapshot(db, { programId: p.id, asOf: '2026-11-20' })));
}

beforeAll(async () => {
  t = await createTestApp();
  await loadDemoData(t.deps, { force: true });
  dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-backup-'));
  file = path.join(dir, 'civiccert.backup.gz');
}, 300_000);

afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await c.connect();
  for (const name of created) await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
});

it('backup → restore into an empty database gives identical row counts and report numbers', async () => {
  const header = await backupDatabase(t.dbUrl, file);
  const counts = await rowCounts(t.dbUrl);
  expect(Object.fromEntries(header.tables.map((x) => [x.name, x.rows]))).toEqual(counts);
  expect(counts.person).toBeGreaterThan(300);
  expect(counts.credit_record).toBeGreaterThan(0);
  expect(counts.award).toBeGreaterThan(0);

  const target = await emptyDatabase();
  const res = await restoreDatabase(target, file);
  expect(res.tables).toBe(Object.keys(counts).length);
  expect(await rowCounts(target)).toEqual(counts);

  const restored = createDatabase(target, { poolMax: 2, statementTimeoutMs: 30_000 });
  try {
    expect(await snapshots(restored)).toEqual(await snapshots(t.db));
    // The renewal-state tally, rebuilt by the triggers while report_official loaded, counts its rows.
    const tally = (db: Database) =>
      sql<{ program_id: string; renewal_state: string; n: number }>`
        select program_id, renewal_state, sum(n)::int as n from report_official_tally
         group by 1, 2 having sum(n) <> 0 order by 1, 2`
        .execute(db)
        .then((r) => r.rows);
    const counted = await sql<{ program_id: string; renewal_state: string; n: number }>`
      select program_id, renewal_state, count(*)::int as n from report_official
       where renewal_state is not null group by 1, 2 order by 1, 2`.execute(restored);
    expect(counted.rows.length).toBeGreaterThan(0);
    expect(await tally(restored)).toEqual(counted.rows);
    expect(await tally(restored)).toEqual(await tally(t.db));
    // Sequences continue after the restored rows: the next certificate number is a new one.
    const seq = await sql<{ n: string }>`select nextval('award_certificate_seq') as n`.execute(restored);
    const saved = header.sequences.find((s) => s.name === 'award_certificate_seq')!.value!;
    expect(Number(seq.rows[0]!.n)).toBe(saved + 1);
  } finally {
    await restored.destroy();
  }

  // Restoring again into the now non-empty database is refused, and changes nothing.
  await expect(restoreDatabase(target, file)).rejects.toThrow(/The database is not empty/);
  expect(await rowCounts(target)).toEqual(counts);
}, 300_000);

it('a truncated or corrupted file gives a clear error and leaves the target untouched', async () => {
  await backupDatabase(t.dbUrl, file);
  const bytes = await readFile(file);
  const truncated = path.join(dir, 'truncated.gz');
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const flipped = path.join(dir, 'flipped.gz');
  const copy = Buffer.from(bytes);
  for (let i = Math.floor(copy.length / 3); i < copy.length / 3 + 64; i++) copy[i] = copy[i]! ^ 0xff;
  await writeFile(flipped, copy);
  const notBackup = path.join(dir, 'notes.txt');
  await writeFile(notBackup, 'hello');

  const target = await emptyDatabase();
  const before = await rowCounts(target);
  await expect(restoreDatabase(target, truncated)).rejects.toThrow(/damaged or incomplete/);
  await expect(restoreDatabase(target, flipped)).rejects.toThrow(/damaged or incomplete/);
  await expect(restoreDatabase(target, notBackup)).rejects.toThrow(
    /damaged or incomplete|not a CivicCert backup/,
  );
  expect(await rowCounts(target)).toEqual(before);
  expect(before).toEqual({}); // not even migrated
}, 300_000);

it('an encrypted backup restores with its key, and is refused without it or with another key', async () => {
  const key = randomBytes(32);
  const encrypted = path.join(dir, 'encrypted.backup');
  const header = await backupDatabase(t.dbUrl, encrypted, new Date(), { encryptWith: key });
  const bytes = await readFile(encrypted);
  // Not a gzip file anyone can open: the magic line, then nothing readable.
  expect(bytes.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(false);
  expect(bytes.subarray(0, 26).toString()).toBe('CIVICCERT-ENCRYPTED-BACKUP');
  const email = (await t.db.selectFrom('person').select('email').executeTakeFirstOrThrow()).email;
  expect(bytes.includes(Buffer.from('CIVICCERT-BACKUP'))).toBe(false);
  expect(bytes.includes(Buffer.from(email))).toBe(false);

  const target = await emptyDatabase();
  await expect(restoreDatabase(target, encrypted)).rejects.toThrow(
    /This backup is encrypted\. Set BACKUP_KEY/,
  );
  await expect(restoreDatabase(target, encrypted, { key: randomBytes(32) })).rejects.toThrow(
    /BACKUP_KEY is not the key this backup was encrypted with/,
  );
  const flipped = path.join(dir, 'encrypted-flipped.backup');
  const copy = Buffer.from(bytes);
  copy[Math.floor(copy.length / 2)] = copy[Math.floor(copy.length / 2)]! ^ 0x01;
  await writeFile(flipped, copy);
  await expect(restoreDatabase(target, flipped, { key })).rejects.toThrow(/damaged or incomplete/);
  expect(await rowCounts(target)).toEqual({}); // untouched: not even migrated

  const res = await restoreDatabase(target, encrypted, { key });
  expect(res.rows).toBe(header.tables.reduce((n, x) => n + x.rows, 0));
  expect(await rowCounts(target)).toEqual(await rowCounts(t.dbUrl));
}, 300_000);
