/** `civiccert backup FILE` and `civiccert restore FILE` (see docs/operations.md and ADR 0009). */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { backupDatabase, restoreDatabase } from '../../server/modules/backup/backup.service.js';
import type { WithDatabase } from './import.js';

export function registerBackupCommands(cli: Command, withDatabase: WithDatabase): void {
  cli
    .command('backup')
    .description('Write a consistent snapshot of the whole database to FILE (gzip)')
    .argument('<file>', 'the backup file to write, e.g. civiccert-2026-11-23.backup.gz')
    .action(async (file: string) => {
      await withDatabase(async (h) => {
        const header = await backupDatabase(h.url, file);
        const rows = header.tables.reduce((n, t) => n + t.rows, 0);
        console.log(
          `Backed up ${header.tables.length} tables (${rows.toLocaleString('en-US')} rows, migrations up to ${header.migrations.at(-1) ?? '(none)'}) to ${file} (${statSync(file).size.toLocaleString('en-US')} bytes).`,
        );
      }, false);
    });
  cli
    .command('restore')
    .description('Restore a backup FILE into an empty database (refuses a database that holds data)')
    .argument('<file>', 'a file written by `civiccert backup`')
    .action(async (file: string) => {
      await withDatabase(async (h) => {
        const res = await restoreDatabase(h.url, file);
        console.log(
          `Restored ${res.tables} tables (${res.rows.toLocaleString('en-US')} rows) from ${file}, made ${res.header.createdAt}; every table's row count matches the backup.`,
        );
      }, false);
    });
}
