/**
 * Import benchmark (issue 7): N historic attendance rows imported through the
 * real import path (CSV parse, every row validated, one transaction, batched
 * inserts, idempotency keys, status recompute), against an embedded
 * PostgreSQL started for the run.
 *
 *   npx tsx bench/import.ts [--n 100000] [--officials 1000]
 *
 * In the same run it COPYs the same rows (as CSV text) into a bare table with
 * the same columns and no indexes or constraints: the floor any import must
 * pay. Prints rows per second for both and the ratio.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { systemCtx } from '../src/server/context.js';
import { runCertificationSweep } from '../src/server/modules/certification/evaluation.js';
import { runImport } from '../src/server/modules/imports/imports.service.js';
import { creditRows, header, officialRows } from '../src/server/modules/imports/testdata.js';
import { writeCsv } from '../src/server/modules/imports/write.js';
import { fmt, numberArg as arg, withBenchApp } from './app-database.js';

const N = arg('n', '100000');
const OFFICIALS = arg('officials', '1000');

await withBenchApp('importbench', async ({ url, db, config, mailer }) => {
  const ctx = systemCtx({ config, db, mailer, now: () => new Date() }, 'bench');

  const officials = await runImport(ctx, {
    kind: 'officials',
    filename: 'officials.csv',
    input: Buffer.from(writeCsv(header('officials'), officialRows(OFFICIALS))),
    dryRun: false,
  });
  if (officials.status !== 'succeeded') throw new Error(`officials: ${officials.message}`);

  const rows = creditRows(N, OFFICIALS);
  const csv = Buffer.from(writeCsv(header('credits'), rows));
  console.log(
    `${fmt(N)} attendance rows for ${fmt(OFFICIALS)} officials (${(csv.length / 1e6).toFixed(1)} MB of CSV)`,
  );

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
    Readable.from([csv]),
    client.query(copyFrom(`copy bare_import from stdin with (format csv, header true)`)),
  );
  const copySeconds = (performance.now() - c0) / 1000;
  const copied = Number((await client.query('select count(*) as n from bare_import')).rows[0].n);
  await client.end();

  // The real import path: parse, validate every row, one transaction, batched inserts.
  let lastPhase = '';
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  const run = await runImport(ctx, {
    kind: 'credits',
    filename: 'history.csv',
    input: csv,
    dryRun: false,
    onProgress: (p) => {
      if (p.phase !== lastPhase) {
        phases[p.phase] = performance.now();
        lastPhase = p.phase;
      }
    },
  });
  const importSeconds = (performance.now() - t0) / 1000;
  if (run.status !== 'succeeded' || run.created !== N)
    throw new Error(`import: ${run.status} ${run.message}`);
  // For scale: the status recompute the import ends with, alone (the scheduled sweep does the same work).
  const s0 = performance.now();
  const sweep = await runCertificationSweep(
    { config, db, mailer, now: () => new Date() },
    { everyone: true },
  );
  const sweepSeconds = (performance.now() - s0) / 1000;
  const second = performance.now();
  const again = await runImport(ctx, { kind: 'credits', filename: 'history.csv', input: csv, dryRun: false });
  const againSeconds = (performance.now() - second) / 1000;

  const span = (a: string, b: string) => ((phases[b]! - phases[a]!) / 1000).toFixed(1);
  console.log(
    [
      `COPY into a bare table:   ${fmt(copied)} rows in ${copySeconds.toFixed(2)} s = ${fmt(copied / copySeconds)} rows/s`,
      `civiccert import credits: ${fmt(run.created)} rows in ${importSeconds.toFixed(2)} s = ${fmt(N / importSeconds)} rows/s` +
        ` (read ${span('reading', 'validating')} s, validate ${span('validating', 'importing')} s, write+recompute ${span('importing', 'done')} s)`,
      `ratio: the import takes ${(importSeconds / copySeconds).toFixed(1)}× as long as COPY`,
      `status recompute alone (certification sweep): ${fmt(sweep.evaluated)} officials in ${sweepSeconds.toFixed(1)} s`,
      `same file again (idempotent): ${again.unchanged} unchanged, ${again.created} new, in ${againSeconds.toFixed(2)} s`,
    ].join('\n'),
  );
});
