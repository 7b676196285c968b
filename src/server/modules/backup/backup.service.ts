/**
 * Whole-database backup and restore without pg_dump (see ADR 0009).
 *
 * A backup is one REPEATABLE READ, READ ONLY transaction: every table of the
 * public schema is copied out with COPY … TO STDOUT (text format) into a
 * gzip file that starts with a header: the format version, the migrations
 * applied, each table's columns and row count, and every sequence's value.
 *
 * A restore reads the whole file once to check it (gzip checksum, header,
 * every table's row count, the end marker) before it touches the database;
 * refuses a database that holds data; migrates an empty database to the
 * backup's migrations (no further); then loads every table with COPY … FROM
 * STDIN in foreign-key order in one transaction, sets the sequences, and
 * checks every table's row count before committing.
 *
 * An encrypted backup (`--encrypt`, BACKUP_KEY) is the same gzip stream sealed
 * with AES-256-GCM: a plain magic line, a random nonce, a key check value,
 * the ciphertext and the authentication tag. A restore detects it, checks the
 * key before anything else and the tag at the end of each pass over the file.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrations } from '../../db/migrations/index.js';

export const BACKUP_MAGIC = 'CIVICCERT-BACKUP';
export const BACKUP_FORMAT = 1;
/** The first line of an encrypted backup; the gzip stream inside is an ordinary backup. */
export const ENCRYPTED_MAGIC = 'CIVICCERT-ENCRYPTED-BACKUP 1\n';
const NONCE_BYTES = 12;
const CHECK_BYTES = 16;
const TAG_BYTES = 16;
const ENCRYPTED_PREAMBLE = Buffer.byteLength(ENCRYPTED_MAGIC) + NONCE_BYTES + CHECK_BYTES;

/** Tells a wrong key at once (before a whole pass ends in a failed tag); reveals nothing about it. */
const keyCheck = (key: Buffer, nonce: Buffer): Buffer =>
  createHmac('sha256', key)
    .update('civiccert backup key check')
    .update(nonce)
    .digest()
    .subarray(0, CHECK_BYTES);

/** Tables a fresh installation fills by itself (reference data): a database holding only these is empty. */
const REFERENCE_TABLES = ['jurisdiction', 'program', 'program_version'];

export interface BackupHeader {
  format: number;
  createdAt: string;
  postgres: string;
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number }[];
  sequences: { name: string; value: number | null }[];
}

export class BackupError extends Error {}

const damaged = (why: string) =>
  new BackupError(`The backup file is damaged or incomplete: ${why}. Nothing was restored.`);

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: 'civiccert-backup' });
  await c.connect();
  return c;
}

/**
 * Tables whose rows triggers derive while the others load, and which a backup leaves out:
 * `report_official_tally` (migration 0041) is appended to by every statement that changes
 * `report_official`, so loading `report_official` (its rows deleted, then the backup's copied in)
 * leaves it exact; loading its own rows as well would count them twice.
 */
const DERIVED_TABLES = ['report_official_tally'];

