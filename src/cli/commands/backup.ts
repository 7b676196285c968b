/** `civiccert backup FILE` and `civiccert restore FILE` (see docs/operations.md and ADR 0009). */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { backupDatabase, restoreDatabase } from '../../server/modules/backup/backup.service.js';
import { CliError, type WithDatabase } from './import.js';

export function registerBackupCommands(cli: Command, withDatabase: WithDatabase): void {
  cli
    .command('backup')
    .description('Write a consistent snapshot of the whole database to FILE (gzip)')
    .argument('<file>', 'the backup file to write, e.g. civiccert-2026-11-23.backup.gz')
    .option('--encrypt', 'encrypt the file with BACKUP_KEY (AES-256-GCM); restore needs the same key')
    .action(async (file: string, o: { encrypt?: boolean }) => {
      await withDatabase(async (h, cfg) => {
        if (o.encrypt && !cfg.backupKey)
          throw new CliError(
            '--encrypt needs BACKUP_KEY: 32 random bytes as 64 hex digits or base64, e.g. `openssl rand -base64 32`. Keep it apart from the backups.',
          );
        const header = await backupDatabase(h.url, file, new Date(), {
          encryptWith: o.encrypt ? cfg.backupKey : null,
        });
        const rows = header.tables.reduce((n, t) => n + t.rows, 0);
        console.log(
          `Backed up ${header.tables.length} tables (${rows.toLocaleString('en-US')} rows, migrations up to ${header.migrations.at(-1) ?? '(none)'}) to ${file} (${statSync(file).size.toLocaleString('en-US')} bytes${o.encrypt ? ', encrypted with BACKUP_KEY' : ''}).`,
        );
      }, false);
    });
  cli
    .command('restore')
    .description('Restore a backup FILE into an empty database (refuses a database that holds data)')
    .argument(
      '<file>',
      'a file written by `civiccert backup` (an encrypted one is decrypted with BACKUP_KEY)',
    )
    .action(async (file: string) => {
      await withDatabase(async (h, cfg) => {
        const res = await restoreDatabase(h.url, file, { key: cfg.backupKey });
        console.log(
          `Restored ${res.tables} tables (${res.rows.toLocaleString('en-US')} rows) from ${file}, made ${res.header.createdAt}; every table's row count matches the backup.`,
        );
      }, false);
    });
}
