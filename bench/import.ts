/**
 * Import benchmark (issues 7 and 14): N historic attendance rows imported through the real import
 * path (streamed CSV parse, each row's own checks, COPY into a staging table, the set-based checks,
 * INSERT … SELECT into the ledger with idempotency keys, one transaction; then the status
 * recompute of the people imported, after the commit), against an embedded PostgreSQL started
 * for the run.
 *
 *   npx tsx bench/import.ts [--n 100000] [--officials 1000]
 *   npx tsx bench/import.ts --n 1000000          # peak memory at the row limit
 *
 * The file is written to a temporary file in parts and read back as a stream, as the command line
 * does, so the bench itself holds no copy of it. In the same run it COPYs the same file into a
 * bare table with the same columns and no indexes or constraints: the floor any import must pay.
 * Prints rows per second for both, the ratio, and the process's peak resident memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { systemCtx } from '../src/server/context.js';
import { runImport } from '../src/server/modules/imports/imports.service.js';
import { creditRows, header, officialRows } from '../src/server/modules/imports/testdata.js';
import { csvCell, writeCsv } from '../src/server/modules/imports/write.js';
import { fmt, numberArg as arg, withBenchApp } from './app-database.js';

const N = arg('n', '100000');
const OFFICIALS = arg('officials', '1000');
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

/** Writes the attendance file in parts of 10,000 rows (the same rows as creditRows(N) in one go). */
async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(header('credits').map(csvCell).join(',') + '\r\n');
  const part = 10_000;
  for (let i = 0; i < N; i += part) {
    const rows = creditRows(Math.min(part, N - i), OFFICIALS, { start: i });
    await write(rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n');
  }
  out.end();
  await once(out, 'finish');
}

const dir = await mkdtemp(join(tmpdir(), 'importbench-'));
const file = join(dir, 'history.csv');
try {
  await withBenchApp('importbench', async ({ url, db, config, mailer }) => {
    const ctx = systemCtx({ config, db, mailer, now: () => new Date() }, 'bench');

    const officials = await runImport(ctx, {
      kind: 'officials',
      filename: 'officials.csv',
      input: Buffer.from(writeCsv(header('officials'), officialRows(OFFICIALS))),
      dryRun: false,
    });
    if (officials.status !== 'succeeded') throw new Error(`officials: ${officials.message}`);

    await writeFile(file);
    const size = (await stat(file)).size;
    console.log(
      `${fmt(N)} attendance rows for ${fmt(OFFICIALS)} officials (${(size / 1e6).toFixed(1)} MB of CSV)`,
    );
    const rssBefore = process.resourceUsage().maxRSS;

    // Baseline: COPY the same CSV into a bare table with the same columns.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      `create table bare_import (${header('credits')
        .map((c) => `${c} text`)
        .join(', ')})`,
    );
    const c0 = performance.now();
    await pipeline(
      createReadStream(file),
      client.query(copyFrom(`copy bare_import from stdin with (format csv, header true)`)),
    );
    const copySeconds = (performance.now() - c0) / 1000;
    const copied = Number((await client.query('select count(*) as n from bare_import')).rows[0].n);
    await client.end();

    // The real import path.
    let lastPhase = '';
    const phases: Record<string, number> = {};
    const t0 = performance.now();
    const run = await runImport(ctx, {
      kind: 'credits',
      filename: 'history.csv',
      input: createReadStream(file),
      format: 'csv',
      dryRun: false,
      onProgress: (p) => {
        if (p.phase !== lastPhase) {
          phases[p.phase] = performance.now();
          lastPhase = p.phase;
        }
      },
    });
    const allSeconds = (performance.now() - t0) / 1000;
    if (run.status !== 'succeeded' || run.created !== N)
      throw new Error(`import: ${run.status} ${run.message}`);
    const importSeconds = (phases.done! - t0) / 1000;
    const rssImport = process.resourceUsage().maxRSS;
    const second = performance.now();
    const again = await runImport(ctx, {
      kind: 'credits',
      filename: 'history.csv',
      input: createReadStream(file),
      format: 'csv',
      dryRun: false,
    });
    const againSeconds = (performance.now() - second) / 1000;

    const span = (a: string, b: string) => ((phases[b]! - phases[a]!) / 1000).toFixed(1);
    console.log(
      [
        `COPY into a bare table:   ${fmt(copied)} rows in ${copySeconds.toFixed(2)} s = ${fmt(copied / copySeconds)} rows/s`,
        `civiccert import credits: ${fmt(run.created)} rows in ${importSeconds.toFixed(2)} s = ${fmt(N / importSeconds)} rows/s to the commit` +
          ` (read+check+stage ${span('reading', 'validating')} s, set-based checks ${span('validating', 'importing')} s, write ${span('importing', 'done')} s)`,
        `ratio: the import takes ${(importSeconds / copySeconds).toFixed(1)}× as long as COPY`,
        `status recompute after the commit (status queue): ${(allSeconds - importSeconds).toFixed(1)} s; import and recompute ${allSeconds.toFixed(1)} s`,
        `same file again (idempotent): ${again.unchanged} unchanged, ${again.created} new, in ${againSeconds.toFixed(2)} s`,
        `peak resident memory of this process: ${mb(rssBefore)} before the import, ${mb(rssImport)} after it`,
      ].join('\n'),
    );
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
