/**
 * `civiccert import <officials|credits|awards|facts> FILE [--dry-run] [--program ID]`:
 * the same import the web page runs, with a progress bar on a terminal and
 * plain progress lines otherwise. Every error is printed with its row and
 * column; the exit code is 1 when the file was refused.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Command } from 'commander';
import { importKinds, type ImportKind, type ImportRun } from '../../contract/imports.js';
import { systemCtx } from '../../server/context.js';
import { createMailer } from '../../server/modules/mail/mailer.js';
import { runImport, type Progress } from '../../server/modules/imports/imports.service.js';
import { checkSheetLimits } from '../../server/modules/imports/sheet-limits.js';
import type { Config } from '../../server/config.js';
import type { DatabaseHandle } from '../../server/runtime.js';

export class CliError extends Error {}

/** Opens the database for one command (embedded unless DATABASE_URL is set), migrating unless told not to. */
export type WithDatabase = <T>(
  fn: (h: DatabaseHandle, cfg: Config) => Promise<T>,
  migrate?: boolean,
) => Promise<T>;

export function checkKind(kind: string): ImportKind {
  if (!(importKinds as readonly string[]).includes(kind))
    throw new CliError(`Unknown kind "${kind}": use one of ${importKinds.join(', ')}.`);
  return kind as ImportKind;
}

/** A progress bar on a terminal; a line per phase and per 10 % otherwise. */
export function progressPrinter(out: NodeJS.WriteStream = process.stderr) {
  const tty = !!out.isTTY;
  let lastLine = '';
  let lastTenth = -1;
  let drawn = false;
  return {
    update(p: Progress) {
      if (p.phase === 'done') {
        if (tty && drawn) out.write('\n');
        return;
      }
      const pct = p.total > 0 ? Math.floor((p.processed / p.total) * 100) : 0;
      const label =
        p.phase === 'reading'
          ? `Reading the file… ${p.processed.toLocaleString('en-US')} rows`
          : p.phase === 'validating'
            ? `Checking ${p.total.toLocaleString('en-US')} rows…`
            : `Importing ${p.processed.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} rows`;
      if (tty) {
        const width = 30;
        const filled = p.phase === 'importing' ? Math.round((pct / 100) * width) : 0;
        const bar =
          p.phase === 'importing'
            ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% `
            : '';
        out.write(`\r\x1b[2K${bar}${label}`);
        drawn = true;
        return;
      }
      const tenth = p.phase === 'importing' ? Math.floor(pct / 10) : -1;
      const line = p.phase === 'importing' ? `${tenth * 10}% ${label}` : label.replace(/ \d[\d,]* rows$/, '');
      if (line !== lastLine && (p.phase !== 'importing' || tenth !== lastTenth)) {
        out.write(line + '\n');
        lastLine = line;
        lastTenth = tenth;
      }
    },
  };
}

export function printRun(run: ImportRun, log: (s: string) => void = console.log): void {
  if (run.errorCount > 0) {
    log(`${run.errorCount} ${run.errorCount === 1 ? 'error' : 'errors'} in ${run.filename}:`);
    const w = Math.max(6, ...run.errors.map((e) => e.column.length));
    log(`  ${'row'.padStart(6)}  ${'column'.padEnd(w)}  message`);
    for (const e of run.errors) log(`  ${String(e.row).padStart(6)}  ${e.column.padEnd(w)}  ${e.message}`);
    if (run.errorCount > run.errors.length) log(`  … and ${run.errorCount - run.errors.length} more.`);
  }
  if (run.status === 'validated')
    log(
      `Dry run: all ${run.totalRows} rows are valid: ${run.created} new, ${run.updated} changed, ${run.unchanged} unchanged. Nothing was written.`,
    );
  else if (run.status === 'succeeded')
    log(
      `Imported ${run.totalRows} rows: ${run.created} new, ${run.updated} changed, ${run.unchanged} unchanged.`,
    );
  else log(run.message ?? 'Nothing was imported.');
}

export function registerImportCommand(cli: Command, withDatabase: WithDatabase): void {
  cli
    .command('import')
    .description(
      'Import officials, historic credits, past awards or person facts from a CSV or XLSX file (see docs/imports.md)',
    )
    .argument('<kind>', `what the file holds: ${importKinds.join(', ')}`)
    .argument('<file>', 'a .csv or .xlsx file')
    .option('--dry-run', 'check every row and report every error; write nothing')
    .option('--program <id>', 'program id or code for rows that leave "program" empty')
    .action(async (kindArg: string, file: string, o: { dryRun?: boolean; program?: string }) => {
      const kind = checkKind(kindArg);
      try {
        if (!statSync(file).isFile()) throw new Error();
      } catch {
        throw new CliError(`Cannot read the file "${file}".`);
      }
      // A workbook's unpacked size, rows and cells are checked before it is read (a ZIP bomb stops here).
      if (file.toLowerCase().endsWith('.xlsx')) await checkSheetLimits(readFileSync(file), 'xlsx');
      await withDatabase(async (h, cfg) => {
        const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
        const mailer = createMailer(cfg, h.db, log);
        const ctx = systemCtx({ config: cfg, db: h.db, mailer, now: () => new Date() }, 'cli');
        const bar = progressPrinter();
        const run = await runImport(ctx, {
          kind,
          filename: path.basename(file),
          input: createReadStream(file),
          dryRun: !!o.dryRun,
          program: o.program,
          onProgress: (p) => bar.update(p),
        });
        await mailer.flush().catch(() => 0);
        mailer.close();
        printRun(run);
        if (run.status !== 'validated' && run.status !== 'succeeded') process.exitCode = 1;
      });
    });
}
