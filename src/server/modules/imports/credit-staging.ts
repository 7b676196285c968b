/**
 * The credit import's staging table (issue 14, item 5; ADR 0016). The rows of the file are
 * COPYed, as they are read, into a temporary table that lives for the import's transaction; the
 * checks that need the database (whose record each row is, an external id on two rows, an
 * external id imported before) are made set-based over it in SQL, each giving its row and
 * column; and the new records, their idempotency keys and the queue of people whose status must
 * be recomputed are written from it with INSERT … SELECT. Nothing in here holds the file's rows
 * in memory. The checks of one row's own cells (dates, numbers, program, course, category) are
 * made in imports.service.ts while the row streams past, against the programs' catalogs, which
 * are small and already in memory.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ImportIssue } from '../../../contract/imports.js';
import type { Ctx } from '../../context.js';
import type { Tx } from '../../db/database.js';
import { appendCreditsFrom } from '../certification/ledger.js';
import { queueStatusFrom } from '../status-queue/queue.js';

/** One data row of a credit file as staged. */
export interface StagedCredit {
  row: number;
  /** The row's external id when it is present and short enough; else null (already an issue). */
  ext: string | null;
  officialExt: string | null;
  /** Lower case. */
  officialEmail: string | null;
  /** The record to append, when every cell of the row passed its own checks; else null. */
  credit: {
    programId: string;
    amount: number;
    category: string;
    sponsored: boolean;
    sourceType: string;
    courseCode: string | null;
    title: string | null;
    earnedOn: string;
    note: string | null;
    /**
     * The idempotency fingerprint without its first element (the person, known only here):
     * the JSON array's text from the first comma on, so the whole is `["<person id>",` + tail.
     */
    fingerprintTail: string;
  } | null;
}

const COLUMNS = [
  'row_no',
  'ext',
  'off_ext',
  'off_email',
  'ok',
  'program_id',
  'amount',
  'category',
  'sponsored',
  'source_type',
  'course_code',
  'title',
  'earned_on',
  'note',
  'fp_tail',
] as const;

/** Creates the staging table, dropped when the transaction ends (committed or not). */
export async function createCreditStage(tx: Tx): Promise<void> {
  await sql`
    create temp table credit_stage (
      row_no integer not null,
      ext text,
      off_ext text,
      off_email text,
      ok boolean not null,
      program_id uuid,
      amount numeric,
      category text,
      sponsored boolean,
      source_type text,
      course_code text,
      title text,
      earned_on date,
      note text,
      fp_tail text
    ) on commit drop
  `.execute(tx);
}

/** A cell of COPY's CSV format: unquoted empty is NULL, a quoted string is text (even empty). */
const csvValue = (v: string | number | boolean | null): string =>
  v === null ? '' : typeof v === 'string' ? `"${v.replaceAll('"', '""')}"` : String(v);

const FLUSH_CHARS = 1 << 16;

/**
 * COPYs staged rows into credit_stage on `client`, which must be the connection of the
 * transaction that created it. Rows are sent in chunks of about 64 KB and the writer waits when
 * the connection is behind, so memory stays flat whatever the file's size.
 */
export class CreditStageWriter {
  private readonly sink: ReturnType<typeof copyFrom>;
  private readonly done: Promise<void>;
  private chunk: string[] = [];
  private chars = 0;
  rows = 0;

  constructor(client: pg.PoolClient) {
    this.sink = client.query(
      copyFrom(`copy credit_stage (${COLUMNS.join(', ')}) from stdin with (format csv)`),
    );
    this.done = finished(this.sink);
    this.done.catch(() => {}); // awaited in end() or abort()
  }

  async write(r: StagedCredit): Promise<void> {
    const c = r.credit;
    const line = [
      r.row,
      r.ext,
      r.officialExt,
      r.officialEmail,
      c !== null,
      c?.programId ?? null,
      c?.amount ?? null,
      c?.category ?? null,
      c?.sponsored ?? null,
      c?.sourceType ?? null,
      c?.courseCode ?? null,
      c?.title ?? null,
      c?.earnedOn ?? null,
      c?.note ?? null,
      c?.fingerprintTail ?? null,
    ]
      .map(csvValue)
      .join(',');
    this.chunk.push(line, '\n');
    this.chars += line.length + 1;
    this.rows++;
    if (this.chars >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.chunk.length === 0) return;
    const text = this.chunk.join('');
    this.chunk = [];
    this.chars = 0;
    if (!this.sink.write(text)) await once(this.sink, 'drain');
  }

  /** Sends the last rows and waits until PostgreSQL has them all. */
  async end(): Promise<void> {
    await this.flush();
    this.sink.end();
    await this.done;
  }

  /** Cancels the COPY (the transaction then rolls back) and waits until the connection is free. */
  async abort(e: Error): Promise<void> {
    this.sink.destroy(e);
    await this.done.catch(() => {});
  }
}

/** The end of the message for a row imported before with other values (as planCredits said it). */
const DIFFERENT_BEFORE =
  'was imported before with different values. Ledger records are never changed: reverse it in CivicCert and import the corrected row under a new external id.';