async function publicTables(c: pg.Client): Promise<string[]> {
  const r = await c.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely\\_%'
        and table_name <> all($1::text[])
      order by table_name`,
    [DERIVED_TABLES],
  );
  return r.rows.map((x) => x.name);
}

async function columnsOf(c: pg.Client, table: string): Promise<string[]> {
  const r = await c.query<{ name: string }>(
    `select attname as name from pg_attribute
      where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = ''
      order by attnum`,
    [`public.${ident(table)}`],
  );
  return r.rows.map((x) => x.name);
}

async function appliedMigrations(c: pg.Client): Promise<string[]> {
  const exists = await c.query(
    `select 1 from information_schema.tables where table_schema = 'public' and table_name = 'kysely_migration'`,
  );
  if (!exists.rowCount) return [];
  const r = await c.query<{ name: string }>('select name from kysely_migration order by name');
  return r.rows.map((x) => x.name);
}

/** Writes the whole database to `file` (gzip), through a temporary file renamed at the end. */
export async function backupDatabase(
  url: string,
  file: string,
  now: Date = new Date(),
  opts: { encryptWith?: Buffer | null } = {},
): Promise<BackupHeader> {
  const tmp = `${file}.partial-${process.pid}`;
  const c = await connect(url);
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(tmp, { mode: 0o600 });
  const key = opts.encryptWith;
  if (key) {
    const nonce = randomBytes(NONCE_BYTES);
    out.write(Buffer.concat([Buffer.from(ENCRYPTED_MAGIC), nonce, keyCheck(key, nonce)]));
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(ENCRYPTED_MAGIC));
    cipher.on('end', () => out.end(cipher.getAuthTag()));
    cipher.on('error', (e) => out.destroy(e));
    gzip.pipe(cipher).pipe(out, { end: false });
  } else gzip.pipe(out);
  const write = async (chunk: string | Buffer) => {
    if (!gzip.write(chunk)) await new Promise<void>((resolve) => gzip.once('drain', resolve));
  };
  try {
    await c.query('begin isolation level repeatable read read only');
    // Sections are written in reference order, so a restore loads them in one pass.
    const tables = await loadOrder(c, await publicTables(c));
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      createdAt: now.toISOString(),
      postgres: (await c.query<{ v: string }>('show server_version')).rows[0]!.v,
      migrations: await appliedMigrations(c),
      tables: [],
      sequences: [],
    };
    for (const t of tables) {
      const n = await c.query<{ n: string }>(`select count(*) as n from public.${ident(t)}`);
      header.tables.push({ name: t, columns: await columnsOf(c, t), rows: Number(n.rows[0]!.n) });
    }
    const seqs = await c.query<{ name: string; value: string | null }>(
      `select sequencename as name, last_value as value from pg_sequences where schemaname = 'public' order by sequencename`,
    );
    header.sequences = seqs.rows.map((s) => ({
      name: s.name,
      value: s.value === null ? null : Number(s.value),
    }));
    await write(`${BACKUP_MAGIC} ${BACKUP_FORMAT}\n${JSON.stringify(header)}\n`);
    for (const t of header.tables) {
      await write(`@table ${t.name}\n`);
      const stream = c.query(
        copyTo(`copy public.${ident(t.name)} (${t.columns.map(ident).join(', ')}) to stdout`),
      );
      for await (const chunk of stream as AsyncIterable<Buffer>) await write(chunk);
      await write('\\.\n');
    }
    await write('@end\n');
    await c.query('commit');
    gzip.end();
    await finished(out);
    await rename(tmp, file);
    return header;
  } catch (e) {
    gzip.destroy();
    out.destroy();
    await rm(tmp, { force: true });
    await c.query('rollback').catch(() => 0);
    throw e;
  } finally {
    await c.end();
  }
}

/**
 * The gzip bytes of a backup file: the file itself, or for an encrypted one
 * the decrypted content (refused at once without the key or with another
 * key; a changed byte fails the tag check when the stream ends).
 */
async function gzipStream(file: string, key: Buffer | null): Promise<Readable> {
  let head: Buffer;
  let size: number;
  try {
    const fh = await open(file, 'r');
    try {
      size = (await fh.stat()).size;
      const buf = Buffer.alloc(ENCRYPTED_PREAMBLE);
      const { bytesRead } = await fh.read(buf, 0, ENCRYPTED_PREAMBLE, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BackupError(`There is no file ${file}.`);
    throw e;
  }
  const magic = Buffer.from(ENCRYPTED_MAGIC);
  if (!head.subarray(0, magic.length).equals(magic)) return createReadStream(file);
  if (!key)
    throw new BackupError(
      'This backup is encrypted. Set BACKUP_KEY to the key it was made with and run the restore again. Nothing was restored.',
    );
  if (size < ENCRYPTED_PREAMBLE + TAG_BYTES) throw damaged('it ends too early');
  const nonce = head.subarray(magic.length, magic.length + NONCE_BYTES);
  if (!timingSafeEqual(head.subarray(magic.length + NONCE_BYTES), keyCheck(key, nonce)))
    throw new BackupError(
      'BACKUP_KEY is not the key this backup was encrypted with. Set the key it was made with. Nothing was restored.',
    );
  const tag = Buffer.alloc(TAG_BYTES);
  const fh = await open(file, 'r');
  try {
    await fh.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await fh.close();
  }
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(magic);
  decipher.setAuthTag(tag);
  const input = createReadStream(file, { start: ENCRYPTED_PREAMBLE, end: size - TAG_BYTES - 1 });
  input.on('error', (e) => decipher.destroy(e));
  return input.pipe(decipher);
}

/** The lines of a (decrypted) gzip file, as strings without the newline. Gzip and read errors surface here. */
async function* lines(file: string, key: Buffer | null): AsyncGenerator<string> {
  const input = await gzipStream(file, key);
  const gunzip = createGunzip();
  input.on('error', (e) =>
    gunzip.destroy(
      e instanceof BackupError || (e as NodeJS.ErrnoException).code
        ? e
        : damaged('the encrypted content does not match its authentication tag'),
    ),
  );
  input.pipe(gunzip);
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const text = rest + chunk.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) yield p;
    }
  } catch (e) {
    if (e instanceof BackupError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new BackupError(`There is no file ${file}.`);
    throw new BackupError(
      `The backup file is damaged or incomplete (${err.code === 'Z_BUF_ERROR' ? 'it ends too early' : err.message}). Nothing was restored.`,
    );
  }
  if (rest) yield rest;
}

/** Reads the whole file and checks it; returns the header. Touches no database. */
export async function verifyBackup(file: string, key: Buffer | null = null): Promise<BackupHeader> {
  const it = lines(file, key);
  const first = await it.next();
  if (first.done || first.value !== `${BACKUP_MAGIC} ${BACKUP_FORMAT}`) {
    await it.return(undefined);
    if (!first.done && first.value.startsWith(BACKUP_MAGIC))
      throw new BackupError(
        `This backup uses format "${first.value.slice(BACKUP_MAGIC.length + 1)}"; this CivicCert reads format ${BACKUP_FORMAT}.`,
      );
    throw new BackupError('This is not a CivicCert backup file.');
  }
  const h = await it.next();
  let header: BackupHeader;
  try {
    header = JSON.parse(h.done ? '' : h.value) as BackupHeader;
    if (!Array.isArray(header.tables) || !Array.isArray(header.migrations)) throw new Error();
  } catch {
    throw damaged('the header is unreadable');
  }
  let i = 0;
  let current: { name: string; rows: number } | null = null;
  let count = 0;
  let ended = false;
  for await (const line of it) {
    if (ended) throw damaged('there is data after the end marker');
    if (current) {
      if (line === '\\.') {
        if (count !== current.rows)
          throw damaged(`table ${current.name} has ${count} rows, the header says ${current.rows}`);
        current = null;
      } else count++;
      continue;
    }
    if (line === '@end') {
      ended = true;
      continue;
    }
    const m = /^@table (.+)$/.exec(line);
    const expected = header.tables[i];
    if (!m || !expected || m[1] !== expected.name) throw damaged(`unexpected section "${line.slice(0, 60)}"`);
    current = expected;
    count = 0;
    i++;
  }
  if (current || !ended || i !== header.tables.length) throw damaged('it ends too early');
  return header;
}

/**
 * Tables in an order where every table comes after the tables it references. Deferrable
 * references (an event that follows a session, while sessions belong to events) are checked at
 * the restore's commit, so they do not order the tables.
 */
async function loadOrder(c: pg.Client, tables: string[]): Promise<string[]> {
  const r = await c.query<{ child: string; parent: string }>(
    `select cl.relname as child, pcl.relname as parent from pg_constraint k
       join pg_class cl on cl.oid = k.conrelid join pg_namespace n on n.oid = cl.relnamespace
       join pg_class pcl on pcl.oid = k.confrelid
      where k.contype = 'f' and n.nspname = 'public' and k.conrelid <> k.confrelid
        and not k.condeferrable`,
  );
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const e of r.rows) if (deps.has(e.child) && deps.has(e.parent)) deps.get(e.child)!.add(e.parent);
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < tables.length) {
    const next = tables.find((t) => !done.has(t) && [...deps.get(t)!].every((p) => done.has(p)));
    if (!next) throw new BackupError('The tables reference each other in a cycle; cannot order the restore.');
    out.push(next);
    done.add(next);
  }
  return out;
}

/** Migrates an empty database to exactly the backup's migrations. */
async function migrateTo(url: string, names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in migrations));
  if (unknown.length)
    throw new BackupError(
      `The backup was made by a newer CivicCert (migrations ${unknown.join(', ')} are unknown here). Upgrade CivicCert, then restore.`,
    );
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
  });
  try {
    const wanted = Object.fromEntries(names.map((n) => [n, migrations[n]!]));
    const m = new Migrator({
      db,
      provider: { getMigrations: async () => wanted },
      allowUnorderedMigrations: true,
    });
    const res = await m.migrateToLatest();
    if (res.error) throw res.error;
  } finally {
    await db.destroy();
  }
}

export interface RestoreResult {
  header: BackupHeader;
  tables: number;
  rows: number;
}

/** Restores `file` into the (empty) database at `url`; `key` decrypts an encrypted backup. */
export async function restoreDatabase(
  url: string,
  file: string,
  opts: { key?: Buffer | null } = {},
): Promise<RestoreResult> {
  const key = opts.key ?? null;
  const header = await verifyBackup(file, key);
  const c = await connect(url);
  try {
    // Refuse a database that holds anything but reference data, or is at other migrations.
    const existing = await publicTables(c);
    for (const t of existing) {
      if (REFERENCE_TABLES.includes(t)) continue;
      const r = await c.query(`select 1 from public.${ident(t)} limit 1`);
      if (r.rowCount)
        throw new BackupError(
          `The database is not empty (table ${t} has rows). Restore only into a new, empty database, e.g. a new CIVICCERT_DATA_DIR or a new database in DATABASE_URL.`,
        );
    }
    const applied = await appliedMigrations(c);
    const extra = applied.filter((m) => !header.migrations.includes(m));
    if (extra.length)
      throw new BackupError(
        `The database is at newer migrations than the backup (${extra.join(', ')}). Restore into a new, empty database.`,
      );
    await migrateTo(url, header.migrations);
    const present = new Set(await publicTables(c));
    const missing = header.tables.filter((t) => !present.has(t.name)).map((t) => t.name);
    if (missing.length)
      throw new BackupError(`The database has no table ${missing.join(', ')} after migrating.`);
    await c.query('begin');
    try {
      await c.query("set local lock_timeout = '10s'");
      for (const t of [...REFERENCE_TABLES].reverse())
        if (present.has(t)) await c.query(`delete from public.${ident(t)}`);
      await loadSections(c, file, key, new Map(header.tables.map((t) => [t.name, t])));
      for (const t of header.tables) {
        const r = await c.query<{ n: string }>(`select count(*) as n from public.${ident(t.name)}`);
        if (Number(r.rows[0]!.n) !== t.rows)
          throw new BackupError(
            `Table ${t.name} has ${r.rows[0]!.n} rows after loading; the backup has ${t.rows}.`,
          );
      }
      for (const s of header.sequences) {
        if (s.value === null) continue;
        await c.query('select setval($1::regclass, $2, true)', [`public.${ident(s.name)}`, s.value]);
      }
      await c.query('commit');
    } catch (e) {
      await c.query('rollback').catch(() => 0);
      throw e;
    }
    return {
      header,
      tables: header.tables.length,
      rows: header.tables.reduce((n, t) => n + t.rows, 0),
    };
  } finally {
    await c.end();
  }
}

/** One pass over the file: each table section streams into its own COPY … FROM STDIN. */
async function loadSections(
  c: pg.Client,
  file: string,
  key: Buffer | null,
  tables: Map<string, { name: string; columns: string[] }>,
): Promise<void> {
  let sink: Writable | null = null;
  let done: Promise<void> | null = null;
  let header = 0;
  for await (const line of lines(file, key)) {
    if (header < 2) {
      header++;
      continue;
    }
    if (sink) {
      if (line === '\\.') {
        sink.end();
        await done;
        sink = null;
      } else if (!sink.write(line + '\n')) await new Promise<void>((resolve) => sink!.once('drain', resolve));
      continue;
    }
    const m = /^@table (.+)$/.exec(line);
    if (!m) continue;
    const t = tables.get(m[1]!)!;
    // Rows that triggers derived from the tables loaded before (report_official, migration 0038)
    // are replaced by the backup's own.
    await c.query(`delete from public.${ident(t.name)}`);
    sink = c.query(copyFrom(`copy public.${ident(t.name)} (${t.columns.map(ident).join(', ')}) from stdin`));
    done = finished(sink);
  }
}