/**
 * Resolves each staged row's person and earlier import, set-based, into credit_checked, and
 * returns the issues found there (the first `limit` by row, and how many in all) and what the
 * import would do: how many rows are new and how many were imported before unchanged.
 */
export async function checkCreditStage(
  tx: Tx,
  limit: number,
): Promise<{ issues: ImportIssue[]; issueCount: number; created: number; unchanged: number }> {
  await sql`analyze credit_stage`.execute(tx);
  // An external id on two rows is found by grouping (a hash of the ids), not by sorting the whole
  // staged file for a window over it; a row's first_row is the first row with its id, else its own.
  // person_ok repeats whoseRow's rule: by external id when given (and its e-mail must agree),
  // else by e-mail. A row is clean when its own cells passed, its external id is on no earlier
  // row, and its person is known; a clean row whose key was imported before with another
  // fingerprint is an error, with the same one it is unchanged, without one it is new.
  await sql`
    create temp table credit_checked on commit drop as
    select d.*, case when d.clean and d.had is null then gen_random_uuid() end as id
    from (
      select c.*,
        c.ok and c.ext is not null and c.first_row = c.row_no and c.person_ok as clean,
        '["' || c.person_id || '",' || c.fp_tail as fp
      from (
        select s.*,
          coalesce(dup.first_row, s.row_no) as first_row,
          pe.id as pe_id, pe.email as pe_email, pm.id as pm_id,
          case when s.off_ext is not null
            then pe.id is not null and (s.off_email is null or pe.email = s.off_email)
            else pm.id is not null end as person_ok,
          coalesce(pe.id, pm.id) as person_id,
          k.fingerprint as had
        from credit_stage s
        left join (
          select ext, min(row_no) as first_row from credit_stage
          where ext is not null group by ext having count(*) > 1
        ) dup on dup.ext = s.ext
        left join person pe on pe.external_id = s.off_ext
        left join person pm on s.off_ext is null and pm.email = s.off_email
        left join import_key k on k.kind = 'credit' and k.external_id = s.ext
      ) c
    ) d
  `.execute(tx);
  const found = await sql<{ row_no: number; col: string; message: string; total: string }>`
    select c.row_no, i.col, i.message, count(*) over () as total
    from credit_checked c
    cross join lateral (values
      (case when c.ext is not null and c.first_row < c.row_no then 'external_id' end,
        format('External id "%s" is also on row %s.', c.ext, c.first_row)),
      (case when c.off_ext is not null and c.pe_id is null then 'official_external_id' end,
        format('There is no official with external id "%s". Import the officials first.', c.off_ext)),
      (case when c.off_ext is null and c.off_email is not null and c.pm_id is null then 'official_email' end,
        format('There is no official with the e-mail address %s.', c.off_email)),
      (case when c.pe_id is not null and c.off_email is not null and c.pe_email <> c.off_email
        then 'official_email' end,
        format('Official "%s" has the e-mail address %s, not %s.', c.off_ext, c.pe_email, c.off_email)),
      (case when c.clean and c.had <> c.fp then 'external_id' end,
        format('Credit record "%s" %s', c.ext, ${DIFFERENT_BEFORE}::text))
    ) as i(col, message)
    where i.col is not null
      -- A clean row imported before unchanged, or new, has none of these: most rows, skipped here.
      and (c.clean and (c.had is null or c.had = c.fp)) is not true
    order by c.row_no, i.col
    limit ${limit}
  `.execute(tx);
  const counts = await sql<{ created: string; unchanged: string }>`
    select count(*) filter (where clean and had is null) as created,
      count(*) filter (where clean and had = fp) as unchanged
    from credit_checked
  `.execute(tx);
  return {
    issues: found.rows.map((r) => ({ row: r.row_no, column: r.col, message: r.message })),
    issueCount: Number(found.rows[0]?.total ?? 0),
    created: Number(counts.rows[0]!.created),
    unchanged: Number(counts.rows[0]!.unchanged),
  };
}

/**
 * Writes the new rows of a checked stage: ledger records (through the ledger's set-based append),
 * their idempotency keys, and the people whose status must be recomputed, queued quietly for the
 * sweep rather than evaluated here. Returns the programs queued in.
 */
export async function writeCreditStage(tx: Tx, ctx: Ctx, runId: string): Promise<string[]> {
  await appendCreditsFrom(
    tx,
    ctx,
    sql`select id, person_id, program_id, amount, category, sponsored, source_type, course_code,
      title, earned_on from credit_checked where id is not null`,
  );
  await sql`
    insert into import_key (kind, external_id, entity_id, fingerprint, note, run_id)
    select 'credit', ext, id, fp, note, ${runId}::uuid from credit_checked where id is not null
  `.execute(tx);
  await queueStatusFrom(
    tx,
    sql`select program_id, person_id from credit_checked where id is not null`,
    'import',
  );
  const programs = await sql<{ program_id: string }>`
    select distinct program_id from credit_checked where id is not null
  `.execute(tx);
  return programs.rows.map((r) => r.program_id);
}
